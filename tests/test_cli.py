"""The `course` command end to end on exercise 1.1: exit codes, report contract, feedback."""

from __future__ import annotations

import json

import jsonschema
import pytest

from grading.catalog import Course
from grading.release import strip_solutions
from tests.conftest import ROOT, run_course

SOLUTION = ROOT / "modules/01_data_engineering/ex_1_1_break_the_data.py"


def test_list_shows_the_whole_course():
    proc = run_course("list")
    assert proc.returncode == 0
    for item in Course.load(ROOT).item:
        assert item.id in proc.stdout


def test_unknown_id_exits_2_and_lists_valid_ids():
    proc = run_course("check", "9.9")
    assert proc.returncode == 2
    assert "Unknown item id" in proc.stderr and "1.1" in proc.stderr and "capstone" in proc.stderr


def test_planned_item_without_a_notebook_gets_a_report_not_a_grade(tmp_path, report_schema):
    # Every planned item of course.toml has its files by now: plan one that has none (the CLI exits 2 on "planned").
    from grading.run import grade_safely

    course = Course.load(ROOT)
    planned = course.items["1.1"].model_copy(update={"status": "planned", "path": "modules/not_built_yet.py"})
    report, fault = grade_safely(course, planned, None)
    assert fault == "planned"
    out = tmp_path / "r.json"
    report.write(out)
    data = json.loads(out.read_text())
    jsonschema.validate(data, report_schema)
    assert data["status"] == "error" and "not built yet" in data["summary"]


def test_solution_scores_full_marks(tmp_path, report_schema):
    out = tmp_path / "r.json"
    proc = run_course("check", "1.1", "--submission", str(SOLUTION), "--json", str(out))
    report = json.loads(out.read_text())
    jsonschema.validate(report, report_schema)
    assert proc.returncode == 0, report["summary"]
    assert report["status"] == "passed" and report["score"] == report["max_score"] == 100
    assert not report["provisional"]
    hidden = [c for c in report["criteria"] if c["visibility"] == "hidden"]
    assert len(hidden) >= 8 and all(c["passed"] for c in hidden)
    assert report["execution"]["status"] == "ok"


@pytest.fixture(scope="module")
def stub_report(tmp_path_factory) -> tuple[int, dict, str]:
    tmp = tmp_path_factory.mktemp("stub")
    stub = tmp / SOLUTION.name
    stub.write_text(strip_solutions(SOLUTION.read_text(), "1.1"))
    out = tmp / "r.json"
    proc = run_course("check", "1.1", "--submission", str(stub), "--json", str(out), "--format", "md")
    return proc.returncode, json.loads(out.read_text()), proc.stdout


def test_stub_scores_zero_with_a_friendly_message(stub_report, report_schema):
    code, report, _ = stub_report
    jsonschema.validate(report, report_schema)
    assert code == 1
    assert report["score"] == 0 and report["status"] == "failed"
    assert "Not started yet" in report["summary"] and "NotImplementedError" in report["summary"]
    assert "break_data" in report["summary"] and "validate" in report["summary"]


def test_markdown_feedback_hides_hidden_test_internals(stub_report):
    _, _report, markdown = stub_report
    assert markdown.startswith("<!-- course-grader:1.1 -->")
    assert "Not started yet" in markdown
    hidden = (ROOT / "grading/hidden/1.1/test_hidden.py").read_text()
    assert "plant(" in hidden and "plant(" not in markdown and "assert_caught" not in markdown
    assert "50_010" not in markdown  # hidden data never shows


def test_crashing_submission_still_writes_a_valid_report(tmp_path, report_schema):
    crash = tmp_path / "crash.py"
    crash.write_text(SOLUTION.read_text().replace("    import numpy as np\n", "    import numpy as np\n    raise RuntimeError('boom at import')\n", 1))
    out = tmp_path / "r.json"
    proc = run_course("check", "1.1", "--submission", str(crash), "--json", str(out))
    report = json.loads(out.read_text())
    jsonschema.validate(report, report_schema)
    assert proc.returncode == 1
    assert report["status"] == "error" and report["score"] == 0
    assert "RuntimeError: boom at import" in report["summary"]


def test_function_trapped_in_a_cell_is_explained(tmp_path):
    source = SOLUTION.read_text().replace(
        "@app.function\ndef validate(cards: pd.DataFrame) -> list[dict]:",
        "@app.cell\ndef _(cards):\n    def validate(frame: pd.DataFrame) -> list[dict]:\n        return [] if len(cards) else []\n    return\n\n\ndef _unused(cards: pd.DataFrame) -> list[dict]:",
    )
    trapped = tmp_path / "trapped.py"
    trapped.write_text(source)
    out = tmp_path / "r.json"
    run_course("check", "1.1", "--submission", str(trapped), "--json", str(out))
    report = json.loads(out.read_text())
    assert report["status"] != "passed"
    feedback = " ".join(c["feedback"] for c in report["criteria"])
    assert "marimo saved `validate` as a cell" in feedback and "`cards`" in feedback
