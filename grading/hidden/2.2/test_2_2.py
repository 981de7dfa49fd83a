"""Hidden checks of exercise 2.2: what was fitted on which rows, and whether the score is honest.

Named per item (not test_hidden.py, no conftest.py): the grader imports hidden tests in one
process, and same-named modules of two items would collide when several items are graded.
"""

import math

import coursedata
import numpy as np
import pandas as pd
import pytest
from coursedata.calibration import TARGET, is_test, task_table

from grading.criteria import criterion
from grading.testing import Miss, caught, unwrap

# ---- hidden data and helpers (formerly conftest.py) ----

FEE_RATE, FEE_FIXED = 0.13, 0.30
NUMERIC = ["card_hp", "retreat_cost", "first_edition", "age_years"]


def make_listings(cards: pd.DataFrame, seed: int) -> pd.DataFrame:
    """As the notebook's make_listings: listing columns, the after-sale fee, the label, ~6 % exported twice."""
    X, y = task_table(cards)
    listings = X.assign(fee_usd=(FEE_RATE * cards["price_usd"] + FEE_FIXED).round(2), **{TARGET: y})
    again = listings.sample(frac=0.06, random_state=seed)
    return pd.concat([listings, again]).sort_values("sale_id", kind="stable").reset_index(drop=True)


@pytest.fixture(scope="session")
def listings() -> pd.DataFrame:
    return make_listings(coursedata.load_cards().iloc[1_500:].reset_index(drop=True), seed=4242)


@pytest.fixture(scope="session")
def canary_listings(listings) -> pd.DataFrame:
    """The same export with every test row changed: labels flipped, HP x10, ages shifted, a new card name.
    Anything fitted on training rows only cannot move."""
    canary = listings.copy()
    rows = is_test(canary)
    canary.loc[rows, TARGET] = 1 - canary.loc[rows, TARGET]
    canary.loc[rows, "card_hp"] = canary.loc[rows, "card_hp"] * 10
    canary.loc[rows, "retreat_cost"] = 4
    canary.loc[rows, "release_date"] = canary.loc[rows, "release_date"] - pd.Timedelta(days=3650)
    canary.loc[rows, "fee_usd"] = 0.3
    return canary


