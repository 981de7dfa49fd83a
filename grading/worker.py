"""The learner process: loads one submission and answers the grader's requests.

Started by `grading.learner.LearnerSession` inside the sandbox. It talks to the grader
over two inherited pipes with length-prefixed JSON (see `grading.codec`), never over
stdout, which belongs to the learner's prints. Static checks run before any learner
code is imported, so their answers cannot be influenced by the submission.

Requests: {"op": "load"} (marimo check in a fork, answered on the side pipe, while this
process imports the submission) · {"op": "call", "name", "args", "kwargs"} ·
{"op": "background"} (visible tests, then the headless run, in a fork answering on the side
pipe) · {"op": "serve", "name", "args", "kwargs"} (call an app factory and serve the app
on a Unix socket, see `grading.served`) · {"op": "unserve", "pid"} · and, sequentially, "check", "import", "visible", "run". Each answer is
{"ok": true, "value": ...} or {"ok": false, "error": {"type", "message", "where"}}.
"""

from __future__ import annotations

import functools
import gc
import importlib.util
import json
import os
import sys
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from grading import codec

MAX_MESSAGE = 2000


class _State:
    module: Any = None
    pipes: tuple[int, ...] = ()  # the grader's pipes: a served app's process must not hold them open


def _where(exc: BaseException, submission: str) -> str:
    """The innermost line of the submission in the traceback, if any."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == submission]
    if not frames:
        return ""
    f = frames[-1]
    return f"line {f.lineno}, in {f.name}: {(f.line or '').strip()[:200]}"


def _error(exc: BaseException, submission: str) -> dict:
    try:
        message = str(exc)
    except Exception:  # noqa: BLE001 - a learner's exception can fail to print
        message = "<the exception's message could not be printed>"
    return {
        "type": type(exc).__name__,
        "message": message[:MAX_MESSAGE],
        "where": _where(exc, submission),
    }


def marimo_check(path: str) -> dict:
    """marimo's static linter, run before the learner's code is imported."""
    from marimo._lint import run_check

    linter = run_check((path,), formatter="json")
    result = linter.get_json_result()
    issues = result.get("issues", []) if isinstance(result, dict) else []
    return {"errored": bool(linter.errored), "issues": issues[:50]}


def load(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("submission", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["submission"] = module
    spec.loader.exec_module(module)
    return module


def _plain(fn: Any) -> Any:
    """`fn` whose results cross the codec, as in hidden tests: lying objects lose their lies."""

    def plain(*args: Any, **kwargs: Any) -> Any:
        return codec.decode(codec.encode(fn(*args, **kwargs)))

    plain.__name__ = getattr(fn, "__name__", "function")
    plain.__wrapped__ = fn
    return plain


class _PlainResults:
    """pytest plugin: in the notebook's module, the graded functions return plain data only."""

    def __init__(self, names: list[str]):
        self.names = [str(n) for n in names]

    def pytest_collection_finish(self, session: Any) -> None:
        modules = {id(m): m for m in (getattr(i, "module", None) for i in session.items) if m is not None}
        for module in modules.values():
            for name in self.names:
                fn = getattr(module, name, None)
                if callable(fn) and not isinstance(fn, type):
                    setattr(module, name, _plain(fn))


def run_visible(path: str, plain: list[str] = ()) -> dict:
    """Run the notebook's own test_* functions with pytest, in this process."""
    import pytest

    report = Path("visible-report.json").resolve()
    ini = Path("pytest-visible.ini").resolve()
    ini.write_text("[pytest]\npython_files = *.py\n")
    code = pytest.main(
        [path, "-q", "-c", str(ini), "--rootdir", str(Path(path).parent), "--import-mode=importlib",
         "--noconftest", "-p", "no:cacheprovider", "--disable-plugin-autoload", "-p", "pytest_jsonreport.plugin",
         "--json-report", f"--json-report-file={report}",
         "--json-report-omit", "collectors", "log", "streams", "warnings", "keywords"],
        plugins=[_PlainResults(list(plain))],
    )
    tests = []
    data = json.loads(report.read_text()) if report.exists() else {}
    for t in data.get("tests", []):
        name = t["nodeid"].split("::")[-1]
        fn = getattr(_State.module, name, None)
        kwargs = getattr(fn, "criterion", None)
        kwargs = dict(kwargs) if isinstance(kwargs, dict) else {}
        call = t.get("call") or t.get("setup") or {}
        crash = (call.get("crash") or {}).get("message", "")
        tests.append({
            "name": name,
            "outcome": t.get("outcome", "failed"),
            "message": str(crash)[:MAX_MESSAGE],
            "line": (call.get("crash") or {}).get("lineno"),
            "points": kwargs.get("points", 1),
            "hint": str(kwargs.get("hint", ""))[:MAX_MESSAGE],
            "title": str(kwargs.get("title", ""))[:200],
            "lesson": kwargs.get("lesson"),
        })
    return {"exit_code": int(code), "tests": tests}


