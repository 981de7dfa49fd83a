"""What the hidden tests of Module 2's feature items (2.1, 2.3, 2.challenge) share: the hidden
sales, awkward rows, the grader's folds, checks of a returned feature frame, and the static
check that a feature function reads no labels and trains no model of its own.

Imported by the items' test modules (`from grading.hidden._shared.module2 import ...`); the
fixtures are used under the names they are imported as. Nothing here keeps state between
items, so it may stay imported when the grader forgets an item's own test modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import coursedata
import numpy as np
import pandas as pd
import pytest
from coursedata.calibration import baseline_features, make_model, task_table
from sklearn.model_selection import StratifiedKFold, cross_val_score

from grading.testing import Miss

LESSON = "02_eda_and_features.py"
FOLDS = StratifiedKFold(n_splits=5, shuffle=True, random_state=20_260_426)


@pytest.fixture(scope="session")
def holdout() -> tuple[pd.DataFrame, pd.Series]:
    """5,000 fresh sales the learner never sees, as (X, y)."""
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


@pytest.fixture(scope="session")
def baseline_cv(holdout) -> float:
    X, y = holdout
    return cv_accuracy(baseline_features(X), y)


def cv_accuracy(F: pd.DataFrame, y: pd.Series) -> float:
    """Mean 5-fold CV accuracy of the course's fixed model, with the grader's folds."""
    return float(cross_val_score(make_model(), F.to_numpy(dtype=float), y.to_numpy(), cv=FOLDS).mean())


def numeric_frame(result, name: str, index: pd.Index) -> pd.DataFrame:
    """The learner's features as float64, or a Miss saying what shape is expected."""
    if isinstance(result, pd.Series):
        result = result.to_frame()
    if not isinstance(result, pd.DataFrame):
        raise Miss(f"{name}() must return a pandas DataFrame or Series; it returned {type(result).__name__}.")
    if len(result) != len(index) or not result.index.equals(index):
        raise Miss(f"{name}() must return one row per input row, with the input's index "
                   f"(got {len(result)} rows for {len(index)}).")
    if result.columns.has_duplicates:
        repeated = result.columns[result.columns.duplicated()].unique()
        raise Miss(f"Each feature needs its own column name; repeated: {', '.join(map(str, repeated[:5]))}.")
    bad = [c for c in result.columns if not (pd.api.types.is_numeric_dtype(result[c]) or pd.api.types.is_bool_dtype(result[c]))
           or pd.api.types.is_complex_dtype(result[c])]
    if bad:
        raise Miss(f"Every feature must be numeric (int, float or bool); not numeric: {', '.join(map(str, bad[:5]))}.")
    try:
        return result.astype("float64")
    except (TypeError, ValueError) as exc:
        raise Miss(f"The features of {name}() cannot be read as numbers: {str(exc)[:120]}.") from None


def nonfinite(F: pd.DataFrame) -> list[str]:
    """Names of the columns holding NaN or infinity."""
    values = F.to_numpy(dtype=float)
    return [str(c) for c, ok in zip(F.columns, np.isfinite(values).all(axis=0), strict=True) if not ok]


# What a feature function has no business touching: labels, prices, the course's reference
# features, the grader's own model.
FORBIDDEN_NAMES = {"price_usd", "worth_listing", "load_cards", "load_task", "task_table", "load_calibration_holdout",
                   "engineered_features", "make_model", "THRESHOLD_USD", "load_big"}
# Fitting with a target (`.fit(X, y)`) trains a model on labels: a second model stacked into the
# features. Fitting a transformer without one (OneHotEncoder(categories=[...]).fit_transform(X))
# is feature engineering; whether its output depends on the batch, the row-wise check measures.
SUPERVISED_FITS = {"fit", "fit_transform", "fit_predict", "partial_fit"}


def reached_code(path: Path, entry: str) -> list[ast.AST]:
    """`entry`, the notebook functions it calls, and the setup lines defining names they use."""
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


def _fits_on_a_target(call: ast.Call) -> bool:
    return (isinstance(call.func, ast.Attribute) and call.func.attr in SUPERVISED_FITS
            and (len(call.args) >= 2 or any(k.arg == "y" for k in call.keywords)))


def borrowed(path: Path, entry: str) -> list[str]:
    """What `entry` (or code it uses) takes from outside the listing: labels, prices, the
    reference features, the grader's model, or a model trained on a target."""
    found = []
    for node in reached_code(path, entry):
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and n.id in FORBIDDEN_NAMES:
                found.append(f"uses `{n.id}`")
            elif isinstance(n, ast.Attribute) and n.attr in FORBIDDEN_NAMES:
                found.append(f"uses `.{n.attr}`")
            elif isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in FORBIDDEN_NAMES:
                found.append(f"reads {n.value!r}")
            elif isinstance(n, ast.Call) and _fits_on_a_target(n):
                found.append(f"trains an estimator on a target (`.{n.func.attr}(X, y)`)")
    return list(dict.fromkeys(found))
