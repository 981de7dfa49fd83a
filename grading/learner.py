"""The grader's handle on the learner process: calls within CPU budgets, restarts, clean kills.

Hidden tests talk to the submission only through `LearnerSession.call`, which returns
plain data (see `grading.codec`) or raises `LearnerError`. Every wait is limited by the CPU
seconds the learner's code uses (`grading.budget`), never by the wall clock alone: a busy
machine raises `MachineBusy` (no verdict) instead of failing the learner. The learner
process is restarted after a timeout or a crash while the item's CPU budget lasts.

A session is safe to use from several threads (hidden-test fixtures warm a second process
on a thread): one lock serialises every operation on the child process.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from grading import budget as clock
from grading import codec
from grading.budget import MachineBusy
from grading.sandbox import Child, Limits, become_subreaper, hidden_paths, isolation

__all__ = ["LearnerError", "LearnerSession", "MachineBusy", "SandboxError"]

MAX_ANSWER = 128 * 1024 * 1024
GRADER_ROOT = Path(__file__).resolve().parent.parent


class SandboxError(RuntimeError):
    """The learner process could not be isolated as promised: a fault of the grading machine."""


class LearnerError(Exception):
    """Learner code raised, crashed, timed out or returned something unusable."""

    def __init__(self, kind: str, message: str, where: str = "", exc_type: str = ""):
        self.kind, self.message, self.where, self.exc_type = kind, message, where, exc_type
        super().__init__(self.explain())

    @property
    def is_stub(self) -> bool:
        return self.exc_type == "NotImplementedError"

    def explain(self) -> str:
        at = f" ({self.where})" if self.where else ""
        if self.kind == "raised":
            return f"{self.exc_type}: {self.message}{at}"
        return f"{self.message}{at}"


class LearnerSession:
    """Owns at most one learner process at a time for one submission."""

    def __init__(self, submission: Path, budget: float, limits: Limits | None = None, env: dict[str, str] | None = None):
        self.submission = submission.resolve()
        self.budget = float(budget)  # CPU seconds for the learner's code in this session
        self.cpu_used = 0.0  # CPU seconds the answered requests took
        # The rlimit is only a safety net for code that escapes the grader's watch (see grading.budget).
        self.limits = limits or Limits(cpu_seconds=int(3 * self.budget + 30))
        self.env = dict(env or {})
        self.workdir = Path(tempfile.mkdtemp(prefix="course-learner-"))
        self.child: Child | None = None
        self.imported = False
        self.import_error: LearnerError | None = None
        self.outputs: list[str] = []
        self.restarts = 0
        self.missing: dict[str, str] = {}  # required function -> why it cannot be imported
        self.stopped: LearnerError | None = None  # why the last learner process was stopped
        self.plain: list[str] = []  # graded functions whose results visible tests see as plain data
        self.background = False
        self._background_pid: int | None = None  # host PID of the fork running visible tests and the headless run
        self._background_mark: tuple[float, clock.Usage] | None = None
        self._lock = threading.RLock()
        become_subreaper()

    # -- process lifecycle -------------------------------------------------

    def start(self) -> None:
        with self._lock:
            self._start()

    def _start(self) -> None:
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        side_r, side_w = os.pipe()
        sandbox = []
        if isolation().level == "full":
            hide = [p for p in hidden_paths(GRADER_ROOT) if not self.submission.is_relative_to(p)]
            sandbox = ["--sandbox", json.dumps({"workdir": str(self.workdir), "hide": hide})]
        argv = [sys.executable, "-X", "utf8", "-m", "grading.worker", *sandbox, str(self.submission), str(req_r), str(ans_w), str(side_w)]
        self.child = Child(argv, self.workdir, self.limits, pass_fds=(req_r, ans_w, side_w), env=self.env)
        for fd in (req_r, ans_w, side_w):
            os.close(fd)
        self._requests = Connection(req_w, readable=False)
        self._answers = Connection(ans_r, writable=False)
        self._side = Connection(side_r, writable=False)
        self.imported = False
        self.background = False
        self._background_pid = None

    def stop(self) -> None:
        """Stop this session's learner process (and only its own process tree)."""
        with self._lock:
            child, self.child = self.child, None
            if child is None:
                return
            for conn in (self._requests, self._answers, self._side):
                conn.close()
            child.kill()
            self.outputs.append(child.output.text())

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> LearnerSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def output(self) -> str:
        """Everything the learner's code printed, bounded per process."""
        child = self.child
        current = [child.output.text(0.2)] if child else []
        return "\n".join(o for o in [*self.outputs, *current] if o.strip())

    def remaining(self) -> float:
        """CPU seconds left of the session's budget."""
        return self.budget - self.cpu_used

    # -- requests ----------------------------------------------------------

    def request(self, op: str, timeout: float | None = None, **fields: Any) -> Any:
        """Send one request and wait for its answer, within `timeout` CPU seconds (and what is left)."""
        with self._lock:
            if self.remaining() <= 0:
                raise LearnerError("timeout", f"the CPU budget of this exercise ({self.budget:g} s) was used up before this check could run")
            if self.child is None:
                self._start()
            budget = min(timeout or self.remaining(), self.remaining())
            try:
                self._requests.send_bytes(json.dumps({"op": op, **fields}).encode("utf-8"))
            except (BrokenPipeError, OSError):
                return self._died(op)
            return self._receive(self._answers, op, budget)

    def _watched(self, side: bool) -> list[int]:
        """The processes whose CPU an answer on this pipe costs: the background fork's tree, or all but it."""
        child = self.child
        if child is None:
            return []
        bg = self._background_pid
        if side and bg is not None:
            return clock.tree(bg)
        return clock.tree(child.proc.pid, frozenset({bg}) if bg is not None else frozenset())

    def _receive(self, conn: Connection, op: str, budget: float, since: tuple[float, clock.Usage] | None = None) -> Any:
        budget = max(0.0, budget)
        if self.child is None:
            if self.stopped is not None:
                raise LearnerError(self.stopped.kind, f"'{op}' could not run: earlier, {self.stopped.message}", self.stopped.where)
            raise LearnerError("crashed", f"the process running your code had already stopped before '{op}'")
        side = conn is self._side
        asked = time.monotonic()
        if since is None and conn.poll(clock.POLL_SECONDS):
            # Most answers come at once: charge the wait's wall time (an upper bound), and skip reading /proc.
            used = time.monotonic() - asked
        else:
            started, base = since or (time.monotonic() - clock.POLL_SECONDS, clock.usage(self._watched(side)))
            watch = clock.Watch(op, budget, started, base)
            last = time.monotonic()
            while not conn.poll(clock.POLL_SECONDS):
                watched, now = self._watched(side), time.monotonic()
                if clock.writing_to_a_pipe(watched):
                    watch.excused += now - last
                last = now
                if (verdict := watch.verdict(clock.usage(watched))) is not None:
                    self._timed_out(watch, *verdict)
            used = (clock.usage(self._watched(side)) - base).cpu
        if not side:
            self.cpu_used += used
        try:
            answer = json.loads(conn.recv_bytes(maxlength=MAX_ANSWER).decode("utf-8"))
        except OSError as exc:
            if "too long" in str(exc).lower() or "bad message length" in str(exc).lower():
                self.stop()
                raise LearnerError("too_big", f"your code's answer to '{op}' was larger than {MAX_ANSWER // 1024 // 1024} MB; return a summary, not a copy of everything") from None
            return self._died(op)
        except (EOFError, ValueError, UnicodeDecodeError):
            return self._died(op)
        if not isinstance(answer, dict):
            return self._died(op)
        if not answer.get("ok"):
            err = answer.get("error") or {}
            exc_type = str(err.get("type", "Exception"))
            if exc_type == "SandboxError":
                self.stop()
                raise SandboxError(f"the learner sandbox could not be set up ({err.get('message')}); set COURSE_SANDBOX=network to grade with less isolation")
            if exc_type == "SystemExit":
                raise LearnerError("exit", "your code called sys.exit() (or exit()); notebook code should not end the process", str(err.get("where", "")), exc_type)
            raise LearnerError("raised", str(err.get("message", "")), str(err.get("where", "")), exc_type)
        return codec.decode_value(answer.get("value"))

    def _timed_out(self, watch: clock.Watch, why: str, used: clock.Usage, wall: float) -> None:
        """Stop the learner process and say why, in the terms of what it used."""
        self.stop()
        if why == "busy":
            raise MachineBusy.starved(watch.op, used.cpu, watch.budget, wall)
        if why == "cpu":
            message = (f"timeout: your code used {used.cpu:.1f} CPU seconds in '{watch.op}' without finishing, more than "
                       f"its budget of {watch.budget:g} s, and was stopped (an infinite loop, or far more work than the exercise needs?)")
        else:
            message = (f"timeout: your code waited {wall - used.cpu - used.waiting:.0f} s in '{watch.op}' without using the CPU "
                       "(time.sleep, input(), a lock or a network call that never returns?) and was stopped")
        self.stopped = LearnerError("timeout", message)
        raise LearnerError("timeout", message)

    def _died(self, op: str) -> Any:
        code = None
        if self.child:
            try:
                code = self.child.proc.wait(timeout=1)
            except Exception:  # noqa: BLE001 - still running: it stopped answering
                code = None
        self.stop()
        if code is not None and code > 128:  # the sandbox's init passes a signal on as 128 + signal
            code = 128 - code
        if code is not None and code < 0:
            how = f"was killed by signal {-code} ({_signal_name(-code)})"
            if -code == 9:
                how += ": it ran out of memory, or your code killed its own process"
            elif -code == 24:
                how += ": it used up its CPU time limit"
            elif -code == 11:
                how += ": a crash in C code, often recursion far too deep (sys.setrecursionlimit)"
        elif code is not None:
            how = f"exited with code {code}: your code ended the process (os._exit, sys.exit in a thread, or a crash)"
        else:
            how = f"exited with code {code}" if code is not None else "stopped answering"
        self.stopped = LearnerError("crashed", f"the Python process running your code {how} during '{op}'")
        raise LearnerError(self.stopped.kind, self.stopped.message)

    # -- what the grader asks ----------------------------------------------

    def marimo_check(self) -> dict:
        return self.request("check", timeout=30)

    def load(self) -> dict:
        """marimo check (in a fork, before any learner code) and the import, side by side."""
        with self._lock:
            try:
                self._requests.send_bytes(b'{"op":"load"}')
            except OSError:
                pass  # already gone: the answer pipes say why
            # The side pipe only closes early if the whole process died: that is the import's doing.
            check = self._receive(self._side, "import", 30)
            if not isinstance(check, dict) or check.get("errored"):
                return check
            try:
                self._receive(self._answers, "import", self.remaining())
                self.imported = True
            except LearnerError as exc:
                self.import_error = exc
                raise
            return check

    def start_background(self) -> None:
        """Visible tests and the headless run, in a fork, while hidden tests call in here."""
        with self._lock:
            pid = self.request("background", timeout=10, plain=self.plain)
            child = self.child
            self._background_pid = clock.host_pid(child.proc.pid, int(pid)) if child and isinstance(pid, int) else None
            watched = clock.tree(self._background_pid) if self._background_pid else []
            self._background_mark = (time.monotonic(), clock.usage(watched))
            self.background = True

    def background_result(self, what: str, budget: float) -> Any:
        """The next answer of the background fork, which gets `budget` CPU seconds for it."""
        with self._lock:
            if not self.background:
                return self.request(what, timeout=budget, plain=self.plain)
            try:
                return self._receive(self._side, what, budget, since=self._background_mark)
            finally:
                watched = clock.tree(self._background_pid) if self._background_pid else []
                self._background_mark = (time.monotonic(), clock.usage(watched))

    def ensure_imported(self) -> None:
        with self._lock:
            if self.import_error:
                raise self.import_error
            if self.child is not None and self.imported:
                return
            try:
                self.request("import")
                self.imported = True
            except LearnerError as exc:
                exc.message = f"importing your notebook failed: {exc.message}"
                self.import_error = exc
                raise

    def _invoke(self, op: str, functions: list[str], args: tuple, kwargs: dict, timeout: float, **fields: Any) -> Any:
        """Send an op about the learner's `functions` with encoded arguments (after importing, if needed)."""
        for name in functions:
            if name in self.missing:
                raise LearnerError("missing", self.missing[name])
        with self._lock:
            self.ensure_imported()
            return self.request(
                op,
                timeout=timeout,
                args=codec.encode(list(args)).decode("utf-8"),
                kwargs=codec.encode(kwargs).decode("utf-8"),
                **fields,
            )

    def call(self, name: str, *args: Any, timeout: float = 30, return_args: bool = False, **kwargs: Any) -> Any:
        """The learner's `name(*args, **kwargs)`, as plain data, within `timeout` CPU seconds."""
        return self._invoke("call", [name], args, kwargs, timeout, name=name, return_args=return_args)

    def race(self, names: list[str], *args: Any, repeats: int = 5, timeout: float = 60, **kwargs: Any) -> list[list[float]]:
        """Seconds per call of each named function, measured inside the learner process."""
        return self._invoke("race", list(names), args, kwargs, timeout, names=list(names), repeats=repeats)


def _signal_name(number: int) -> str:
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown signal"
