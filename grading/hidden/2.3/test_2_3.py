"""Hidden checks of exercise 2.3: one feature, measured on sales the learner never saw.

Named per item (not test_hidden.py, no conftest.py): the grader imports hidden tests in one
process, and same-named modules of two items would collide when several items are graded.
"""

import ast
from pathlib import Path

import coursedata
import numpy as np
import pandas as pd
import pytest
from coursedata.calibration import baseline_features, make_model, task_table
from sklearn.model_selection import StratifiedKFold, cross_val_score

from grading.criteria import criterion
from grading.testing import Miss

# ---- hidden data and helpers (formerly conftest.py) ----

FOLDS = StratifiedKFold(n_splits=5, shuffle=True, random_state=20_260_426)


@pytest.fixture(scope="session")
def holdout() -> tuple[pd.DataFrame, pd.Series]:
    X, y = task_table(coursedata.load_calibration_holdout())
    return X, y


@pytest.fixture(scope="session")
def edge_rows(holdout) -> pd.DataFrame:
    """Valid sales that break careless arithmetic: no retreat cost, no attack damage, a
    species newer than the species table, vintage and modern cards side by side."""
    X, _ = holdout
    rows = X.iloc[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]].copy()
    rows["retreat_cost"] = [0, 0, 1, 0, 2, 0, 4, 0, 3, 0]
    rows.iloc[1, rows.columns.get_loc("attacks")] = "Energy Shift {C}"
    rows.iloc[3, rows.columns.get_loc("attacks")] = ""
    rows.iloc[5, rows.columns.get_loc("species")] = "missingno"
    rows.iloc[7, rows.columns.get_loc("species")] = "newmon"
    rows.iloc[2, rows.columns.get_loc("grade")] = "PSA 10"
    rows.iloc[4, rows.columns.get_loc("grade")] = "BGS 9.5"
    rows.index = rows.index + 90_000
    return rows


def cv_accuracy(F: pd.DataFrame, y: pd.Series) -> float:
    return float(cross_val_score(make_model(), F.to_numpy(dtype=float), y.to_numpy(), cv=FOLDS).mean())


def numeric_frame(result, name: str, index: pd.Index):
    from grading.testing import Miss

    if isinstance(result, pd.Series):
        result = result.to_frame()
    if not isinstance(result, pd.DataFrame):
        raise Miss(f"{name}() must return a pandas DataFrame or Series; it returned {type(result).__name__}.")
    if len(result) != len(index) or not result.index.equals(index):
        raise Miss(f"{name}() must return one row per input row, with the input's index "
                   f"(got {len(result)} rows for {len(index)}).")
    bad = [c for c in result.columns if not (pd.api.types.is_numeric_dtype(result[c]) or pd.api.types.is_bool_dtype(result[c]))]
    if bad:
        raise Miss(f"Every feature must be numeric; not numeric: {', '.join(map(str, bad[:5]))}.")
    return result.astype("float64")


def nonfinite(F: pd.DataFrame) -> list[str]:
    values = F.to_numpy(dtype=float)
    return [str(c) for c, ok in zip(F.columns, np.isfinite(values).all(axis=0), strict=True) if not ok]


@pytest.fixture(scope="session")
def baseline_cv(holdout) -> float:
    X, y = holdout
    return cv_accuracy(baseline_features(X), y)


@pytest.fixture(scope="session")
def m2():
    """The helpers above, for the test module (conftest is not importable by name)."""
    from types import SimpleNamespace

    return SimpleNamespace(cv_accuracy=cv_accuracy, numeric_frame=numeric_frame, nonfinite=nonfinite)


# ---- checks ----

LESSON = "modules/02_eda_and_features/02_eda_and_features.py"
REQUIRED_GAIN = 0.05


def one_column(result, index, m2) -> pd.Series:
    F = m2.numeric_frame(result, "add_feature", index)
    if F.shape[1] != 1:
        raise Miss(f"add_feature() must return exactly one column; it returned {F.shape[1]}.")
    return F.iloc[:, 0]


@pytest.fixture(scope="module")
def holdout_feature(submission, holdout, m2):
    """The learner's feature on the hidden sales, or the Miss to report (fixtures must not raise it)."""
    X, _ = holdout
    try:
        return one_column(submission.add_feature(X, timeout=60), X.index, m2)
    except Miss as miss:
        return miss


def unwrap(value):
    if isinstance(value, BaseException):
        raise value
    return value


@criterion(id="one_numeric_column", points=10, title="One numeric column, one value per sale",
           hint="Return a pd.Series of numbers with X's index: one value per row, in X's order. Not a list "
                "(the index is lost), not the whole frame.", lesson=LESSON)
def test_one_numeric_column(holdout_feature):
    unwrap(holdout_feature)


@criterion(id="finite_on_edge_cases", points=15, title="No NaN or infinity, even on awkward sales",
           hint="Some valid sales have retreat cost 0, no attack damage, or a species the species table "
                "does not know yet. A ratio needs a guard for a zero denominator (e.g. divide by "
                "`denominator + 1`, or use np.where), and a lookup needs a default for misses (`.fillna`).",
           lesson=LESSON)
def test_finite_on_edge_cases(submission, holdout, edge_rows, holdout_feature, m2):
    on_holdout = unwrap(holdout_feature)
    if not np.isfinite(on_holdout.to_numpy()).all():
        raise Miss(f"{int((~np.isfinite(on_holdout.to_numpy())).sum())} of the hidden sales got NaN or infinity.")
    edge = one_column(submission.add_feature(edge_rows), edge_rows.index, m2)
    bad = edge_rows.index[~np.isfinite(edge.to_numpy())]
    if len(bad):
        row = edge_rows.loc[bad[0]]
        raise Miss(f"NaN or infinity for a sale with retreat_cost={row['retreat_cost']}, "
                   f"species={row['species']!r}, attacks={row['attacks']!r}.")


