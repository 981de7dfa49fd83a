"""The labels the grader uses. `.github/labels.yml` in the release is written from here."""

from __future__ import annotations

from pathlib import Path

from grading.catalog import Course

KIND_COLORS = {"exercise": "1d76db", "challenge": "5319e7", "quiz": "0e8a16", "exam": "b60205", "capstone": "d93f0b"}


def labels(course: Course) -> list[dict[str, str]]:
    out = [{"name": kind, "color": color, "description": f"a pull request that submits a course {kind}"}
           for kind, color in KIND_COLORS.items()]
    out += [{"name": f"module-{m.number}", "color": "c5def5", "description": f"Module {m.number}: {m.title}"} for m in course.module]
    out += [
        {"name": "passed", "color": "0e8a16", "description": "the grader's verdict: passed"},
        {"name": "needs-work", "color": "fbca04", "description": "the grader's verdict: not passed yet"},
        {"name": "tampered", "color": "b60205", "description": "changes protected files: not counted until a mentor regrades"},
        {"name": "provisional", "color": "ededed", "description": "graded without the hidden tests"},
        {"name": "mentor-review", "color": "d4c5f9", "description": "waiting for a mentor's review"},
        {"name": "progress", "color": "ededed", "description": "the progress tracker issue"},
        {"name": "reflection", "color": "f9d0c4", "description": "weekly reflection"},
        {"name": "journal", "color": "f9d0c4", "description": "learning journal entry"},
        {"name": "help", "color": "d876e3", "description": "a learner asks for help"},
    ]
    return out


def to_yaml(course: Course) -> str:
    lines = ["# Labels of the course grader; the setup workflow creates them (written by `course release`)."]
    for label in labels(course):
        lines += [f"- name: \"{label['name']}\"", f"  color: \"{label['color']}\"", f"  description: \"{label['description']}\""]
    return "\n".join(lines) + "\n"


def read_yaml(path: Path, course: Course) -> list[dict[str, str]]:
    """The labels file when it is readable, else the defaults."""
    try:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        good = [{"name": str(d["name"]), "color": str(d.get("color", "ededed")).lstrip("#"), "description": str(d.get("description", ""))}
                for d in data if isinstance(d, dict) and d.get("name")]
        return good or labels(course)
    except (OSError, ValueError, TypeError, ImportError):
        return labels(course)
