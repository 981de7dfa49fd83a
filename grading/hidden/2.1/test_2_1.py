"""Hidden checks of exercise 2.1: five features on unseen sales, an awkward species table, and a lift.

Named per item (not test_hidden.py, no conftest.py): the grader imports hidden tests in one
process, and same-named modules of two items would collide when several items are graded.
"""

from pathlib import Path

import coursedata
import numpy as np
import pandas as pd
import pytest
from coursedata.calibration import baseline_features

from grading.criteria import criterion
from grading.hidden._shared.module2 import LESSON, borrowed, cv_accuracy, nonfinite, numeric_frame
from grading.testing import Miss, caught, roundtrip, unwrap

# The shared fixtures (holdout, edge_rows, baseline_cv) of Module 2's feature items.
pytest_plugins = ("grading.hidden._shared.module2",)

REQUIRED_LIFT = 0.03
N_FEATURES = 5


@pytest.fixture(scope="session")
def species() -> pd.DataFrame:
    return coursedata.load_species()


@pytest.fixture(scope="session")
def awkward_species(species, edge_rows) -> pd.DataFrame:
    """A future species table: stats of 0 where careless ratios divide by them."""
    table = species.copy()
    stats = ["hp", "attack", "defense", "special_attack", "special_defense", "speed", "base_stat_total",
             "height_m", "weight_kg", "n_moves", "max_move_power"]
    names = [n for n in edge_rows["species"] if n in set(table["name"])]
    table.loc[table["name"] == names[0], stats] = 0
    table.loc[table["name"].isin(names[1:3]), ["defense", "special_defense"]] = 0
    table.loc[table["name"].isin(names[3:5]), ["weight_kg", "height_m", "hp"]] = 0
    return table


def checked(result, X: pd.DataFrame) -> pd.DataFrame:
    F = numeric_frame(result, "add_features", X.index)
    if F.shape[1] < N_FEATURES:
        raise Miss(f"add_features() returned {F.shape[1]} column(s); at least {N_FEATURES} new features are needed.")
    copied = [c for c in F.columns if c in X.columns]
    if copied:
        raise Miss(f"Return only your new features, not columns of X ({', '.join(map(str, copied[:4]))}).")
    return F


@pytest.fixture(scope="module")
def holdout_features(submission, holdout, species):
    X, _ = holdout
    return caught(lambda: checked(submission.add_features(X, species, timeout=60), X))


@criterion(id="five_numeric_features", points=10, title="At least five new numeric features, none constant",
           hint="Return a DataFrame with X's index holding only your new columns (at least five), all numeric. "
                "A column that is the same for every sale (or a copy of a column of X) teaches the model nothing.",
           lesson=f"{LESSON}#3 · Designing features")
def test_five_numeric_features(holdout_features, holdout):
    F = unwrap(holdout_features)
    X, _ = holdout
    constant = [str(c) for c in F.columns if F[c].nunique(dropna=False) <= 1]
    if constant:
        raise Miss(f"Constant on 5,000 fresh sales: {', '.join(constant[:4])}.")
    base = baseline_features(X)
    copies = [str(c) for c in F.columns if any(np.array_equal(F[c].to_numpy(), base[b].to_numpy()) for b in base.columns)]
    if len(F.columns) - len(copies) < N_FEATURES:
        raise Miss(f"{', '.join(copies)} repeat(s) a baseline column unchanged: that is not a new feature.")


@criterion(id="finite_on_edge_cases", points=15, title="No NaN or infinity: Defense 0, unknown species, retreat cost 0",
           hint="Every ratio needs a guard for a zero denominator (`denominator.clip(lower=1)`, or `+ 1`), and "
                "every lookup in the species table needs a default for a species it does not know yet "
                "(`.fillna(...)` with a constant, never with a statistic of the batch).", lesson=f"{LESSON}#A ratio needs a guard")
