"""`course certificate`: eligibility from canonical (regrade) reports, the missing list, escaping, the CLI."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from grading import certificate as cert
from grading.catalog import Course
from grading.report import Report

WHEN = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> *x* [l](http://e) \x1b[31m"


@pytest.fixture
def course() -> Course:
    c = Course.load()
    return c.model_copy(update={"course": c.course.model_copy(update={"mentors": ["mentor-ann"]})})


def _report(item, score: float | None = None, status: str = "passed", provisional: bool = False) -> Report:
    return Report(item=item.id, title=item.title, submission=item.path, status=status, summary="",
                  score=item.points if score is None else score, max_score=item.points,
                  pass_threshold=0.8, provisional=provisional)


def _learner(tmp_path: Path, course: Course, **override: Report) -> tuple[Path, Path]:
    """A learner checkout (a git repo whose last commit's author is hostile) and its regrade reports."""
    learner = tmp_path / "learner"
    learner.mkdir()
    (learner / "course.toml").write_text((course.root / "course.toml").read_text(encoding="utf-8"), encoding="utf-8")
    env = {"GIT_AUTHOR_NAME": HOSTILE, "GIT_AUTHOR_EMAIL": "l@x", "GIT_COMMITTER_NAME": "c",
           "GIT_COMMITTER_EMAIL": "c@x", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "init", "-q", str(learner)], check=True, env=env)
    subprocess.run(["git", "-C", str(learner), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(learner), "commit", "-qm", "work"], check=True, env=env)
    reports = tmp_path / "reports"
    for item in course.item:
        if item.status == "ready" or item.kind == "capstone":
            r = override.get(item.id) or _report(item, 90 if item.kind == "capstone" else None)
            r.write(reports / f"{item.id}.json")
    return learner, reports


def test_all_conditions_met_is_eligible(course, tmp_path):
    _, reports = _learner(tmp_path, course)
    assert cert.eligibility(course, cert.load_reports(reports), "mentor-ann").missing == []


def test_missing_lists_each_reason(course, tmp_path):
    items = course.items
    _, reports = _learner(tmp_path, course, **{
        "1.2": _report(items["1.2"], 3, status="failed"),
        "week1.quiz": _report(items["week1.quiz"], items["week1.quiz"].points * 0.5, status="failed"),
        "capstone": _report(items["capstone"], 80),
    })
    (reports / "2.1.json").unlink()
    missing = cert.eligibility(course, cert.load_reports(reports), None).missing
    assert f"item 1.2: failed, 3/{items['1.2'].points:g}" in missing[0]
    assert any(m.startswith("item 2.1: no canonical result") for m in missing)
    assert any(m.startswith("item week1.quiz: failed") for m in missing)
    assert "capstone: 80/100, 80 %, needs above 80 %" in missing
    assert any(m.startswith("checkpoint1: week1.quiz at 80 % or more") for m in missing)
    assert missing[-1] == "no mentor approval (run with --mentor LOGIN)"
    assert not any(m.startswith("checkpoint2") for m in missing)


def test_unlisted_mentor_and_provisional_are_missing(course, tmp_path):
    _, reports = _learner(tmp_path, course, **{"3.1": _report(course.items["3.1"], provisional=True)})
    missing = cert.eligibility(course, cert.load_reports(reports), "<b>eve</b>").missing
    assert any(m.startswith("item 3.1: provisional") for m in missing)
    assert missing[-1] == "no mentor approval: &lt;b&gt;eve&lt;/b&gt; is not in course.toml mentors (mentor-ann)"


def test_escape_leaves_nothing_active():
    out = cert.escape(HOSTILE)
    assert "<" not in out and "\x1b" not in out and "](" not in out
    html = cert.to_html(f"- {out}\n", "t")
    assert "<script>" not in html and "<a " not in html and "&lt;script&gt;" in html


def test_issued_certificate_names_mentor_skills_and_is_escaped(course, tmp_path):
    learner, reports = _learner(tmp_path, course)
    out = tmp_path / "out"
    code = cert.main(course, learner, reports_dir=reports, mentor="mentor-ann", out_dir=out,
                     console=Console(file=open("/dev/null", "w")), when=WHEN)
    assert code == 0
    md = (out / "certificate.md").read_text(encoding="utf-8")
    print(md)
    assert "Approved by mentor: mentor\\-ann" in md
    for skill in course.skill:
        assert cert.escape(skill.title) in md
    assert "Deploy models behind APIs: proved by 5\\.1" not in md  # item ids are course data, not escaped
    assert "Deploy models behind APIs: proved by 5.1 (" in md
    assert "<script>" not in md
    html = (out / "certificate.html").read_text(encoding="utf-8")
    # git drops <> from an author name; the rest of it (links, emphasis, escapes) stays inert.
    assert "Review others' ML code: proved by 4.challenge" in md
    assert "<table>" in html and "<script" not in html and "<a " not in html and "<em>" not in html
    assert "Learner: scriptalert(1)/script *x* [l](http://e) \ufffd[31m &lt;l@x&gt;" in html


def test_cli_not_eligible_exit_1_and_usage_exit_2(course, tmp_path, monkeypatch):
    from grading import cli

    monkeypatch.setattr(cli, "_course", lambda: course)
    learner, reports = _learner(tmp_path, course, **{"capstone": _report(course.items["capstone"], 50)})
    runner = CliRunner()
    res = runner.invoke(cli.app, ["certificate", str(learner), "--reports", str(reports), "--out", str(tmp_path / "o"),
                                  "--mentor", "mentor-ann"])
    assert res.exit_code == 1, res.output
    assert "capstone: 50/100, 50 %, needs above 80 %" in res.output
    assert not (tmp_path / "o").exists()
    res = runner.invoke(cli.app, ["certificate", str(learner), "--reports", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    (reports / "capstone.json").unlink()
    _report(course.items["capstone"], 95).write(reports / "capstone.json")
    res = runner.invoke(cli.app, ["certificate", str(learner), "--reports", str(reports), "--out", str(tmp_path / "o"),
                                  "--mentor", "mentor-ann"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "certificate.html").is_file()
