"""Hidden checks of exercise 2.3: one feature, measured on sales the learner never saw.

Named per item (not test_hidden.py, no conftest.py): the grader imports hidden tests in one
process, and same-named modules of two items would collide when several items are graded.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coursedata.calibration import baseline_features

from grading.criteria import criterion
from grading.hidden._shared.module2 import LESSON, borrowed, cv_accuracy, numeric_frame
from grading.testing import Miss, caught, roundtrip, unwrap

# The shared fixtures (holdout, edge_rows, baseline_cv) of Module 2's feature items.
pytest_plugins = ("grading.hidden._shared.module2",)

REQUIRED_GAIN = 0.05


def one_column(result, index) -> pd.Series:
    F = numeric_frame(result, "add_feature", index)
    if F.shape[1] != 1:
        raise Miss(f"add_feature() must return exactly one column; it returned {F.shape[1]}.")
    return F.iloc[:, 0]


@pytest.fixture(scope="module")
def holdout_feature(submission, holdout):
    """The learner's feature on the hidden sales, or the Miss to report (fixtures must not raise it)."""
    X, _ = holdout
    return caught(lambda: one_column(submission.add_feature(X, timeout=60), X.index))


@criterion(id="one_numeric_column", points=10, title="One numeric column, one value per sale",
           hint="Return a pd.Series of numbers with X's index: one value per row, in X's order. Not a list "
                "(the index is lost), not the whole frame.", lesson=f"{LESSON}#3 · Designing features")
def test_one_numeric_column(holdout_feature):
    unwrap(holdout_feature)


@criterion(id="finite_on_edge_cases", points=15, title="No NaN or infinity, even on awkward sales",
           hint="Some valid sales have retreat cost 0, no attack damage, or a species the species table "
                "does not know yet. A ratio needs a guard for a zero denominator (e.g. divide by "
                "`denominator + 1`, or use np.where), and a lookup needs a default for misses (`.fillna`).",
           lesson=f"{LESSON}#A ratio needs a guard")
def test_finite_on_edge_cases(submission, holdout, edge_rows, holdout_feature):
    on_holdout = unwrap(holdout_feature)
    if not np.isfinite(on_holdout.to_numpy()).all():
        raise Miss(f"{int((~np.isfinite(on_holdout.to_numpy())).sum())} of the hidden sales got NaN or infinity.")
    edge = one_column(submission.add_feature(edge_rows), edge_rows.index)
    bad = edge_rows.index[~np.isfinite(edge.to_numpy())]
    if len(bad):
        row = edge_rows.loc[bad[0]]
        raise Miss(f"NaN or infinity for a sale with retreat_cost={row['retreat_cost']}, "
                   f"species={row['species']!r}, attacks={row['attacks']!r}.")


@criterion(id="row_wise_and_deterministic", points=15, title="Same sale, same value: row by row, run after run",
           hint="A feature must be computable for one new listing on its own: no statistic of the batch (mean, "
                "rank, quantile, get_dummies over the frame) and no randomness. Use fixed constants or the "
                "public species table instead.", lesson=f"{LESSON}#5 · Pipelines and ColumnTransformer")
def test_row_wise_and_deterministic(submission, holdout):
    X, _ = holdout
    sample = X.iloc[100:700]
    full = one_column(submission.add_feature(sample), sample.index)
    again = one_column(submission.add_feature(sample), sample.index)
    if not np.allclose(full.to_numpy(), again.to_numpy(), equal_nan=True):
        raise Miss("Two calls on the same sales gave different values.")
    few = sample.iloc[[3, 250, 599]]
    alone = one_column(submission.add_feature(few), few.index)
    if not np.allclose(alone.to_numpy(), full.loc[few.index].to_numpy(), equal_nan=True):
        raise Miss("A sale's value changed when it was computed together with other sales: "
                   "the feature depends on the batch, not only on the row.")


@criterion(id="improves_by_5_percent", points=40, title="Improves CV accuracy by at least 5 % on unseen sales",
           hint="Mean 5-fold CV accuracy with your feature must reach 1.05 x the baseline's, measured on fresh "
                "sales. A feature that looks up prices or labels of known sales scores 99 % at home and "
                "nothing here; look instead for signal the three numeric columns cannot carry (rarity, grade, "
                "age, condition are text or dates).", lesson=f"{LESSON}#4 · Features and models: which one to work on")
def test_improves_by_5_percent(holdout, holdout_feature, baseline_cv):
    on_holdout = unwrap(holdout_feature)
    X, y = holdout
    if not np.isfinite(on_holdout.to_numpy()).all():
        raise Miss("The feature has NaN or infinity on the hidden sales, so the model cannot use it.")
    score = cv_accuracy(baseline_features(X).assign(new=on_holdout.to_numpy()), y)
    gain = score / baseline_cv - 1
    if gain < REQUIRED_GAIN:
        raise Miss(f"On unseen sales the baseline scores {baseline_cv:.3f} and your feature brings it to "
                   f"{score:.3f}: {gain:+.1%}, short of +{REQUIRED_GAIN:.0%}.")


@criterion(id="leaves_input_alone", points=5, title="Leaves the input frame alone",
           hint="Work on a copy (`X = X.copy()` or `X.assign(...)`): adding a column to the caller's frame "
                "changes data that other code still uses.", lesson=f"{LESSON}#3 · Designing features")
def test_leaves_input_alone(submission, holdout):
    X, _ = holdout
    sample = X.iloc[:300]
    _, (args_after, _) = submission.add_feature.with_args(sample)
    pd.testing.assert_frame_equal(args_after[0], roundtrip(sample))


@criterion(id="own_features", points=5, title="Your own feature: no labels, no prices, no model trained inside",
           hint="A feature may use the listing's columns (and the species table), nothing else: not prices or "
                "labels of known sales (load_cards, price_usd), not the course's reference features "
                "(coursedata.calibration.engineered_features), and no estimator trained on a target "
                "(`.fit(X, y)`): that is a second model, not a feature.",
           lesson=f"{LESSON}#6 · Leakage")
def test_own_features(submission, holdout_feature):
    unwrap(holdout_feature)  # the function must work first: a stub has nothing to vouch for
    if found := borrowed(Path(submission._session.submission), "add_feature"):
        raise Miss("add_feature (or code it uses) " + "; ".join(found[:4]) + ".")
