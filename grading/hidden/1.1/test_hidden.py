"""Hidden checks of exercise 1.1: planted issues the learner has not seen, and clean data."""

import coursedata
import numpy as np
import pandas as pd
import pytest

from grading.criteria import criterion
from grading.testing import Miss, roundtrip

LESSON = "01_data_engineering.py"
CHECKS = {"missing", "duplicate", "out_of_range", "bad_category", "bad_date"}


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    return coursedata.load_cards().iloc[7_000:9_000].reset_index(drop=True)


def findings(result) -> dict[tuple[str, str], set[int]]:
    """Validate's output as {(check, column): rows}, or a Miss that says what shape is expected."""
    shape = 'validate() must return a list of dicts like {"check": "missing", "column": "card_name", "rows": [3, 7]}'
    if not isinstance(result, list):
        raise Miss(f"{shape}; it returned a {type(result).__name__}.")
    out: dict[tuple[str, str], set[int]] = {}
    for f in result:
        if not isinstance(f, dict) or not {"check", "column", "rows"} <= set(f):
            raise Miss(f"{shape}; one finding was {str(f)[:80]!r}.")
        if not isinstance(f["check"], str) or not isinstance(f["column"], str):
            raise Miss(f'"check" and "column" must be strings; one finding was {str(f)[:80]!r}.')
        if f["check"] not in CHECKS:
            raise Miss(f"{f['check']!r} is not one of CHECKS {sorted(CHECKS)}.")
        rows = f["rows"]
        if not isinstance(rows, list) or not all(isinstance(r, int) and not isinstance(r, bool) for r in rows):
            raise Miss('"rows" must be a list of int index labels.')
        out.setdefault((f["check"], f["column"]), set()).update(rows)
    return out


def assert_caught(result, planted: dict[tuple[str, str], set[int]], kind: str, also_allowed: set[int] = frozenset()) -> None:
    """Every planted row reported under its check; nothing else flagged but `also_allowed` rows."""
    found = findings(result)
    all_planted = set().union(*planted.values()) | set(also_allowed)
    for (check, column), rows in planted.items():
        got = found.get((check, column), set())
        if not rows <= got:
            raise Miss(f"{len(rows - got)} planted {kind} issue(s) in column `{column}` were not reported as `{check}`.")
        if got - all_planted:
            raise Miss(f"`{check}` on `{column}` also flagged {len(got - all_planted)} valid row(s).")


def frame_of(broken) -> pd.DataFrame:
    if not isinstance(broken, pd.DataFrame):
        raise Miss(f"break_data() must return a DataFrame; it returned {type(broken).__name__}.")
    if not set(clean_columns()) <= set(broken.columns):
        raise Miss("break_data() must return the cards with all their columns (and the planted issues).")
    return broken


def clean_columns() -> list[str]:
    return list(coursedata.load_cards().columns)


def recent_release(clean: pd.DataFrame, n: int) -> int:
    """The n-th row (label) of a card released after mid-2023: sold before its release, it is still
    inside the contract's sale_date bounds."""
    return int(clean.index[clean["release_date"] >= pd.Timestamp("2023-06-01")][n])


def plant(clean: pd.DataFrame, changes: list[tuple[int, str, object]]) -> pd.DataFrame:
    frame = clean.copy()
    for row, column, value in changes:
        if column in ("sale_date", "release_date"):
            date = frame.loc[row, "release_date"] + value if isinstance(value, pd.Timedelta) else pd.Timestamp(value)
            frame.loc[row, column] = date
        else:
            frame.loc[row, column] = value
    return frame


@criterion(id="no_false_alarms", points=10, title="No false alarms on clean data",
                       hint="Flag only what the contract forbids. Rare is not invalid: a $50,000 card, a grade of 1, "
                            "or an empty `grade` on an ungraded card are all valid. Outlier rules (z-scores, IQR) "
                            "raise alarms on healthy data.", lesson=f"{LESSON}#1. Data as code: the contract")
def test_no_false_alarms(submission):
    result = submission.validate(coursedata.load_cards().iloc[12_000:17_000])
    found = findings(result)
    if found:
        (check, column), rows = next(iter(found.items()))
        raise Miss(f"On the clean dataset your validator reported `{check}` on `{column}` ({len(rows)} rows).")


@criterion(id="catches_missing_values", points=10, title="Catches missing values, blank text included",
                       hint="`isna()` only sees NaN and None. Empty or whitespace-only strings are missing values "
                            "too, and every column outside OPTIONAL is required.", lesson=f"{LESSON}#2. Data quality: find problems systematically")
