"""Run learner code in a child process that cannot hurt the grader.

The child gets its own temporary working directory, a clean environment (no tokens or
secrets), resource limits, and its own session (so the whole group can be killed). On
Linux, where `unshare` works (as root, or as any user with unprivileged user namespaces,
as on GitHub's runners), it also gets its own namespaces (see `isolation`):

- network: an empty network namespace, so no connection can be opened, loopback included;
- PID: the learner sees only its own processes (a fresh /proc: the grader's environment,
  tokens included, is out of reach) and every process it starts dies with it;
- mount: the whole file system is read-only except the working directory; `/dev` holds
  only null, zero, full, random, urandom and tty; the hidden tests (`grading/hidden/`),
  the repository's `.git` and well-known credential files are covered by empty folders.

`enter()` sets the mount namespace up inside the child, before any learner code runs,
then drops every capability (bounding set included), so learner code cannot undo it.
Output is captured through pipes and bounded. The grader process marks itself a child
subreaper so that grandchildren which outlive their parent are re-parented to it and
killed too.
"""

from __future__ import annotations

import ctypes
import functools
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

GiB = 1024**3
MiB = 1024**2
PR_SET_CHILD_SUBREAPER = 36

# Only these variables cross into learner code; everything else (tokens included) stays out.
_PASSED_THROUGH = ("LANG", "LC_ALL", "TZ", "SYSTEMROOT")
# Credentials a learner process has no business reading, relative to the grader's HOME.
_CREDENTIALS = (".git-credentials", ".netrc", ".pypirc", ".ssh", ".gnupg", ".aws", ".docker", ".kube",
                ".config/gh", ".config/git", ".config/gcloud", ".npmrc", ".cargo/credentials.toml",
                ".cargo/credentials")
_DEVICES = ("null", "zero", "full", "random", "urandom", "tty")


@dataclass(frozen=True)
class Limits:
    """Resource limits for one learner process. Sized for pandas, scikit-learn and xgboost."""

    address_space: int = 6 * GiB  # numpy/openblas/arrow reserve virtual memory generously
    file_size: int = 256 * MiB
    processes: int = 512  # per-user limit: not enforced for root (see docs/security.md)
    cpu_seconds: int = 300
    output_bytes: int = 64 * 1024


def become_subreaper() -> None:
    """Orphaned descendants of our children get re-parented to us, so we can reap them."""
    if sys.platform == "linux":
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        except (OSError, AttributeError):
            pass


# -- namespaces ----------------------------------------------------------------


@dataclass(frozen=True)
class Isolation:
    """How learner processes are isolated on this machine."""

    prefix: tuple[str, ...]  # command prefix that creates the namespaces
    level: str  # "full" (network + PID + read-only mounts), "network" or "none"

    @property
    def describe(self) -> str:
        return {
            "full": "own network, PID and mount namespaces; read-only file system",
            "network": "own network namespace only",
            "none": "no namespaces (resource limits and a clean environment only)",
        }[self.level]


@functools.cache
def isolation() -> Isolation:
    """The strongest isolation `unshare` gives here, probed once per grader process.

    `COURSE_SANDBOX=none|network` lowers it (for debugging); it can never raise it.
    """
    wanted = os.environ.get("COURSE_SANDBOX", "full")
    unshare = shutil.which("unshare")
    if not unshare or sys.platform != "linux" or wanted == "none":
        return Isolation((), "none")
    user = () if os.geteuid() == 0 else ("--user", "--map-root-user")
    candidates = []
    if wanted == "full":
        candidates.append(Isolation((unshare, *user, "--fork", "--pid", "--mount-proc", "--net", "--kill-child"), "full"))
    candidates += [Isolation((unshare, "--net"), "network"), Isolation((unshare, "--user", "--map-current-user", "--net"), "network")]
    for candidate in candidates:
        try:
            ok = subprocess.run([*candidate.prefix, "true"], capture_output=True, timeout=5).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return candidate
    return Isolation((), "none")


def network_isolation() -> list[str]:
    """The command prefix that isolates the child, or [] if unavailable (kept for callers)."""
    return list(isolation().prefix)


_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REMOUNT, _MS_BIND, _MS_REC = 32, 4096, 16384
_MNT_DETACH = 2
_AT_FDCWD, _AT_RECURSIVE = -100, 0x8000
_MOUNT_ATTR_RDONLY = 1
_SYS_MOUNT_SETATTR = 442  # the same number on every architecture (new syscalls are unified)
_PR_CAPBSET_DROP, _PR_SET_SECUREBITS, _PR_SET_NO_NEW_PRIVS, _PR_CAP_AMBIENT = 24, 28, 38, 47
_SECURE_NOROOT_ALL = 0x2F  # NOROOT, NO_SETUID_FIXUP, KEEP_CAPS off; all locked


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _b(value: str | None) -> bytes | None:
    return None if value is None else os.fsencode(value)


