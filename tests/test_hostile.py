"""The grader holds against broken and hostile submissions (issue 7).

Every case is graded the way a learner or CI grades it, `course check 1.1 --submission FILE
--json OUT`, on the real exercise 1.1. Most cases are the reference solution or the release
stub with one small change; `tests/hostile/` holds the files that are not notebooks at all.

For every case: the report is written and valid; the status is `failed` or `error` with a
one-paragraph explanation; the score is no more than the case could honestly earn; the run
ends within the time limit plus 10 s with no process left behind; the exit code is 1; no
file of the repository changes; no line of learner text can start a workflow command; a
token in the grader's environment reaches neither the learner nor the report.

The cases run concurrently (a few at a time) with a lowered time limit (COURSE_TIMEOUT), so
the whole corpus takes a few minutes.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import psutil
import pytest

from grading.release import strip_solutions
from tests.conftest import COURSE, ROOT

SOLUTION_PATH = ROOT / "modules/01_data_engineering/ex_1_1_break_the_data.py"
SOLUTION = SOLUTION_PATH.read_text(encoding="utf-8")
STUB = strip_solutions(SOLUTION, "1.1")
CORPUS = Path(__file__).parent / "hostile"
TIMEOUT = 20  # CPU seconds: COURSE_TIMEOUT for every case (course.toml says 60)
# A case's whole grading tree (grader and learner processes) stays within this many CPU seconds:
# the import, hidden calls, visible tests and the headless run each get at most TIMEOUT.
CPU_BOUND = 4 * TIMEOUT + 30
HANG_GUARD = 1800  # wall seconds: only a guard against a hung test run, never a verdict
WORKERS = 3
_CPU_OF_CHILD = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write(f'\\n@@cpu {use.ru_utime + use.ru_stime:.2f}\\n')\n"
    "sys.exit(code)\n"
)
TOKEN = "ghp_FAKEhostileTOKEN0123456789abcdef"
SOURCE_TOKEN = "github_pat_FAKEsourceTOKEN_9876543210"
MARK = "hostile-orphan-4242"  # in the command line of every process the fork case leaves
ORPHAN_MARKS = ["4242.4242", "4343.4343", MARK]
# What the tampering cases write; no file of the repository may contain it afterwards.
SIGNATURES = (b"# pwned", b"garbage\n", b'"status": "passed", "score": 100', b"# rewritten")
# Files a case tries to change: compared byte for byte (the rest of the tree by signature,
# since other people may edit the repository while the suite runs).
TARGETS = ("grading/hidden/1.1", "grading/engine.py", "modules/01_data_engineering/ex_1_1_break_the_data.py",
           "data/cards.csv", "course.toml")

VALIDATE_STUB = '    raise NotImplementedError("Exercise 1.1: implement validate()")'
BREAK_STUB = '    raise NotImplementedError("Exercise 1.1: implement break_data()")'
VALIDATE_DOC = '    """Findings {"check", "column", "rows"} for every contract violation in `cards`."""\n'
SETUP_ANCHOR = "    import numpy as np\n"
DUP_TEST = "def test_finds_duplicated_sale():\n"
# What a validator returning [] and a stub break_data honestly earn: the clean-data checks.
EMPTY_VALIDATOR_CAN_PASS = {"no_false_alarms", "test_clean_sample_has_no_findings"}
ANY = frozenset({"*"})  # solution-based cases: the criteria the solution's intact parts earn are earned


def _indent(code: str, spaces: int = 4) -> str:
    return textwrap.indent(textwrap.dedent(code).strip("\n") + "\n", " " * spaces)


def setup(base: str, code: str) -> str:
    """`code` at the end of the imports of the `with app.setup:` block."""
    assert SETUP_ANCHOR in base
    return base.replace(SETUP_ANCHOR, SETUP_ANCHOR + _indent(code), 1)


def validate_body(base: str, code: str) -> str:
    """`code` at the start of validate()'s body."""
    assert VALIDATE_DOC in base
    return base.replace(VALIDATE_DOC, VALIDATE_DOC + _indent(code), 1)


def then_raise(base: str, code: str) -> str:
    """`code` in the setup block, then an exception: a cheap case (nothing after the import runs)."""
    return setup(base, textwrap.dedent(code).strip("\n") + "\nraise RuntimeError('hostile case done')")


