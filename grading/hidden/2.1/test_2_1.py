"""Hidden checks of exercise 2.1: five features on unseen sales, an awkward species table, and a lift.

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
from grading.testing import Miss, roundtrip

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
REQUIRED_LIFT = 0.03
N_FEATURES = 5


def unwrap(value):
    """Fixtures hand over a Miss instead of raising it (a raising fixture is a grader fault)."""
    if isinstance(value, BaseException):
        raise value
    return value


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


def checked(result, X: pd.DataFrame, m2) -> pd.DataFrame:
    F = m2.numeric_frame(result, "add_features", X.index)
    if F.shape[1] < N_FEATURES:
        raise Miss(f"add_features() returned {F.shape[1]} column(s); at least {N_FEATURES} new features are needed.")
    copied = [c for c in F.columns if c in X.columns]
    if copied:
        raise Miss(f"Return only your new features, not columns of X ({', '.join(map(str, copied[:4]))}).")
    return F


@pytest.fixture(scope="module")
def holdout_features(submission, holdout, species, m2):
    X, _ = holdout
    try:
        return checked(submission.add_features(X, species, timeout=60), X, m2)
    except Miss as miss:
        return miss


@criterion(id="five_numeric_features", points=10, title="At least five new numeric features, none constant",
           hint="Return a DataFrame with X's index holding only your new columns (at least five), all numeric. "
                "A column that is the same for every sale (or a copy of a column of X) teaches the model nothing.",
           lesson=LESSON)
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
                "(`.fillna(...)` with a constant, never with a statistic of the batch).", lesson=LESSON)
def test_finite_on_edge_cases(submission, holdout_features, edge_rows, awkward_species, m2):
    F = unwrap(holdout_features)
    if bad := m2.nonfinite(F):
        raise Miss(f"NaN or infinity on the hidden sales, in {', '.join(bad[:4])}.")
    E = checked(submission.add_features(edge_rows, awkward_species), edge_rows, m2)
    if bad := m2.nonfinite(E):
        rows = edge_rows.index[~np.isfinite(E.to_numpy(dtype=float)).all(axis=1)]
        row = edge_rows.loc[rows[0]]
        known = row["species"] in set(awkward_species["name"])
        why = "with stats of 0 in the species table" if known else "missing from the species table"
        raise Miss(f"NaN or infinity in {', '.join(bad[:4])} for a sale of species {row['species']!r} ({why}), "
                   f"retreat_cost={row['retreat_cost']}.")


@criterion(id="row_wise_and_deterministic", points=15, title="Row-wise and deterministic",
           hint="At prediction time there is one listing, not a training set: a sale's features must not depend "
                "on the other rows of the batch (no batch mean, std, rank, quantile, or get_dummies over the "
                "frame) nor on chance. Fixed constants and the species table are fine.", lesson=LESSON)
def test_row_wise_and_deterministic(submission, holdout, species, m2):
    X, _ = holdout
    sample = X.iloc[1000:1600]
    full = checked(submission.add_features(sample, species), sample, m2)
    few = sample.iloc[[2, 300, 598]]
    alone = checked(submission.add_features(few, species), few, m2)
    if list(alone.columns) != list(full.columns):
        raise Miss("Three sales on their own got different columns than 600 together.")
    if not np.allclose(alone.to_numpy(dtype=float), full.loc[few.index].to_numpy(dtype=float), equal_nan=True):
        raise Miss("A sale's features changed when computed with fewer other sales: they depend on the batch.")
    again = checked(submission.add_features(few, species), few, m2)
    if not np.allclose(again.to_numpy(dtype=float), alone.to_numpy(dtype=float), equal_nan=True):
        raise Miss("Two calls on the same sales gave different features.")


@criterion(id="lifts_cv_score", points=25, title="Lifts the fixed model by 3 points on unseen sales",
           hint="Mean 5-fold CV accuracy with your features must be at least 3 points above the baseline's on "
                "fresh sales. Rescaled or logged copies of card_hp and retreat_cost add nothing a standardised "
                "linear model did not have; the signal is in text and dates (rarity, grade, condition, age).",
           lesson=LESSON)
def test_lifts_cv_score(holdout, holdout_features, baseline_cv, m2):
    F = unwrap(holdout_features)
    X, y = holdout
    if m2.nonfinite(F):
        raise Miss("Your features have NaN or infinity on the hidden sales, so the model cannot use them.")
    score = m2.cv_accuracy(pd.concat([baseline_features(X), F.set_axis([f"f{i}" for i in range(F.shape[1])], axis=1)], axis=1), y)
    if score < baseline_cv + REQUIRED_LIFT:
        raise Miss(f"On unseen sales the baseline scores {baseline_cv:.3f} and your features bring it to "
                   f"{score:.3f} ({score - baseline_cv:+.3f}); at least +{REQUIRED_LIFT:.2f} is needed.")


@criterion(id="leaves_inputs_alone", points=5, title="Leaves X and the species table alone",
           hint="Work on copies (`X.assign(...)`, `species.copy()`): writing a column into an argument changes "
                "the caller's data, and the species table is shared by every other feature.", lesson=LESSON)
def test_leaves_inputs_alone(submission, holdout, species):
    X, _ = holdout
    sample = X.iloc[:300]
    _, (args_after, _) = submission.add_features.with_args(sample, species)
    pd.testing.assert_frame_equal(args_after[0], roundtrip(sample))
    pd.testing.assert_frame_equal(args_after[1], roundtrip(species))


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
def test_own_features(submission, holdout_features):
    unwrap(holdout_features)  # the function must work first: a stub has nothing to vouch for
    path = Path(submission._session.submission)
    found = []
    for node in reached_code(path, "add_features"):
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
        raise Miss("add_features (or code it uses) " + "; ".join(dict.fromkeys(found[:4])) + ".")
