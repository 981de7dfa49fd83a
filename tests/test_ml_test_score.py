"""The ML Test Score beside the capstone's grade (grading/ml_test_score.py): the reference scores well on
what can be detected, the scaffold scores 0, one mutation loses exactly its test, the final score is the
lowest section, and everything stored in a report is escaped where it is rendered. Static: no training."""

from __future__ import annotations

import io
import re

import jsonschema
import pytest
from pydantic import ValidationError
from rich.console import Console

from grading import cases
from grading import ml_test_score as mts
from grading.capstone_item import case_folder, strip_folder
from grading.github.post import rubric_checklist
from grading.render import to_markdown, to_terminal
from grading.report import Criterion, MLTest, MLTestScore, Report, json_schema
from tests.conftest import ROOT

REFERENCE = ROOT / "capstone"
CRITERIA = sorted({i for p in (ROOT / "grading" / "hidden" / "capstone").glob("test_*.py")
                   for i in re.findall(r'@criterion\(id="([a-z]+\.[a-z_]+)"', p.read_text(encoding="utf-8"))})


def criteria(passed: bool = True, failed: tuple[str, ...] = ()) -> list[Criterion]:
    """The capstone's criteria as the grader reports them: all passed (as `course verify` proves of the
    reference) or all failed (the scaffold), with `failed` failing regardless."""
    ok = {i: passed and i not in failed for i in CRITERIA}
    return [Criterion(id=i, title=i, points=float(ok[i]), max_points=1, passed=ok[i], visibility="hidden") for i in CRITERIA]


def found(score: MLTestScore) -> dict[str, str]:
    return {t.id: t.status for t in score.tests}


@pytest.fixture(scope="module")
def reference() -> MLTestScore:
    return mts.detect(REFERENCE, criteria())


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory) -> MLTestScore:
    folder = strip_folder(REFERENCE, tmp_path_factory.mktemp("scaffold") / "capstone")
    return mts.detect(folder, criteria(passed=False))


def test_the_table_is_the_papers_four_sections_of_seven():
    assert len(CRITERIA) == 15
    assert len(mts.TESTS) == 28 and len(mts.BY_ID) == 28
    for key in mts.SECTIONS:
        assert [t.id for t in mts.TESTS if t.section == key] == [f"{key}.{n}" for n in range(1, 8)]
    assert mts.BY_ID["data.1"].title == "Feature expectations are captured in a schema"
    assert mts.BY_ID["model.5"].title == "A simpler model is not better"
    assert mts.BY_ID["infra.7"].title == "Serving models can be rolled back"
    assert mts.BY_ID["monitor.3"].title == "Training and serving features compute the same values"


def test_the_reference_scores_well_on_what_can_be_detected(reference):
    got = found(reference)
    assert [t.id for t in reference.tests] == [t.id for t in mts.TESTS]
    for tid in ("data.1", "data.7", "model.5", "infra.1", "infra.2", "infra.3", "monitor.2", "monitor.3", "monitor.6"):
        assert got[tid] == "automated", (tid, got[tid])
    for tid in ("model.4", "model.6", "infra.4", "infra.7", "monitor.4", "monitor.7"):
        assert got[tid] == "documented", (tid, got[tid])
    assert "missing" not in got.values(), [t for t, s in got.items() if s == "missing"]
    sums = mts.section_sums(reference)
    assert sums == {"data": 2.5, "model": 2.0, "infra": 4.0, "monitor": 4.0}
    assert mts.final(reference) == 2.0
    # what no program can judge goes to the mentor, and only that
    assert {t.id for t in mts.for_mentor(reference)} == {tid for tid, s in got.items() if s == "mentor"}
    assert {"data.5", "model.7", "monitor.1"} <= {t.id for t in mts.for_mentor(reference)}


def test_the_scaffold_scores_zero_in_every_section(scaffold):
    assert mts.section_sums(scaffold) == dict.fromkeys(mts.SECTIONS, 0.0)
    assert mts.final(scaffold) == 0
    assert "research project" in mts.band(mts.final(scaffold))
    assert not {s for s in found(scaffold).values()} - {"missing", "mentor"}


