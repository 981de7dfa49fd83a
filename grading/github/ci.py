"""`course ci --out DIR`: grade the items a pull request changes, inside GitHub Actions.

Reads the `pull_request` event, lists the changed files (REST API, paginated; `git diff
base...head` when the API cannot be reached), grades each changed item with the same engine
as `course check`, and writes DIR/<id>.json, DIR/meta.json, the job summary and annotations.
A PR that touches protected paths is graded but marked tampered. Exit 0 unless the grader
itself failed (3).
"""

from __future__ import annotations

import ast
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from grading.catalog import Course, Item
from grading.github import hidden
from grading.github.artifact import META, Meta
from grading.github.common import Summary, command, emit, read_event, write_json
from grading.github.protect import changed_tests, is_protected
from grading.report import Report

MAX_ANNOTATIONS = 10  # GitHub shows at most 10 error annotations per step
API_FILES_CAP = 3000  # GET /pulls/{n}/files lists at most 3000 files


@dataclass
class PullRequest:
    number: int | None
    base_sha: str | None
    head_sha: str
    repo: str


@dataclass
class Changes:
    files: list[str] = field(default_factory=list)
    source: str = "none"
    note: str = ""


def pull_request_from_event(event: dict) -> PullRequest:
    pr = event.get("pull_request")
    if not isinstance(pr, dict):
        raise ValueError("the event is not a pull_request event (no `pull_request` object)")
    repo = (event.get("repository") or {}).get("full_name") or os.environ.get("GITHUB_REPOSITORY", "")
    return PullRequest(
        number=int(event.get("number") or pr.get("number") or 0) or None,
        base_sha=(pr.get("base") or {}).get("sha"),
        head_sha=(pr.get("head") or {}).get("sha") or os.environ.get("GITHUB_SHA", ""),
        repo=repo,
    )


def changed_files_api(pr: PullRequest) -> list[str]:
    from grading.github.common import client

    gh = client(os.environ.get("GITHUB_TOKEN") or None, os.environ.get("GITHUB_API_URL"))
    pull = gh.get_repo(pr.repo).get_pull(pr.number)
    files: list[str] = []
    for f in pull.get_files():  # paginated (Link headers), up to GitHub's 3000 files
        files.append(f.filename)
        if f.previous_filename:
            files.append(f.previous_filename)
    return files


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=60).stdout


def changed_files_git(root: Path, pr: PullRequest) -> list[str]:
    if not pr.base_sha:
        raise ValueError("the event has no base SHA")
    out = _git(root, "diff", "--name-only", "--no-renames", "-z", f"{pr.base_sha}...{pr.head_sha}")
    return [f for f in out.split("\0") if f]


class ChangeFinder:
    """The PR's changed files. The REST API's list is the reference; it is fetched in a thread
    (importing PyGithub and the round trips take a second or two) while grading starts from
    the local `git diff base...head`, which is also the fallback when the API is unreachable."""

    def __init__(self, root: Path, pr: PullRequest):
        self.root, self.pr = root, pr
        self._api: list[str] | None = None
        self._api_error = ""
        self._thread: threading.Thread | None = None
        self._git: list[str] | None = None
        self._git_error = ""

    def start(self) -> ChangeFinder:
        if self.pr.number and self.pr.repo and os.environ.get("COURSE_CI_NO_API") != "1":
            self._thread = threading.Thread(target=self._list_api, daemon=True)
            self._thread.start()
        else:
            self._api_error = "the API was not asked (no PR number or repository in the event); "
        try:
            self._git = sorted(set(changed_files_git(self.root, self.pr)))
        except Exception as exc:  # noqa: BLE001
            self._git_error = f"git diff failed ({type(exc).__name__}: {str(exc)[:160]})"
        return self

    def _list_api(self) -> None:
        try:
            self._api = sorted(set(changed_files_api(self.pr)))
        except Exception as exc:  # noqa: BLE001 - fall back to git
            self._api_error = f"the API did not list the changed files ({type(exc).__name__}: {str(exc)[:160]}); "

    def early(self) -> list[str]:
        """Files to start grading with: git's list, or the API's when git has none."""
        return self._git if self._git is not None else self.final().files

    def final(self) -> Changes:
        if self._thread is not None:
            self._thread.join(timeout=180)
        if self._api is not None:
            if len(self._api) >= API_FILES_CAP and self._git:  # the API lists at most 3000 files
                return Changes(sorted(set(self._api) | set(self._git)), "api", "over 3000 changed files: git's list added")
            return Changes(self._api, "api")
        if self._git is not None:
            return Changes(self._git, "git", self._api_error.strip())
        return Changes([], "none", f"{self._api_error}{self._git_error}")


def find_changes(root: Path, pr: PullRequest) -> Changes:
    return ChangeFinder(root, pr).start().final()


def items_of(course: Course, files: list[str]) -> list[Item]:
    """The items these files belong to, in course.toml order."""
    found = {item.id: item for path in files if (item := course.item_for_path(path))}
    return [course.items[i] for i in course.items if i in found]


def base_source(root: Path, pr: PullRequest, path: str) -> str | None:
    if not pr.base_sha:
        return None
    try:
        return _git(root, "show", f"{pr.base_sha}:{path}")
    except (OSError, subprocess.SubprocessError):
        pass
    if os.environ.get("COURSE_CI_NO_API") == "1" or not pr.repo:
        return None
    try:
        from grading.github.common import client

        gh = client(os.environ.get("GITHUB_TOKEN") or None, os.environ.get("GITHUB_API_URL"))
        content = gh.get_repo(pr.repo).get_contents(path, ref=pr.base_sha)
        return content.decoded_content.decode("utf-8", "replace")  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - a new file has no base
        return None


