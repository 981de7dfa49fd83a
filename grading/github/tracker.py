"""The progress-tracker issue: its body is recomputed on every post from all recorded results
(a hidden JSON block in the body) and `course.toml`; it is never edited by deltas."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from grading.catalog import Course
from grading.checkpoints import verdicts
from grading.report import Report

MARKER = "<!-- course-tracker -->"
TITLE = "Course progress"
LABEL = "progress"
_DATA = re.compile(r"<!-- course-tracker-data\n(.*?)\n-->", re.S)
MAX_PRS_PER_ITEM = 10


class Result(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status: str = Field(pattern=r"^(passed|failed|error)$")
    score: float = Field(ge=0)
    max_score: float = Field(ge=0)
    pr: int = Field(ge=1)
    sha: str = Field(default="", pattern=r"^[0-9a-f]{0,40}$")
    provisional: bool = False
    tampered: bool = False

    @property
    def counted(self) -> bool:
        return not self.tampered


Results = dict[str, dict[str, Result]]  # item id -> PR number (str) -> latest result of that PR


def parse(body: str | None, course: Course) -> Results:
    """The stored results; anything unreadable or unknown is dropped (the body is editable)."""
    match = _DATA.search(body or "")
    if not match:
        return {}
    try:
        raw = json.loads(match.group(1))
    except ValueError:
        return {}
    out: Results = {}
    if not isinstance(raw, dict):
        return out
    for item, prs in raw.items():
        if item not in course.items or not isinstance(prs, dict):
            continue
        for pr, data in prs.items():
            try:
                out.setdefault(item, {})[str(int(pr))] = Result.model_validate(data)
            except (ValidationError, ValueError, TypeError):
                continue
    return out


def record(results: Results, report: Report, pr: int, sha: str) -> Results:
    entry = Result(status=report.status, score=report.score, max_score=report.max_score, pr=pr, sha=sha[:40],
                   provisional=report.provisional, tampered=bool(report.tampered_paths))
    prs = results.setdefault(report.item, {})
    prs[str(pr)] = entry
    while len(prs) > MAX_PRS_PER_ITEM:
        prs.pop(min(prs, key=int))
    return results


def best(prs: dict[str, Result]) -> Result | None:
    counted = [r for r in prs.values() if r.counted]
    if not counted:
        return None
    return max(counted, key=lambda r: (r.status == "passed", r.score, r.pr))


def render(course: Course, results: Results, repo_url: str = "") -> str:
    def link(pr: int) -> str:
        return f"[#{pr}]({repo_url}/pull/{pr})" if repo_url else f"#{pr}"

    passed = sum(1 for i in course.item if (b := best(results.get(i.id, {}))) and b.status == "passed")
    lines = [MARKER, f"# {TITLE}", "",
             f"**{passed} of {len(course.item)} items passed.** The course grader rewrites this issue after every graded "
             "pull request, from all recorded results and `course.toml`; edits by hand are overwritten.", ""]
    lines += _checkpoints(course, results, link)
    groups: list[tuple[str, list]] = [(f"Module {m.number} · {m.title}", [i for i in course.item if i.module == m.number]) for m in course.module]
    groups.append(("Quizzes, exams and capstone", [i for i in course.item if i.module == 0 or i.module not in course.modules]))
    for title, items in groups:
        if not items:
            continue
        lines += [f"## {title}", ""]
        for item in items:
            prs = results.get(item.id, {})
            b = best(prs)
            tampered = [r for r in prs.values() if r.tampered]
            box = "x" if b and b.status == "passed" else " "
            text = f"- [{box}] **{item.id}** {item.title}"
            if b:
                verdict = {"passed": "passed", "failed": "not passed yet", "error": "could not be graded"}[b.status]
                text += f" — {verdict}, {b.score:g}/{b.max_score:g}{' (provisional)' if b.provisional else ''} · {link(b.pr)}"
            elif item.status == "planned":
                text += " — _coming soon_"
            if tampered:
                text += " · ⚠️ not counted: " + ", ".join(link(r.pr) for r in sorted(tampered, key=lambda r: r.pr)) + " changed protected files"
            lines.append(text)
        lines.append("")
    data = {item: {pr: r.model_dump() for pr, r in sorted(prs.items(), key=lambda kv: int(kv[0]))} for item, prs in results.items()}
    # JSON of validated numbers, enums and course ids: it cannot contain `-->`.
    lines += ["<!-- course-tracker-data", json.dumps(data, sort_keys=True, separators=(",", ":")), "-->", ""]
    return "\n".join(lines)


def _checkpoints(course: Course, results: Results, link) -> list[str]:
    """The plan's checkpoints, ticked when every requirement holds for the best counted results."""
    if not course.checkpoint:
        return []
    bests = {item: b for item, prs in results.items() if (b := best(prs))}
    judged = verdicts(course, bests)
    lines = ["## Checkpoints", "", f"**{sum(v.passed for v in judged)} of {len(judged)} checkpoints passed.**", ""]
    for v in judged:
        parts = [m.text + (f" · {link(bests[m.requirement.item].pr)}" if m.requirement.item in bests else "")
                 for m in (v.requirements if v.passed else v.missing)]
        verdict = "passed" if v.passed else "missing"
        lines.append(f"- [{'x' if v.passed else ' '}] **{v.checkpoint.title}** — {verdict}: " + "; ".join(parts))
    return [*lines, ""]


def find(repo: Any, bot_check) -> Any | None:
    """The tracker issue: labelled `progress`, written by the bot, holding the marker."""
    for issue in repo.get_issues(state="all", labels=[LABEL]):
        if issue.pull_request is None and (issue.body or "").startswith(MARKER) and bot_check(issue.user):
            return issue
    return None


def ensure(repo: Any, course: Course, bot_check, repo_url: str = "", results: Results | None = None) -> tuple[Any, bool]:
    """The tracker issue, created (with `results` already in it) when there is none."""
    issue = find(repo, bot_check)
    if issue is not None:
        return issue, False
    return repo.create_issue(title=TITLE, body=render(course, results or {}, repo_url), labels=[LABEL]), True
