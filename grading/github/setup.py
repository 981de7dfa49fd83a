"""`python -m grading.github.setup`, run by setup.yml on the first push of a repository made
from the course template: create (or update) the labels and the progress-tracker issue.
Idempotent; does nothing in the template repository itself."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from grading.catalog import Course
from grading.github import tracker
from grading.github.common import Summary, client, command, emit
from grading.github.labels import read_yaml
from grading.github.post import _explain, is_bot


def run(course: Course) -> int:
    summary = Summary()
    summary.add("## Course setup")
    repo_name = os.environ.get("GITHUB_REPOSITORY", "")
    server_url = os.environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    gh = client(os.environ.get("GITHUB_TOKEN") or None, os.environ.get("GITHUB_API_URL"), lazy=False)
    try:
        repo = gh.get_repo(repo_name)
        if repo.is_template or repo.template_repository is None:
            summary.line("- this is the course template (or not a repository made from it): nothing to set up")
            summary.flush()
            return 0
        existing = {label.name: label for label in repo.get_labels()}
        for spec in read_yaml(course.root / ".github" / "labels.yml", course):
            label = existing.get(spec["name"])
            if label is None:
                repo.create_label(spec["name"], spec["color"], spec["description"])
            elif (label.color, label.description or "") != (spec["color"], spec["description"]):
                label.edit(spec["name"], spec["color"], spec["description"])
        summary.line("- labels created or updated")
        issue, created = tracker.ensure(repo, course, is_bot, f"{server_url}/{repo_name}")
        summary.line(f"- progress tracker #{issue.number} {'created' if created else 'already there'}")
    except Exception as exc:  # noqa: BLE001
        why = _explain(exc)
        summary.line(f"- ❌ setup failed: {why}")
        emit(command("error", f"course setup failed: {why}"))
        summary.flush()
        return 1
    summary.flush()
    return 0


if __name__ == "__main__":
    sys.exit(run(Course.load(Path.cwd())))
