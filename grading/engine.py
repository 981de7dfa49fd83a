"""Grade one item: static checks, learner process, hidden and visible tests, execution, score.

    parse + marimo check → import required functions → ruff → hidden tests → visible
    tests → headless run → written answers → score by criteria

Everything the learner wrote runs in the learner process (`grading.learner`); this
process only reads files, runs our own tests, and adds up points.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from grading import notebook
from grading.catalog import Course, Item
from grading.criteria import default_title
from grading.learner import LearnerError, LearnerSession
from grading.lint import ruff
from grading.report import Criterion, Execution, Report, WrittenAnswer

Progress = Callable[[str], None]

STUB_TEXT = "still the TODO stub"


# Lowers (never raises) every item's time limit, e.g. for the test suite's hostile corpus.
TIMEOUT_ENV = "COURSE_TIMEOUT"
OUTPUT_TAIL = 4000
WRAP_UP_SECONDS = 5.0
MAX_VISIBLE_POINTS = 10.0  # per visible test, when there is no course copy of the notebook to compare with


class PlannedItem(Exception):
    """The item exists in course.toml but is not built yet."""


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


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
            func = deco.func if isinstance(deco, ast.Call) else None
            if (isinstance(func, ast.Attribute) and func.attr == "criterion") or (isinstance(func, ast.Name) and func.id == "criterion"):
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
        # The whole command, from its start to the report, fits in the item's time limit:
        # learner code gets what is left after startup, less a reserve to kill it and report.
        limit, startup = item_timeout(course, item), _since_process_start()
        self.deadline = self.started + limit - startup - min(WRAP_UP_SECONDS, 0.15 * limit)
        self.durations: dict[str, float] = {"startup": round(startup, 3)}
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
        self.machinery = machinery_uses(nb.tree)
        self.report.tampered_paths += [f"{self.report.submission}: {m}" for m in self.machinery[:10]]
        self.declared = self._canonical_visible(nb)  # static: tampering shows even if loading fails
        from grading.sandbox import isolation

        guard = None if isolation().level == "full" else _Snapshot(self.course.root, self.path)
        with LearnerSession(self.path, self.deadline) as session:
            session.plain = list(self.item.functions)
            session.start()  # the learner process boots while we import what the hidden tests need
            if not self.report.provisional:
                threading.Thread(target=_preimport, args=(self.hidden_dir,), daemon=True).start()
            report = self._grade_with(nb, session)
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
        if not isinstance(check, dict):
            check = {"errored": True, "issues": [{"message": "marimo check gave no readable answer"}]}
        if check.get("errored"):
            return self._finish_error(_marimo_problems(check, self.path.name), session)
        declared = self.declared
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
        if self.item.kind == "exam":
            from grading.exam_clock import report_criterion

            criteria.append(report_criterion(self.course, self.item, self.path))
        self.report.criteria = criteria
        return self._finish(session)

    # -- steps ---------------------------------------------------------------

    def _hidden(self, session: LearnerSession) -> list[Criterion]:
        from grading.hidden_run import run_hidden

        return run_hidden(self.hidden_dir, session, self.course, self.item)

    def _canonical_visible(self, nb: notebook.Notebook) -> dict[str, dict]:
        """The visible tests to score: the course's own, compared with the submission's.

        When the course's copy of the notebook is at hand (a submission given as a separate
        file, or a mentor's regrade), its tests and their points are the ones that count: a
        test the submission changed or removed scores nothing and is listed as tampered.
        Without it, the submission's own tests count, each worth at most MAX_VISIBLE_POINTS.
        """
        declared = visible_tests(nb)
        self.untrusted: dict[str, str] = {}  # test name -> why it is not counted
        machinery = getattr(self, "machinery", None) or []
        if machinery:
            why = ("not counted: your notebook reaches into the test machinery "
                   f"({'; '.join(machinery[:3])}), so its own tests cannot be trusted")
            self.untrusted = dict.fromkeys(declared, why)
        canonical_path = (self.course.root / self.item.path).resolve()
        if canonical_path == self.path or not canonical_path.is_file():
            if machinery:
                return declared
            for marker in declared.values():
                try:
                    marker["points"] = min(max(float(marker.get("points", 1)), 0.0), MAX_VISIBLE_POINTS)
                except (TypeError, ValueError):
                    marker["points"] = 1.0
            return declared
        try:
            canonical = notebook.read(canonical_path)
        except notebook.NotGradable:
            return declared
        course_tests = visible_tests(canonical)
        if machinery:
            self.untrusted = dict.fromkeys(course_tests, why)
        for name in course_tests:
            theirs = nb.functions.get(name)
            if theirs is None:
                self.untrusted.setdefault(name, f"the visible test `{name}` is missing from your notebook; restore it from the course's copy")
                self.report.tampered_paths.append(f"{self.report.submission}::{name} (removed)")
            elif ast.dump(theirs) != ast.dump(canonical.functions[name]):
                self.untrusted.setdefault(name, f"not counted: `{name}` differs from the course's version of this test; restore it")
                self.report.tampered_paths.append(f"{self.report.submission}::{name} (changed)")
        return course_tests

    def _visible(self, declared: dict[str, dict], session: LearnerSession) -> list[Criterion]:
        try:
            result = session.background_result("visible", timeout=min(60.0, session.remaining()))
            tests = result.get("tests") if isinstance(result, dict) else None
            if not isinstance(tests, list):
                raise LearnerError("garbled", "the visible test run returned something that is not a test report")
            outcomes = {str(t.get("name")): t for t in tests if isinstance(t, dict)}
            failure = None
        except LearnerError as exc:
            outcomes, failure = {}, exc.explain()
        criteria = []
        untrusted = getattr(self, "untrusted", {})
        for name, marker in declared.items():
            got = outcomes.get(name, {})
            passed = got.get("outcome") == "passed" and name not in untrusted
            message = untrusted.get(name) or str(got.get("message", "")) or failure or "this test did not run"
            if STUB_MARK in message:
                message = f"{STUB_TEXT}: {message}"
            try:
                points = float(marker.get("points", 1))
            except (TypeError, ValueError):
                points = 1.0
            criteria.append(
                Criterion(
                    id=name,
                    title=str(marker.get("title") or default_title(name)),
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

    def _finish_error(self, summary: str, session: LearnerSession | None = None) -> Report:
        self.report.status = "error"
        self.report.summary = summary
        self.report.score = 0
        if session is not None:
            self.report.execution = Execution(status="skipped", message="not run: the notebook could not be loaded", output=_tail(session.output))
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
        neutralise(self.report)
        return self.report


def item_timeout(course: Course, item: Item) -> float:
    """The item's time limit; the COURSE_TIMEOUT environment variable can only lower it."""
    limit = float(course.timeout(item))
    try:
        lowered = float(os.environ.get(TIMEOUT_ENV, "") or limit)
    except ValueError:
        lowered = limit
    return max(5.0, min(limit, lowered))


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


