"""Run learner code in a child process that cannot hurt the grader.

The child gets its own temporary working directory, a clean environment (no tokens or
secrets), resource limits, its own session (so the whole group can be killed), and, where
the kernel allows it without privileges, its own empty network namespace. Output is
captured through pipes and bounded. The grader process marks itself a child subreaper so
that grandchildren which outlive their parent are re-parented to it and killed too.
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

import psutil

GiB = 1024**3
MiB = 1024**2
PR_SET_CHILD_SUBREAPER = 36

# Only these variables cross into learner code; everything else (tokens included) stays out.
_PASSED_THROUGH = ("LANG", "LC_ALL", "TZ", "SYSTEMROOT")


@dataclass(frozen=True)
class Limits:
    """Resource limits for one learner process. Sized for pandas, scikit-learn and xgboost."""

    address_space: int = 8 * GiB  # numpy/openblas reserve virtual memory generously
    file_size: int = 256 * MiB
    processes: int = 512  # per-user limit: not enforced for root, the session kill covers it
    cpu_seconds: int = 300
    output_bytes: int = 64 * 1024


def become_subreaper() -> None:
    """Orphaned descendants of our children get re-parented to us, so we can reap them."""
    if sys.platform == "linux":
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        except (OSError, AttributeError):
            pass


@functools.cache
def network_isolation() -> list[str]:
    """The command prefix that gives the child an empty network namespace, or [] if unavailable."""
    unshare = shutil.which("unshare")
    if not unshare or sys.platform != "linux":
        return []
    for prefix in ([unshare, "--net"], [unshare, "--user", "--map-current-user", "--net"]):
        try:
            ok = subprocess.run([*prefix, "true"], capture_output=True, timeout=5).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return prefix
    return []


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
        self.limit, self.total, self._chunks = limit, 0, []
        self._thread = threading.Thread(target=self._drain, args=(fd,), daemon=True)
        self._thread.start()

    def _drain(self, fd: int) -> None:
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                kept = sum(len(c) for c in self._chunks)
                if kept < self.limit:
                    self._chunks.append(chunk[: self.limit - kept])
                self.total += len(chunk)

    def text(self, timeout: float = 2.0) -> str:
        self._thread.join(timeout)
        head = b"".join(self._chunks).decode("utf-8", errors="replace")
        dropped = self.total - len(b"".join(self._chunks))
        if dropped > 0:
            head += f"\n[... output truncated: {dropped:,} more bytes not shown ...]"
        return head


class Child:
    """One sandboxed learner process with stdout and stderr captured together."""

    def __init__(self, argv: list[str], workdir: Path, limits: Limits, pass_fds: tuple[int, ...] = ()):
        out_r, out_w = os.pipe()
        self.proc = subprocess.Popen(
            [*network_isolation(), *argv],
            cwd=workdir,
            env=clean_env(workdir),
            stdin=subprocess.DEVNULL,
            stdout=out_w,
            stderr=out_w,
            pass_fds=pass_fds,
            preexec_fn=functools.partial(_limit, limits),
            close_fds=True,
        )
        os.close(out_w)
        self.output = BoundedCapture(out_r, limits.output_bytes)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """Kill the child, its whole session, and any descendant that escaped the session."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        reap_descendants()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def reap_descendants() -> None:
    """Kill and wait for every descendant of this process (we are a subreaper)."""
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(children, timeout=5)
