"""Grade one item: static checks, learner process, hidden and visible tests, execution, score.

    parse + marimo check → import required functions → ruff → hidden tests → visible
    tests → headless run → written answers → score by criteria

Everything the learner wrote runs in the learner process (`grading.learner`); this
process only reads files, runs our own tests, and adds up points.
"""

from __future__ import annotations

import ast
import importlib
import threading
import time
from collections.abc import Callable
from pathlib import Path

from grading import notebook
from grading.catalog import Course, Item
from grading.learner import LearnerError, LearnerSession
from grading.lint import ruff
from grading.report import Criterion, Execution, Report, WrittenAnswer

Progress = Callable[[str], None]

STUB_TEXT = "still the TODO stub"


class PlannedItem(Exception):
    """The item exists in course.toml but is not built yet."""


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _humanize(test_name: str) -> str:
    return test_name.removeprefix("test_").replace("_", " ").capitalize()


def _literal_kwargs(call: ast.Call) -> dict:
    out = {}
    for kw in call.keywords:
        try:
            out[kw.arg] = ast.literal_eval(kw.value)
        except ValueError:
            pass
    return out


def visible_tests(nb: notebook.Notebook) -> dict[str, dict]:
    """The notebook's test_* functions with their criterion marker, read statically."""
    tests: dict[str, dict] = {}
    for name, fn in nb.functions.items():
        if not name.startswith("test_"):
            continue
        marker = {}
        for deco in fn.decorator_list:
            if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.func.attr == "criterion":
                marker = _literal_kwargs(deco)
        tests[name] = marker
    return tests


