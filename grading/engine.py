"""Grade one item: the pipeline of DESIGN.md section 6.

    parse + marimo check → import required functions → ruff → hidden tests → visible
    tests → headless run → written answers → score by criteria

Everything the learner wrote runs in the learner process (`grading.learner`), within the
item's CPU budget (`grading.budget`); this process only reads files, runs our own tests,
and adds up points. A machine too busy to finish gives no verdict (`MachineBusy`), and a
bug in our own tests is a grader fault (`GraderFault`): neither is ever the learner's score.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from grading import notebook, summary, visible_checks
from grading.budget import MachineBusy
from grading.catalog import Course, Item
from grading.learner import LearnerError, LearnerSession
from grading.lint import ruff
from grading.neutral import neutralise
from grading.report import Criterion, Execution, Report, WrittenAnswer
from grading.tamper import Snapshot, machinery_uses

Progress = Callable[[str], None]

# Lowers (never raises) every item's CPU budget, e.g. for the test suite's hostile corpus.
TIMEOUT_ENV = "COURSE_TIMEOUT"
OUTPUT_TAIL = 4000


class PlannedItem(Exception):
    """The item exists in course.toml but is not built yet."""


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


class Grader:
    """Grades one submission of one item. Use `grade()`."""

    def __init__(self, course: Course, item: Item, submission: Path | None, progress: Progress | None = None):
        self.course, self.item = course, item
        self.path = (submission or course.root / item.path).resolve()
        self.progress = progress or (lambda _msg: None)
        self.started = time.monotonic()
        self.budget = item_budget(course, item)  # CPU seconds for the learner's code
        self.durations: dict[str, float] = {"startup": round(_since_process_start(), 3)}
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
        if self.item.kind == "capstone":  # a folder, graded through a probe notebook (grading/capstone_item.py)
            from grading.capstone_item import grade_capstone

            return grade_capstone(self)
        t = time.monotonic()
        self.progress("reading the notebook")
        try:
            nb = notebook.read(self.path)
        except notebook.NotGradable as exc:
            return self._finish_error(str(exc))
        self._timed("static", t)
        machinery = machinery_uses(nb.tree)
        self.report.tampered_paths += [f"{self.report.submission}: {m}" for m in machinery[:10]]
        # Static: tampering with the visible tests shows even if loading fails.
        self.visible = visible_checks.plan(nb, self.path, (self.course.root / self.item.path).resolve(), self.report.submission, machinery)
        self.report.tampered_paths += self.visible.tampered
        from grading.sandbox import isolation

        guard = None if isolation().level == "full" else Snapshot(self.course.root, self.path)
        with LearnerSession(self.path, self.budget) as session:
            session.plain = list(self.item.functions)
            session.start()  # the learner process boots while we import what the hidden tests need
            if not self.report.provisional:
                from grading.hidden_run import preimport

                threading.Thread(target=preimport, args=(self.hidden_dir,), daemon=True).start()
            try:
                report = self._grade_with(nb, session)
            except MachineBusy as exc:
                return self._finish_busy(exc)
        if guard is not None and (changed := guard.changed()):
            # No read-only sandbox here: detect what the learner's code changed, and void the grade.
            self.report.tampered_paths = sorted({*self.report.tampered_paths, *changed})
            self.report.criteria = []
            return self._finish_error(
                f"Your code changed files outside your notebook while it was graded ({', '.join(changed[:5])}), "
                "so this grade does not count. Restore them (`git checkout -- .`), remove the code that writes "
                "them, and check again."
            )
        return report

    def _grade_with(self, nb: notebook.Notebook, session: LearnerSession) -> Report:
        t = time.monotonic()
        self.progress("running ruff")
        self.report.lint = ruff(self.path, self.course.root, as_path=self.course.root / self.item.path)
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
            return self._finish_error(summary.import_problem(exc.kind, exc.message, exc.explain(), self.path.name), session)
        self._timed("load", t)
        if not isinstance(check, dict):
            check = {"errored": True, "issues": [{"message": "marimo check gave no readable answer"}]}
        if check.get("errored"):
            return self._finish_error(summary.marimo_problems(check, self.path.name), session)
        session.start_background()

        criteria: list[Criterion] = []
        if not self.report.provisional:
            t = time.monotonic()
            self.progress("running hidden tests")
            from grading.hidden_run import run_hidden

            criteria += run_hidden(self.hidden_dir, session, self.course, self.item)
            self._timed("hidden_tests", t)

        t = time.monotonic()
        self.progress("running your visible tests")
        criteria += self._visible(session)
        self._timed("visible_tests", t)

        t = time.monotonic()
        self.progress("running the notebook top to bottom")
        self.report.execution = self._execute(session)
        self._timed("execution", t)

        criteria += self._written_criteria()
        if self.item.kind == "exam":
            from grading.exam_clock import report_criterion

            criteria.append(report_criterion(self.course, self.item, self.path))
        self.report.criteria = criteria
        return self._finish()

    # -- steps ---------------------------------------------------------------

    def _visible(self, session: LearnerSession) -> list[Criterion]:
        try:
            result = session.background_result("visible", self.budget)
            tests = result.get("tests") if isinstance(result, dict) else None
            if not isinstance(tests, list):
                raise LearnerError("garbled", "the visible test run returned something that is not a test report")
            outcomes = {str(t.get("name")): t for t in tests if isinstance(t, dict)}
            failure = None
        except LearnerError as exc:
            outcomes, failure = {}, exc.explain()
        return visible_checks.criteria(self.visible, outcomes, failure)

    def _execute(self, session: LearnerSession) -> Execution:
        t = time.monotonic()
        try:
            session.background_result("run", self.budget)
        except LearnerError as exc:
            status = "timeout" if exc.kind == "timeout" else "failed"
            return Execution(
                status=status,
                seconds=round(time.monotonic() - t, 2),
                message=f"running the notebook top to bottom failed: {exc.explain()}",
                output=_tail(session.output),
            )
        return Execution(status="ok", seconds=round(time.monotonic() - t, 2), message="the notebook runs top to bottom", output=_tail(session.output))

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

    def _finish_error(self, text: str, session: LearnerSession | None = None) -> Report:
        self.report.status = "error"
        self.report.summary = text
        self.report.score = 0
        if session is not None:
            self.report.execution = Execution(status="skipped", message="not run: the notebook could not be loaded", output=_tail(session.output))
        return self._stamp()

    def _finish_busy(self, exc: MachineBusy) -> Report:
        """No verdict: the learner's code did not get the CPU it was promised."""
        r = self.report
        r.status, r.fault, r.score, r.criteria = "error", "busy", 0, []
        r.execution = Execution(status="skipped", message="not run: the machine was too busy")
        r.summary = summary.busy(self.item, exc.explain())
        return self._stamp()

    def _finish(self) -> Report:
        r = self.report
        total = sum(c.max_points for c in r.criteria)
        earned = sum(c.points for c in r.criteria)
        if r.provisional:
            # Only the visible share of the item could be checked here: say how much, never "100/100".
            hidden = hidden_points(self.course, self.item)
            whole = total + hidden if hidden is not None else total
            r.checked_score = round(r.max_score * total / whole, 1) if whole else 0.0
            r.score = round(r.max_score * earned / whole, 1) if whole else 0.0
            enough = earned >= total - 1e-9
        else:
            r.score = round(r.max_score * earned / total, 1) if total else 0.0
            enough = r.score >= r.pass_threshold * r.max_score - 1e-9
        ran = r.execution.status == "ok"
        required_ok = all(c.passed for c in r.criteria if c.required)
        r.status = "passed" if total and ran and required_ok and enough else "failed"
        r.summary = summary.summary(r, self.item)
        return self._stamp()

    def _stamp(self) -> Report:
        self.durations["total"] = round(time.monotonic() - self.started, 3)
        self.report.durations = self.durations
        neutralise(self.report)
        return self.report


def item_budget(course: Course, item: Item) -> float:
    """The item's CPU budget (`timeout` in course.toml); COURSE_TIMEOUT can only lower it."""
    limit = float(course.timeout(item))
    try:
        lowered = float(os.environ.get(TIMEOUT_ENV, "") or limit)
    except ValueError:
        lowered = limit
    return max(5.0, min(limit, lowered))


def hidden_points(course: Course, item: Item) -> float | None:
    """Points of the hidden checks, as recorded in the release (`grading/hidden_points.json`)."""
    import json

    try:
        data = json.loads((course.root / "grading" / "hidden_points.json").read_text(encoding="utf-8"))
        return float(data[item.id])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _since_process_start() -> float:
    """Seconds since this process started (imports included), 0 where unknown."""
    try:
        with open("/proc/self/stat", "rb") as f:
            start_ticks = int(f.read().rsplit(b")", 1)[1].split()[19])
        with open("/proc/uptime", "rb") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, min(30.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK")))
    except (OSError, ValueError, IndexError):
        return 0.0


def _tail(text: str, limit: int = OUTPUT_TAIL) -> str:
    if len(text) <= limit:
        return text
    return f"[... {len(text) - limit:,} earlier characters not shown ...]\n" + text[-limit:]
