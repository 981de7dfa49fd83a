"""The two practical exams: notebooks check and run headless in budget, their hidden criteria cite real
lesson headings, the release ships them as stubs without hidden truth, and the exam clock works."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grading.cases import case_files
from grading.catalog import Course
from grading.lessons import unresolved
from grading.release import release

ROOT = Path(__file__).resolve().parent.parent
EXAMS = ("week1.exam", "week2.exam")
HEADLESS_BUDGET = 90  # seconds, the limit for a headless run
COURSE = [sys.executable, "-c", "from grading.cli import main; main()"]


@pytest.fixture(scope="module")
def course() -> Course:
    return Course.load(ROOT)


def test_exams_are_ready_with_cases(course):
    for item_id in EXAMS:
        item = course.items[item_id]
        assert item.kind == "exam" and item.status == "ready" and item.path.startswith("exams/")
        hidden = ROOT / item.hidden_dir
        assert len(case_files(hidden / "wrong")) >= 5, item_id
        assert len(case_files(hidden / "valid")) >= 2, item_id
    assert course.items["week1.exam"].minutes == 90


@pytest.mark.parametrize("item_id", EXAMS)
def test_marimo_check_passes(course, item_id):
    path = ROOT / course.items[item_id].path
    proc = subprocess.run([sys.executable, "-m", "marimo", "check", str(path)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("item_id", EXAMS)
def test_runs_headless_within_budget(course, item_id):
    path = ROOT / course.items[item_id].path
    env = dict(os.environ, OMP_NUM_THREADS="1")  # as in the grader's sandbox
    start = time.monotonic()
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    seconds = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert seconds <= HEADLESS_BUDGET, f"{path.name} took {seconds:.0f} s headless (budget {HEADLESS_BUDGET} s)"


def _resolved(test_file: Path) -> dict[str, str]:
    """Module-level string constants of a hidden test file, f-strings evaluated against the earlier ones."""
    names: dict[str, str] = {}
    for node in ast.parse(test_file.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = eval(compile(ast.Expression(node.value), str(test_file), "eval"), {}, dict(names))
            except Exception:  # noqa: BLE001 - only plain string constants matter here
                continue
            if isinstance(value, str):
                names[node.targets[0].id] = value
    return names


def test_lesson_references_resolve_to_headings(course):
    for item_id in EXAMS:
        test_file = next((ROOT / course.items[item_id].hidden_dir).glob("test_*.py"))
        for ref in (v for v in _resolved(test_file).values() if v.startswith("modules/") and "#" in v):
            assert unresolved(ref, ROOT) is None, f"{item_id}: {ref}: {unresolved(ref, ROOT)}"


@pytest.fixture(scope="module")
def released(course, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "learner"
    release(course, out)
    return out


def test_release_ships_exam_stubs_without_hidden_truth(course, released):
    for item_id in EXAMS:
        item = course.items[item_id]
        stub = (released / item.path).read_text(encoding="utf-8")
        source = (ROOT / item.path).read_text(encoding="utf-8")
        assert "### BEGIN SOLUTION" not in stub and "### BEGIN SOLUTION" in source
        for name in item.functions:
            assert f'raise NotImplementedError("Exercise {item_id}: implement {name}()")' in stub, name
        for name in item.written:
            assert f'{name} = ""' in stub, name
        assert not (released / item.hidden_dir).exists()
    assert not (released / "grading" / "hidden").exists()
    assert not (released / "exams" / "started").exists()
    # Nothing of the hidden truth: planted driver weights, intercepts, the reference's own insight texts.
    truth = json.loads((ROOT / "grading/hidden/data/exams/churn_truth.json").read_text(encoding="utf-8"))
    credit = json.loads((ROOT / "grading/hidden/data/exams/credit_truth.json").read_text(encoding="utf-8"))
    secrets = [str(truth["intercept"]), str(credit["intercept"]), "send a win-back message after two weeks",
               "Logistic regression on eleven engineered numeric features"]
    for path in released.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".md", ".json", ".toml", ".csv", ".yaml", ".yml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for secret in secrets:
                assert secret not in text, f"{secret!r} leaked into {path.relative_to(released)}"


@pytest.mark.parametrize("item_id", EXAMS)
def test_released_stub_passes_marimo_check(course, released, item_id):
    path = released / course.items[item_id].path
    proc = subprocess.run([sys.executable, "-m", "marimo", "check", str(path)], capture_output=True, text=True, cwd=released)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture
def learner_repo(tmp_path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "course.toml", repo / "course.toml")
    for args in (["init", "-q"], ["config", "user.email", "l@example.com"], ["config", "user.name", "Learner"],
                 ["add", "course.toml"], ["commit", "-q", "-m", "template"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    return repo


def test_exam_start_records_and_commits_once(learner_repo):
    first = subprocess.run([*COURSE, "exam", "start", "week1.exam"], cwd=learner_repo, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    record_file = learner_repo / "exams" / "started" / "week1.exam.json"
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert record["item"] == "week1.exam" and record["limit_minutes"] == 90
    started = dt.datetime.fromisoformat(record["started_at"])
    assert abs((dt.datetime.now(dt.UTC) - started).total_seconds()) < 120
    log = subprocess.run(["git", "log", "--format=%s", "--", "exams/started/week1.exam.json"], cwd=learner_repo,
                         capture_output=True, text=True).stdout
    assert log.strip() == "Start week1.exam"
    again = subprocess.run([*COURSE, "exam", "start", "week1.exam"], cwd=learner_repo, capture_output=True, text=True)
    assert again.returncode == 0 and "already started" in again.stdout
    assert json.loads(record_file.read_text(encoding="utf-8")) == record


def test_exam_start_refuses_other_items(learner_repo):
    proc = subprocess.run([*COURSE, "exam", "start", "1.1"], cwd=learner_repo, capture_output=True, text=True)
    assert proc.returncode == 2 and "not a practical exam" in proc.stderr


def test_report_line_shows_time_against_the_limit(learner_repo):
    from grading.exam_clock import report_criterion, start_file

    course = Course.load(learner_repo)
    item = course.items["week1.exam"]
    notebook = learner_repo / item.path
    notebook.parent.mkdir(parents=True, exist_ok=True)
    notebook.write_text("# work in progress\n", encoding="utf-8")  # uncommitted: the end is now
    line = report_criterion(course, item, notebook)
    assert line.passed and line.max_points == 0 and "No start recorded" in line.feedback

    path = start_file(course, item)
    path.parent.mkdir(parents=True, exist_ok=True)
    for minutes_ago, expected in ((30, "within the limit"), (120, "30 min over the limit")):
        started = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=minutes_ago)
        path.write_text(json.dumps({"item": item.id, "started_at": started.isoformat()}), encoding="utf-8")
        line = report_criterion(course, item, notebook)
        assert line.passed and line.points == 0, line
        assert f"{minutes_ago} min of 90" in line.feedback and expected in line.feedback, line.feedback
        assert "not committed yet" in line.feedback