def test_the_scaffold_folder_alone_earns_nothing_even_if_every_criterion_passed(tmp_path):
    """The static detectors do not reward what the scaffold ships (its /metrics, its test skeletons)
    beyond what the grader's criteria vouch for: with every criterion passed, the stub docs still earn
    no documented test."""
    folder = strip_folder(REFERENCE, tmp_path / "capstone")
    got = found(mts.detect(folder, criteria()))
    assert got["infra.7"] == "missing" and got["monitor.4"] == "missing" and got["monitor.7"] == "missing"
    assert got["model.6"] == "missing" and got["monitor.6"] != "automated"


def test_a_runbook_without_rollback_loses_exactly_that_test(reference, tmp_path):
    """The known-wrong capstone of `course verify` (its patch, and the criteria it is declared to miss)."""
    case = ROOT / "grading" / "hidden" / "capstone" / "wrong" / "runbook_without_rollback.patch"
    folder = case_folder(REFERENCE, case, tmp_path / "capstone")
    assert "## Rollback" not in (folder / "docs" / "runbook.md").read_text(encoding="utf-8")
    score = mts.detect(folder, criteria(failed=tuple(cases.expectations(case.read_text(encoding="utf-8")))))
    mutated, before = found(score), found(reference)
    assert {t for t in before if before[t] != mutated[t]} == {"infra.7"}
    assert (before["infra.7"], mutated["infra.7"]) == ("documented", "missing")
    assert mts.section_sums(score)["infra"] == mts.section_sums(reference)["infra"] - 0.5


def test_a_failed_criterion_loses_exactly_the_tests_it_vouches_for(reference):
    got = found(mts.detect(REFERENCE, criteria(failed=("data.reproducible",))))
    before = found(reference)
    assert {t for t in before if before[t] != got[t]} == {"infra.1"} and got["infra.1"] == "missing"
    got = found(mts.detect(REFERENCE, criteria(failed=("features.no_skew",))))
    assert {t for t in before if before[t] != got[t]} == {"monitor.3", "data.7"}


def score_of(**statuses: str) -> MLTestScore:
    return MLTestScore(tests=[MLTest(id=tid.replace("_", "."), status=s) for tid, s in statuses.items()])


def test_the_final_score_is_the_lowest_sections_sum():
    everything = MLTestScore(tests=[MLTest(id=t.id, status="automated") for t in mts.TESTS])
    assert mts.section_sums(everything) == dict.fromkeys(mts.SECTIONS, 7.0) and mts.final(everything) == 7
    # data 1 + 0.5 = 1.5, model 1, infra 3 × 1 = 3, monitoring 2 × 0.5 = 1 → the score is 1
    s = score_of(data_1="automated", data_2="documented", data_3="mentor", model_5="automated",
                 infra_1="automated", infra_2="automated", infra_3="automated",
                 monitor_6="documented", monitor_7="documented")
    assert mts.section_sums(s) == {"data": 1.5, "model": 1.0, "infra": 3.0, "monitor": 1.0}
    assert mts.final(s) == 1.0
    assert mts.band(1.0) == "not totally untested, but there may be serious holes in reliability"
    assert mts.band(2.5).startswith("reasonably tested") and mts.band(6).startswith("exceptional")
    # a test left out counts as not found; an unknown id (a forged artifact) counts for nothing
    forged = MLTestScore(tests=[*everything.tests[:27], MLTest(id="monitor.8", status="automated")])
    assert mts.section_sums(forged)["monitor"] == 6.0 and mts.final(forged) == 6.0
    assert "monitor.8" not in mts.statuses(forged)


HOSTILE = "<img src=x onerror=alert(1)> @mentor [click](https://evil.example) | <!-- course-grader:capstone --> `x`"


def hostile_report() -> Report:
    tests = [MLTest(id=t.id, status="mentor" if t.id == "data.5" else "documented", evidence=HOSTILE) for t in mts.TESTS]
    tests.append(MLTest(id="evil <b>id</b> @someone", status="automated", evidence=HOSTILE))
    return Report(item="capstone", title="Capstone", submission="capstone", status="passed", summary="ok",
                  score=90, max_score=100, pass_threshold=0.8, criteria=criteria(), ml_test_score=MLTestScore(tests=tests))