def stub_validate_returns(expr: str, setup_code: str = "", break_expr: str | None = None) -> str:
    """The stub whose validate() (and optionally break_data()) returns `expr`."""
    text = STUB.replace(VALIDATE_STUB, f"    return {expr}")
    if break_expr:
        text = text.replace(BREAK_STUB, f"    return {break_expr}")
    return setup(text, setup_code) if setup_code else text


@dataclass
class Case:
    name: str
    build: Callable[[Path], bytes | str]
    keywords: tuple[str, ...] = ()  # one of them must be in the summary (lower case)
    statuses: tuple[str, ...] = ("failed", "error")
    max_score: float = 0.0
    may_pass: frozenset[str] = frozenset()  # criteria this case may honestly pass
    fmt: str = "text"
    tampered: bool = False  # the report must list tampered paths
    check: Callable[[dict, str, Path], None] | None = None
    results: dict = field(default_factory=dict)


# -- builders that need the case folder or a live server --------------------------------


def _fake_report(case_dir: Path) -> str:
    fake = json.dumps({"schema_version": 1, "item": "1.1", "status": "passed", "score": 100})
    targets = [case_dir / "report.json", ROOT / ".course/results/1.1.json", case_dir / "visible-report.json",
               ROOT / "grading/hidden/1.1/fake_report.json"]
    return then_raise(STUB, f"""
        for _target in {[str(t) for t in targets]!r}:
            try:
                with open(_target, "w") as _f:
                    _f.write({fake!r})
                print("wrote", _target)
            except OSError as _e:
                print("could not write", _target, _e)
    """)


def _tamper(case_dir: Path) -> str:
    return then_raise(STUB, f"""
        import os as _os
        import shutil as _shutil
        _root = {str(ROOT)!r}
        print("hidden tests visible to me:", _os.listdir(_root + "/grading/hidden"))
        for _action in (
            lambda: _os.remove(_root + "/grading/hidden/1.1/test_hidden.py"),
            lambda: _shutil.rmtree(_root + "/grading/hidden/1.1"),
            lambda: open(_root + "/grading/engine.py", "a").write("\\n# pwned\\n"),
            lambda: open(_root + "/grading/hidden/1.1/conftest.py", "w").write("import pytest\\n"),
            lambda: open(_root + "/modules/01_data_engineering/ex_1_1_break_the_data.py", "w").write(""),
            lambda: open(_root + "/data/cards.csv", "a").write("garbage\\n"),
            lambda: open(_root + "/course.toml", "a").write("\\n"),
            lambda: open({str(case_dir / "submission.py")!r}, "a").write("\\n# rewritten\\n"),
            lambda: _os.chmod(_root + "/grading/engine.py", 0o777),
        ):
            try:
                _action()
                print("TAMPERED")
            except OSError as _e:
                print("refused:", _e)
    """)


def _read_secrets(case_dir: Path) -> str:
    return then_raise(STUB, f"""
        import glob as _glob
        import os as _os
        print("my environment:", dict(_os.environ))
        for _p in sorted(_glob.glob("/proc/*/environ")) + ["/proc/1/environ", "/proc/self/environ"]:
            try:
                print(_p, open(_p, "rb").read())
            except OSError as _e:
                print(_p, _e)
        for _p in ({str(ROOT / ".git/config")!r}, _os.path.expanduser("~/.git-credentials"), "/root/.git-credentials"):
            try:
                print(_p, open(_p).read())
            except OSError as _e:
                print(_p, _e)
    """)


