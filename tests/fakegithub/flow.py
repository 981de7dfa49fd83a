"""A learner's repository on the fake GitHub, driven as the two workflows drive it.

`LearnerRepo` is `course release` committed on main, the repository on the fake server and the
private source repository whose tarball holds the hidden tests. Each `push` commits a change on
the PR's branch and runs what Actions would: the grade job (`course ci --fetch-hidden`, then
`course ci --out`) and the report job (`course post`, without the course's heavy stack), as
subprocesses with the environment GitHub gives them.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.fakegithub.helpers import REPO, event

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "course/ml-course-src"
TOKEN = "bot-token"
POST_WITHOUT_STACK = (
    "import sys\n"
    "for m in ('pandas', 'numpy', 'marimo', 'sklearn', 'polars', 'pyarrow', 'httpx', 'psutil', 'pytest'): sys.modules[m] = None\n"
    "sys.path.insert(0, '')\nsys.argv[0] = 'course'\nfrom grading.cli import main\nmain()"
)


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "l", "GIT_AUTHOR_EMAIL": "l@example.com", "GIT_COMMITTER_NAME": "l",
           "GIT_COMMITTER_EMAIL": "l@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout.strip()


def commit_all(cwd: Path, message: str) -> str:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message)
    return git(cwd, "rev-parse", "HEAD")


def source_tarball() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(ROOT / "grading" / "hidden", arcname="course-src-0123abc/grading/hidden",
                filter=lambda ti: None if "__pycache__" in ti.name else ti)
    return buf.getvalue()


@dataclass
class Push:
    head: str
    grade: subprocess.CompletedProcess
    post: subprocess.CompletedProcess
    artifact: Path
    seconds: dict[str, float]


class LearnerRepo:
    def __init__(self, gh, tmp: Path, *, author: str = "learner", mentors: tuple[str, ...] = ()) -> None:
        self.gh, self.tmp, self.author = gh, tmp, author
        self.path = tmp / "learner"
        subprocess.run([sys.executable, "-m", "grading.cli", "release", str(self.path)], cwd=ROOT, check=True,
                       capture_output=True)
        if mentors:  # the maintainer's one setting for the capstone review, in the template's course.toml
            toml = self.path / "course.toml"
            text, n = re.subn(r"(?m)^mentors = \[\]", f"mentors = {list(mentors)!r}".replace("'", '"'),
                              toml.read_text(encoding="utf-8"))
            assert n == 1, "course.toml has one `mentors = []` line"
            toml.write_text(text, encoding="utf-8")
        git(self.path, "init", "-q", "-b", "main")
        self.base = commit_all(self.path, "Initial commit")
        self.repo = gh.add_repo(REPO, template_of="course/ml-course-template", collaborators={author, *mentors})
        gh.add_repo(SOURCE, private=True).tarballs["main"] = source_tarball()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "COURSE_"))}
        self.env.update(GITHUB_API_URL=gh.url, GITHUB_REPOSITORY=REPO, GITHUB_SERVER_URL="https://github.example",
                        COURSE_POST_WRITE_DELAY="0", GITHUB_ACTIONS="true")
        self.pushes: dict[int, list[str]] = {}

    def open_pull(self, branch: str, title: str) -> int:
        git(self.path, "checkout", "-q", "-b", branch)
        n = self.gh.add_pull(self.repo, author=self.author, head_sha=self.base, base_sha=self.base, title=title)
        self.pushes[n] = []
        return n

    def push(self, n: int, change: Callable[[Path], None], message: str, *, timeout: float = 600) -> Push:
        """Apply `change` to the checkout, commit, and run the grade and report jobs for PR `n`."""
        git(self.path, "clean", "-fdxq")  # each job starts from a fresh checkout: no earlier fetch or training
        change(self.path)
        head = commit_all(self.path, message)
        before = self.pushes[n][-1] if self.pushes[n] else self.base
        self.pushes[n].append(head)
        changed = git(self.path, "diff", "--name-only", self.base, head).splitlines()
        pr = self.repo.issues[n]["pr"]
        pr["head_sha"] = head
        self.repo.files[n] = [{"filename": f, "status": "modified"} for f in changed]
        for path in changed:
            for sha in (self.base, head):
                shown = subprocess.run(["git", "show", f"{sha}:{path}"], cwd=self.path, capture_output=True)
                if shown.returncode == 0:
                    self.repo.contents[(sha, path)] = shown.stdout
        k = len(self.pushes[n])
        out = self.tmp / f"artifact-{n}-{k}"
        ev = event("pull_request.opened" if k == 1 else "pull_request.synchronize", self.tmp / f"pr-{n}-{k}.json",
                   head_sha=head, base_sha=self.base, before_sha=before, number=n)
        grade_env = {**self.env, "GITHUB_EVENT_PATH": str(ev), "GITHUB_STEP_SUMMARY": str(self.tmp / f"grade-{n}-{k}.md")}
        seconds = {}
        t = time.monotonic()
        fetch = subprocess.run([sys.executable, "-m", "grading.cli", "ci", "--fetch-hidden"], cwd=self.path,
                               capture_output=True, text=True,
                               env={**grade_env, "COURSE_SOURCE_REPO": SOURCE, "COURSE_SOURCE_TOKEN": TOKEN})
        assert fetch.returncode == 0 and "hidden tests: fetched" in fetch.stdout, fetch.stdout + fetch.stderr
        grade = subprocess.run([sys.executable, "-m", "grading.cli", "ci", "--out", str(out)], cwd=self.path,
                               capture_output=True, text=True, env={**grade_env, "GITHUB_TOKEN": TOKEN}, timeout=timeout)
        seconds["ci"] = time.monotonic() - t
        assert grade.returncode == 0, grade.stdout + grade.stderr
        run_ev = event("workflow_run.completed", self.tmp / f"run-{n}-{k}.json", head_sha=head, base_sha=self.base,
                       number=n)
        t = time.monotonic()
        posted = subprocess.run([sys.executable, "-c", POST_WITHOUT_STACK, "post", str(out)], cwd=self.path,
                                capture_output=True, text=True, timeout=120,
                                env={**self.env, "GITHUB_EVENT_PATH": str(run_ev), "GITHUB_TOKEN": TOKEN,
                                     "GITHUB_STEP_SUMMARY": str(self.tmp / f"post-{n}-{k}.md")})
        seconds["post"] = time.monotonic() - t
        assert posted.returncode == 0, posted.stdout + posted.stderr
        return Push(head, grade, posted, out, seconds)

    def bot_comments(self, n: int) -> list[str]:
        return [c["body"] for c in self.gh.comments_on(self.repo, n) if c["user"]["login"] == "github-actions[bot]"]

    def tracker(self) -> str:
        return next(it["body"] for it in self.repo.issues.values() if "pr" not in it)
