"""Files the release adds for learners: the grading workflows and the GitHub furniture.

The workflows and templates live as files under `grading/github/templates/`; CODEOWNERS and
the labels file are derived from `course.toml`. They overwrite any file of the source's own
`.github/` at the same path (the source's CI is never released: see release.py).
"""

from __future__ import annotations

from pathlib import Path

from grading.catalog import Course

TEMPLATES = Path(__file__).parent / "github" / "templates"

# template file -> path in the learner repository
STATIC = {
    "workflows/grade.yml": ".github/workflows/grade.yml",
    "workflows/report.yml": ".github/workflows/report.yml",
    "workflows/setup.yml": ".github/workflows/setup.yml",
    "pull_request_template.md": ".github/pull_request_template.md",
    "PULL_REQUEST_TEMPLATE/exercise.md": ".github/PULL_REQUEST_TEMPLATE/exercise.md",
    "PULL_REQUEST_TEMPLATE/capstone.md": ".github/PULL_REQUEST_TEMPLATE/capstone.md",
    "ISSUE_TEMPLATE/config.yml": ".github/ISSUE_TEMPLATE/config.yml",
    "ISSUE_TEMPLATE/weekly-reflection.md": ".github/ISSUE_TEMPLATE/weekly-reflection.md",
    "ISSUE_TEMPLATE/help-request.md": ".github/ISSUE_TEMPLATE/help-request.md",
    "ISSUE_TEMPLATE/learning-journal.md": ".github/ISSUE_TEMPLATE/learning-journal.md",
}


def codeowners(course: Course) -> str:
    lines = ["# Code owners of the learner repository (written by `course release` from course.toml).",
             "# Mentors own the capstone, so GitHub asks them to review it; code owners need write access."]
    mentors = " ".join(f"@{m.lstrip('@')}" for m in course.course.mentors)
    capstone = next((i.path for i in course.item if i.kind == "capstone"), "capstone/")
    if mentors:
        lines += [f"/{capstone} {mentors}", f"/.github/ {mentors}", f"/grading/ {mentors}", f"/tests/ {mentors}"]
    else:
        lines.append("# No mentors yet: set `mentors` in course.toml's [course] table and release again.")
    return "\n".join(lines) + "\n"


def learner_files(course: Course) -> dict[str, str]:
    from grading.github.labels import to_yaml

    files = {dst: (TEMPLATES / src).read_text(encoding="utf-8") for src, dst in STATIC.items()}
    files[".github/CODEOWNERS"] = codeowners(course)
    files[".github/labels.yml"] = to_yaml(course)
    return files


def write_learner_files(course: Course, out: Path) -> list[str]:
    written = []
    for rel, text in learner_files(course).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    return written
