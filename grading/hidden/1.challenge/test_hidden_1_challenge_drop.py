"""Hidden checks of challenge 1: the validator's report on three hidden drops and a clean one."""

from __future__ import annotations

import coursedata
import pytest

from grading.criteria import criterion
from grading.testing import Miss, caught, unwrap

LESSON = "01_data_engineering.py"
DROPS = ("new_drop", "drop_b", "drop_c", "drop_clean")
KEYS = ("missing_columns", "unexpected_columns", "type_problems", "quality", "drift", "accept")
ISSUES = ("missing_values", "duplicate_rows", "new_category", "out_of_range", "unit_change")
CONTRACT = [
    "sale_id", "sale_date", "marketplace", "set_code", "set_name", "release_date", "card_number",
    "card_name", "species", "species_id", "card_type", "rarity", "mechanic", "card_hp", "attacks",
    "retreat_cost", "print_run", "language", "first_edition", "condition", "grading_company",
    "grade", "price_usd",
]
# Planted problems counted row by row (the unit change has its own check).
COUNTED = ("missing_values", "duplicate_rows", "new_category")


def checked(report, name: str) -> dict:
    if not isinstance(report, dict) or not set(KEYS) <= set(report):
        raise Miss(f"validate_drop() must return a dict with the keys {list(KEYS)}; on {name} it returned "
                   f"{type(report).__name__} {sorted(report)[:8] if isinstance(report, dict) else ''}.")
    for key in ("missing_columns", "unexpected_columns", "type_problems", "drift"):
        if not isinstance(report[key], list) or not all(isinstance(c, str) for c in report[key]):
            raise Miss(f'"{key}" must be a list of column names.')
    for f in report["quality"] if isinstance(report["quality"], list) else [None]:
        if (not isinstance(f, dict) or not {"column", "issue", "n_rows"} <= set(f) or f["issue"] not in ISSUES
                or not isinstance(f["column"], str) or not isinstance(f["n_rows"], int) or isinstance(f["n_rows"], bool)):
            raise Miss(f'Each "quality" finding must be {{"column": str, "issue": one of ISSUES, "n_rows": int}}; '
                       f'got {str(f)[:100]!r}.')
    if not isinstance(report["accept"], bool):
        raise Miss('"accept" must be True or False.')
    return report


@pytest.fixture(scope="session")
def reports(submission) -> dict[str, dict] | Miss:
    """The learner's reports, or the Miss to report (a raising fixture would be a grader fault)."""
    reference = coursedata.load_cards()
    return caught(lambda: {name: checked(submission.validate_drop(coursedata.load_drop(name), reference), name) for name in DROPS})


@pytest.fixture(scope="session")
def truth() -> dict[str, dict]:
    return {name: coursedata.load_drop_truth(name) for name in DROPS}


def quality_columns(report: dict, issue: str | None = None) -> dict[str, int]:
    return {f["column"]: int(f["n_rows"]) for f in report["quality"] if issue is None or f["issue"] == issue}


@criterion(id="schema_changes_found", points=15, title="Finds every missing and unexpected column",
           hint="Compare the drop's column names with the contract in both directions. A rename shows up twice: "
                "the old name is missing, the new one is unexpected. Do not guess renames away: report both.",
           lesson=f"{LESSON}#Schemas as contracts")
def test_schema_changes_found(reports):
    reports = unwrap(reports)
    for name in ("new_drop", "drop_b", "drop_c", "drop_clean"):
        columns = list(coursedata.load_drop(name).columns)
        missing, unexpected = sorted(set(CONTRACT) - set(columns)), sorted(set(columns) - set(CONTRACT))
        report = reports[name]
        if sorted(report["missing_columns"]) != missing or sorted(report["unexpected_columns"]) != unexpected:
            raise Miss(f"On a hidden drop, the missing or unexpected columns are not exactly right "
                       f"({len(missing)} missing and {len(unexpected)} unexpected expected).")


@criterion(id="type_changes_found", points=15, title="Finds columns whose type or coding changed",
           hint="A column can keep its name and change its meaning: timestamps instead of dates, 0/1 instead "
                "of True/False, 'PSA 9' in a number column, 'English' instead of 'en'. Parse every cell with the "
                "contract's kind (coursedata.schemas.parse) and check categories against `allowed`.", lesson=f"{LESSON}#Schemas as contracts")
def test_type_changes_found(reports, truth):
    reports = unwrap(reports)
    for name in ("new_drop", "drop_b"):
        schema = truth[name]["spec"]["schema"]
        changed = (set(schema.get("retyped", {})) | set(schema.get("recoded", {}))) - set(schema.get("renamed", {}))
        report = reports[name]
        seen = set(report["type_problems"]) | set(quality_columns(report))
        if changed - seen:
            raise Miss(f"On a hidden drop, {len(changed - seen)} column(s) changed type or coding and were not reported.")
    for name in ("drop_c", "drop_clean"):
        if reports[name]["type_problems"]:
            raise Miss(f"On a drop whose types are unchanged, `type_problems` listed {reports[name]['type_problems'][:4]}.")