def _ok(ret: int, what: str) -> None:
    if ret != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(libc: ctypes.CDLL, src: str | None, target: str, fstype: str | None, flags: int, *, data: str | None = None) -> None:
    _ok(libc.mount(_b(src), _b(target), _b(fstype), ctypes.c_ulong(flags), _b(data)), f"mount {target}")


def _set_readonly(libc: ctypes.CDLL, path: str, readonly: bool) -> None:
    attr = _MountAttr(_MOUNT_ATTR_RDONLY if readonly else 0, 0 if readonly else _MOUNT_ATTR_RDONLY, 0, 0)
    ret = libc.syscall(ctypes.c_long(_SYS_MOUNT_SETATTR), ctypes.c_int(_AT_FDCWD), _b(path),
                       ctypes.c_uint(_AT_RECURSIVE), ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)))
    if ret == 0:
        return
    if ctypes.get_errno() != 38:  # ENOSYS: kernels before 5.12 remount one mount at a time
        _ok(ret, f"mount_setattr {path}")
    flags = _MS_REMOUNT | _MS_BIND | (_MS_RDONLY if readonly else 0)
    with open("/proc/self/mountinfo", encoding="utf-8") as info:
        points = [line.split()[4] for line in info]
    for point in points:
        if point == path or point.startswith(path.rstrip("/") + "/"):
            st = os.statvfs(point)
            kept = st.f_flag & (os.ST_NOSUID | os.ST_NODEV | os.ST_NOEXEC)
            libc.mount(None, _b(point), None, ctypes.c_ulong(flags | kept), None)


def _cover(libc: ctypes.CDLL, path: str, null_fd: int) -> None:
    """Hide a file or folder behind an empty one."""
    if os.path.isdir(path) and not os.path.islink(path):
        _mount(libc, "tmpfs", path, "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC | _MS_RDONLY, data="size=4k,mode=755")
    elif os.path.isfile(path):
        _mount(libc, f"/proc/self/fd/{null_fd}", path, None, _MS_BIND)


def _minimal_dev(libc: ctypes.CDLL) -> int:
    """Replace /dev by a tmpfs with the harmless devices only; returns an fd of /dev/null."""
    fds = {name: os.open(f"/dev/{name}", os.O_PATH) for name in _DEVICES if os.path.exists(f"/dev/{name}")}
    _mount(libc, "tmpfs", "/dev", "tmpfs", _MS_NOSUID | _MS_NOEXEC, data="size=64k,mode=755")
    for name, fd in fds.items():
        open(f"/dev/{name}", "w").close()
        _mount(libc, f"/proc/self/fd/{fd}", f"/dev/{name}", None, _MS_BIND)
    for link, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"/dev/{link}")
    os.mkdir("/dev/shm")
    _set_readonly(libc, "/dev", True)
    _mount(libc, "tmpfs", "/dev/shm", "tmpfs", _MS_NOSUID | _MS_NODEV, data="size=64m,mode=1777")
    null = os.open("/dev/null", os.O_PATH)
    for fd in fds.values():
        os.close(fd)
    return null


