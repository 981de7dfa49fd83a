"""`course post` against the local fake GitHub: sticky comments, tracker, labels, mentors,
retries, untrusted artifacts. Pre-made report JSONs keep these fast (no grading here)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from grading.catalog import Course
from grading.github import post
from grading.render import MAX_COMMENT, marker
from tests.fakegithub import FakeGitHub
from tests.fakegithub.helpers import NOTEBOOK, REPO, artifact, event, github_env, report

ROOT = Path(__file__).resolve().parent.parent
BOT = "github-actions[bot]"


@pytest.fixture
def course() -> Course:
    return Course.load(ROOT)


@pytest.fixture
def gh():
    with FakeGitHub() as server:
        yield server


def sha(n: int) -> str:
    return f"{n:040x}"


def run_post(monkeypatch, tmp_path, gh, course, reports, *, pr, head, token="bot-token", meta_pr=None, name="art", **kw):
    art = artifact(tmp_path / name, reports, pr=meta_pr if meta_pr is not None else pr, head_sha=head, **kw.pop("meta", {}))
    ev = event("workflow_run.completed", tmp_path / "event.json", head_sha=head, base_sha=sha(0), number=pr or 1, **kw)
    summary = tmp_path / "summary.md"
    github_env(monkeypatch, gh, ev, summary, token)
    rc = post.run(course, art)
    return rc, summary.read_text() if summary.exists() else ""


def bot_comments(gh, repo, n, key=None):
    out = [c for c in gh.comments_on(repo, n) if c["user"]["login"] == BOT]
    return [c for c in out if c["body"].startswith(marker(key))] if key else out


def tracker_body(repo) -> str:
    bodies = [it["body"] for it in repo.issues.values() if "pr" not in it and it["body"].startswith("<!-- course-tracker -->")]
    assert len(bodies) == 1, "exactly one tracker issue"
    return bodies[0]


def test_three_runs_on_a_pr_with_120_comments_leave_one_comment_per_item(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    head = sha(1)
    n = gh.add_pull(repo, author="learner", head_sha=head, files=[NOTEBOOK])
    for i in range(120):
        gh.add_comment(repo, n, f"discussion {i}")
    # a learner's comment that imitates the marker is neither edited nor counted
    gh.add_comment(repo, n, marker("1.1") + "\nfake score 100/100", gh.user("learner"))
    repo.issues[n]["labels"].append("question")  # the learner's own label survives
    for kind in ("failed", "failed", "passed"):
        rc, summary = run_post(monkeypatch, tmp_path, gh, course, [report(kind)], pr=n, head=head)
        assert rc == 0, summary
    mine = bot_comments(gh, repo, n)
    assert len(mine) == 1 and mine[0]["body"].startswith(marker("1.1"))
    assert "Passed" in mine[0]["body"] and "Well done" in mine[0]["body"]
    assert len(gh.comments_on(repo, n)) == 122  # 120 + the imitation + ours
    assert any("fake score" in c["body"] for c in gh.comments_on(repo, n))
    # the comment list was read across pages (Link headers), not just the first page
    assert any(m == "GET" and f"/issues/{n}/comments" in p and "page=2" in p for m, p, _ in gh.log)
    assert gh.labels_on(repo, n) == ["exercise", "module-1", "passed", "question"]
    body = tracker_body(repo)
    assert re.search(r"- \[x\] \*\*1\.1\*\*.*passed, 100/100 · \[#1\]\(https://github\.example/learner/ml-course/pull/1\)", body)
    assert "**1 of 25 items passed.**" in body
    assert "- [ ] **1.2**" in body


def test_tracker_is_recomputed_from_every_pr_and_tampering_is_not_counted(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    a = gh.add_pull(repo, author="learner", head_sha=sha(11), files=[NOTEBOOK])
    b = gh.add_pull(repo, author="learner", head_sha=sha(12), files=[NOTEBOOK, "tests/test_template.py"])
    c = gh.add_pull(repo, author="learner", head_sha=sha(13), files=[NOTEBOOK])

    run_post(monkeypatch, tmp_path, gh, course, [report("failed")], pr=a, head=sha(11), name="a")
    assert "- [ ] **1.1** Break the data" in tracker_body(repo)
    assert "not passed yet, 89.9/100" in tracker_body(repo)

    tampered = report("passed", tampered_paths=["tests/test_template.py"])
    rc, _ = run_post(monkeypatch, tmp_path, gh, course, [tampered], pr=b, head=sha(12), name="b")
    assert rc == 0
    body = tracker_body(repo)
    assert "- [ ] **1.1**" in body, "a tampered pass is not counted"
    assert "⚠️ not counted" in body and f"#{b}" in body
    assert "tampered" in gh.labels_on(repo, b)
    comment = bot_comments(gh, repo, b, "1.1")[0]["body"]
    assert "[!WARNING]" in comment and "tests/test\\_template" not in comment and "`tests/test_template.py`" in comment

    run_post(monkeypatch, tmp_path, gh, course, [report("passed")], pr=c, head=sha(13), name="c")
    body = tracker_body(repo)
    assert re.search(r"- \[x\] \*\*1\.1\*\*.*passed, 100/100 · \[#3\]", body)
    assert "⚠️ not counted" in body, "the tampered PR stays visible"
    # the hidden data block keeps every PR's latest result: recomputed, not patched
    data = json.loads(re.search(r"<!-- course-tracker-data\n(.*?)\n-->", body, re.S).group(1))
    assert sorted(data["1.1"]) == [str(a), str(b), str(c)]
    # a hand edit of the visible part is overwritten on the next post
    issue = next(it for it in repo.issues.values() if "pr" not in it)
    issue["body"] = issue["body"].replace("- [ ] **1.2**", "- [x] **1.2**")
    run_post(monkeypatch, tmp_path, gh, course, [report("passed")], pr=c, head=sha(13), name="c2")
    assert "- [ ] **1.2**" in tracker_body(repo)


def test_mentors_are_asked_on_the_capstone_pr_only(monkeypatch, tmp_path, gh, course):
    course.course.mentors = ["mentor-ana", "mentor-bo", "learner"]
    repo = gh.add_repo(REPO, collaborators={"mentor-ana", "mentor-bo", "learner"})
    ex = gh.add_pull(repo, author="learner", head_sha=sha(21), files=[NOTEBOOK])
    cap = gh.add_pull(repo, author="learner", head_sha=sha(22), files=["capstone/model.py"])
    run_post(monkeypatch, tmp_path, gh, course, [report("passed")], pr=ex, head=sha(21), name="ex")
    capstone = report("passed", item="capstone", title=course.items["capstone"].title, submission="capstone/")
    for _ in range(2):
        rc, summary = run_post(monkeypatch, tmp_path, gh, course, [capstone], pr=cap, head=sha(22), name="cap")
        assert rc == 0, summary
    assert repo.reviewers[ex] == []
    assert repo.reviewers[cap] == ["mentor-ana", "mentor-bo"], "the author is never asked to review their own PR"
    checklist = bot_comments(gh, repo, cap, "capstone-review")
    assert len(checklist) == 1 and "Rubric checklist" in checklist[0]["body"] and "- [ ] Regraded with `course regrade`" in checklist[0]["body"]
    assert not bot_comments(gh, repo, ex, "capstone-review")
    assert {"capstone", "mentor-review", "passed"} <= set(gh.labels_on(repo, cap))
    assert "mentor-review" not in gh.labels_on(repo, ex)


def test_a_mentor_who_is_not_a_collaborator_is_reported_not_fatal(monkeypatch, tmp_path, gh, course):
    course.course.mentors = ["outsider"]
    repo = gh.add_repo(REPO)
    cap = gh.add_pull(repo, author="learner", head_sha=sha(23), files=["capstone/model.py"])
    capstone = report("passed", item="capstone", title="Capstone", submission="capstone/")
    rc, summary = run_post(monkeypatch, tmp_path, gh, course, [capstone], pr=cap, head=sha(23))
    assert rc == 0
    assert "could not request the mentors' review: HTTP 422 (Reviews may only be requested from collaborators" in summary
    assert bot_comments(gh, repo, cap, "capstone")  # the learner still gets the score


def test_secondary_rate_limits_429_and_5xx_are_retried(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    n = gh.add_pull(repo, author="learner", head_sha=sha(31), files=[NOTEBOOK])
    gh.fail("POST", rf"/issues/{n}/comments$", 403, headers={"Retry-After": "1"})  # secondary rate limit
    gh.fail("GET", rf"/issues/{n}/comments", 429, headers={"Retry-After": "1"})
    gh.fail("POST", rf"/issues/{n}/labels", 502, times=2)
    gh.fail("GET", r"/issues\?", 403)  # secondary limit signalled by the message only
    gh.fail("POST", r"/repos/learner/ml-course/issues$", 503)
    rc, summary = run_post(monkeypatch, tmp_path, gh, course, [report("failed")], pr=n, head=sha(31))
    assert rc == 0, summary
    assert "could not" not in summary, summary
    statuses = [s for _, _, s in gh.log]
    assert statuses.count(403) == 2 and statuses.count(429) == 1 and statuses.count(502) == 2 and statuses.count(503) == 1
    assert len(bot_comments(gh, repo, n, "1.1")) == 1
    assert gh.labels_on(repo, n) == ["exercise", "module-1", "needs-work"]
    assert "- [ ] **1.1**" in tracker_body(repo)


def test_a_token_that_cannot_write_is_explained_in_the_summary(monkeypatch, tmp_path, gh, course):
    gh.tokens["fork-token"] = {"user": {"login": BOT, "id": 1, "type": "Bot"}, "write": False}
    repo = gh.add_repo(REPO)
    n = gh.add_pull(repo, author="someone", head_sha=sha(41), files=[NOTEBOOK], fork=True)
    rc, summary = run_post(monkeypatch, tmp_path, gh, course, [report("failed")], pr=n, head=sha(41), token="fork-token",
                           pull_requests=[])
    assert rc == 0
    assert "HTTP 403 (Resource not accessible by integration)" in summary
    assert "a pull request from a fork gets a read-only token" in summary
    assert gh.comments_on(repo, n) == []


def test_the_pull_request_comes_from_the_head_sha_not_the_artifact(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    other = gh.add_pull(repo, author="learner", head_sha=sha(50), files=[NOTEBOOK])
    n = gh.add_pull(repo, author="someone", head_sha=sha(51), files=[NOTEBOOK], fork=True)
    # a fork PR: the event lists no pull request; the artifact claims another PR number
    rc, summary = run_post(monkeypatch, tmp_path, gh, course, [report("failed")], pr=n, head=sha(51), meta_pr=other,
                           pull_requests=[])
    assert rc == 0, summary
    assert bot_comments(gh, repo, n, "1.1") and not bot_comments(gh, repo, other)
    assert f"the artifact names PR #{other}" in summary


def test_an_untrusted_artifact_is_validated_and_the_pr_still_gets_a_comment(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    n = gh.add_pull(repo, author="learner", head_sha=sha(61), files=[NOTEBOOK])
    art = tmp_path / "art"
    art.mkdir()
    good = report("failed")
    bad = json.loads(good.model_dump_json())
    bad["score"] = -5
    (art / "1.1.json").write_text(json.dumps(bad))
    (art / "1.2.json").write_text(good.model_copy(update={"item": "9.9"}).model_dump_json())
    (art / "evil name.json").write_text("{}")
    (art / "huge.json").write_bytes(b" " * (600 * 1024))
    (art / "extra.json").write_text(json.dumps({**json.loads(good.model_dump_json()), "run": "rm -rf /"}))
    os.symlink("/etc/passwd", art / "link.json")
    (art / "meta.json").write_text(json.dumps({"pr": n, "head_sha": sha(61), "items": ["1.1"]}))
    ev = event("workflow_run.completed", tmp_path / "event.json", head_sha=sha(61), base_sha=sha(0), number=n)
    github_env(monkeypatch, gh, ev, tmp_path / "summary.md")
    assert post.run(course, art) == 0
    summary = (tmp_path / "summary.md").read_text()
    for needle in ("`1.1.json`: not a valid report", "`1.2.json`: item `9.9` is not in course.toml", "`evil name.json`: unexpected file name",
                   "`huge.json`: too large", "`extra.json`: not a valid report", "`link.json`: not a regular file"):
        assert needle in summary, needle
    comment = bot_comments(gh, repo, n, "1.1")
    assert len(comment) == 1 and "could not be graded" in comment[0]["body"] and "not a verdict on your work" in comment[0]["body"]
    assert gh.labels_on(repo, n) == [] and not any("pr" not in it for it in repo.issues.values()), "nothing counted"


def test_no_artifact_at_all_still_tells_the_learner(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    n = gh.add_pull(repo, author="learner", head_sha=sha(71), files=[NOTEBOOK])
    ev = event("workflow_run.completed", tmp_path / "event.json", head_sha=sha(71), base_sha=sha(0), number=n, conclusion="failure")
    github_env(monkeypatch, gh, ev, tmp_path / "summary.md")
    assert post.run(course, tmp_path / "missing") == 0
    body = bot_comments(gh, repo, n, "pull-request")[0]["body"]
    assert "could not be graded" in body and "`failure`" in body and "actions/runs/30433642" in body


def test_nothing_to_grade(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    n = gh.add_pull(repo, author="learner", head_sha=sha(81), files=["README.md"])
    rc, _ = run_post(monkeypatch, tmp_path, gh, course, [], pr=n, head=sha(81), meta={"note": "no exercise file changed"})
    assert rc == 0
    assert "Nothing to grade" in bot_comments(gh, repo, n, "pull-request")[0]["body"]
    # the next push changes the notebook: the outdated PR-level comment goes, the item's comes
    repo.files[n].append({"filename": NOTEBOOK, "status": "modified"})
    run_post(monkeypatch, tmp_path, gh, course, [report("failed")], pr=n, head=sha(81), name="art2")
    assert not bot_comments(gh, repo, n, "pull-request") and len(bot_comments(gh, repo, n)) == 1


def test_learner_text_is_escaped_and_the_comment_is_bounded(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    n = gh.add_pull(repo, author="learner", head_sha=sha(91), files=[NOTEBOOK])
    nasty = "@everyone <img src=x onerror=alert(1)> [click](https://evil.example) <!-- course-grader:1.2 --> ```"
    r = report("failed")
    r.criteria[1].feedback = nasty * 50
    r.criteria[1].hint = nasty
    r.execution.status, r.execution.output = "failed", ("```\n" + nasty + "\n") * 3000
    r.summary = nasty * 100
    run_post(monkeypatch, tmp_path, gh, course, [r], pr=n, head=sha(91))
    body = bot_comments(gh, repo, n, "1.1")[0]["body"]
    assert len(body) <= MAX_COMMENT
    assert body.count("<!-- course-grader:") == 1
    prose, _, output = body.partition("<summary>Output of your notebook</summary>")
    assert not re.search(r"(?<!\\)<img", prose) and "](https://evil" not in prose and "@everyone" not in prose
    fence = re.search(r"^(`{3,})text$", output, re.M).group(1)
    assert len(fence) > 3 and output.rstrip().endswith("</details>"), "the output sits in a fence it cannot close"


def test_post_without_a_workflow_run_event_is_a_usage_error(monkeypatch, tmp_path, gh, course):
    ev = event("pull_request.opened", tmp_path / "event.json", head_sha=sha(1), base_sha=sha(0))
    github_env(monkeypatch, gh, ev, tmp_path / "summary.md")
    assert post.run(course, tmp_path) == 2
    assert "not a workflow_run event" in (tmp_path / "summary.md").read_text()


def test_setup_creates_labels_and_tracker_once_and_skips_the_template(monkeypatch, tmp_path, gh, course):
    from grading.github import setup

    template = gh.add_repo("course/ml-course-template", is_template=True)
    learner = gh.add_repo(REPO, template_of="course/ml-course-template")
    learner.labels["passed"] = {"name": "passed", "color": "000000", "description": "old"}
    ev = event("pull_request.opened", tmp_path / "event.json", head_sha=sha(1), base_sha=sha(0))
    github_env(monkeypatch, gh, ev, tmp_path / "summary.md")
    for _ in range(2):
        assert setup.run(course) == 0
    assert learner.labels["passed"]["color"] == "0e8a16"
    assert {"exercise", "module-5", "tampered", "progress", "mentor-review"} <= set(learner.labels)
    assert "**0 of 25 items passed.**" in tracker_body(learner)
    monkeypatch.setenv("GITHUB_REPOSITORY", "course/ml-course-template")
    assert setup.run(course) == 0
    assert template.issues == {} and template.labels == {}
    assert "nothing to set up" in (tmp_path / "summary.md").read_text()


NB_BASE = "def validate(df):\n    raise NotImplementedError\n\n\ndef test_finds_duplicated_sale():\n    assert validate(1) == 2\n"


def test_tampering_is_rechecked_from_the_api_not_taken_from_the_artifact(monkeypatch, tmp_path, gh, course):
    """The artifact comes from the PR's code, which the PR can rewrite: `course post` lists the
    PR's files and compares the visible tests itself."""
    repo = gh.add_repo(REPO)
    forged = report("passed", tampered_paths=[])  # what a rewritten `course ci` would claim
    a = gh.add_pull(repo, author="learner", head_sha=sha(101), files=[NOTEBOOK, ".github/workflows/grade.yml"])
    run_post(monkeypatch, tmp_path, gh, course, [forged], pr=a, head=sha(101), name="a")
    assert "tampered" in gh.labels_on(repo, a) and "⚠️ not counted" in tracker_body(repo)
    assert "`.github/workflows/grade.yml`" in bot_comments(gh, repo, a, "1.1")[0]["body"]

    b = gh.add_pull(repo, author="learner", head_sha=sha(102), base_sha=sha(100), files=[NOTEBOOK])
    repo.contents[(sha(100), NOTEBOOK)] = NB_BASE.encode()
    repo.contents[(sha(102), NOTEBOOK)] = NB_BASE.replace("    raise NotImplementedError", "    return 2").replace(
        "assert validate(1) == 2", "assert True").encode()
    rc, summary = run_post(monkeypatch, tmp_path, gh, course, [forged], pr=b, head=sha(102), name="b")
    assert rc == 0
    assert f"{NOTEBOOK}::test_finds_duplicated_sale" in summary
    assert "tampered" in gh.labels_on(repo, b)
    assert "- [ ] **1.1**" in tracker_body(repo)

    c = gh.add_pull(repo, author="learner", head_sha=sha(103), base_sha=sha(100), files=[NOTEBOOK])
    repo.contents[(sha(103), NOTEBOOK)] = (NB_BASE.replace("    raise NotImplementedError", "    return 2")
                                           + "\n\ndef test_my_extra():\n    assert True\n").encode()
    run_post(monkeypatch, tmp_path, gh, course, [report("passed")], pr=c, head=sha(103), name="c")
    assert "tampered" not in gh.labels_on(repo, c), "solving the exercise and adding tests is fine"
    assert "- [x] **1.1**" in tracker_body(repo)


def test_a_report_for_an_item_the_pr_does_not_change_is_rejected(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    n = gh.add_pull(repo, author="learner", head_sha=sha(111), files=["README.md"])
    rc, summary = run_post(monkeypatch, tmp_path, gh, course, [report("passed")], pr=n, head=sha(111))
    assert rc == 0
    assert "a report for 1.1, which this pull request does not change" in summary
    assert not bot_comments(gh, repo, n, "1.1")
    body = bot_comments(gh, repo, n, "pull-request")[0]["body"]
    assert "could not be graded" in body and "does not change item 1\\.1" in body
    assert not any("pr" not in it for it in repo.issues.values()), "nothing recorded"
