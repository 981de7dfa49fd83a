"""Helpers for the GitHub tests: event payloads from the fixtures, artifact folders, env."""

from __future__ import annotations

import json
from pathlib import Path

from grading.report import Report

HERE = Path(__file__).parent
REPORTS = HERE / "fixtures"
REPO = "learner/ml-course"
NOTEBOOK = "modules/01_data_engineering/ex_1_1_break_the_data.py"


def event(name: str, path: Path, **subs: object) -> Path:
    """Write the fixture `events/<name>.json` with placeholders (HEAD_SHA, BASE_SHA) and
    fields (number=, conclusion=) replaced."""
    text = (HERE / "events" / f"{name}.json").read_text()
    for key in ("HEAD_SHA", "BASE_SHA", "BEFORE_SHA"):
        if key.lower() in subs:
            text = text.replace(key, str(subs.pop(key.lower())))
    data = json.loads(text)
    if "number" in subs:
        n = int(subs.pop("number"))
        if "pull_request" in data:
            data["number"] = data["pull_request"]["number"] = n
        else:
            for pr in data["workflow_run"]["pull_requests"]:
                pr["number"] = n
    if "conclusion" in subs:
        data["workflow_run"]["conclusion"] = subs.pop("conclusion")
    if "pull_requests" in subs:
        data["workflow_run"]["pull_requests"] = subs.pop("pull_requests")
    assert not subs, subs
    path.write_text(json.dumps(data))
    return path


def report(kind: str = "failed", **changes: object) -> Report:
    r = Report.read(REPORTS / f"report-1.1-{kind}.json")
    return r.model_copy(update=changes)


def artifact(folder: Path, reports: list[Report], *, pr: int | None, head_sha: str, **meta: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for r in reports:
        r.write(folder / f"{r.item}.json")
    data = {"pr": pr, "head_sha": head_sha, "items": [r.item for r in reports], **meta}
    (folder / "meta.json").write_text(json.dumps(data))
    return folder


def github_env(monkeypatch, gh, event_path: Path, summary: Path, token: str = "bot-token") -> None:
    for key, value in {
        "GITHUB_API_URL": gh.url, "GITHUB_REPOSITORY": REPO, "GITHUB_TOKEN": token, "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_SERVER_URL": "https://github.example",
        "COURSE_POST_WRITE_DELAY": "0", "COURSE_GITHUB_BACKOFF": "0.01", "COURSE_GITHUB_SECONDARY_WAIT": "0.2",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("COURSE_SOURCE_REPO", "COURSE_SOURCE_TOKEN", "GITHUB_ACTIONS"):
        monkeypatch.delenv(key, raising=False)
