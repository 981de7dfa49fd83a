"""The grader's handle on the learner process: calls with timeouts, restarts, clean kills.

Hidden tests talk to the submission only through `LearnerSession.call`, which returns
plain data (see `grading.codec`) or raises `LearnerError`. The learner process is
restarted after a timeout or a crash, as long as the item's deadline allows.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from grading import codec
from grading.sandbox import Child, Limits, become_subreaper, hidden_paths, isolation

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

    def __init__(self, submission: Path, deadline: float, limits: Limits | None = None):
        self.submission = submission.resolve()
        self.deadline = deadline
        self.limits = limits or Limits(cpu_seconds=max(10, int(deadline - time.monotonic()) + 5))
        self.workdir = Path(tempfile.mkdtemp(prefix="course-learner-"))
        self.child: Child | None = None
        self.imported = False
        self.import_error: LearnerError | None = None
        self.outputs: list[str] = []
        self.restarts = 0
        self.missing: dict[str, str] = {}  # required function -> why it cannot be imported
        self.stopped: LearnerError | None = None  # why the last learner process was stopped
        self.plain: list[str] = []  # graded functions whose results visible tests see as plain data
        become_subreaper()

    # -- process lifecycle -------------------------------------------------

    def start(self) -> None:
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        side_r, side_w = os.pipe()
        sandbox = []
        if isolation().level == "full":
            hide = [p for p in hidden_paths(GRADER_ROOT) if not self.submission.is_relative_to(p)]
            sandbox = ["--sandbox", json.dumps({"workdir": str(self.workdir), "hide": hide})]
        argv = [sys.executable, "-X", "utf8", "-m", "grading.worker", *sandbox, str(self.submission), str(req_r), str(ans_w), str(side_w)]
        self.child = Child(argv, self.workdir, self.limits, pass_fds=(req_r, ans_w, side_w))
        for fd in (req_r, ans_w, side_w):
            os.close(fd)
        self._requests = Connection(req_w, readable=False)
        self._answers = Connection(ans_r, writable=False)
        self._side = Connection(side_r, writable=False)
        self.imported = False
        self.background = False

    def stop(self) -> None:
        if self.child is None:
            return
        for conn in (self._requests, self._answers, self._side):
            conn.close()
        self.child.kill()
        self.outputs.append(self.child.output.text())
        self.child = None

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
        current = [self.child.output.text(0.2)] if self.child else []
        return "\n".join(o for o in [*self.outputs, *current] if o.strip())

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    # -- requests ----------------------------------------------------------

    def request(self, op: str, timeout: float | None = None, **fields: Any) -> Any:
        if self.remaining() <= 0:
            raise LearnerError("timeout", "the time limit for this exercise was used up before this check could run")
        if self.child is None:
            self.start()
        budget = min(timeout or self.remaining(), self.remaining())
        try:
            self._requests.send_bytes(json.dumps({"op": op, **fields}).encode("utf-8"))
        except (BrokenPipeError, OSError):
            return self._died(op)
        return self._receive(self._answers, op, budget)

    def _receive(self, conn: Connection, op: str, budget: float) -> Any:
        budget = max(0.0, min(budget, self.remaining()))
        if self.child is None:
            if self.stopped is not None:
                raise LearnerError(self.stopped.kind, f"'{op}' could not run: earlier, {self.stopped.message}", self.stopped.where)
            raise LearnerError("crashed", f"the process running your code had already stopped before '{op}'")
        if not conn.poll(budget):
            self.stop()
            self.stopped = LearnerError(
                "timeout",
                f"your code was still running after {budget:.0f} s (in '{op}') and was stopped "
                "(an infinite loop, or far more work than the exercise needs?)",
            )
            raise LearnerError(self.stopped.kind, self.stopped.message)
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
        self.request("background", timeout=10, plain=self.plain)
        self.background = True

    def background_result(self, what: str, timeout: float) -> Any:
        if not self.background:
            return self.request(what, timeout=timeout, plain=self.plain)
        return self._receive(self._side, what, timeout)

    def ensure_imported(self) -> None:
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
        self.ensure_imported()
        return self.request(
            op,
            timeout=timeout,
            args=codec.encode(list(args)).decode("utf-8"),
            kwargs=codec.encode(kwargs).decode("utf-8"),
            **fields,
        )

    def call(self, name: str, *args: Any, timeout: float = 30, return_args: bool = False, **kwargs: Any) -> Any:
        return self._invoke("call", [name], args, kwargs, timeout, name=name, return_args=return_args)

    def race(self, names: list[str], *args: Any, repeats: int = 5, timeout: float = 60, **kwargs: Any) -> list[list[float]]:
        """Seconds per call of each named function, measured inside the learner process."""
        return self._invoke("race", list(names), args, kwargs, timeout, names=list(names), repeats=repeats)

    def serve(self, factory: str, *args: Any, timeout: float = 60, **kwargs: Any) -> dict:
        """Call the learner's app factory and serve its app on a Unix socket (see `grading.served`)."""
        return self._invoke("serve", [factory], args, kwargs, timeout, name=factory)


def _signal_name(number: int) -> str:
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return "unknown signal"
