"""Shared pieces: the PyGithub client with retries, workflow-command escaping, job summary."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_API = "https://api.github.com"
BOT_LOGIN = "github-actions[bot]"


def env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def client(token: str | None, api_url: str | None = None, *, lazy: bool = True):
    """A PyGithub client: REST only, retries secondary rate limits (403/429 with `retry-after`
    or `x-ratelimit-reset`) and 5xx with backoff, and spaces writes (`COURSE_POST_WRITE_DELAY`,
    default 1 s, as GitHub's best practices ask)."""
    from github import Auth, Github, GithubRetry

    retry = GithubRetry(
        total=int(env_float("COURSE_GITHUB_RETRIES", 6)),
        backoff_factor=env_float("COURSE_GITHUB_BACKOFF", 1.0),
        status_forcelist=[429, *range(500, 600)],  # GithubRetry adds 403 and inspects it
        secondary_rate_wait=env_float("COURSE_GITHUB_SECONDARY_WAIT", 60.0),
        max_rate_limit_wait=env_float("COURSE_GITHUB_MAX_WAIT", 300.0),
    )
    return Github(
        auth=Auth.Token(token) if token else None,
        base_url=(api_url or DEFAULT_API).rstrip("/"),
        retry=retry,
        timeout=int(env_float("COURSE_GITHUB_TIMEOUT", 20)),
        seconds_between_requests=env_float("COURSE_POST_REQUEST_DELAY", 0.0),
        seconds_between_writes=env_float("COURSE_POST_WRITE_DELAY", 1.0),
        per_page=100,
        lazy=lazy,
    )


def read_event() -> dict[str, Any]:
    path = os.environ.get("GITHUB_EVENT_PATH")
    if not path:
        raise ValueError("GITHUB_EVENT_PATH is not set: this command runs inside GitHub Actions")
    with open(path, encoding="utf-8") as fh:
        event = json.load(fh)
    if not isinstance(event, dict):
        raise ValueError(f"{path} does not hold a JSON object")
    return event


# -- workflow commands -----------------------------------------------------------
# https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
# (escaping as in @actions/core: data escapes % CR LF; properties also : and ,)


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: Any) -> str:
    """`::name key=value,...::message` with learner text escaped; None-valued props dropped."""
    parts = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{name}{' ' + parts if parts else ''}::{escape_data(message)}"


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Summary:
    """Appends Markdown to `GITHUB_STEP_SUMMARY` (and keeps it, for the terminal and tests)."""

    LIMIT = 900_000  # GitHub refuses summaries over 1 MiB per step

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.path = os.environ.get("GITHUB_STEP_SUMMARY")

    def add(self, text: str) -> None:
        """A block (a heading, a rendered report): blank lines around it."""
        self.parts.append("\n" + text.strip("\n") + "\n\n")

    def line(self, text: str) -> None:
        """One line, e.g. a list item."""
        self.parts.append(text.rstrip("\n") + "\n")

    def flush(self) -> None:
        text = "".join(self.parts)
        if len(text) > self.LIMIT:
            text = text[: self.LIMIT] + "\n\n… (summary shortened)\n"
        if self.path:
            try:
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write(text)
            except OSError as exc:
                emit(command("warning", f"could not write the job summary: {exc}"))
        self.text = getattr(self, "text", "") + text
        self.parts = []


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
