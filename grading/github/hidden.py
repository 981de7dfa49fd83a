"""Fetch the hidden tests from the private course source (`COURSE_SOURCE_REPO`, read with
`COURSE_SOURCE_TOKEN`) as a tarball through the REST API, and unpack only `grading/hidden/`.

In a repository the learner owns this obscures the hidden tests, it does not protect them:
the mentor's `course regrade` with canonical tests is the check that counts (DESIGN.md 2).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import time
from pathlib import Path, PurePosixPath

from grading.catalog import Course

MAX_TARBALL = 200 * 1024 * 1024
STATE = Path(".course") / "hidden-fetch.json"
PREFIX = "grading/hidden/"


def _state(course: Course, status: str, detail: str) -> str:
    path = course.root / STATE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"status": status, "detail": detail[:500]}), encoding="utf-8")
    except OSError:
        pass
    return status


def status(course: Course) -> tuple[str, str]:
    """(status, detail): fetched / failed (by an earlier `course ci --fetch-hidden`), present, not configured."""
    try:
        data = json.loads((course.root / STATE).read_text(encoding="utf-8"))
        if data.get("status") in ("fetched", "failed"):
            return data["status"], str(data.get("detail", ""))
    except (OSError, ValueError, AttributeError):
        pass
    if any((course.root / PREFIX).glob("*/test_*.py")):
        return "present", "hidden tests found in the checkout"
    return "not configured", "COURSE_SOURCE_REPO and COURSE_SOURCE_TOKEN are not set"


def _download(api_url: str, repo_name: str, ref: str, token: str) -> bytes:
    """GET /repos/{repo}/tarball[/{ref}] and follow the redirect to the archive. PyGithub only
    returns the link (`Repository.get_archive_link`) and costs a second to import, so this one
    binary download uses httpx directly; 5xx and rate limits are retried with backoff."""
    import httpx

    url = f"{api_url.rstrip('/')}/repos/{repo_name}/tarball" + (f"/{ref}" if ref else "")
    headers = {"Accept": "application/vnd.github+json", "Authorization": f"Bearer {token}", "X-GitHub-Api-Version": "2022-11-28"}
    for attempt in range(4):
        buf = io.BytesIO()
        # httpx drops the Authorization header when the redirect leaves the API's origin.
        with httpx.stream("GET", url, headers=headers, follow_redirects=True, timeout=60) as resp:
            if resp.status_code in (403, 429, 500, 502, 503, 504) and attempt < 3:
                wait = resp.headers.get("retry-after")
                time.sleep(min(float(wait), 60) if wait and wait.isdigit() else 2**attempt)
                continue
            if resp.status_code != 200:
                raise GitHubAnswer(resp.status_code)
            for chunk in resp.iter_bytes():
                buf.write(chunk)
                if buf.tell() > MAX_TARBALL:
                    raise ValueError("the source tarball is larger than 200 MB")
            return buf.getvalue()
    raise GitHubAnswer(503)


class GitHubAnswer(Exception):
    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


def unpack(data: bytes, dest_root: Path) -> int:
    """Unpack `*/grading/hidden/**` of a GitHub tarball into dest_root/grading/hidden. Returns file count."""
    target = dest_root / PREFIX
    staging = dest_root / ".course" / "hidden-staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        for member in tar.getmembers():
            parts = PurePosixPath(member.name).parts
            rel = PurePosixPath(*parts[1:]) if len(parts) > 1 else None
            if rel is None or not str(rel).startswith(PREFIX) or not (member.isfile() or member.isdir()):
                continue
            if ".." in rel.parts or rel.is_absolute():
                continue
            out = staging / rel.relative_to(PREFIX)
            if member.isdir():
                out.mkdir(parents=True, exist_ok=True)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            if src is None:
                continue
            out.write_bytes(src.read())
            count += 1
    if count == 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise ValueError("the source tarball holds no grading/hidden/ files")
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging.replace(target)
    return count


def fetch(course: Course) -> tuple[str, str]:
    """Fetch when configured. Never raises: returns (status, detail) and records it."""
    repo_name = os.environ.get("COURSE_SOURCE_REPO", "").strip()
    token = os.environ.get("COURSE_SOURCE_TOKEN", "").strip()
    if not repo_name or not token:
        return status(course)
    api_url = os.environ.get("GITHUB_API_URL", "https://api.github.com")
    ref = os.environ.get("COURSE_SOURCE_REF", "").strip()
    try:
        count = unpack(_download(api_url, repo_name, ref, token), course.root)
    except GitHubAnswer as exc:
        detail = f"the source repository {repo_name} answered HTTP {exc.status}: check the variable and the token's read access"
        return _state(course, "failed", detail), detail
    except Exception as exc:  # noqa: BLE001 - grading goes on, provisionally, and says why
        detail = f"fetching the hidden tests from {repo_name} failed: {type(exc).__name__}: {str(exc)[:200]}"
        return _state(course, "failed", detail), detail
    detail = f"{count} files from {repo_name}"
    return _state(course, "fetched", detail), detail
