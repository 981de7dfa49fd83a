"""Hidden checks of challenge 2: the grader's own model, trained on the learner's features
of the 20,000 committed sales, scored on 5,000 fresh sales the learner never sees.

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
TARGET, STRETCH = 0.75, 0.85
# What a feature function has no business touching: labels, prices, the reference solution, models.
FORBIDDEN_NAMES = {"price_usd", "worth_listing", "load_cards", "load_task", "task_table", "load_calibration_holdout",
                   "engineered_features", "make_model", "THRESHOLD_USD", "load_big"}
FITTING = {"fit", "fit_transform", "fit_predict", "partial_fit", "predict", "predict_proba", "decision_function"}


def features(result, index, m2) -> pd.DataFrame:
    return m2.numeric_frame(result, "engineer_features", index)


def unwrap(value):
    """Fixtures hand over a Miss instead of raising it (a raising fixture is a grader fault)."""
    if isinstance(value, BaseException):
        raise value
    return value


@pytest.fixture(scope="module")
def trained(submission, holdout, m2):
    try:
        return _trained(submission, holdout, m2)
    except Miss as miss:
        return miss


@pytest.fixture(scope="module")
def accuracy(trained, m2):
    try:
        return _accuracy(unwrap(trained), m2)
    except Miss as miss:
        return miss


def _trained(submission, holdout, m2):
    """(train features, holdout features, train labels, holdout labels)."""
    X, y = task_table(coursedata.load_cards())
    Xh, yh = holdout
    F = features(submission.engineer_features(X, timeout=90), X.index, m2)
    Fh = features(submission.engineer_features(Xh, timeout=60), Xh.index, m2)
    if list(F.columns) != list(Fh.columns):
        raise Miss("Your function returned different columns for two batches of sales: the model needs the "
                   "same columns in the same order for every batch.")
    return F, Fh, y, yh


def _accuracy(trained, m2) -> float:
    F, Fh, y, yh = trained
    for frame, what in ((F, "the training sales"), (Fh, "the hidden sales")):
        if bad := m2.nonfinite(frame):
            raise Miss(f"NaN or infinity in {what}, in {', '.join(bad[:4])}: the model cannot train or predict.")
    model = make_model().fit(F.to_numpy(dtype=float), y.to_numpy())
    return float((model.predict(Fh.to_numpy(dtype=float)) == yh.to_numpy()).mean())


@criterion(id="numeric_features", points=10, title="Finite numeric features, same columns for every batch",
           hint="One row per sale with X's index, numeric columns only, no NaN or infinity, and a fixed column "
                "list: build one-hots from a fixed list of levels (e.g. `X['rarity'] == level` for each level in "
                "RARITIES), never with pd.get_dummies on the batch; give lookups a default for species the table "
                "does not know.", lesson=LESSON)
def test_numeric_features(submission, trained, edge_rows, m2):
    F, Fh, _, _ = unwrap(trained)
    for frame, what in ((F, "the committed sales"), (Fh, "the hidden sales")):
        if bad := m2.nonfinite(frame):
            raise Miss(f"NaN or infinity on {what} in {', '.join(bad[:4])}.")
    E = features(submission.engineer_features(edge_rows), edge_rows.index, m2)
    if list(E.columns) != list(F.columns):
        raise Miss("A batch of 10 sales got different columns than the full data: the columns depend on the batch.")
    if bad := m2.nonfinite(E):
        raise Miss(f"NaN or infinity in {', '.join(bad[:4])} for valid sales with retreat cost 0, no attack "
                   "damage, or a species the species table does not know yet.")


@criterion(id="row_wise_and_deterministic", points=10, title="Row-wise and deterministic",
           hint="A listing is scored on its own at prediction time: its features must not depend on which other "
                "sales are in the batch (no batch means, ranks, quantiles or get_dummies) nor on chance.",
           lesson=LESSON)
def test_row_wise_and_deterministic(submission, holdout, trained, m2):
    _, Fh, _, _ = trained
    X, _ = holdout
    few = X.iloc[[7, 1234, 4321]]
    alone = features(submission.engineer_features(few), few.index, m2)
    if list(alone.columns) != list(Fh.columns):
        raise Miss("Three sales on their own got different columns than all 5,000 together.")
    if not np.allclose(alone.to_numpy(), Fh.loc[few.index].to_numpy(), equal_nan=True):
        raise Miss("A sale's features changed when computed with fewer other sales: they depend on the batch.")
    again = features(submission.engineer_features(few), few.index, m2)
    if not np.allclose(again.to_numpy(), alone.to_numpy(), equal_nan=True):
        raise Miss("Two calls on the same sales gave different features.")


@criterion(id="beats_75_on_holdout", points=40, title="The grader's model beats 75 % on fresh sales",
           hint="The grader trains its own StandardScaler + LogisticRegression(C=1) on your features of the "
                "20,000 committed sales and scores 5,000 fresh ones. A feature that knows the answers for "
                "committed sales (a price looked up by sale_id) scores 99 % at home and nothing here. Real "
                "signal hides in text and dates: rarity order, the grade string, raw condition, age.",
           lesson=LESSON)
def test_beats_75_on_holdout(accuracy):
    accuracy = unwrap(accuracy)
    if accuracy <= TARGET:
        raise Miss(f"The grader's model scored {accuracy:.3f} on the hidden sales; the bar is above {TARGET:.2f}.")


@criterion(id="reaches_85_on_holdout", points=10, title="Stretch: 85 % on fresh sales", required=False,
           hint="Past 75 %, look at interactions and subtler drivers: grade points and gem-mint flags, vintage "
                "era, secret rares (card number above the set size), language, species strength.",
           lesson=LESSON)
def test_reaches_85_on_holdout(accuracy):
    accuracy = unwrap(accuracy)
    if accuracy < STRETCH:
        raise Miss(f"The grader's model scored {accuracy:.3f} on the hidden sales; the stretch goal is {STRETCH:.2f}.")


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


@criterion(id="model_is_the_graders", points=10, title="The model is the grader's: features read no labels and fit nothing",
           hint="Feature engineering only: the feature function may use the listing's columns and the species "
                "table, but not prices or labels (load_cards, price_usd), not the course's reference features, "
                "and not a model of its own (.fit/.predict inside the features is a second model stacked in).",
           lesson=LESSON)
def test_model_is_the_graders(submission, trained):
    unwrap(trained)  # features first: a stub or a crash has nothing to vouch for
    path = Path(submission._session.submission)
    found = []
    for node in reached_code(path, "engineer_features"):
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
        raise Miss("engineer_features (or code it uses) " + "; ".join(dict.fromkeys(found[:4])) + ".")