def test_catches_missing_values(submission, clean):
    frame = plant(clean, [(11, "set_name", None), (12, "set_name", None), (230, "condition", ""),
                          (804, "card_name", "   "), (1500, "price_usd", np.nan)])
    planted = {("missing", "set_name"): {11, 12}, ("missing", "condition"): {230},
               ("missing", "card_name"): {804}, ("missing", "price_usd"): {1500}}
    assert_caught(submission.validate(frame), planted, "missing-value")


@criterion(id="catches_duplicates", points=10, title="Catches duplicated sales by key",
                       hint="A duplicate is a repeated key, not only an identical row: the same `sale_id` re-listed "
                            "with another price is still the same sale. Use `duplicated(subset=KEY)` (reporting the "
                            "repeats, keep='first', or every copy, keep=False).", lesson=f"{LESSON}#2. Data quality: find problems systematically")
def test_catches_duplicates(submission, clean):
    relisted = clean.iloc[[40, 41]].copy()
    relisted["price_usd"] = relisted["price_usd"] * 1.1
    exact = clean.iloc[[900]]
    frame = pd.concat([clean, relisted, exact], ignore_index=True)
    n = len(clean)
    # The task allows both readings: the repeats only (keep='first') or every copy (keep=False).
    assert_caught(submission.validate(frame), {("duplicate", "sale_id"): {n, n + 1, n + 2}}, "duplicate",
                  also_allowed={40, 41, 900})


@criterion(id="catches_out_of_range", points=10, title="Catches out-of-range numbers at both ends",
                       hint="Check every column in RANGES against both bounds of the contract (not bounds learned "
                            "from the data, and not statistical outliers).", lesson=f"{LESSON}#1. Data as code: the contract")
def test_catches_out_of_range(submission, clean):
    frame = plant(clean, [(5, "grade", 11.0), (77, "retreat_cost", 7), (301, "price_usd", 0.0),
                          (1203, "card_hp", 1000), (1999, "print_run", -100)])
    planted = {("out_of_range", "grade"): {5}, ("out_of_range", "retreat_cost"): {77},
               ("out_of_range", "price_usd"): {301}, ("out_of_range", "card_hp"): {1203},
               ("out_of_range", "print_run"): {1999}}
    assert_caught(submission.validate(frame), planted, "out-of-range")


@criterion(id="catches_bad_categories", points=10, title="Catches misspelt categories exactly",
                       hint="Compare values exactly with the allowed set. Lower-casing or stripping before you "
                            "compare hides the very inconsistencies ('Holo rare', 'PSA ') that split a group-by "
                            "into two groups.", lesson=f"{LESSON}#2. Data quality: find problems systematically")
def test_catches_bad_categories(submission, clean):
    frame = plant(clean, [(3, "rarity", "holo rare"), (64, "condition", "Near Mint"),
                          (650, "grading_company", "PSA "), (1777, "language", "EN"), (1888, "marketplace", "Ebay")])
    planted = {("bad_category", "rarity"): {3}, ("bad_category", "condition"): {64},
               ("bad_category", "grading_company"): {650}, ("bad_category", "language"): {1777},
               ("bad_category", "marketplace"): {1888}}
    assert_caught(submission.validate(frame), planted, "category")


@criterion(id="catches_bad_dates", points=10, title="Catches impossible dates",
                       hint="A date can be valid on its own and impossible in context: a sale before the card was "
                            "released, a sale after the contract's last day, a release before its first (DATES).",
                       lesson=f"{LESSON}#2. Data quality: find problems systematically")
def test_catches_bad_dates(submission, clean):
    # A card released in 2023 or later, sold 10 days before its release: inside the contract's sale_date
    # bounds, so only the rule across columns catches it.
    early = recent_release(clean, 0)
    frame = plant(clean, [(21, "sale_date", "2031-01-01"), (22, "release_date", "1989-05-01"),
                          (early, "sale_date", pd.Timedelta(days=-10))])
    planted = {("bad_date", "sale_date"): {21, early}, ("bad_date", "release_date"): {22}}
    assert_caught(submission.validate(frame), planted, "date")


@criterion(id="reports_index_labels", points=5, title="Reports index labels, not positions",
                       hint="`rows` must hold index labels (`frame.index[mask]`), which survive filtering and "
                            "sorting; positions (`np.where`, `range(len(...))`) point at the wrong rows as soon as "
                            "the index is not 0..n-1.", lesson=f"{LESSON}#Data quality checks")
def test_reports_index_labels(submission, clean):
    frame = clean.iloc[::-1].copy()
    frame.index = frame.index + 50_000
    frame = plant(frame, [(50_010, "card_name", None)])
    assert_caught(submission.validate(frame), {("missing", "card_name"): {50_010}}, "missing-value")