def assert_escaped(body: str) -> None:
    """No HTML, link, mention or second marker survives from the stored evidence."""
    assert not re.search(r"(?<!\\)<(img|b>|!--)", body.split("\n", 1)[1]), body
    assert not re.search(r"(?<!\\)\[click(?<!\\)\]\(", body) and "@mentor" not in body


def test_the_pr_comment_shows_the_score_beside_the_grade_and_escapes_the_evidence():
    body = to_markdown(hostile_report())
    assert "**ML Test Score** (Breck et al. 2017; production readiness beside the grade, not part of it): **3**" in body
    assert "the lowest of Data 3 · Model 3.5 · Infrastructure 3.5 · Monitoring 3.5" in body
    assert "1 test is for your mentor to judge" in body
    assert body.count("| 📝 |") == 27 and body.count("| 🧑‍🏫 |") == 1
    assert_escaped(body)
    assert "someone" not in body and "evil" not in body.replace("evil\\.example", "")  # the forged id's row is dropped
    assert "Passed: **90/100**" in body  # the grade is unchanged


def test_the_mentor_checklist_lists_what_was_not_detected_escaped():
    body = rubric_checklist(hostile_report(), ["coach"])
    assert "**ML Test Score: 3 detected**" in body
    assert "- [ ] Data 5: The data pipeline has appropriate privacy controls (" in body
    assert body.count("- [ ] Data") == 1  # only the undetected test
    assert_escaped(body)
    assert "someone" not in body


def test_the_terminal_report_has_the_score_line():
    console = Console(file=io.StringIO(), width=200, color_system=None)
    to_terminal(hostile_report(), console)
    out = console.file.getvalue()
    assert "ML Test Score 3 (the lowest section; Data 3/7 · Model 3.5/7 · Infrastructure 3.5/7 · Monitoring 3.5/7)" in out
    assert "1 test for your mentor to judge" in out


def test_reports_without_the_score_render_as_before(reference):
    r = hostile_report().model_copy(update={"ml_test_score": None})
    assert "ML Test Score" not in to_markdown(r) and "ML Test Score" not in rubric_checklist(r, [])


def test_the_report_schema_is_current_and_carries_the_score(report_schema, reference):
    assert report_schema == json_schema()
    r = hostile_report().model_copy(update={"ml_test_score": reference})
    data = r.model_dump(mode="json")
    jsonschema.validate(data, report_schema)
    assert Report.model_validate(data).ml_test_score == reference
    bad = dict(data, ml_test_score={"tests": [{"id": "data.1", "status": "perfect"}]})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, report_schema)
    flood = dict(data, ml_test_score={"tests": [{"id": "data.1", "status": "automated"}] * 61})
    with pytest.raises(ValidationError):  # a forged artifact cannot make the comment long
        Report.model_validate(flood)



def test_grading_the_capstone_puts_the_score_beside_the_grade(monkeypatch, tmp_path):
    """grade_capstone's wiring, with the learner process and the hidden checks faked (no training here):
    the report carries the score detected from the folder and the criteria the checks returned, and
    the 100 points are the criteria's alone."""
    import types

    from grading import capstone_item, hidden_run, lint, sandbox
    from grading.catalog import Course
    from grading.engine import Grader
    from grading.report import Lint

    class Session:
        def __init__(self, submission, budget):
            self.workdir, self.budget, self.cpu_used, self.submission = tmp_path, budget, 0.0, submission

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def start(self):
            pass

        def load(self):
            return {}

    measured = criteria(failed=("data.reproducible",))
    monkeypatch.setattr(capstone_item, "LearnerSession", Session)
    monkeypatch.setattr(hidden_run, "run_hidden", lambda *a, **k: [c.model_copy() for c in measured])
    monkeypatch.setattr(lint, "ruff", lambda *a, **k: Lint(ran=True))
    monkeypatch.setattr(sandbox, "isolation", lambda: types.SimpleNamespace(level="full"))
    course = Course.load(ROOT)
    r = capstone_item.grade_capstone(Grader(course, course.items["capstone"], REFERENCE))
    assert r.ml_test_score == mts.detect(REFERENCE, measured)
    assert found(r.ml_test_score)["infra.1"] == "missing" and mts.final(r.ml_test_score) == 2.0
    assert r.score == round(100 * 14 / 15, 1)  # 14 of the 15 (equally weighted here) criteria: the score is not in it