def tampered_tests(root: Path, pr: PullRequest, item: Item) -> list[str]:
    """Visible tests of the released notebook that the PR removed or changed."""
    if not item.is_notebook:
        return []
    before = base_source(root, pr, item.path)
    if before is None:
        return []
    try:
        after = (root / item.path).read_text(encoding="utf-8")
    except OSError:
        after = ""
    return changed_tests(item.path, before, after)


def _def_line(path: Path, name: str) -> int | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return node.lineno
    return None


def annotations(report: Report, root: Path) -> list[str]:
    file = report.submission
    lines: list[str] = []
    if report.status == "error":
        lines.append(command("error", report.summary, file=file, title=f"{report.item}: could not be graded"))
    if report.execution.status in ("failed", "timeout"):
        lines.append(command("error", report.execution.message, file=file, title=f"{report.item}: the notebook crashed"))
    for c in report.criteria:
        if c.visibility == "visible" and not c.passed and c.id.startswith("test"):
            line = _def_line(root / file, c.id)
            text = c.feedback + (f" Hint: {c.hint}" if c.hint else "")
            lines.append(command("error", text, file=file, line=line, title=f"{report.item}: {c.title}"))
    for f in report.lint.findings:
        lines.append(command("error", f.message, file=file, line=f.line, col=f.column, title=f"ruff {f.code}"))
    for p in report.tampered_paths:
        lines.append(command("warning", "protected file changed: the score is not counted until a mentor regrades",
                             file=p.split("::")[0], title=f"{report.item}: protected path"))
    return lines[:MAX_ANNOTATIONS]


def fetch_only(course: Course) -> int:
    status, detail = hidden.fetch(course)
    emit(f"hidden tests: {status}{': ' + detail if detail else ''}")
    return 0


def run(course: Course, out: Path) -> int:
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    summary.add("## Course grader")
    try:
        event = read_event()
        pr = pull_request_from_event(event)
    except (ValueError, OSError) as exc:
        emit(command("error", f"course ci: {exc}"))
        summary.line(f"The grader could not start: {exc}")
        summary.flush()
        return 2

    meta = Meta(pr=pr.number, head_sha=pr.head_sha if len(pr.head_sha) == 40 else "0" * 40,
                base_sha=pr.base_sha if pr.base_sha and len(pr.base_sha) == 40 else None)
    write_json(out / META, meta.model_dump())  # something to upload whatever happens next
    fault = False
    try:
        finder = ChangeFinder(course.root, pr).start()
        hstatus, hdetail = hidden.fetch(course)
        meta.hidden_tests = hstatus  # type: ignore[assignment]
        graded: dict[str, tuple[Report, str | None, float]] = {}

        def grade(files: list[str]) -> None:
            from grading.run import grade_safely

            for item in items_of(course, files):
                if item.id not in graded:
                    t = time.monotonic()
                    report, item_fault = grade_safely(course, item, None)
                    graded[item.id] = (report, item_fault, time.monotonic() - t)

        grade(finder.early())
        changes = finder.final()
        grade(changes.files)  # anything the API lists that git did not
        meta.changed_files, meta.changed_files_source = len(changes.files), changes.source  # type: ignore[assignment]
        protected = sorted({p for p in changes.files if is_protected(p)})
        items = items_of(course, changes.files) or [course.items[i] for i in graded]
        meta.items = [i.id for i in items]
        meta.tampered_paths = protected[:200]
        notes = [changes.note] if changes.note else []
        if hstatus in ("not configured", "failed"):
            notes.append(f"Scores are provisional: only the visible checks ran ({hdetail or hstatus}).")
        if not items:
            notes.append("This pull request changes no exercise file listed in course.toml, so nothing was graded.")
        meta.note = " ".join(notes)[:2000]

        from grading.render import md, to_markdown

        for item in items:
            report, item_fault, seconds = graded[item.id]
            if item_fault and item_fault != "planned":
                fault = True
                what = "the runner was too busy to grade; rerun the job" if item_fault == "busy" else item_fault.strip().splitlines()[-1]
                emit(command("error", what, title=f"{item.id}: no verdict (not your fault)"))
            report.tampered_paths = sorted(set(protected) | set(tampered_tests(course.root, pr, item)))[:200]
            if report.provisional and hstatus == "failed":
                report.summary += f" (The hidden tests could not be fetched: {hdetail})"
            report.write(out / f"{item.id}.json")
            emit(f"{item.id}: {report.status} {report.score:g}/{report.max_score:g}"
                 f"{' provisional' if report.provisional else ''}{' TAMPERED' if report.tampered_paths else ''}"
                 f" ({seconds:.1f} s)")
            for line in annotations(report, course.root):
                emit(line)
            summary.add(to_markdown(report, course))
        if meta.note:
            summary.add(f"> {md(meta.note, 2000)}")
    except Exception as exc:  # noqa: BLE001 - the artifact still says what happened
        import traceback

        fault = True
        meta.note = f"the grader failed: {type(exc).__name__}: {str(exc)[:300]}"
        emit(command("error", meta.note))
        from grading.render import md

        summary.add(f"⚠️ The grader itself failed; this is not your fault. {md(meta.note, 400)}")
        for line in traceback.format_exc().splitlines():
            emit("| " + line)  # never at the start of a line: not a workflow command
    meta.grader_fault = fault
    write_json(out / META, meta.model_dump())
    summary.line(f"\n<sub>graded in {time.monotonic() - started:.1f} s</sub>")
    summary.flush()
    return 3 if fault else 0