# -- learner text that reaches a terminal, a CI log or a PR comment ---------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORKFLOW_COMMAND = re.compile(r"^([^\S\n]*):(?=:)", re.MULTILINE)


def neutral_text(text: str) -> str:
    """No control characters (ANSI escapes, carriage returns) and no line that starts with `::`.

    GitHub Actions reads a line starting with `::` as a workflow command (`::error`,
    `::add-mask`, `::stop-commands`, `::set-output`); a zero-width space between the colons
    shows the same text and commands nothing.
    """
    text = _CONTROL.sub("\ufffd", text.replace("\r\n", "\n"))
    return _WORKFLOW_COMMAND.sub("\\1:\u200b", text)


def neutralise(model: object) -> None:
    """Apply `neutral_text` to every string in a report, in place."""
    from pydantic import BaseModel

    if not isinstance(model, BaseModel):
        return
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, str):
            setattr(model, name, neutral_text(value))
        elif isinstance(value, BaseModel):
            neutralise(value)
        elif isinstance(value, list):
            cleaned = []
            for v in value:
                if isinstance(v, BaseModel):
                    neutralise(v)
                cleaned.append(neutral_text(v) if isinstance(v, str) else v)
            setattr(model, name, cleaned)


# -- reaching into the test machinery ---------------------------------------------------

