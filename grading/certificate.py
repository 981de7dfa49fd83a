"""`course certificate`: the completion record a mentor issues after `course regrade`.

Design choices:
- The canonical results are the regrade's reports (`course regrade PATH --json DIR` writes one
  `<item id>.json` per item), never the learner's own CI results or `.course/` files, which the
  learner controls. The mentor passes that folder with `--reports DIR`.
- The mentor's approval is recorded by the mentor running the command: `--mentor LOGIN`, where
  LOGIN must be listed in course.toml `[course] mentors`; the record names that mentor. Offline
  and testable; no PR review is read.
- Eligible when every ready item's canonical result passed (and is not provisional), every
  `[[checkpoint]]` passes (grading/checkpoints.py, judged on the same reports), the capstone scores
  strictly above 80 % of its points, and a listed mentor approves. Otherwise nothing is written and
  `missing` lists each reason precisely.
- Skills come from course.toml `[[skill]]` (the plan's certification checklist), each backed by the
  items that prove it, with the item's canonical score.
- Learner-provided strings (the name from the checkout's last commit) are made neutral and escaped
  for Markdown and HTML before they reach either rendering.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from grading.catalog import Course
from grading.checkpoints import judge
from grading.neutral import neutral_text
from grading.report import Report

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape(text: str) -> str:
    """Learner text as inert Markdown: one line, HTML entities for <>&, backslashes for Markdown syntax."""
    text = " ".join(neutral_text(text).split())
    text = html.escape(text, quote=False)  # entities without `#`, which the next line would break
    return _MD_SPECIAL.sub(r"\\\1", text)


def load_reports(reports_dir: Path) -> dict[str, Report]:
    """The regrade's reports by item id (the file name is not trusted: the report's own `item`)."""
    out: dict[str, Report] = {}
    for path in sorted(reports_dir.glob("*.json")):
        report = Report.read(path)
        out[report.item] = report
    return out


def _got(r: Report) -> str:
    share = r.score / r.max_score * 100 if r.max_score else 0.0
    return f"{r.score:g}/{r.max_score:g}, {share:.0f} %"


@dataclass
class Eligibility:
    missing: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.missing


def eligibility(course: Course, reports: dict[str, Report], mentor: str | None) -> Eligibility:
    result = Eligibility()
    for item in course.item:
        if item.status != "ready" and item.kind != "capstone":
            continue
        r = reports.get(item.id)
        if r is None:
            result.missing.append(f"item {item.id}: no canonical result (run `course regrade --json`)")
        elif r.provisional:
            result.missing.append(f"item {item.id}: provisional result {_got(r)}, graded without the hidden tests")
        elif item.kind == "capstone":
            share, bar = (r.score / r.max_score if r.max_score else 0.0), course.threshold(item)  # course.toml's pass mark
            if not share > bar:
                result.missing.append(f"capstone: {_got(r)}, needs above {bar * 100:g} %")
        elif not r.passed:
            result.missing.append(f"item {item.id}: {r.status}, {_got(r)}")
    for cp in course.checkpoint:
        for met in (judge(req, reports.get(req.item)) for req in cp.requires):
            if not met.met:
                result.missing.append(f"{cp.id}: {met.text}")
    if mentor is None:
        result.missing.append("no mentor approval (run with --mentor LOGIN)")
    elif mentor not in course.course.mentors:
        listed = ", ".join(course.course.mentors) or "none"
        result.missing.append(f"no mentor approval: {escape(mentor)} is not in course.toml mentors ({listed})")
    return result


def learner_name(learner: Path) -> str:
    """The author of the checkout's last commit (learner-provided: escape before use)."""
    try:
        out = subprocess.run(["git", "-C", str(learner), "log", "-1", "--format=%an <%ae>"],
                             capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return learner.name
    return out.stdout.strip() or learner.name


def render(course: Course, reports: dict[str, Report], learner: str, mentor: str, when: datetime) -> str:
    lines = [
        f"# Certificate of completion: {escape(course.course.title)}",
        "",
        f"- Learner: {escape(learner)}",
        f"- Approved by mentor: {escape(mentor)}",
        f"- Issued: {when:%Y-%m-%d %H:%M} UTC",
        "",
        "## Results (canonical regrade)",
        "",
        "| Item | Title | Score |",
        "|---|---|---|",
    ]
    for item in course.item:
        if r := reports.get(item.id):
            lines.append(f"| {item.id} | {escape(item.title)} | {_got(r)} |")
    lines += ["", "## Checkpoints", ""]
    for cp in course.checkpoint:
        texts = "; ".join(judge(req, reports.get(req.item)).text for req in cp.requires)
        lines.append(f"- {escape(cp.title)}: passed ({escape(texts)})")
    lines += ["", "## Skills", ""]
    for skill in course.skill:
        proofs = ", ".join(f"{i} ({_got(reports[i])})" for i in skill.items if i in reports)
        lines.append(f"- {escape(skill.title)}: proved by {proofs}")
    return "\n".join(lines) + "\n"


def to_html(markdown_text: str, title: str) -> str:
    import markdown  # a dependency of mkdocs, already in uv.lock

    body = markdown.markdown(markdown_text, extensions=["tables"])
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>\n'
            f"<body>\n{body}\n</body></html>\n")


def main(course: Course, learner: Path, *, reports_dir: Path, mentor: str | None, out_dir: Path,
         console, when: datetime | None = None) -> int:
    """Exit codes: 0 issued, 1 not eligible (with what is missing), 2 usage."""
    if not learner.is_dir():
        console.print(f"{learner} is not a folder.", markup=False)
        return 2
    if not reports_dir.is_dir():
        console.print(f"{reports_dir}: no such folder of regrade reports (`course regrade PATH --json DIR`).", markup=False)
        return 2
    try:
        reports = load_reports(reports_dir)
    except ValueError as exc:
        console.print(f"{reports_dir}: unreadable report: {exc}", markup=False)
        return 2
    verdict = eligibility(course, reports, mentor)
    if not verdict.eligible:
        console.print("Not eligible for a certificate. Missing:", markup=False)
        for m in verdict.missing:
            console.print(f"  - {m}", markup=False)
        return 1
    assert mentor is not None
    text = render(course, reports, learner_name(learner), mentor, when or datetime.now(UTC))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "certificate.md").write_text(text, encoding="utf-8")
    (out_dir / "certificate.html").write_text(to_html(text, "Certificate of completion"), encoding="utf-8")
    console.print(f"Certificate issued: {out_dir / 'certificate.md'} and certificate.html", markup=False)
    return 0