def _drop_capabilities(libc: ctypes.CDLL) -> None:
    """No capability left, none to regain by exec: the mounts above cannot be undone."""
    for cap in range(64):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:  # EINVAL: past the last cap
            break
    libc.prctl(_PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    libc.prctl(_PR_SET_SECUREBITS, _SECURE_NOROOT_ALL, 0, 0, 0)
    _ok(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _ok(libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")


def enter(workdir: str, hide: list[str]) -> None:
    """Inside the new namespaces, before learner code: lock the file system, drop privileges.

    Runs as (namespace) root in the child. Raises OSError if a step fails; the caller must
    then refuse to run learner code, since the isolation it promised does not hold.
    """
    libc = _libc()
    _mount(libc, None, "/", None, _MS_REC | (1 << 18))  # MS_PRIVATE: nothing leaks back out
    _mount(libc, workdir, workdir, None, _MS_BIND | _MS_REC)
    _set_readonly(libc, "/", True)
    _set_readonly(libc, workdir, False)
    null_fd = _minimal_dev(libc)
    for path in hide:
        if os.path.lexists(path):
            _cover(libc, path, null_fd)
    os.close(null_fd)
    os.chdir(workdir)  # the old cwd is the folder under the new mount
    _drop_capabilities(libc)


def hidden_paths(course_root: Path) -> list[str]:
    """What the learner process must not read: hidden tests, git credentials, the grader's secrets."""
    home = Path(os.environ.get("HOME") or Path.home())
    paths = [course_root / "grading" / "hidden", course_root / ".git", *(home / c for c in _CREDENTIALS)]
    return [str(p) for p in paths]


def init_and_fork() -> None:
    """If we are PID 1 of a new PID namespace, stay as its init and let a child go on.

    PID 1 ignores signals it has no handler for (a learner's `os.kill(os.getpid(), 9)` would
    do nothing), so learner code runs in a child; init reaps orphans and passes the child's
    exit status on (128 + signal for a signal). When init exits, the kernel kills every
    process left in the namespace.
    """
    if os.getpid() != 1:
        return
    pid = os.fork()
    if pid == 0:
        return
    os.closerange(3, 65536)  # the grader must see EOF on the pipes when the worker dies
    while True:
        try:
            done, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        except InterruptedError:
            continue
        if done == pid:
            code = os.waitstatus_to_exitcode(status)
            os._exit(128 - code if code < 0 else code)


# -- the child process -----------------------------------------------------------


def clean_env(workdir: Path) -> dict[str, str]:
    env = {k: os.environ[k] for k in _PASSED_THROUGH if k in os.environ}
    env.update(
        PATH=f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        HOME=str(workdir),
        TMPDIR=str(workdir),
        LANG=env.get("LANG", "C.UTF-8"),
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8:backslashreplace",
        MPLBACKEND="Agg",
        # One thread per library: 2-core machines, and predictable timings.
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        POLARS_MAX_THREADS="2",
        MARIMO_SKIP_UPDATE_CHECK="1",
    )
    return env


def _limit(limits: Limits) -> None:
    """Runs in the child between fork and exec."""
    os.setsid()
    if sys.platform == "linux":  # if the grader dies, so does the learner process (and its namespace)
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    for what, value in (
        (resource.RLIMIT_AS, limits.address_space),
        (resource.RLIMIT_FSIZE, limits.file_size),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_NPROC, limits.processes),
        (resource.RLIMIT_CORE, 0),
    ):
        try:
            resource.setrlimit(what, (value, value))
        except (ValueError, OSError):
            pass


class BoundedCapture:
    """Drains a pipe on a thread, keeping the first `limit` bytes and counting the rest."""

    def __init__(self, fd: int, limit: int):
        self.limit, self.total, self.kept, self._chunks = limit, 0, 0, []
        self._thread = threading.Thread(target=self._drain, args=(fd,), daemon=True)
        self._thread.start()

    def _drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                if self.kept < self.limit:
                    piece = chunk[: self.limit - self.kept]
                    self._chunks.append(piece)
                    self.kept += len(piece)
                self.total += len(chunk)

    def text(self, timeout: float = 2.0) -> str:
        self._thread.join(timeout)
        head = b"".join(self._chunks).decode("utf-8", errors="replace")
        dropped = self.total - self.kept
        if dropped > 0:
            head += f"\n[... output truncated: {dropped:,} more bytes not shown ...]"
        return head


class Child:
    """One sandboxed learner process with stdout and stderr captured together."""

    def __init__(self, argv: list[str], workdir: Path, limits: Limits, pass_fds: tuple[int, ...] = (),
                 env: dict[str, str] | None = None):
        out_r, out_w = os.pipe()
        self.proc = subprocess.Popen(
            [*isolation().prefix, *argv],
            cwd=workdir,
            env={**clean_env(workdir), **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=out_w,
            stderr=out_w,
            pass_fds=pass_fds,
            preexec_fn=functools.partial(_limit, limits),
            close_fds=True,
        )
        os.close(out_w)
        _LIVE.add(self.proc.pid)
        self.output = BoundedCapture(out_r, limits.output_bytes)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """Kill the child, its whole session, and any descendant that escaped the session."""
        _LIVE.discard(self.proc.pid)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        reap_descendants()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


# Learner processes still in use: another session's processes are never reaped by mistake.
_LIVE: set[int] = set()


def reap_descendants() -> None:
    """Kill and wait for every descendant of this process (we are a subreaper), except live
    learner processes of other sessions and their own descendants."""
    import psutil

    try:
        me = psutil.Process()
        spared = set()
        for pid in _LIVE:
            try:
                live = psutil.Process(pid)
                spared |= {pid, *(p.pid for p in live.children(recursive=True))}
            except psutil.Error:
                continue
        children = [c for c in me.children(recursive=True) if c.pid not in spared]
    except psutil.Error:
        return
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(children, timeout=5)