def reference(train: pd.DataFrame, X_eval: pd.DataFrame, y_eval: pd.Series) -> float:
    """The honest model: the grader's own leak-free pipeline."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler, TargetEncoder

    def inputs(frame):
        out = frame[["card_hp", "retreat_cost", "first_edition", "card_name"]].copy()
        out["age_years"] = (frame["sale_date"] - frame["release_date"]).dt.days / 365.25
        out[NUMERIC] = out[NUMERIC].astype(float)
        return out

    encoder = TargetEncoder(target_type="binary", cv=KFold(n_splits=5, shuffle=True, random_state=0))
    pipeline = Pipeline([
        ("features", ColumnTransformer([("num", "passthrough", NUMERIC), ("te", encoder, ["card_name"])])),
        ("scale", StandardScaler()),
        ("model", LogisticRegression(C=1.0, max_iter=5000)),
    ])
    pipeline.fit(inputs(train), train[TARGET])
    return float(np.mean(pipeline.predict(inputs(X_eval)) == y_eval.to_numpy()))


@pytest.fixture(scope="session")
def honest_holdout_score(listings) -> float:
    data = listings.drop_duplicates("sale_id")
    Xh, yh = task_table(coursedata.load_calibration_holdout())
    return reference(data[~is_test(data)], Xh, yh)


# ---- checks ----

LESSON = "02_eda_and_features.py"
HONEST_MARGIN = 0.03
KEYS = ("score", "test_sale_ids", "scaler_mean", "target_encoding")


def checked(report) -> dict:
    shape = ('leak_free_score() must return a dict with "score" (a float), "test_sale_ids" (a list), '
             '"scaler_mean" and "target_encoding" (dicts of name -> float)')
    if not isinstance(report, dict) or not set(KEYS) <= set(report):
        got = sorted(map(str, report)) if isinstance(report, dict) else type(report).__name__
        raise Miss(f"{shape}; it returned {got}.")
    if not isinstance(report["score"], float | int) or not 0 <= report["score"] <= 1:
        raise Miss(f'{shape}; "score" was {str(report["score"])[:40]!r}.')
    for key in ("scaler_mean", "target_encoding"):
        stats = report[key]
        if not isinstance(stats, dict) or not stats:
            raise Miss(f'{shape}; "{key}" is empty or not a dict.')
        if not all(isinstance(v, float | int) and math.isfinite(v) for v in stats.values()):
            raise Miss(f'"{key}" must map names to finite numbers.')
    if not isinstance(report["test_sale_ids"], list):
        raise Miss(f'{shape}; "test_sale_ids" is not a list.')
    return report


@pytest.fixture(scope="module")
def clean(submission, listings):
    return caught(lambda: checked(submission.leak_free_score(listings, timeout=60)))


@pytest.fixture(scope="module")
def canary(submission, canary_listings):
    return caught(lambda: checked(submission.leak_free_score(canary_listings, timeout=60)))


def moved(before: dict, after: dict) -> list[str]:
    keys = before.keys() | after.keys()
    return sorted(str(k) for k in keys
                  if k not in before or k not in after or not math.isclose(before[k], after[k], rel_tol=1e-9, abs_tol=1e-12))


def explain_movement(submission, listings, clean_report: dict, canary_report: dict, *, key: str, what: str) -> None:
    shifted = moved(clean_report[key], canary_report[key])
    if not shifted:
        return
    again = checked(submission.leak_free_score(listings, timeout=60))
    if moved(clean_report[key], again[key]):
        raise Miss(f"Two runs on the same data fitted different {what}: seed everything "
                   "(e.g. TargetEncoder(cv=KFold(5, shuffle=True, random_state=SEED))), then check again.")
    raise Miss(f"When only test rows changed, the {what} changed too ({len(shifted)} value(s), e.g. "
               f"{shifted[0]!r}): it was fitted on rows that include the test sales.")


@criterion(id="reports_what_was_fitted", points=10, title="Reports the score and what was fitted, as plain data",
           hint='Return {"score": float, "test_sale_ids": [...], "scaler_mean": {name: mean}, "target_encoding": '
                '{card_name: value}}: read them off the fitted pipeline (`named_steps`, `mean_`, `categories_`, '
                '`encodings_`) and convert to plain Python values.', lesson=f"{LESSON}#5 · Pipelines and ColumnTransformer")
def test_reports_what_was_fitted(clean):
    unwrap(clean)


@criterion(id="split_by_sale", points=15, title="Tests exactly the test sales, each sale on one side",
           hint="A random row split puts the two copies of a sale exported twice on both sides: the model is then "
                "tested on what it trained on. Split by the sale key with `is_test(listings)`.", lesson=f"{LESSON}#6 · Leakage")
def test_split_by_sale(clean, listings):
    report = unwrap(clean)
    expected = set(listings.loc[is_test(listings), "sale_id"])
    got = set(map(str, report["test_sale_ids"]))
    if got != expected:
        raise Miss(f"Your test set has {len(got & expected):,} of the {len(expected):,} test sales and "
                   f"{len(got - expected):,} sale(s) that is_test() puts in training.")


@criterion(id="scaler_fitted_on_train_only", points=20, title="The scaler learns from training rows only",
           hint="`StandardScaler().fit_transform(X)` before the split learns means and deviations from test rows "
                "too. Put the scaler inside the Pipeline and fit the pipeline on training rows (and seed the "
                "TargetEncoder's cross-fitting before it, or every fit scales differently).", lesson=f"{LESSON}#6 · Leakage")
def test_scaler_fitted_on_train_only(submission, listings, clean, canary):
    explain_movement(submission, listings, unwrap(clean), unwrap(canary), key="scaler_mean", what="scaler means")


@criterion(id="encoding_fitted_on_train_only", points=20, title="The target encoding learns from training rows only",
           hint="A per-category mean of the label computed on all rows puts each test row's own label into its "
                "feature. Use a TargetEncoder inside the Pipeline, fitted on training rows (it cross-fits them, "
                "so even training rows never see their own label).", lesson=f"{LESSON}#6 · Leakage")
def test_encoding_fitted_on_train_only(submission, listings, clean, canary):
    explain_movement(submission, listings, unwrap(clean), unwrap(canary), key="target_encoding", what="target encoding")


@criterion(id="score_is_honest", points=20, title="The reported score is honest",
           hint="An honest score is close to what the model gets on fresh sales. A column only known after the "
                "sale (the fee is charged on the sold price) is the label in disguise: drop it, and be wary of "
                "any column recorded after the moment you predict.", lesson=f"{LESSON}#6 · Leakage")
def test_score_is_honest(clean, honest_holdout_score):
    report = unwrap(clean)
    gap = report["score"] - honest_holdout_score
    if abs(gap) > HONEST_MARGIN:
        raise Miss(f"You report {report['score']:.3f}; an honest model scores {honest_holdout_score:.3f} on fresh "
                   f"sales it has never seen ({gap:+.3f}).")