@criterion(id="quality_problems_found", points=20, title="Finds missing values, duplicates and unseen categories",
           hint="Required columns (`nullable` False) must hold values; exact duplicate rows are re-sent sales; "
                "a category outside the contract's `allowed` is new even if it looks plausible. Count on the "
                "drop as it arrived: dropping duplicates or empty rows first hides the evidence.", lesson=f"{LESSON}#2. Data quality: find problems systematically")
def test_quality_problems_found(reports, truth):
    reports = unwrap(reports)
    report = reports["drop_c"]
    for planted in truth["drop_c"]["quality"]:
        issue = planted["issue"]
        if issue not in COUNTED:
            continue
        n = len(planted["sale_ids"])
        found = {c: k for c, k in quality_columns(report, issue).items()
                 if issue == "duplicate_rows" or c == planted["column"]}
        if not found:
            raise Miss(f"A hidden drop has {issue.replace('_', ' ')} that your report does not list.")
        count = max(found.values())
        if not n <= count <= n * 1.05 + 5:
            raise Miss(f"A hidden drop has {n} rows with {issue.replace('_', ' ')}; your report says {count}.")


@criterion(id="unit_change_found", points=10, title="Finds prices that silently changed unit",
           hint="Checking each value against the contract's range is not enough: numbers can be valid one by one "
                "and wrong together, when a whole segment of the data changed how it is measured. Compare the drop "
                "with the training data segment by segment, with a statistic the tail cannot move, and ask what "
                "size of ratio a market could explain.", lesson=f"{LESSON}#Questions to think about")
def test_unit_change_found(reports):
    reports = unwrap(reports)
    if "price_usd" not in quality_columns(reports["drop_c"]):
        raise Miss("A hidden drop holds prices that pass the contract one by one but are wrong together; "
                   "your report has no quality finding on price_usd.")


@criterion(id="drift_found", points=15, title="Flags the columns that drifted",
           hint="One drift metric is not enough: PSI bins by the reference deciles and cannot see a shift that "
                "keeps values inside them. Pair PSI with a test that compares whole distributions (KS) for "
                "numbers; PSI or chi-square for categories.", lesson=f"{LESSON}#5. Drift: does new data describe the same world?")
def test_drift_found(reports, truth):
    reports = unwrap(reports)
    for name in ("new_drop", "drop_b", "drop_c"):
        missed = set(truth[name]["drifted"]) - set(reports[name]["drift"])
        if missed:
            shown = f" ({sorted(missed)})" if name == "new_drop" else ""
            raise Miss(f"On {'new_drop' if name == 'new_drop' else 'a hidden drop'}, {len(missed)} drifted column(s) "
                       f"were not flagged{shown}.")


@criterion(id="no_false_drift", points=10, title="Flags only columns that really moved",
           hint="Compare only DRIFT_COLUMNS (sale dates and ids always differ), and use thresholds made for "
                "thousands of rows (PSI > 0.1, KS p < 0.001): p < 0.05 on every column flags noise.", lesson=f"{LESSON}#5. Drift: does new data describe the same world?")
def test_no_false_drift(reports, truth):
    reports = unwrap(reports)
    for name in ("new_drop", "drop_b", "drop_c"):
        t = truth[name]
        schema = t["spec"]["schema"]
        allowed = set(t["moved"]) | {q["column"] for q in t["quality"]} | set(schema.get("retyped", {})) \
            | set(schema.get("recoded", {})) | set(schema.get("renamed", {})) | set(schema.get("renamed", {}).values())
        extra = set(reports[name]["drift"]) - allowed
        if extra:
            raise Miss(f"On a drop, {len(extra)} column(s) flagged as drifted did not move: {sorted(extra)[:4]}.")


@criterion(id="clean_drop_quiet", points=15, title="Stays quiet on a drop where nothing changed",
           hint="A validator that cries wolf gets switched off. Check only what the contract forbids (rare is not "
                "invalid: a $20,000 card, a grade of 1), and no outlier rules (z-scores) on heavy-tailed prices.",
           lesson=f"{LESSON}#2. Data quality: find problems systematically")
def test_clean_drop_quiet(reports):
    reports = unwrap(reports)
    report = reports["drop_clean"]
    noisy = {k: report[k] for k in ("missing_columns", "unexpected_columns", "type_problems", "quality", "drift") if report[k]}
    if noisy:
        key, value = next(iter(noisy.items()))
        raise Miss(f"On a drop in which nothing changed, the report's `{key}` is not empty: {str(value)[:160]}.")
    if report["accept"] is not True:
        raise Miss("On a drop in which nothing changed, `accept` must be True.")


@criterion(id="verdicts", points=5, title="Rejects broken drops, but not for drift alone",
           hint="`accept` is False when there is any schema, type or quality problem, and only then: drift is "
                "news for the modellers, not broken data.", lesson=f"{LESSON}#Questions to think about")
def test_verdicts(reports):
    reports = unwrap(reports)
    for name in ("new_drop", "drop_b", "drop_c"):
        if reports[name]["accept"] is not False:
            raise Miss("A drop with schema or quality problems was accepted.")