@criterion(id="row_wise_and_deterministic", points=15, title="Same sale, same value: row by row, run after run",
           hint="A feature must be computable for one new listing on its own: no statistic of the batch (mean, "
                "rank, quantile, get_dummies over the frame) and no randomness. Use fixed constants or the "
                "public species table instead.", lesson=LESSON)
def test_row_wise_and_deterministic(submission, holdout, m2):
    X, _ = holdout
    sample = X.iloc[100:700]
    full = one_column(submission.add_feature(sample), sample.index, m2)
    again = one_column(submission.add_feature(sample), sample.index, m2)
    if not np.allclose(full.to_numpy(), again.to_numpy(), equal_nan=True):
        raise Miss("Two calls on the same sales gave different values.")
    few = sample.iloc[[3, 250, 599]]
    alone = one_column(submission.add_feature(few), few.index, m2)
    if not np.allclose(alone.to_numpy(), full.loc[few.index].to_numpy(), equal_nan=True):
        raise Miss("A sale's value changed when it was computed together with other sales: "
                   "the feature depends on the batch, not only on the row.")


@criterion(id="improves_by_5_percent", points=40, title="Improves CV accuracy by at least 5 % on unseen sales",
           hint="Mean 5-fold CV accuracy with your feature must reach 1.05 x the baseline's, measured on fresh "
                "sales. A feature that looks up prices or labels of known sales scores 99 % at home and "
                "nothing here; look instead for signal the three numeric columns cannot carry (rarity, grade, "
                "age, condition are text or dates).", lesson=LESSON)
def test_improves_by_5_percent(holdout, holdout_feature, baseline_cv, m2):
    on_holdout = unwrap(holdout_feature)
    X, y = holdout
    if not np.isfinite(on_holdout.to_numpy()).all():
        raise Miss("The feature has NaN or infinity on the hidden sales, so the model cannot use it.")
    score = m2.cv_accuracy(baseline_features(X).assign(new=on_holdout.to_numpy()), y)
    gain = score / baseline_cv - 1
    if gain < REQUIRED_GAIN:
        raise Miss(f"On unseen sales the baseline scores {baseline_cv:.3f} and your feature brings it to "
                   f"{score:.3f}: {gain:+.1%}, short of +{REQUIRED_GAIN:.0%}.")


@criterion(id="leaves_input_alone", points=5, title="Leaves the input frame alone",
           hint="Work on a copy (`X = X.copy()` or `X.assign(...)`): adding a column to the caller's frame "
                "changes data that other code still uses.", lesson=LESSON)
def test_leaves_input_alone(submission, holdout):
    from grading.testing import roundtrip

    X, _ = holdout
    sample = X.iloc[:300]
    _, (args_after, _) = submission.add_feature.with_args(sample)
    pd.testing.assert_frame_equal(args_after[0], roundtrip(sample))


# What a feature function has no business touching: labels, prices, the reference solution, models.
FORBIDDEN_NAMES = {"price_usd", "worth_listing", "load_cards", "load_task", "task_table", "load_calibration_holdout",
                   "engineered_features", "make_model", "THRESHOLD_USD", "load_big"}
FITTING = {"fit", "fit_transform", "fit_predict", "partial_fit", "predict", "predict_proba", "decision_function"}


def reached_code(path: Path, entry: str) -> list[ast.AST]:
    """engineer_features, the notebook functions it calls, and the setup lines defining names they use."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    setup = [n for n in ast.walk(tree) if isinstance(n, ast.With) and "app.setup" in ast.unparse(n.items[0])]
    setup_defs: dict[str, list[ast.AST]] = {}
    for block in setup:
        for stmt in block.body:
            for target in ast.walk(stmt):
                if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                    setup_defs.setdefault(target.id, []).append(stmt)
    if entry not in functions:
        return []
    seen, todo, out = set(), [entry], []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        node = functions.get(name)
        if node is None:
            out += [s for s in setup_defs.get(name, []) if not isinstance(s, ast.ImportFrom | ast.Import)]
            continue
        out.append(node)
        todo += [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id != name]
    return out



@criterion(id="own_features", points=5, title="Your own features: no labels, no prices, no model inside",
           hint="A feature may use the listing's columns (and the species table), nothing else: not prices or "
                "labels of known sales (load_cards, price_usd), not the course's reference features "
                "(coursedata.calibration.engineered_features), and not a model of its own (.fit/.predict).",
           lesson=LESSON)
def test_own_features(submission, holdout_feature):
    unwrap(holdout_feature)  # the function must work first: a stub has nothing to vouch for
    path = Path(submission._session.submission)
    found = []
    for node in reached_code(path, "add_feature"):
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and n.id in FORBIDDEN_NAMES:
                found.append(f"uses `{n.id}`")
            elif isinstance(n, ast.Attribute) and n.attr in FORBIDDEN_NAMES:
                found.append(f"uses `.{n.attr}`")
            elif isinstance(n, ast.Attribute) and n.attr in FITTING:
                found.append(f"calls `.{n.attr}()`")
            elif isinstance(n, ast.Constant) and n.value in FORBIDDEN_NAMES:
                found.append(f"reads {n.value!r}")
    if found:
        raise Miss("add_feature (or code it uses) " + "; ".join(dict.fromkeys(found[:4])) + ".")