def test_finite_on_edge_cases(submission, holdout_features, edge_rows, awkward_species):
    F = unwrap(holdout_features)
    if bad := nonfinite(F):
        raise Miss(f"NaN or infinity on the hidden sales, in {', '.join(bad[:4])}.")
    E = checked(submission.add_features(edge_rows, awkward_species), edge_rows)
    if bad := nonfinite(E):
        rows = edge_rows.index[~np.isfinite(E.to_numpy(dtype=float)).all(axis=1)]
        row = edge_rows.loc[rows[0]]
        known = row["species"] in set(awkward_species["name"])
        why = "with stats of 0 in the species table" if known else "missing from the species table"
        raise Miss(f"NaN or infinity in {', '.join(bad[:4])} for a sale of species {row['species']!r} ({why}), "
                   f"retreat_cost={row['retreat_cost']}.")


@criterion(id="row_wise_and_deterministic", points=15, title="Row-wise and deterministic",
           hint="At prediction time there is one listing, not a training set: a sale's features must not depend "
                "on the other rows of the batch (no batch mean, std, rank, quantile, or get_dummies over the "
                "frame) nor on chance. Fixed constants and the species table are fine.", lesson=f"{LESSON}#5 · Pipelines and ColumnTransformer")
def test_row_wise_and_deterministic(submission, holdout, species):
    X, _ = holdout
    sample = X.iloc[1000:1600]
    full = checked(submission.add_features(sample, species), sample)
    few = sample.iloc[[2, 300, 598]]
    alone = checked(submission.add_features(few, species), few)
    if list(alone.columns) != list(full.columns):
        raise Miss("Three sales on their own got different columns than 600 together.")
    if not np.allclose(alone.to_numpy(dtype=float), full.loc[few.index].to_numpy(dtype=float), equal_nan=True):
        raise Miss("A sale's features changed when computed with fewer other sales: they depend on the batch.")
    again = checked(submission.add_features(few, species), few)
    if not np.allclose(again.to_numpy(dtype=float), alone.to_numpy(dtype=float), equal_nan=True):
        raise Miss("Two calls on the same sales gave different features.")


@criterion(id="lifts_cv_score", points=25, title="Lifts the fixed model by 3 points on unseen sales",
           hint="Mean 5-fold CV accuracy with your features must be at least 3 points above the baseline's on "
                "fresh sales. Rescaled or logged copies of card_hp and retreat_cost add nothing a standardised "
                "linear model did not have; the signal is in text and dates (rarity, grade, condition, age).",
           lesson=f"{LESSON}#4 · Features and models: which one to work on")
def test_lifts_cv_score(holdout, holdout_features, baseline_cv):
    F = unwrap(holdout_features)
    X, y = holdout
    if nonfinite(F):
        raise Miss("Your features have NaN or infinity on the hidden sales, so the model cannot use them.")
    score = cv_accuracy(pd.concat([baseline_features(X), F.set_axis([f"f{i}" for i in range(F.shape[1])], axis=1)], axis=1), y)
    if score < baseline_cv + REQUIRED_LIFT:
        raise Miss(f"On unseen sales the baseline scores {baseline_cv:.3f} and your features bring it to "
                   f"{score:.3f} ({score - baseline_cv:+.3f}); at least +{REQUIRED_LIFT:.2f} is needed.")


@criterion(id="leaves_inputs_alone", points=5, title="Leaves X and the species table alone",
           hint="Work on copies (`X.assign(...)`, `species.copy()`): writing a column into an argument changes "
                "the caller's data, and the species table is shared by every other feature.", lesson=f"{LESSON}#3 · Designing features")
def test_leaves_inputs_alone(submission, holdout, species):
    X, _ = holdout
    sample = X.iloc[:300]
    _, (args_after, _) = submission.add_features.with_args(sample, species)
    pd.testing.assert_frame_equal(args_after[0], roundtrip(sample))
    pd.testing.assert_frame_equal(args_after[1], roundtrip(species))


@criterion(id="own_features", points=5, title="Your own features: no labels, no prices, no model trained inside",
           hint="A feature may use the listing's columns (and the species table), nothing else: not prices or "
                "labels of known sales (load_cards, price_usd), not the course's reference features "
                "(coursedata.calibration.engineered_features), and no estimator trained on a target "
                "(`.fit(X, y)`): that is a second model, not a feature.",
           lesson=f"{LESSON}#6 · Leakage")
def test_own_features(submission, holdout_features):
    unwrap(holdout_features)  # the function must work first: a stub has nothing to vouch for
    if found := borrowed(Path(submission._session.submission), "add_features"):
        raise Miss("add_features (or code it uses) " + "; ".join(found[:4]) + ".")
