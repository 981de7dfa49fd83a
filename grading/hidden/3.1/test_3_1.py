"""Hidden checks of exercise 3.1: the splitters' partition properties on generated data, determinism,
what preprocessing saw, whether model state crossed folds, and that no scikit-learn splitter is used.

Named per item: the grader imports hidden tests of several items in one process.
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd

from grading.criteria import criterion
from grading.testing import Miss

LESSON = "03_model_training.py#Cross-validation, and when folds lie"
SIZES = [(10, 3), (103, 7), (1_000, 5), (57, 2)]


def as_folds(value, n_rows: int, k: int, what: str) -> list[tuple[list[int], list[int]]]:
    """The learner's fold list, checked for shape: k pairs of lists of positions in 0..n-1."""
    shape = f"{what} must return a list of {k} (train_positions, validation_positions) pairs of lists of ints"
    if not isinstance(value, list | tuple) or len(value) != k:
        got = f"{len(value)} items" if isinstance(value, list | tuple) else type(value).__name__
        raise Miss(f"{shape}; it returned {got}.")
    folds = []
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise Miss(f"{shape}; one item was {str(pair)[:60]!r}.")
        sides = []
        for side in pair:
            if not isinstance(side, list | tuple | np.ndarray) or not all(isinstance(p, int | np.integer) for p in side):
                raise Miss(f"{shape}; one side was not a list of ints.")
            if any(not 0 <= int(p) < n_rows for p in side):
                raise Miss(f"{what} returned positions outside 0..{n_rows - 1}.")
            sides.append([int(p) for p in side])
        folds.append((sides[0], sides[1]))
    return folds


def check_partition(folds, n_rows: int, what: str) -> None:
    validated = sorted(p for _, val in folds for p in val)
    if validated != list(range(n_rows)):
        repeats = len(validated) - len(set(validated))
        missing = n_rows - len(set(validated))
        raise Miss(f"{what}: over all folds, {repeats} row(s) were validated more than once and {missing} never "
                   f"(n={n_rows}). Every row must be validated exactly once.")
    for i, (train, val) in enumerate(folds):
        if set(train) & set(val) or len(set(train)) + len(set(val)) != n_rows or len(train) != len(set(train)):
            raise Miss(f"{what}: in fold {i}, the training rows are not exactly the rows outside the validation fold.")


def check_sizes(folds, n_rows: int, what: str) -> None:
    sizes = [len(val) for _, val in folds]
    if max(sizes) - min(sizes) > 1:
        raise Miss(f"{what}: validation fold sizes {sizes} for n={n_rows} differ by more than one.")


@criterion(id="kfold_partitions_the_rows", points=15, title="k-fold: every row validated once, sizes within one",
           hint="Validation folds must partition the rows: split ONE permutation into k parts (sampling with "
                "replacement repeats rows; giving the remainder to the last fold unbalances it). Training rows are "
                "all the other rows.", lesson=LESSON)
def test_kfold_partitions_the_rows(submission):
    for n, k in SIZES:
        folds = as_folds(submission.kfold_indices(n, k, 3), n, k, "kfold_indices")
        check_partition(folds, n, f"kfold_indices({n}, {k})")
        check_sizes(folds, n, f"kfold_indices({n}, {k})")


@criterion(id="kfold_is_shuffled_and_seeded", points=10, title="k-fold is shuffled, and the seed decides the shuffle",
           hint="Rows arrive in date order: contiguous folds are time blocks, not random folds. Shuffle with "
                "np.random.default_rng(seed), never with global or unseeded randomness.", lesson=LESSON)
def test_kfold_is_shuffled_and_seeded(submission):
    n, k = 200, 4
    first = as_folds(submission.kfold_indices(n, k, 11), n, k, "kfold_indices")
    again = as_folds(submission.kfold_indices(n, k, 11), n, k, "kfold_indices")
    other = as_folds(submission.kfold_indices(n, k, 12), n, k, "kfold_indices")
    if [sorted(v) for _, v in first] != [sorted(v) for _, v in again]:
        raise Miss("kfold_indices gave different folds for the same seed.")
    if [sorted(v) for _, v in first] == [sorted(v) for _, v in other]:
        raise Miss("kfold_indices gave the same folds for seeds 11 and 12: the rows are not shuffled by the seed.")
    contiguous = sum(sorted(v) == list(range(min(v), max(v) + 1)) for _, v in first if v)
    if contiguous == k:
        raise Miss("Every validation fold is a contiguous block of rows: shuffle before splitting.")


def labels(n: int, seed: int) -> pd.Series:
    """Imbalanced labels of three classes (one rare), in runs, as sorted data arrives."""
    rng = np.random.default_rng(seed)
    values = rng.choice(["common", "middle", "rare"], size=n, p=[0.7, 0.24, 0.06])
    return pd.Series(np.sort(values), name="label")