class Grader:
    """Grades one submission of one item. Use `grade()`."""

    def __init__(self, course: Course, item: Item, submission: Path | None, progress: Progress | None = None):
        self.course, self.item = course, item
        self.path = (submission or course.root / item.path).resolve()
        self.progress = progress or (lambda _msg: None)
        self.started = time.monotonic()
        self.deadline = self.started + course.timeout(item)
        self.durations: dict[str, float] = {}
        self.hidden_dir = course.root / item.hidden_dir
        self.report = Report(
            item=item.id,
            title=item.title,
            submission=_rel(self.path, course.root),
            status="error",
            summary="",
            score=0,
            max_score=item.points,
            pass_threshold=course.threshold(item),
            lesson=course.lesson_for(item),
            provisional=not self._has_hidden_tests(),
        )

    def _has_hidden_tests(self) -> bool:
        return any(self.hidden_dir.glob("test_*.py"))

    def _timed(self, name: str, started: float) -> None:
        self.durations[name] = round(time.monotonic() - started, 3)

    # -- the pipeline ------------------------------------------------------

    def grade(self) -> Report:
        if self.item.status == "planned" and not self.path.exists():
            raise PlannedItem(self.item.id)
        t = time.monotonic()
        self.progress("reading the notebook")
        try:
            nb = notebook.read(self.path)
        except notebook.NotGradable as exc:
            return self._finish_error(str(exc))
        self._timed("static", t)
        with LearnerSession(self.path, self.deadline) as session:
            session.start()  # the learner process boots while we import what the hidden tests need
            if not self.report.provisional:
                threading.Thread(target=_preimport, daemon=True).start()
            return self._grade_with(nb, session)

    def _grade_with(self, nb: notebook.Notebook, session: LearnerSession) -> Report:
        t = time.monotonic()
        self.progress("running ruff")
        self.report.lint = ruff(self.path, self.course.root)
        self._timed("lint", t)
        self.report.written = self._written(nb)

        t = time.monotonic()
        self.progress("running marimo check and importing your functions")
        session.missing = {n: m for n in self.item.functions if (m := nb.missing_function_message(n))}
        try:
            check = session.load()
        except LearnerError as exc:
            self._timed("load", t)
            if exc.kind == "crashed" and not session.imported and "marimo check" in exc.message:
                return self._finish_error(f"marimo could not read your notebook: {exc.explain()}", session)
            return self._finish_error(_import_problem(exc, self.path.name), session)
        self._timed("load", t)
        if check.get("errored"):
            return self._finish_error(_marimo_problems(check, self.path.name), session)
        declared = visible_tests(nb)
        session.start_background()

        criteria: list[Criterion] = []
        if not self.report.provisional:
            t = time.monotonic()
            self.progress("running hidden tests")
            criteria += self._hidden(session)
            self._timed("hidden_tests", t)

        t = time.monotonic()
        self.progress("running your visible tests")
        criteria += self._visible(declared, session)
        self._timed("visible_tests", t)

        t = time.monotonic()
        self.progress("running the notebook top to bottom")
        self.report.execution = self._execute(session)
        self._timed("execution", t)

        criteria += self._written_criteria()
        self.report.criteria = criteria
        return self._finish(session)

    # -- steps ---------------------------------------------------------------

    def _hidden(self, session: LearnerSession) -> list[Criterion]:
        from grading.hidden_run import run_hidden

        return run_hidden(self.hidden_dir, session, self.course, self.item)

    def _visible(self, declared: dict[str, dict], session: LearnerSession) -> list[Criterion]:
        try:
            result = session.background_result("visible", timeout=min(60.0, session.remaining()))
            outcomes = {t["name"]: t for t in result.get("tests", []) if isinstance(t, dict)}
            failure = None
        except LearnerError as exc:
            outcomes, failure = {}, exc.explain()
        criteria = []
        for name, marker in declared.items():
            got = outcomes.get(name, {})
            passed = got.get("outcome") == "passed"
            message = str(got.get("message", "")) or failure or "this test did not run"
            if STUB_MARK in message:
                message = f"{STUB_TEXT}: {message}"
            points = float(marker.get("points", 1))
            criteria.append(
                Criterion(
                    id=name,
                    title=str(marker.get("title") or _humanize(name)),
                    points=points if passed else 0.0,
                    max_points=points,
                    passed=passed,
                    feedback="passed" if passed else message[:1000],
                    hint=None if passed else (str(marker.get("hint")) if marker.get("hint") else None),
                    visibility="visible",
                    lesson=marker.get("lesson"),
                    required=bool(marker.get("required")),
                )
            )
        return criteria

    def _execute(self, session: LearnerSession) -> Execution:
        t = time.monotonic()
        try:
            session.background_result("run", timeout=min(120.0, session.remaining()))
        except LearnerError as exc:
            status = "timeout" if exc.kind == "timeout" else "failed"
            return Execution(
                status=status,
                seconds=round(time.monotonic() - t, 2),
                message=f"running the notebook top to bottom failed: {exc.explain()}",
                output=session.output[-4000:],
            )
        return Execution(status="ok", seconds=round(time.monotonic() - t, 2), message="the notebook runs top to bottom", output=session.output[-4000:])

    def _written(self, nb: notebook.Notebook) -> list[WrittenAnswer]:
        answers = []
        for name in self.item.written:
            text = nb.strings.get(name, "")
            words = 0 if text.strip().upper().startswith("TODO") else notebook.word_count(text)
            answers.append(WrittenAnswer(name=name, present=words >= self.item.written_min_words, words=words, min_words=self.item.written_min_words))
        return answers

    def _written_criteria(self) -> list[Criterion]:
        return [
            Criterion(
                id=f"written:{w.name}",
                title=f"Written answer `{w.name}` (read by your mentor)",
                points=self.item.written_points if w.present else 0.0,
                max_points=self.item.written_points,
                passed=w.present,
                feedback=f"{w.words} words; a mentor reviews the content" if w.present
                else f"{w.words} words, at least {w.min_words} needed",
                hint=None if w.present else f"Write your answer in the string `{w.name}` in the notebook, in your own words.",
                visibility="visible",
                lesson=self.report.lesson,
            )
            for w in self.report.written
        ]

    # -- verdicts --------------------------------------------------------------

    def _finish_error(self, summary: str, session: LearnerSession | None = None) -> Report:
        self.report.status = "error"
        self.report.summary = summary
        self.report.score = 0
        if session is not None:
            self.report.execution = Execution(status="skipped", message="not run: the notebook could not be loaded", output=session.output[-4000:])
        return self._stamp()

    def _finish(self, session: LearnerSession) -> Report:
        r = self.report
        total = sum(c.max_points for c in r.criteria)
        earned = sum(c.points for c in r.criteria)
        r.score = round(r.max_score * earned / total, 1) if total else 0.0
        ran = r.execution.status == "ok"
        required_ok = all(c.passed for c in r.criteria if c.required)
        enough = r.score >= r.pass_threshold * r.max_score - 1e-9
        r.status = "passed" if total and ran and required_ok and enough else "failed"
        r.summary = _summary(r, self.item, session)
        return self._stamp()

    def _stamp(self) -> Report:
        self.durations["total"] = round(time.monotonic() - self.started, 3)
        self.report.durations = self.durations
        return self.report


