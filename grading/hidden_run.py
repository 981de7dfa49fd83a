"""Run an item's hidden tests in this (trusted) process and turn them into criteria."""

from __future__ import annotations

import ast
import importlib
import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from pytest_jsonreport.plugin import JSONReport

from grading.budget import MachineBusy
from grading.catalog import Course, Item
from grading.criteria import default_title
from grading.learner import LearnerError, LearnerSession
from grading.report import Criterion
from grading.testing import HiddenPlugin, Miss


class GraderFault(Exception):
    """Our own tests could not run or tripped over their own bug: never the learner's fault."""


def _feedback(error: BaseException | None) -> str:
    """What the learner reads for a failed hidden check (only learner-facing errors get here)."""
    if error is None or (isinstance(error, AssertionError) and not isinstance(error, Miss)):
        return "this hidden check did not pass"
    if isinstance(error, LearnerError):
        if error.is_stub:
            return f"still the TODO stub: {error.explain()}"
        return error.explain()
    return str(error)[:1000]


def _ours(error: BaseException | None) -> bool:
    """A hidden test's own bug: anything but a failed check (Miss, assert) or the learner's code failing."""
    return error is not None and not isinstance(error, (AssertionError, LearnerError, MachineBusy))


def _forget_modules(folder: Path) -> None:
    """Drop the test modules pytest imported from `folder`: the next item's hidden tests may
    use the same file names (importlib mode names them after the file), and `course verify`
    grades several items in one process."""
    root = str(folder.resolve())
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", "") or "").startswith(root):
            del sys.modules[name]


def run_hidden(hidden_dir: Path, session: LearnerSession, course: Course, item: Item) -> list[Criterion]:
    plugin, report = HiddenPlugin(session), JSONReport()
    args = [
        str(hidden_dir), "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--rootdir", str(hidden_dir),
        "-c", str(hidden_dir / "pytest.ini") if (hidden_dir / "pytest.ini").exists() else "/dev/null",
        # Only the plugins we use: autoloading every installed one (schemathesis, hypothesis…)
        # costs ~4 s a run.
        "--disable-plugin-autoload", "-p", "pytest_jsonreport.plugin",
        "--import-mode=importlib", "--json-report-file=none", "-W", "ignore", "--tb=no",
        *(f"-pno:{p}" for p in ("doctest", "junitxml", "pastebin")),
    ]
    with redirect_stdout(io.StringIO()) as out, redirect_stderr(io.StringIO()):
        try:
            code = pytest.main(args, plugins=[plugin, report])
        finally:
            _forget_modules(hidden_dir)
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GraderFault(f"hidden tests of {item.id} could not run (pytest exit {int(code)}):\n{out.getvalue()[-3000:]}")
    if plugin.setup_faults:
        nodeid, why = next(iter(plugin.setup_faults.items()))
        raise GraderFault(f"hidden test setup failed in {nodeid}: {why}")
    tests = report.report.get("tests", [])
    for test in tests:
        error = plugin.errors.get(test["nodeid"])
        if isinstance(error, MachineBusy):
            raise error
        if _ours(error):
            raise GraderFault(f"hidden test {test['nodeid']} of {item.id} has a bug of its own: "
                              f"{type(error).__name__}: {str(error)[:300]}")
    criteria = []
    for test in tests:
        nodeid = test["nodeid"]
        marker = plugin.markers.get(nodeid, {})
        name = nodeid.split("::")[-1]
        passed = test.get("outcome") == "passed"
        points = float(marker.get("points", 1))
        error = plugin.errors.get(nodeid)
        criteria.append(
            Criterion(
                id=str(marker.get("id") or name),
                title=str(marker.get("title") or default_title(name)),
                points=points if passed else 0.0,
                max_points=points,
                passed=passed,
                feedback="passed" if passed else _feedback(error),
                hint=None if passed else marker.get("hint"),
                visibility="hidden",
                lesson=marker.get("lesson") or course.lesson_for(item),
                required=marker.get("required") is not False,
            )
        )
    return criteria


def _hidden_imports(hidden_dir: Path) -> list[str]:
    """The modules an item's hidden tests import at their top level, read from their source."""
    names: list[str] = []
    for path in sorted(hidden_dir.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        for stmt in tree.body:
            if isinstance(stmt, ast.Import):
                names += [a.name for a in stmt.names]
            elif isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
                names.append(stmt.module)
    return names


def preimport(hidden_dir: Path) -> None:
    """Warm the modules hidden tests use, on a thread, while the learner process boots."""
    for name in ("pytest", "pytest_jsonreport.plugin", "pyarrow", *_hidden_imports(hidden_dir)):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - warming is best effort; the tests report real import errors
            pass