@criterion(id="break_data_plants_every_kind", points=10, title="break_data plants all five kinds",
                       hint="Plant one issue of each kind in CHECKS, each one the contract forbids, so that a "
                            "correct validator reports all five.", lesson=f"{LESSON}#Data quality checks")
def test_break_data_plants_every_kind(submission, clean, reference_validate):
    broken = frame_of(submission.break_data(clean, seed=11))
    kinds = {f["check"] for f in reference_validate(broken)}
    if kinds != CHECKS:
        raise Miss(f"A correct validator finds {sorted(kinds) or 'nothing'} in your output; missing: {sorted(CHECKS - kinds)}.")


@criterion(id="break_data_leaves_input_alone", points=5, title="break_data copies, never mutates",
                       hint="Work on `cards.copy()`: `frame.loc[...] = ...` on the argument changes the caller's "
                            "data, so the 'clean' frame you compare against is silently broken too.", lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_break_data_leaves_input_alone(submission, clean):
    _, (args_after, _) = submission.break_data.with_args(clean, seed=5)
    pd.testing.assert_frame_equal(args_after[0], roundtrip(clean))


@criterion(id="break_data_is_deterministic", points=5, title="break_data is deterministic",
                       hint="Draw every random choice from `np.random.default_rng(seed)`, never from the global "
                            "random state or the clock: same seed, same output.", lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_break_data_is_deterministic(submission, clean):
    first = frame_of(submission.break_data(clean, seed=2))
    second = frame_of(submission.break_data(clean, seed=2))
    pd.testing.assert_frame_equal(first, second)


def model_verdict(result) -> dict:
    shape = 'model_rejects() must return {"rows": [...], "frame": [...]} (it is given: restore it)'
    if not isinstance(result, dict) or not {"rows", "frame"} <= set(result):
        raise Miss(f"{shape}; it returned {str(result)[:80]!r}.")
    if result["frame"]:
        raise Miss(f"Your model rejects the frame as a whole ({'; '.join(map(str, result['frame'][:3]))}): type each "
                   "field as the loaded column is (str, float, pd.Timestamp) and name only columns in MODEL_COLUMNS.")
    return result


@criterion(id="model_accepts_clean", points=10, title="Your DataFrameModel accepts clean sales",
           hint="A model that rejects valid sales gets switched off. Each field takes its type, bounds and "
                "vocabulary from the contract, and `nullable=True` only where the contract allows an empty "
                "value: `grade` is empty for every ungraded card.", lesson=f"{LESSON}#Schemas as contracts")
def test_model_accepts_clean(submission):
    verdict = model_verdict(submission.model_rejects(coursedata.load_cards().iloc[12_000:17_000]))
    if verdict["rows"]:
        raise Miss(f"On clean sales your model rejected {len(verdict['rows'])} rows (e.g. {verdict['rows'][:3]}).")


@criterion(id="model_rejects_planted", points=10, title="Your DataFrameModel rejects every planted issue",
           hint="Each field needs every rule the contract gives its column (type, non-empty, bounds, allowed "
                "values, uniqueness), and rules across columns need a `@pa.dataframe_check`: a sale dated before "
                "its card's release is valid column by column.", lesson=f"{LESSON}#Schemas as contracts")
def test_model_rejects_planted(submission, clean):
    early = recent_release(clean, 1)  # sold before its release, inside the sale_date bounds
    frame = plant(clean, [(4, "rarity", "Holo rare"), (90, "condition", None), (333, "grade", 0.5),
                          (512, "price_usd", 2_000_000.0), (640, "price_usd", np.nan),
                          (early, "sale_date", pd.Timedelta(days=-3)), (1300, "release_date", "1990-01-01"),
                          (1660, "sale_date", "2031-06-01")])
    frame.loc[1900, "sale_id"] = frame.loc[1901, "sale_id"]
    planted = {4, 90, 333, 512, 640, early, 1300, 1660}
    rejected = set(model_verdict(submission.model_rejects(frame))["rows"])
    missed = sorted(planted - rejected)
    if missed:
        columns = sorted({c for r, c in [(4, "rarity"), (90, "condition"), (333, "grade"), (512, "price_usd"),
                                           (640, "price_usd"), (early, "sale_date before release_date"),
                                           (1300, "release_date"), (1660, "sale_date")] if r in missed})
        raise Miss(f"Your model accepted {len(missed)} planted issue(s), in: {', '.join(columns)}.")
    if not {1900, 1901} & rejected:
        raise Miss("Your model accepted a repeated sale_id: the key must be unique.")
    if extra := sorted(rejected - planted - {1900, 1901}):
        raise Miss(f"Your model also rejected {len(extra)} valid row(s) (e.g. {extra[:3]}).")