def race(functions: list, repeats: int, args: list, kwargs: dict) -> list[list[float]]:
    """Wall time of each function, interleaved round by round so machine noise hits all alike."""
    import time

    times: list[list[float]] = [[] for _ in functions]
    for _ in range(repeats):
        for fn, seconds in zip(functions, times, strict=True):
            start = time.perf_counter()
            fn(*args, **kwargs)
            seconds.append(time.perf_counter() - start)
    return times


def run_notebook(path: str) -> dict:
    """Execute every cell, as `python notebook.py` would (importing it first in a fresh process)."""
    if _State.module is None:
        _State.module = load(path)
    _State.module.app.run()
    return {"ran": True}


def _answer(conn: Connection, path: str, work) -> None:
    try:
        value = work()
        try:
            payload = b'{"ok":true,"value":' + codec.encode(value) + b"}"
        except Exception as exc:  # noqa: BLE001 - learner values can fail to encode in many ways
            payload = json.dumps({"ok": True, "value": {"$opaque": f"unencodable ({type(exc).__name__})"}}).encode()
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt from learner code too
        payload = json.dumps({"ok": False, "error": _error(exc, path)}).encode()
    conn.send_bytes(payload)


def _fork(side: Connection, path: str, *jobs) -> int:
    """Run jobs in a forked child that answers on the side pipe; the parent goes on at once."""
    pid = os.fork()
    if pid == 0:
        for job in jobs:
            _answer(side, path, job)
        os._exit(0)
    return pid


def _imported_names() -> list[str]:
    return sorted(n for n in vars(_State.module) if not n.startswith("_"))


def _arguments(request: dict) -> tuple[list, dict]:
    return codec.decode(request["args"].encode("utf-8")), codec.decode(request["kwargs"].encode("utf-8"))


def _handle(request: dict, side: Connection, path: str) -> object:
    """Carry out one request of the grader; the value is encoded by `_answer`."""
    op = request["op"]
    if op == "load":
        # marimo's static check runs in a fork, before and beside the learner's import.
        _fork(side, path, lambda: marimo_check(path))
        try:
            _State.module = load(path)
        finally:
            gc.enable()
        return _imported_names()
    if op == "background":
        # Visible tests and the headless run go on in a fork while hidden calls are served here.
        return _fork(side, path, functools.partial(run_visible, path, request.get("plain") or []), functools.partial(run_notebook, path))
    if op == "check":
        return marimo_check(path)
    if op == "import":
        _State.module = load(path)
        return _imported_names()
    if op == "call":
        args, kwargs = _arguments(request)
        value = getattr(_State.module, request["name"])(*args, **kwargs)
        return [value, [args, kwargs]] if request.get("return_args") else value
    if op == "race":
        args, kwargs = _arguments(request)
        return race([getattr(_State.module, n) for n in request["names"]], int(request["repeats"]), args, kwargs)
    if op == "serve":
        from grading import served

        args, kwargs = _arguments(request)
        app = getattr(_State.module, request["name"])(*args, **kwargs)
        return served.start_server(app, _State.pipes)
    if op == "unserve":
        from grading import served

        return served.stop_server(int(request["pid"]))
    if op == "visible":
        return run_visible(path, request.get("plain") or [])
    if op == "run":
        return run_notebook(path)
    raise ValueError(f"unknown op {op!r}")


def serve(requests: Connection, answers: Connection, side: Connection, path: str) -> None:
    while True:
        try:
            request = json.loads(requests.recv_bytes().decode("utf-8"))
        except EOFError:
            return
        _answer(answers, path, functools.partial(_handle, request, side, path))


def _enter_sandbox(spec: str, answers: Connection, side: Connection) -> None:
    """Lock the file system and drop privileges before any learner code; refuse to go on if that fails."""
    from grading import sandbox

    try:
        options = json.loads(spec)
        sandbox.enter(options["workdir"], options["hide"])
    except Exception as exc:  # noqa: BLE001 - any failure means the promised isolation does not hold
        payload = json.dumps({"ok": False, "error": {"type": "SandboxError", "message": f"{type(exc).__name__}: {exc}"[:MAX_MESSAGE], "where": ""}}).encode()
        for conn in (side, answers):
            conn.send_bytes(payload)
        os._exit(70)
    sandbox.init_and_fork()


def main() -> None:
    args = sys.argv[1:]
    spec = None
    if args[0] == "--sandbox":
        spec, args = args[1], args[2:]
    path, req_fd, ans_fd, side_fd = args[0], int(args[1]), int(args[2]), int(args[3])
    requests, answers = Connection(req_fd, writable=False), Connection(ans_fd, readable=False)
    side = Connection(side_fd, readable=False)
    _State.pipes = (req_fd, ans_fd, side_fd)
    if spec is not None:
        _enter_sandbox(spec, answers, side)
    gc.disable()  # ~15 % faster imports on this hardware; re-enabled once the submission is loaded
    import marimo  # noqa: F401 - imported before forking, so the forks share it
    # Keep our pipes out of reach of careless learner code (it gets fresh fds for files).
    sys.path.insert(0, str(Path(path).parent))
    serve(requests, answers, side, path)
    os._exit(0)


if __name__ == "__main__":
    main()