@criterion(id="stratified_keeps_class_proportions", points=15, title="Stratified k-fold spreads every class evenly",
           hint="Each fold must hold n_c/k rows of class c (rounded up or down) AND fold sizes must stay within one: "
                "deal every class round the folds, continuing where the previous class stopped (restarting each "
                "class at fold 0 overfills the first folds).", lesson=LESSON)
def test_stratified_keeps_class_proportions(submission):
    for n, k, seed in [(100, 3, 0), (997, 5, 1), (61, 4, 2)]:
        y = labels(n, seed)
        folds = as_folds(submission.stratified_kfold_indices(y, k, seed), n, k,
                         "stratified_kfold_indices")
        where = f"stratified_kfold_indices(n={n}, k={k})"
        check_partition(folds, n, where)
        check_sizes(folds, n, where)
        for label, total in y.value_counts().items():
            counts = [int((y.iloc[val] == label).sum()) for _, val in folds]
            if any(not math.floor(total / k) <= c <= math.ceil(total / k) for c in counts):
                raise Miss(f"{where}: class {label!r} ({total} rows) is spread {counts} over the folds; "
                           f"each fold should hold {total / k:.1f} rounded up or down.")
        again = as_folds(submission.stratified_kfold_indices(y, k, seed), n, k,
                         "stratified_kfold_indices")
        if [sorted(v) for _, v in again] != [sorted(v) for _, v in folds]:
            raise Miss(f"{where} gave different folds for the same seed.")


