"""`course ci`: changed files (API with pagination, git fallback), protected paths and
visible-test tampering, annotations with GitHub's escaping, the hidden-test tarball, and
one true end-to-end run: release → PR event → `course ci` → artifact → `course post`."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import tomllib
from pathlib import Path

import pytest

from grading.catalog import Course
from grading.github import ci, hidden
from grading.github.common import command, escape_data, escape_property
from grading.report import Criterion, LintFinding
from tests.fakegithub import FakeGitHub
from tests.fakegithub.flow import LearnerRepo, commit_all, git
from tests.fakegithub.helpers import NOTEBOOK, REPO, event, github_env, report

ROOT = Path(__file__).resolve().parent.parent


# -- workflow commands ------------------------------------------------------------------


def test_annotation_text_is_escaped_as_github_documents():
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = command("error", "bad\n::set-output name=x::y", file="dir/a,b.py", line=3, title="ruff E1: x")
    assert line == "::error file=dir/a%2Cb.py,line=3,title=ruff E1%3A x::bad%0A::set-output name=x::y"
    assert "\n" not in line


def test_annotations_for_lint_failing_visible_tests_and_crashes(tmp_path):
    nb = tmp_path / "modules" / "nb.py"
    nb.parent.mkdir(parents=True)
    nb.write_text("import marimo\n\n\ndef test_finds_duplicated_sale():\n    assert False\n")
    r = report("failed", submission="modules/nb.py")
    r.lint.findings = [LintFinding(code="F401", message="`os` imported but unused", line=2, column=1)]
    r.criteria.append(Criterion(id="test_finds_duplicated_sale", title="Finds duplicated sale", points=0, max_points=1,
                                passed=False, feedback="AssertionError: 100% wrong\nsecond line", visibility="visible"))
    r.execution.status, r.execution.message = "failed", "NameError: name 'x' is not defined"
    lines = ci.annotations(r, tmp_path)
    assert "::error file=modules/nb.py,line=4,title=1.1%3A Finds duplicated sale::AssertionError: 100%25 wrong%0Asecond line" in lines
    assert "::error file=modules/nb.py,line=2,col=1,title=ruff F401::`os` imported but unused" in lines
    assert any(x.startswith("::error file=modules/nb.py,title=1.1%3A the notebook crashed::") for x in lines)
    assert all("\n" not in x for x in lines)


# -- changed files, protected paths, tampering ---------------------------------------------


@pytest.fixture
def small_repo(tmp_path) -> tuple[Path, str]:
    repo = tmp_path / "learner"
    repo.mkdir()
    shutil.copy(ROOT / "course.toml", repo / "course.toml")
    (repo / "README.md").write_text("course\n")
    nb = repo / NOTEBOOK
    nb.parent.mkdir(parents=True)
    nb.write_text("def validate(df):\n    raise NotImplementedError\n\n\ndef test_finds_duplicated_sale():\n    assert validate(1) == 2\n")
    git(repo, "init", "-q", "-b", "main")
    return repo, commit_all(repo, "template")


def test_visible_tests_changed_in_the_notebook_are_tampering(small_repo):
    repo, base = small_repo
    nb = repo / NOTEBOOK
    text = nb.read_text().replace("    raise NotImplementedError", "    return 2")
    nb.write_text(text + "\n\ndef test_my_own_extra_check():\n    assert True\n")
    head = commit_all(repo, "solve")
    pr = ci.PullRequest(number=1, base_sha=base, head_sha=head, repo=REPO)
    course = Course.load(repo)
    assert ci.tampered_tests(repo, pr, course.items["1.1"]) == [], "solving and adding tests is fine"
    nb.write_text(text.replace("assert validate(1) == 2", "assert True  # weakened"))
    commit_all(repo, "weaken")
    assert ci.tampered_tests(repo, pr, course.items["1.1"]) == [f"{NOTEBOOK}::test_finds_duplicated_sale"]


def test_protected_paths():
    for path in (".github/workflows/grade.yml", "grading/engine.py", "tests/test_template.py", "course.toml", "pyproject.toml"):
        assert ci.is_protected(path), path
    for path in (NOTEBOOK, "README.md", "capstone/model.py", "docs/notes.md"):
        assert not ci.is_protected(path), path


def test_git_fallback_when_the_api_is_unreachable(small_repo, tmp_path, monkeypatch):
    repo, base = small_repo
    (repo / "README.md").write_text("changed\n")
    (repo / "tests").mkdir()
    (repo / "tests" / "test_template.py").write_text("def test_x():\n    pass\n")
    head = commit_all(repo, "docs and a test")
    ev = event("pull_request.synchronize", tmp_path / "event.json", head_sha=head, base_sha=base, before_sha=base)
    github_env(monkeypatch, _Unreachable(), ev, tmp_path / "summary.md")
    out = tmp_path / "out"
    assert ci.run(Course.load(repo), out) == 0
    meta = json.loads((out / "meta.json").read_text())
    assert meta["changed_files_source"] == "git" and meta["changed_files"] == 2
    assert meta["items"] == [] and meta["tampered_paths"] == ["tests/test_template.py"]
    assert "the API did not list the changed files" in meta["note"]
    assert "nothing was graded" in (tmp_path / "summary.md").read_text()


class _Unreachable:
    url = "http://127.0.0.1:9"  # discard port: nothing listens


def _course_with_a_planned_item():
    """The course plus one planned exercise without files (every planned item has files by now)."""
    data = tomllib.loads((ROOT / "course.toml").read_text(encoding="utf-8"))
    base = next(i for i in data["item"] if i["id"] == "1.1")
    data["item"].append({**base, "id": "1.planned", "status": "planned",
                         "path": "modules/01_data_engineering/ex_1_9_not_built_yet.py"})
    course = Course(**data, root=ROOT)
    return course, course.items["1.planned"]


def test_changed_files_come_from_the_paginated_api(tmp_path, monkeypatch):
    course, planned = _course_with_a_planned_item()
    with FakeGitHub() as gh:
        repo = gh.add_repo(REPO)
        files = [f"data/notes/{i:03}.md" for i in range(250)] + [planned.path, ".github/workflows/grade.yml"]
        n = gh.add_pull(repo, author="learner", head_sha="1" * 40, files=files)
        ev = event("pull_request.opened", tmp_path / "event.json", head_sha="1" * 40, base_sha="0" * 40, number=n)
        github_env(monkeypatch, gh, ev, tmp_path / "summary.md")
        monkeypatch.setenv("COURSE_GITHUB_RETRIES", "0")
        out = tmp_path / "out"
        assert ci.run(course, out) == 0
        pages = [p for m, p, _ in gh.log if m == "GET" and p.startswith(f"/repos/{REPO}/pulls/{n}/files")]
    meta = json.loads((out / "meta.json").read_text())
    assert len(pages) == 3 and meta["changed_files_source"] == "api" and meta["changed_files"] == 252
    assert meta["items"] == [planned.id] and meta["pr"] == n and meta["head_sha"] == "1" * 40
    r = json.loads((out / f"{planned.id}.json").read_text())
    assert r["tampered_paths"] == [".github/workflows/grade.yml"] and "planned" in r["summary"]


# -- hidden tests ----------------------------------------------------------------------------


def _tarball(members: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    return buf.getvalue()


def test_unpack_takes_only_grading_hidden_and_nothing_outside(tmp_path):
    data = _tarball({"src-abc/grading/hidden/1.1/test_hidden.py": b"def test_x(): pass\n",
                     "src-abc/grading/engine.py": b"evil = 1\n",
                     "src-abc/grading/hidden/../../escape.py": b"evil = 1\n",
                     "/abs/grading/hidden/x.py": b"evil = 1\n"},
                    links={"src-abc/grading/hidden/1.1/link.py": "/etc/passwd"})
    assert hidden.unpack(data, tmp_path) == 1
    got = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert got == ["grading/hidden/1.1/test_hidden.py"]


# -- end to end ------------------------------------------------------------------------------


@pytest.mark.slow
def test_end_to_end_release_pr_ci_artifact_post(tmp_path):
    """A learner repository made by `course release`; a PR on exercise 1.1 that first fails
    (a known-wrong submission), then passes (the reference solution) on the next push. Each
    push runs the grade job (`course ci --fetch-hidden`, `course ci --out`) and the report job
    (`course post`, without the course's heavy stack) as subprocesses against the fake GitHub."""
    from grading.cases import build

    solution = (ROOT / NOTEBOOK).read_text(encoding="utf-8")
    wrong = build(solution, (ROOT / "grading/hidden/1.1/wrong/isna_only.patch").read_text(encoding="utf-8"))
    with FakeGitHub() as gh:
        learner = LearnerRepo(gh, tmp_path)
        n = learner.open_pull("ex-1-1", "Exercise 1.1")
        for i in range(120):
            gh.add_comment(learner.repo, n, f"chatter {i}")
        comments = []
        for label, text in (("isna_only", wrong), ("solution", solution)):
            push = learner.push(n, lambda path, text=text: (path / NOTEBOOK).write_text(text, encoding="utf-8"),
                                f"Exercise 1.1 ({label})", timeout=300)
            mine = learner.bot_comments(n)
            assert len(mine) == 1, "one sticky comment, edited on each push"
            comments.append(mine[0])
            meta = json.loads((push.artifact / "meta.json").read_text())
            assert meta["items"] == ["1.1"] and meta["hidden_tests"] == "fetched" and meta["changed_files_source"] == "api"
            assert meta["pr"] == n and meta["head_sha"] == push.head
            if label == "isna_only":
                r = json.loads((push.artifact / "1.1.json").read_text())
                assert r["status"] == "failed" and not r["provisional"] and r["tampered_paths"] == [], r["summary"]
                assert "::error file=" not in push.grade.stdout or "1.1%3A" in push.grade.stdout
                assert "Not passed yet" in comments[0] and "Start with **Catches missing values" in comments[0]
                assert gh.labels_on(learner.repo, n) == ["exercise", "module-1", "needs-work"]
                assert "- [ ] **1.1**" in learner.tracker()

        r = json.loads((push.artifact / "1.1.json").read_text())
        assert r["status"] == "passed" and r["score"] == r["max_score"] and not r["provisional"] and r["tampered_paths"] == []
        assert "1\\.1 · Break the data" in (tmp_path / f"grade-{n}-2.md").read_text()
        assert "Well done" in comments[1] and "Next in the course" in comments[1]
        assert gh.labels_on(learner.repo, n) == ["exercise", "module-1", "passed"]
        assert "- [x] **1.1**" in learner.tracker() and "passed, 100/100" in learner.tracker()
        assert len(gh.comments_on(learner.repo, n)) == 121
        assert "tampered" not in gh.labels_on(learner.repo, n)
        assert any(p.startswith(f"/repos/{REPO}/contents/") for _, p, _ in gh.log), "post compared the visible tests itself"
    # Wall time is reported, not asserted: it measures the machine's load as much as the grader.
    print(f"ci + post on the second push: {push.seconds['ci'] + push.seconds['post']:.1f} s")