class Listener:
    """A TCP server on loopback that records every connection it gets."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


LISTENER: Listener | None = None


def _network(case_dir: Path) -> str:
    assert LISTENER is not None
    return then_raise(STUB, f"""
        import socket as _socket
        try:
            _s = _socket.create_connection(("127.0.0.1", {LISTENER.port}), timeout=3)
            _s.sendall(b"LEAK")
            print("CONNECTED to the grader's machine")
        except OSError as _e:
            print("no network:", _e)
    """)


def _no_report_lies(report: dict, stdout: str, case_dir: Path) -> None:
    assert report["status"] != "passed"


def _truncated(report: dict, stdout: str, case_dir: Path) -> None:
    assert "truncated" in report["execution"]["output"], report["execution"]["output"][-300:]
    assert len(json.dumps(report)) < 200_000


def _markdown_safe(report: dict, stdout: str, case_dir: Path) -> None:
    body = re.sub(r"^::stop-commands::\w+\n", "", stdout)  # GITHUB_ACTIONS=true: the CLI's own guard
    assert body.count("<!-- course-grader:1.1 -->") == 1 and body.startswith("<!-- course-grader:1.1 -->")
    prose = re.sub(r"(`{3,})text\n.*?\n\1", "", body, flags=re.DOTALL)  # learner output sits in a fence it cannot close
    for raw in (r"(?<!\\)<img", r"(?<!\\)\]\(http", r"(?<!\\)<script", r"(?<!\\)</details>\n# Passed", r"(?<![\\\u200b])@org"):
        assert not re.search(raw, prose), f"unescaped {raw} in the Markdown"


def _own_report(report: dict, stdout: str, case_dir: Path) -> None:
    assert report["status"] != "passed" and "criteria" in report
    assert not (ROOT / ".course/results/1.1.json").exists() or "FAKE" not in (ROOT / ".course/results/1.1.json").read_text()
    assert not (ROOT / "grading/hidden/1.1/fake_report.json").exists()


def _untouched(report: dict, stdout: str, case_dir: Path) -> None:
    out = report["execution"]["output"]
    assert not (case_dir / "submission.py").read_text(encoding="utf-8").endswith("# rewritten\n")
    assert "TAMPERED" not in out and out.count("refused:") == 9, out[-2000:]
    assert "hidden tests visible to me: []" in out  # the hidden tests were out of sight


def _no_network(report: dict, stdout: str, case_dir: Path) -> None:
    assert LISTENER is not None and LISTENER.connections == 0
    assert "CONNECTED" not in report["execution"]["output"] and "no network:" in report["execution"]["output"]


def _no_secrets(report: dict, stdout: str, case_dir: Path) -> None:
    # The token checks run for every case; here: the probe ran, and found no git config either.
    out = report["execution"]["output"]
    assert "my environment" in out and "/proc/1/environ" in out, out[-2000:]
    assert "extraheader" not in out.lower() and "[core]" not in out


LIAR = """
    class Liar:
        def __eq__(self, other):
            return True
        def __ne__(self, other):
            return False
        def __bool__(self):
            return True
        def __hash__(self):
            return 0
        def __contains__(self, item):
            return True
        def __len__(self):
            return 5
        def __iter__(self):
            return iter([{"check": c, "column": "x", "rows": [0]} for c in CHECKS])
        def __getitem__(self, key):
            return self
"""
LIAR_LIST = """
    class LiarList(list):
        def __eq__(self, other):
            return True
        def __ne__(self, other):
            return False
        def __contains__(self, item):
            return True
        __hash__ = object.__hash__
"""
LIAR_HASH = """
    class SameHash(dict):
        def __hash__(self):
            return 1
        def __eq__(self, other):
            return True