STUB_MARK = "NotImplementedError"


def _preimport() -> None:
    """Warm the modules hidden tests use, on a thread, while the learner process boots."""
    for name in ("pytest", "pytest_jsonreport.plugin", "pandas", "pyarrow", "numpy", "coursedata", "grading.hidden_run"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _marimo_problems(check: dict, name: str) -> str:
    issues = [i for i in check.get("issues", []) if isinstance(i, dict)]
    lines = []
    for issue in issues[:5]:
        where = f"line {issue.get('line')}" if issue.get("line") else ""
        lines.append(f"{issue.get('code', '')} {issue.get('name', '')} {where}: {issue.get('message', '')}".strip())
    detail = "; ".join(lines) or "marimo reported an error it could not describe"
    return (
        f"marimo cannot run `{name}` as a notebook: {detail}. marimo requires each name to be "
        "defined in exactly one cell and cells not to depend on each other in a cycle. Open it with "
        f"`uv run marimo edit {name}`, which highlights the problem, fix it, and check again."
    )


def _import_problem(exc: LearnerError, name: str) -> str:
    if exc.kind == "timeout":
        what = "Loading your notebook did not finish in time: code at the top level (the setup block or an @app.function's module-level code) seems to loop forever or do very heavy work."
    elif exc.kind in ("crashed", "exit"):
        what = f"Loading your notebook ended the Python process: {exc.message}."
    else:
        what = f"Loading your notebook raised an error: {exc.explain()}."
    return f"{what} The grader imports `{name}` without running its cells, so only the `with app.setup:` block and the function definitions run at this point. Fix that code and check again."


def _summary(r: Report, item: Item, session: LearnerSession) -> str:
    score = f"{r.score:g}/{r.max_score:g}"
    prov = " This score is provisional: the hidden tests were not available, so only the visible checks ran." if r.provisional else ""
    if r.status == "passed":
        misses = [c for c in r.criteria if not c.passed]
        if misses:
            return f"Passed with {score}. {len(misses)} check(s) still missed, see the hints: worth fixing before you move on.{prov}"
        return f"Passed with {score}: every check holds. Well done.{prov}"
    stubs = [c for c in r.criteria if STUB_TEXT in c.feedback or STUB_MARK in c.feedback]
    if stubs and all(c.points == 0 for c in r.criteria if c.id.startswith("test") or c.visibility == "hidden"):
        names = ", ".join(f"`{f}()`" for f in item.functions) or "the exercise"
        return (
            f"Not started yet: {names} still raise NotImplementedError (the TODO stub), so the checks score {score}. "
            f"Open `{item.path}` with `uv run marimo edit {item.path}`, replace each `raise NotImplementedError(...)` "
            f"with your implementation, then run `uv run course check {item.id}` again.{prov}"
        )
    if r.execution.status != "ok":
        return (
            f"Score {score}, but the notebook does not run top to bottom ({r.execution.message}). "
            f"A notebook that crashes cannot pass; fix the failing cell (`uv run python {item.path}` shows the traceback).{prov}"
        )
    required = [c for c in r.criteria if c.required and not c.passed]
    miss = required[0] if required else r.first_miss()
    nxt = f" Start with “{miss.title}”: {miss.hint or miss.feedback}" if miss else ""
    lesson = f" Reread {miss.lesson or r.lesson}." if miss and (miss.lesson or r.lesson) else ""
    if required and r.score >= r.pass_threshold * r.max_score:
        why = f"Score {score}, but {len(required)} required check(s) did not pass, and every required check must."
    else:
        why = f"Score {score}, below the pass mark of {r.pass_threshold * r.max_score:g}."
    return f"{why}{nxt}{lesson}{prov}"