def card_groups(n_groups: int, seed: int) -> pd.Series:
    """Groups of uneven sizes (1 to 12 rows), rows of a group not adjacent."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 13, size=n_groups)
    keys = np.repeat([f"card-{i:04d}" for i in range(n_groups)], sizes)
    return pd.Series(rng.permutation(keys), name="card_key")


@criterion(id="groups_never_split", points=15, title="Grouped k-fold never splits a card, folds balanced",
           hint="Assign whole groups, not rows, to folds: a card on both sides lets the model recognise it. Put "
                "each group (largest first) into the currently smallest fold, so no fold holds more than n/k plus "
                "the largest group.", lesson=LESSON)
def test_groups_never_split(submission):
    for n_groups, k, seed in [(40, 5, 0), (300, 4, 1), (7, 3, 2)]:
        groups = card_groups(n_groups, seed)
        n = len(groups)
        where = f"group_kfold_indices({n_groups} groups, {n} rows, k={k})"
        folds = as_folds(submission.group_kfold_indices(groups, k, seed), n, k,
                         "group_kfold_indices")
        check_partition(folds, n, where)
        for i, (train, val) in enumerate(folds):
            split = set(groups.iloc[train]) & set(groups.iloc[val])
            if split:
                raise Miss(f"{where}: fold {i} has {len(split)} group(s) on both sides, e.g. {sorted(split)[0]!r}.")
        sizes = [len(val) for _, val in folds]
        limit = n / k + int(groups.value_counts().max())
        if min(sizes) == 0 or max(sizes) > limit:
            raise Miss(f"{where}: fold sizes {sizes}; every fold needs a group and at most {limit:.0f} rows.")
        again = as_folds(submission.group_kfold_indices(groups, k, seed), n, k,
                         "group_kfold_indices")
        if [sorted(v) for _, v in again] != [sorted(v) for _, v in folds]:
            raise Miss(f"{where} gave different folds for the same seed.")


def result_of(value, k: int) -> dict:
    shape = 'cross_validate must return {"fold_scores": [k floats], "mean": float, "std": float}'
    if not isinstance(value, dict) or not {"fold_scores", "mean", "std"} <= set(value):
        got = sorted(map(str, value)) if isinstance(value, dict) else type(value).__name__
        raise Miss(f"{shape}; it returned {got}.")
    scores = value["fold_scores"]
    if not isinstance(scores, list | tuple) or len(scores) != k or not all(isinstance(s, float | int) for s in scores):
        raise Miss(f"{shape}; fold_scores was {str(scores)[:80]}.")
    for key in ("mean", "std"):
        if not isinstance(value[key], float | int) or not math.isfinite(value[key]):
            raise Miss(f'{shape}; "{key}" was {str(value[key])[:40]}.')
    return value


def probe_data(n: int = 60) -> tuple[pd.DataFrame, pd.Series, list]:
    """Distinct rows, labels all 0, and fixed folds: a probe scores 1.0 on rows it never saw."""
    X = pd.DataFrame({"row": np.arange(n) * 7 + 3, "other": np.arange(n) % 5})
    y = pd.Series(np.zeros(n, dtype=int), name="label")
    order = np.random.default_rng(5).permutation(n)
    folds = [(sorted(set(range(n)) - set(v.tolist())), sorted(v.tolist())) for v in np.array_split(order, 4)]
    return X, y, folds


@criterion(id="scores_each_fold", points=10, title="Scores each fold, with mean and spread",
           hint="Per fold: fit on the training rows (X.iloc[train]), score with model.score on the validation rows; "
                "return the list, its mean and its standard deviation.", lesson=LESSON)
def test_scores_each_fold(submission):
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(9)
    X = pd.DataFrame(rng.normal(size=(150, 3)), columns=["a", "b", "c"])
    y = pd.Series(X["a"] * 2 - X["b"] + rng.normal(scale=0.5, size=150), name="target")
    order = rng.permutation(150)
    folds = [(sorted(set(range(150)) - set(v.tolist())), sorted(v.tolist())) for v in np.array_split(order, 5)]
    got = result_of(submission.cross_validate("ridge", X, y, folds), 5)
    expected = []
    for train, val in folds:
        model = make_pipeline(StandardScaler(), Ridge(alpha=1.0)).fit(X.iloc[train], y.iloc[train])
        expected.append(model.score(X.iloc[val], y.iloc[val]))
    if not np.allclose(got["fold_scores"], expected, atol=1e-6):
        raise Miss(f"Fold scores {np.round(got['fold_scores'], 4).tolist()} differ from R² of a ridge fitted on each "
                   "fold's training rows and scored on its validation rows, in the order of the folds given.")
    stds = [np.std(expected), np.std(expected, ddof=1)]
    if not math.isclose(got["mean"], float(np.mean(expected)), abs_tol=1e-6) or not any(
            math.isclose(got["std"], s, abs_tol=1e-6) for s in stds):
        raise Miss(f"mean {got['mean']:.4f} / std {got['std']:.4f} are not the mean and standard deviation of the "
                   "fold scores.")


@criterion(id="fresh_model_per_fold", points=15, title="No model state crosses folds",
           hint="One model object reused across folds carries state when the model has a warm start, partial_fit "
                "or a cache: fold 2's validation rows were fold 1's training rows. Build a fresh model with "
                "MODELS[model_name]() inside the loop.", lesson=LESSON)
def test_fresh_model_per_fold(submission):
    X, y, folds = probe_data()
    got = result_of(submission.cross_validate("row_memory", X, y, folds), 4)
    if not all(math.isclose(s, 1.0) for s in got["fold_scores"]):
        raise Miss(f"row_memory scored {np.round(got['fold_scores'], 3).tolist()}: it recognised validation rows, "
                   "so the model that scored them had been fitted on them in an earlier fold.")


@criterion(id="preprocessing_inside_the_fold", points=15, title="Preprocessing never sees the validation rows",
           hint="Fitting the scaler (or any preprocessing) on all rows before the loop, or on the validation rows, "
                "lets it learn their statistics. Fit a fresh PREPROCESSORS[name]() on each fold's training rows, "
                "then transform both sides with it.", lesson=LESSON)
def test_preprocessing_inside_the_fold(submission):
    X, y, folds = probe_data()
    got = result_of(submission.cross_validate("flag_reader", X, y, folds, "seen_rows"), 4)
    if not all(math.isclose(s, 1.0) for s in got["fold_scores"]):
        raise Miss(f"With seen_rows + flag_reader the folds scored {np.round(got['fold_scores'], 3).tolist()}: the "
                   "preprocessing that transformed the validation rows had been fitted on them.")


SPLITTERS = {"KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold", "ShuffleSplit", "train_test_split",
             "RepeatedKFold", "LeaveOneGroupOut", "GroupShuffleSplit", "PredefinedSplit", "check_cv"}


@criterion(id="no_sklearn_splitters", points=5, title="Splits written from scratch (no scikit-learn splitters)",
           hint="The exercise is to write the splitting yourself: no sklearn.model_selection (KFold, GroupKFold, "
                "cross_val_score, ...). NumPy is fine.", lesson=LESSON)
def test_no_sklearn_splitters(submission):
    submission.kfold_indices(10, 2, 0)  # a stub has nothing to vouch for
    tree = ast.parse(Path(submission._session.submission).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and "model_selection" in node.module:
            found.append(f"imports from {node.module}")
        elif isinstance(node, ast.Import) and any("model_selection" in a.name for a in node.names):
            found.append("imports sklearn.model_selection")
        elif isinstance(node, ast.Attribute) and (node.attr == "model_selection" or node.attr in SPLITTERS):
            found.append(f"uses .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in SPLITTERS:
            found.append(f"uses {node.id}")
    if found:
        raise Miss("The notebook " + "; ".join(dict.fromkeys(found[:3])) + ".")