"""


CASES: list[Case] = [
    # -- endless work ------------------------------------------------------------------
    Case("loop_at_import", lambda d: setup(STUB, "while True:\n    pass"), ("did not finish in time", "loop")),
    # Built from the solution: what break_data and the written answers earn is earned. These two
    # loops sleep a little per turn: the grader's wall-clock limit is what stops them, and two
    # cores spinning for half a minute would slow every other case on a small machine.
    Case("loop_in_graded_function", lambda d: validate_body(SOLUTION, "while True:\n    __import__('time').sleep(0.01)"),
         ("time", "still running"), max_score=35.7, may_pass=ANY),  # break_data, the DataFrameModel, written answers
    Case("loop_in_visible_test", lambda d: SOLUTION.replace(DUP_TEST, DUP_TEST + "    while True:\n        __import__('time').sleep(0.01)\n"),
         ("does not run", "time"), max_score=95.7, may_pass=ANY, tampered=True),
    # -- processes that end themselves -------------------------------------------------------
    Case("sys_exit_at_import", lambda d: setup(STUB, "import sys\nsys.exit(3)"), ("sys.exit",)),
    Case("os_exit_at_import", lambda d: setup(STUB, "import os\nos._exit(0)"), ("exited with code 0", "ended the")),
    Case("sigkill_self_at_import", lambda d: setup(STUB, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"), ("signal 9",)),
    Case("keyboard_interrupt_at_import", lambda d: setup(STUB, "raise KeyboardInterrupt"), ("keyboardinterrupt",)),
    Case("closes_grader_pipes", lambda d: setup(STUB, "import os\nos.closerange(3, 1024)"), ("stopped", "ended", "exited")),
    # -- resources -----------------------------------------------------------------------
    Case("output_100mb", lambda d: then_raise(STUB, "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_048_576 + '\\n')"),
         ("runtimeerror",), check=_truncated),
    Case("multi_gb_allocation", lambda d: setup(STUB, "_big = bytearray(16 * 1024**3)"), ("memoryerror",)),
    Case("multi_gb_in_graded_function", lambda d: stub_validate_returns("list(np.ones(4_000_000_000))"),
         ("memoryerror", "memory", "not started", "score")),
    Case("forks_orphans", lambda d: then_raise(STUB, f"""
        import os, subprocess, sys, time
        subprocess.Popen(["sleep", "4242.4242"], start_new_session=True)
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{MARK}"], start_new_session=True)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execvp("sleep", ["sleep", "4343.4343"])
            os._exit(0)
        time.sleep(1)
    """), ("runtimeerror",)),
    Case("deep_recursion_crash", lambda d: setup(STUB, """
        import functools, sys
        sys.setrecursionlimit(10**8)
        def _down(n):  # recursion through C (reduce) exhausts the C stack: a segfault
            return functools.reduce(lambda a, b: _down(n + 1), [1, 2])
        _down(0)
    """), ("signal 11",)),
    Case("recursion_error", lambda d: setup(STUB, "def _down(n):\n    return _down(n + 1)\n_down(0)"), ("recursionerror",)),
    Case("answer_too_big", lambda d: stub_validate_returns("'x' * 135_000_000"), ()),
    # -- not a notebook -----------------------------------------------------------------------
    Case("syntax_error", lambda d: SOLUTION.replace("def validate(cards: pd.DataFrame)", "def validate(cards pd.DataFrame)"),
         ("cannot parse", "syntax"), statuses=("error",)),
    Case("empty_file", lambda d: (CORPUS / "empty.py").read_bytes(), ("empty",), statuses=("error",)),
    Case("binary_garbage", lambda d: (CORPUS / "binary_garbage.bin").read_bytes(), ("binary",), statuses=("error",)),
    Case("non_utf8_text", lambda d: (CORPUS / "non_utf8.latin1").read_bytes(), ("utf-8",), statuses=("error",)),
    Case("not_a_marimo_notebook", lambda d: (CORPUS / "plain_python.py").read_bytes(), ("not a marimo notebook",), statuses=("error",)),
    Case("cell_cycle", lambda d: STUB.replace(
        "@app.cell(hide_code=True)\ndef _():\n    mo.md(r\"\"\"\n    ## Explain",
        "@app.cell\ndef _(loop_b):\n    loop_a = loop_b\n    return (loop_a,)\n\n\n@app.cell\ndef _(loop_a):\n    loop_b = loop_a\n    return (loop_b,)\n\n\n"
        "@app.cell(hide_code=True)\ndef _():\n    mo.md(r\"\"\"\n    ## Explain", 1), ("cycle", "marimo"), statuses=("error",)),
    Case("duplicate_definition", lambda d: STUB.replace(
        "    cards.head()\n    return (cards,)\n",
        "    cards.head()\n    return (cards,)\n\n\n@app.cell\ndef _():\n    cards = 1\n    return (cards,)\n", 1),
         ("exactly one cell", "marimo"), statuses=("error",)),
    # -- lying objects ---------------------------------------------------------------------
    Case("lying_eq_bool_hash", lambda d: stub_validate_returns("Liar()", LIAR), ()),
    Case("lying_list_subclass", lambda d: stub_validate_returns("LiarList()", LIAR_LIST), (),
         max_score=13.1, may_pass=frozenset(EMPTY_VALIDATOR_CAN_PASS)),
    Case("lying_hash_in_findings", lambda d: stub_validate_returns("[SameHash(check=c, column='x', rows=[0]) for c in CHECKS]", LIAR_HASH), ()),
    # -- reaching into the test machinery ----------------------------------------------------
    Case("monkeypatch_pytest", lambda d: stub_validate_returns("[]", """
        import _pytest.reports
        _real = _pytest.reports.TestReport.from_item_and_call.__func__
        def _always_pass(cls, item, call):
            report = _real(cls, item, call)
            report.outcome, report.longrepr = "passed", None
            return report
        _pytest.reports.TestReport.from_item_and_call = classmethod(_always_pass)
    """), (), max_score=13.1, may_pass=frozenset(EMPTY_VALIDATOR_CAN_PASS), tampered=True),
    Case("monkeypatch_builtins", lambda d: stub_validate_returns("[]", """
        import builtins
        builtins.isinstance = lambda *args: True
        builtins.AssertionError = type("AssertionError", (Exception,), {})
    """), (), max_score=13.1, may_pass=frozenset(EMPTY_VALIDATOR_CAN_PASS), tampered=True),
    Case("monkeypatch_assert", lambda d: stub_validate_returns("[]", """
        import sys
        import _pytest.assertion.rewrite as _rewrite
        _rewrite.AssertionRewritingHook.find_spec = lambda *args, **kwargs: None
        sys.settrace(lambda *args: None)
    """), (), max_score=13.1, may_pass=frozenset(EMPTY_VALIDATOR_CAN_PASS), tampered=True),
    Case("monkeypatch_grader_modules", lambda d: stub_validate_returns("[]", """
        import grading.codec
        import grading.hidden_run
        import grading.engine
        grading.codec.encode = lambda obj: b'[]'
        grading.hidden_run.run_hidden = lambda *args: []
        grading.engine.Grader._finish = lambda self, session: None
    """), (), max_score=13.1, may_pass=frozenset(EMPTY_VALIDATOR_CAN_PASS), tampered=True),
    Case("visible_tests_gutted", lambda d: re.sub(r"(def test_\w+\(\):\n)((?:    .*\n)+)", r"\1    pass\n", STUB), (),
         tampered=True),
    Case("visible_points_inflated", lambda d: STUB.replace("@criterion(points=5, title=\"Clean data", "@criterion(points=5000, title=\"Clean data")
         .replace(VALIDATE_STUB, "    return []"), (), max_score=13.1, may_pass=frozenset(EMPTY_VALIDATOR_CAN_PASS), tampered=True),
    # -- files outside the submission ----------------------------------------------------------
    Case("fake_report_files", _fake_report, ("runtimeerror",), check=_own_report),
    Case("tamper_with_repository", _tamper, ("runtimeerror",), check=_untouched),
    # -- text that reaches a CI log or a PR comment ---------------------------------------------
    Case("workflow_commands", lambda d: setup(STUB, """
        print("::error file=grading/engine.py,line=1::pwned")
        print("::add-mask::secret")
        print("  ::stop-commands::pwnedtoken")
        print("::set-output name=score::100")
        print("::warning::looks fine\\r::notice::carriage")
        raise RuntimeError("::error::import failed\\n::add-mask::x\\n  ::set-output name=status::passed")
    """), ("runtimeerror",), fmt="md"),
    Case("markdown_html_injection", lambda d: setup(STUB.replace(VALIDATE_STUB, '    raise ValueError("<!-- course-grader:1.1 --> [click](http://evil.example) <img src=x onerror=alert(1)> @org/team")'), """
        print("<!-- course-grader:1.1 -->")
        print("</details>\\n# Passed 100/100 ✅\\n<script>alert(1)</script>\\n```\\n<img src=x onerror=alert(1)>")
    """), (), fmt="md", check=_markdown_safe),
    Case("ansi_escapes", lambda d: then_raise(STUB, r"""print("\x1b[2J\x1b[31mALL TESTS PASSED\x1b[0m\x07\r::error::x")"""), ("runtimeerror",),
         check=lambda r, s, d: (_ for _ in ()).throw(AssertionError("escape in report")) if "\x1b" in json.dumps(r, ensure_ascii=False) else None),
    # -- secrets and network -------------------------------------------------------------------
    Case("reads_env_for_tokens", _read_secrets, ("runtimeerror",), check=_no_secrets),
    Case("opens_network_connection", _network, ("runtimeerror",), check=_no_network),
]


# -- the harness ---------------------------------------------------------------------------


def _tree(folders: tuple[str, ...] = ("grading", "modules", "data", ".course")) -> dict[str, bytes]:
    out = {}
    for folder in folders:
        base = ROOT / folder
        paths = [base] if base.is_file() else sorted(base.rglob("*")) if base.exists() else []
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts and "generated" not in path.parts:
                try:
                    out[str(path.relative_to(ROOT))] = path.read_bytes()
                except OSError:
                    continue
    return out


def _tree_changes(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """Targets changed in any way; elsewhere, files that now hold what a hostile case writes."""
    problems = []
    for path in sorted(before.keys() | after.keys()):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        if path.startswith(TARGETS):
            problems.append(f"{path} changed")
        elif new is not None and any(sig in new and (old is None or sig not in old) for sig in SIGNATURES):
            problems.append(f"{path} holds what a hostile submission wrote")
    return problems


def _leftovers(needles: list[str]) -> list[str]:
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        try:
            cmd = " ".join(proc.info["cmdline"] or [])
        except psutil.Error:
            continue
        if any(n in cmd for n in needles) and proc.info["pid"] != os.getpid():
            found.append(f"{proc.info['pid']}: {cmd[:200]}")
    return found


def _run(case: Case, base: Path, env: dict) -> Case:
    case_dir = base / case.name
    case_dir.mkdir()
    submission = case_dir / "submission.py"
    content = case.build(case_dir)
    submission.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out = case_dir / "report.json"
    args = [*COURSE, "check", "1.1", "--submission", str(submission), "--json", str(out), "--format", case.fmt]
    started = time.monotonic()
    cpu = None
    try:
        # Through a parent that reports the CPU seconds of the whole grading tree (learner processes
        # included): the bound this test holds the grader to, whatever the machine's load.
        proc = subprocess.run([sys.executable, "-c", _CPU_OF_CHILD, *args], cwd=ROOT, capture_output=True, text=True,
                              env=env, timeout=HANG_GUARD, encoding="utf-8", errors="replace")
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
        if m := re.search(r"\n@@cpu ([\d.]+)\n?$", stderr):
            cpu, stderr = float(m.group(1)), stderr[: m.start()]
    except subprocess.TimeoutExpired as exc:
        code, stdout, stderr = None, str(exc.stdout or ""), str(exc.stderr or "")
    case.results = {"seconds": time.monotonic() - started, "cpu": cpu, "code": code, "stdout": stdout, "stderr": stderr,
                    "dir": case_dir, "leftovers": []}
    needles = [str(case_dir), *(ORPHAN_MARKS if case.name == "forks_orphans" else [])]
    deadline = time.monotonic() + 3
    while (left := _leftovers(needles)) and time.monotonic() < deadline:
        time.sleep(0.2)
    case.results["leftovers"] = left
    try:
        case.results["report"] = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        case.results["report"] = None
        case.results["report_error"] = repr(exc)
    return case


def _strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def _problems(case: Case, schema: dict) -> list[str]:
    r = case.results
    report, problems = r.get("report"), []
    if report is None:
        return [f"no report: {r.get('report_error')}; exit {r['code']}; stderr {r['stderr'][-500:]}"]
    try:
        jsonschema.validate(report, schema)
    except jsonschema.ValidationError as exc:
        problems.append(f"report invalid: {exc.message}")
    busy = report.get("fault") == "busy"  # a machine far busier than the budget allows: no verdict, exit 3
    if r["code"] != (3 if busy else 1):
        problems.append(f"exit code {r['code']} (want 1); stderr: {r['stderr'][-800:]}")
    if report["status"] not in case.statuses and not busy:
        problems.append(f"status {report['status']} not in {case.statuses}")
    if report["score"] > case.max_score + 1e-6:
        problems.append(f"score {report['score']} > {case.max_score}")
    passed = {c["id"] for c in report.get("criteria", []) if c["passed"]}
    if "*" not in case.may_pass and (extra := passed - case.may_pass):
        problems.append(f"passed criteria it did not earn: {sorted(extra)}")
    summary = report.get("summary", "")
    if not summary.strip() or "\n\n" in summary or len(summary) > 3000:
        problems.append(f"summary is not one paragraph: {summary[:300]!r}")
    if busy:  # no verdict, and honest about it: the machine, not the case
        case.results["note"] = "no verdict: machine too busy"
    elif case.keywords and not any(k in summary.lower() for k in case.keywords):
        problems.append(f"summary mentions none of {case.keywords}: {summary[:400]!r}")
    if r["cpu"] is None or r["cpu"] > CPU_BOUND:
        problems.append(f"used {r['cpu']} CPU seconds (bound {CPU_BOUND} s)")
    if r["leftovers"]:
        problems.append(f"processes left behind: {r['leftovers']}")
    if case.tampered and not report.get("tampered_paths"):
        problems.append("tampered_paths is empty")
    for text in [*_strings(report), r["stdout"], r["stderr"]]:
        if TOKEN in text or SOURCE_TOKEN in text:
            problems.append("a token from the grader's environment leaked")
            break
    for text in _strings(report):
        if any(line.lstrip().startswith("::") for line in text.splitlines()):
            problems.append(f"a report line starts with '::': {text[:200]!r}")
            break
    tokens = re.findall(r"^::stop-commands::(\w+)$", r["stdout"], flags=re.MULTILINE)
    for line in r["stdout"].splitlines():
        if line.lstrip().startswith("::") and line not in {f"::stop-commands::{t}" for t in tokens} | {f"::{t}::" for t in tokens}:
            problems.append(f"stdout line could be a workflow command: {line[:200]!r}")
            break
    if case.check:
        try:
            case.check(report, r["stdout"], r["dir"])
        except AssertionError as exc:
            problems.append(f"{case.name} check: {exc}")
    return problems


def _selected() -> list[Case]:
    """All cases; HOSTILE_CASES=name,name runs a few while debugging."""
    names = [n for n in os.environ.get("HOSTILE_CASES", "").split(",") if n]
    return [c for c in CASES if not names or c.name in names]


def test_corpus_has_every_kind_of_case():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


def test_hostile_corpus(tmp_path, report_schema):
    global LISTENER  # noqa: PLW0603 - the network case's server lives for the corpus
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "GITHUB_"))}
    env.update(COURSE_TIMEOUT=str(TIMEOUT), GITHUB_ACTIONS="true", GITHUB_TOKEN=TOKEN, COURSE_SOURCE_TOKEN=SOURCE_TOKEN)
    before = _tree()
    LISTENER = Listener()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            done = list(pool.map(lambda c: _run(c, tmp_path, env), _selected()))
    finally:
        LISTENER.close()
    total = time.monotonic() - started
    after = _tree()
    orphans = _leftovers([str(tmp_path), *ORPHAN_MARKS])

    lines, failures = [], []
    for case in done:
        report = case.results.get("report") or {}
        problems = _problems(case, report_schema)
        lines.append(f"{case.name:32} {report.get('status', '-'):7} {report.get('score', '-')!s:>6} "
                     f"{case.results['seconds']:5.1f}s {case.results['cpu'] or 0:5.1f} CPU s  {'OK' if not problems else 'FAIL'} {case.results.get('note', '')}")
        failures += [f"{case.name}: {p}" for p in problems]
    if changed := _tree_changes(before, after):
        failures.append(f"files outside the submissions changed: {changed[:20]}")
    if orphans:
        failures.append(f"processes left behind by the corpus: {orphans}")
    slowest = max(done, key=lambda c: c.results["seconds"])
    print("\n".join([*lines, f"total {total:.1f}s for {len(done)} cases; slowest {slowest.name} {slowest.results['seconds']:.1f}s"]))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("text", ["::error::x", "  ::add-mask::y", "ok\n::stop-commands::z\n\t::set-output name=a::b"])
def test_learner_text_never_starts_a_workflow_command(text):
    from grading.neutral import neutral_text

    assert not any(line.lstrip().startswith("::") for line in neutral_text(text).splitlines())


def test_sandbox_is_as_strong_as_this_machine_allows():
    """On Linux with working namespaces the learner process is fully isolated (see docs/security.md)."""
    from grading.sandbox import isolation

    probe = subprocess.run(["unshare", "--fork", "--pid", "--mount-proc", "--net", "true"], capture_output=True, check=False) \
        if sys.platform == "linux" and os.geteuid() == 0 else None
    if probe is None or probe.returncode != 0:
        pytest.skip("no privileged namespaces here")
    assert isolation().level == "full"


# -- the mentor's regrade ---------------------------------------------------------------------


def test_regrade_uses_canonical_tests_and_lists_tampering(tmp_path, report_schema):
    """A learner checkout with gutted visible tests and edited protected files is graded canonically."""
    from grading.catalog import Course
    from grading.release import release

    learner = tmp_path / "learner"
    release(Course.load(ROOT), learner)
    notebook = learner / "modules/01_data_engineering/ex_1_1_break_the_data.py"
    gutted = re.sub(r"(def test_finds_duplicated_sale\(\):\n)((?:    .*\n)+)", r"\1    assert True\n", SOLUTION)
    notebook.write_text(validate_body(gutted, "return []"), encoding="utf-8")
    (learner / ".github/workflows/grade.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    (learner / "grading/engine.py").write_text("# my own grader\n", encoding="utf-8")
    (learner / "grading/hidden/1.1").mkdir(parents=True)
    (learner / "grading/hidden/1.1/test_hidden.py").write_text("def test_ok():\n    pass\n", encoding="utf-8")
    out = tmp_path / "reports"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "GITHUB_"))}
    proc = subprocess.run([*COURSE, "regrade", str(learner), "--item", "1.1", "--json", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = json.loads((out / "1.1.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, report_schema)
    assert report["status"] == "failed" and not report["provisional"]
    tampered = set(report["tampered_paths"])
    for expected in (".github/workflows/grade.yml (changed)", "grading/engine.py (changed)",
                     "grading/hidden/1.1/test_hidden.py (added)",
                     "modules/01_data_engineering/ex_1_1_break_the_data.py::test_finds_duplicated_sale (changed)"):
        assert expected in tampered, sorted(tampered)
    by_id = {c["id"]: c for c in report["criteria"]}
    assert not by_id["test_finds_duplicated_sale"]["passed"]  # the course's test ran, not `assert True`
    assert not by_id["catches_duplicates"]["passed"]
    assert "grading/engine.py (changed)" in proc.stdout


def test_canonical_tests_are_spliced_in():
    from grading.regrade import canonical_tests

    mine = SOLUTION.replace(DUP_TEST, DUP_TEST + "    return\n")
    mine = re.sub(r"@app.function\n@criterion\(points=5, title=\"Finds a missing card name\".*?\n\n\n", "", mine, flags=re.DOTALL)
    fixed, differed = canonical_tests(mine, SOLUTION)
    assert sorted(differed) == ["test_finds_duplicated_sale (changed)", "test_finds_missing_card_name (removed)"]
    import ast

    ours = {n.name: ast.dump(n) for n in ast.parse(SOLUTION).body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
    theirs = {n.name: ast.dump(n) for n in ast.parse(fixed).body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
    assert ours == theirs


def test_without_a_read_only_sandbox_tampering_is_detected(tmp_path):
    """Where namespaces are missing, the grader compares protected files before and after."""
    from grading.tamper import Snapshot as _Snapshot

    (tmp_path / "grading/hidden/1.1").mkdir(parents=True)
    (tmp_path / "modules").mkdir()
    hidden = tmp_path / "grading/hidden/1.1/test_hidden.py"
    hidden.write_text("def test_x():\n    assert False\n")
    submission = tmp_path / "modules/ex.py"
    submission.write_text("x = 1\n")
    snap = _Snapshot(tmp_path, submission)
    submission.write_text("x = 2\n")  # the submission itself may change
    assert snap.changed() == []
    hidden.write_text("def test_x():\n    pass\n")
    (tmp_path / "grading/new.py").write_text("")
    assert snap.changed() == ["grading/hidden/1.1/test_hidden.py", "grading/new.py"]


def test_machinery_scan_flags_reaching_into_the_grader_but_not_exercise_code():
    import ast

    from grading.tamper import machinery_uses

    assert machinery_uses(ast.parse(SOLUTION)) == []
    hostile = "import _pytest.runner\nimport builtins as b\nb.len = None\nexec('1')\nimport sys\nsys.modules['x'] = 1\n"
    found = " ".join(machinery_uses(ast.parse(hostile)))
    for expected in ("`_pytest.runner`", "`builtins`", "`b.len`", "`exec`", "`sys.modules`"):
        assert expected in found