_MACHINERY_MODULES = ("_pytest", "pluggy", "pytest_jsonreport", "builtins", "ctypes", "gc", "importlib",
                      "marimo._", "grading")
_ALLOWED_MODULES = ("grading.criteria",)
_MACHINERY_NAMES = {"__builtins__", "__import__", "exec", "eval", "compile", "globals", "breakpoint"}
_MACHINERY_ATTRS = {("sys", "modules"), ("sys", "settrace"), ("sys", "setprofile"), ("sys", "_getframe"),
                    ("sys", "meta_path"), ("sys", "path_hooks"), ("sys", "excepthook")}


def machinery_uses(tree: ast.Module) -> list[str]:
    """Where a notebook reaches into pytest, the grader or the interpreter's internals.

    Exercise code never needs any of this; a notebook that does so could forge its own
    visible test results in its own process, so those are not counted (hidden tests run in
    the grader and are unaffected). A static scan: it catches the plain attempts; docs/security.md
    says why the hidden tests are the real guarantee.
    """
    found: list[str] = []
    imported: set[str] = set()

    def bad_module(name: str) -> bool:
        return name not in _ALLOWED_MODULES and any(
            name == m or name.startswith(m if m.endswith("_") else m + ".") for m in _MACHINERY_MODULES)

    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Import):
            for alias in node.names:
                imported.add((alias.asname or alias.name).split(".")[0])
                if bad_module(alias.name):
                    found.append(f"imports `{alias.name}` at line {line}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                imported.add(alias.asname or alias.name)
            full = [f"{node.module}.{a.name}" for a in node.names]
            if bad_module(node.module) and not all(f in _ALLOWED_MODULES or node.module in _ALLOWED_MODULES for f in full):
                found.append(f"imports from `{node.module}` at line {line}")
        elif isinstance(node, ast.Name) and node.id in _MACHINERY_NAMES:
            found.append(f"uses `{node.id}` at line {line}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in _MACHINERY_ATTRS:
                found.append(f"uses `{node.value.id}.{node.attr}` at line {line}")
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        if isinstance(node, ast.Delete):
            targets = node.targets
        for target in targets:
            root = target
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(target, ast.Attribute) and isinstance(root, ast.Name) and root.id in imported:
                found.append(f"changes `{ast.unparse(target)}` at line {line}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr", "getattr") and node.args:
            first = node.args[0]
            literal = len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
            if isinstance(first, ast.Name) and first.id in imported and (node.func.id != "getattr" or not literal):
                found.append(f"calls `{node.func.id}` on module `{first.id}` at line {line}")
    return list(dict.fromkeys(found))


class _Snapshot:
    """Size and mtime of the protected files, for machines without a read-only sandbox."""

    FOLDERS = ("grading", "tests", ".github", "modules", "data")

    def __init__(self, root: Path, submission: Path):
        self.root, self.submission = root, submission
        self.before = self._take()

    def _take(self) -> dict[str, tuple[int, int]]:
        out = {}
        for folder in self.FOLDERS:
            for dirpath, dirnames, filenames in os.walk(self.root / folder):
                dirnames[:] = [d for d in dirnames if d not in ("__pycache__", "generated", "__marimo__")]
                for f in filenames:
                    path = Path(dirpath) / f
                    if path == self.submission:
                        continue
                    try:
                        st = path.stat()
                    except OSError:
                        continue
                    out[str(path.relative_to(self.root))] = (st.st_size, st.st_mtime_ns)
        return out

    def changed(self) -> list[str]:
        after = self._take()
        return sorted(p for p in self.before.keys() | after.keys() if self.before.get(p) != after.get(p))


STUB_MARK = "NotImplementedError"


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


def _preimport(hidden_dir: Path) -> None:
    """Warm the modules hidden tests use, on a thread, while the learner process boots."""
    for name in ("pytest", "pytest_jsonreport.plugin", "pyarrow", "grading.hidden_run", *_hidden_imports(hidden_dir)):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - warming is best effort; the tests report real import errors
            pass


def _marimo_problems(check: dict, name: str) -> str:
    issues = check.get("issues")
    issues = [i for i in issues if isinstance(i, dict)] if isinstance(issues, list) else []
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
