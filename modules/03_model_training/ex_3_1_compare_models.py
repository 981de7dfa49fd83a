import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import os

    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per fit: timings do not depend on neighbours

    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.vocab import CONDITIONS, LANGUAGES, RARITIES
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler
    from sklearn.tree import DecisionTreeRegressor

    from grading.criteria import criterion
    from grading.visible import visible_tests

    SETS = sorted(coursedata.load_cards()["set_code"].unique())


    def card_table(cards: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
        """(X, y, groups): numeric inputs, ln(price), and the card each sale is a copy of."""
        X = pd.DataFrame({
            "card": cards["set_code"].map(SETS.index) * 1000 + cards["card_number"].str.split("/").str[0].astype(int),
            "rarity": cards["rarity"].map(RARITIES.index),
            "condition": cards["condition"].map(CONDITIONS.index),
            "grade": cards["grade"].fillna(0.0),
            "first_edition": cards["first_edition"].astype(int),
            "language": cards["language"].map(LANGUAGES.index),
            "age_years": (cards["sale_date"] - cards["release_date"]).dt.days / 365.25,
            "card_hp": cards["card_hp"],
        }).reset_index(drop=True)
        y = np.log(cards["price_usd"]).rename("log_price").reset_index(drop=True)
        groups = (cards["set_code"] + " " + cards["card_number"]).rename("card_key").reset_index(drop=True)
        return X, y, groups


    class RowMemory:
        """A model that remembers every row it was ever fitted on, like a warm-started or
        `partial_fit` model that carries state from one `fit` to the next. It predicts 1 for a
        row it has seen and 0 otherwise, so with labels all 0 its accuracy on rows it has never
        seen is 1.0."""

        def __init__(self):
            self.seen = set()

        def fit(self, X, y):
            self.seen |= set(map(tuple, np.asarray(X).tolist()))
            return self

        def predict(self, X):
            return np.array([int(row in self.seen) for row in map(tuple, np.asarray(X).tolist())])

        def score(self, X, y):
            return float(np.mean(self.predict(X) == np.asarray(y)))


    class SeenRows:
        """A preprocessing step that reports, for each row it transforms, whether it was among
        the rows it was fitted on (1.0) or not (0.0)."""

        def fit(self, X, y=None):
            self.seen = set(map(tuple, np.asarray(X).tolist()))
            return self

        def transform(self, X):
            rows = map(tuple, np.asarray(X).tolist())
            return np.array([[float(row in self.seen)] for row in rows])

        def fit_transform(self, X, y=None):
            return self.fit(X, y).transform(X)


    class FlagReader:
        """Predicts the flag `SeenRows` wrote: with labels all 0, accuracy 1.0 means the
        preprocessing never saw the validation rows."""

        def fit(self, X, y):
            return self

        def predict(self, X):
            return (np.asarray(X)[:, 0] > 0.5).astype(int)

        def score(self, X, y):
            return float(np.mean(self.predict(X) == np.asarray(y)))


    def card_lookup():
        """Price a sale like the nearest sales of the same card in the same condition."""
        return make_pipeline(
            ColumnTransformer([("card", FunctionTransformer(lambda a: a * 100.0), ["card"]),
                               ("rest", StandardScaler(), ["condition", "grade", "first_edition", "language"])]),
            KNeighborsRegressor(n_neighbors=3),
        )


    # Models by name: each value builds a fresh, unfitted model.
    MODELS = {
        "ridge": lambda: make_pipeline(StandardScaler(), Ridge(alpha=1.0)),
        "deep_tree": lambda: DecisionTreeRegressor(random_state=0),
        "card_lookup": card_lookup,
        "logistic": lambda: LogisticRegression(max_iter=1000),
        "row_memory": RowMemory,
        "flag_reader": FlagReader,
    }
    # Preprocessing steps by name: each value builds a fresh, unfitted transformer.
    PREPROCESSORS = {"standard_scaler": StandardScaler, "seen_rows": SeenRows}


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 3.1 · Implement cross-validation from scratch (no scikit-learn)

    **Why this matters.** Every model choice you make rests on a validation score. If the
    folds are wrong, every decision downstream is wrong with it, and nothing crashes: the
    number is simply too good. Writing the splitters yourself is the fastest way to know
    exactly what `KFold`, `StratifiedKFold` and `GroupKFold` promise, and to see the most
    common way folds lie on real data: **the same entity on both sides of the split**.
    In the card data most cards sold several times; a model that can recognise a card then
    "predicts" a sale by remembering the other sales of the same card. That is fine if you
    will only ever price cards you have sold before, and wildly optimistic if you price a
    new card (a new set's release, the Module 1 data drop).

    **Your task.** Write four functions, using only Python and NumPy (no
    `sklearn.model_selection`). A *fold list* is a list of `k` pairs
    `(train_positions, validation_positions)`, each a list of row positions `0..n-1`.

    1. `kfold_indices(n_rows, k, seed)`: shuffle the positions with `seed` (rows arrive in
       date order: unshuffled folds are time blocks), split them into `k` validation folds
       whose sizes differ by at most one; each fold's training rows are all the other rows.
    2. `stratified_kfold_indices(y, k, seed)`: as above, and in addition each class is spread
       evenly: each fold holds `n_c / k` rows of class `c`, rounded up or down.
       Fold sizes still differ by at most one.
    3. `group_kfold_indices(groups, k, seed)`: all rows of one group (one card) land in the
       same validation fold; every fold gets at least one group, and no fold holds more than
       `n / k` plus the size of the largest group rows.
    4. `cross_validate(model_name, X, y, folds, preprocess_name=None)`: for each fold, build
       a **fresh** model with `MODELS[model_name]()` (some models keep state between calls to
       `fit`: a warm start, a `partial_fit`, a cache), and, if `preprocess_name` is given, a
       fresh `PREPROCESSORS[preprocess_name]()` fitted **on that fold's training rows only**
       and then used to transform both sides. Fit on the training rows, score with
       `model.score(X_validation, y_validation)`. Return
       `{"fold_scores": [...], "mean": float, "std": float}` (the standard deviation of the
       fold scores, with `ddof` 0 or 1, as you like).

    Every function is deterministic: the same arguments give the same folds. `X` is a
    DataFrame, `y` and `groups` are Series (select rows with `.iloc`).

    The hidden tests check the partition properties on data they generate, determinism
    under a seed, what the preprocessing saw, whether a model kept state across folds
    (with `row_memory`, `seen_rows` and `flag_reader` from the setup cell), and that no
    scikit-learn splitter is used. Check your work with `uv run course check 3.1`.
    """)
    return


@app.function
def kfold_indices(n_rows: int, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    """k shuffled folds of 0..n_rows-1, sizes within one."""
    ### BEGIN SOLUTION
    order = np.random.default_rng(seed).permutation(n_rows)
    validation = np.array_split(order, k)
    return [(sorted(np.setdiff1d(order, fold).tolist()), sorted(fold.tolist())) for fold in validation]
    ### END SOLUTION


@app.function
def stratified_kfold_indices(y: pd.Series, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    """k shuffled folds in which every class is spread evenly, sizes within one."""
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    labels = np.asarray(y)
    folds: list[list[int]] = [[] for _ in range(k)]
    dealt = 0  # deal class by class, continuing round the folds, so sizes stay within one
    for label in sorted(set(labels.tolist()), key=str):
        members = rng.permutation(np.flatnonzero(labels == label))
        for position in members.tolist():
            folds[dealt % k].append(position)
            dealt += 1
    everyone = set(range(len(labels)))
    return [(sorted(everyone - set(fold)), sorted(fold)) for fold in folds]
    ### END SOLUTION


@app.function
def group_kfold_indices(groups: pd.Series, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    """k folds that never split a group, balanced by rows."""
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    codes = np.unique(np.asarray(groups).astype(str), return_inverse=True)[1]
    sizes = np.bincount(codes)
    # Largest groups first (ties broken at random), each into the currently smallest fold.
    shuffled = rng.permutation(len(sizes))
    order = shuffled[np.argsort(-sizes[shuffled], kind="stable")]
    load, fold_of = np.zeros(k, dtype=int), np.empty(len(sizes), dtype=int)
    for group in order:
        fold_of[group] = int(np.argmin(load))
        load[fold_of[group]] += sizes[group]
    row_fold = fold_of[codes]
    return [(np.flatnonzero(row_fold != f).tolist(), np.flatnonzero(row_fold == f).tolist()) for f in range(k)]
    ### END SOLUTION


@app.function
def cross_validate(model_name: str, X: pd.DataFrame, y: pd.Series, folds: list, preprocess_name: str | None = None) -> dict:
    """Fit a fresh model (and preprocessing) per fold on its training rows; score on its validation rows."""
    ### BEGIN SOLUTION
    scores = []
    for train, validation in folds:
        X_train, X_val = X.iloc[list(train)], X.iloc[list(validation)]
        y_train, y_val = y.iloc[list(train)], y.iloc[list(validation)]
        if preprocess_name is not None:
            step = PREPROCESSORS[preprocess_name]().fit(X_train)
            X_train, X_val = step.transform(X_train), step.transform(X_val)
        model = MODELS[model_name]().fit(X_train, y_train)
        scores.append(float(model.score(X_val, y_val)))
    return {"fold_scores": scores, "mean": float(np.mean(scores)), "std": float(np.std(scores))}
    ### END SOLUTION


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Measure it: random folds against grouped folds

    4,000 card sales, the target is ln(price), the score is R² on the validation fold. The
    `card_lookup` model prices a sale from the nearest sales of the same card; `ridge` only
    sees the card's properties (rarity, condition, grade, age, ...). Same data, same models,
    only the folds differ.
    """)
    return


@app.cell
def _():
    sample = coursedata.load_cards().iloc[:4_000]
    X, y, groups = card_table(sample)
    random_folds = kfold_indices(len(X), 5, seed=0)
    grouped_folds = group_kfold_indices(groups, 5, seed=0)
    rows = []
    for name in ("card_lookup", "deep_tree", "ridge"):
        shuffled = cross_validate(name, X, y, random_folds)
        grouped = cross_validate(name, X, y, grouped_folds)
        rows.append({"model": name, "random folds R²": round(shuffled["mean"], 3),
                     "grouped folds R²": round(grouped["mean"], 3),
                     "optimism": round(shuffled["mean"] - grouped["mean"], 3),
                     "grouped spread (sd)": round(grouped["std"], 3)})
    comparison = pd.DataFrame(rows)
    repeated = float((groups.map(groups.value_counts()) > 1).mean())
    mo.vstack([
        mo.md(f"{repeated:.0%} of these sales are of a card that sold more than once in the sample."),
        comparison,
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `WHY_GROUPED_FOLDS`: using the table above, explain in your own words why random folds
       overestimate `card_lookup` and which question each kind of fold answers. When would
       random folds be the right choice for this data?
    2. `WHAT_LEAKS_ACROSS_FOLDS`: name two things, other than rows, that can leak from one
       fold's training into another fold's validation, and how your `cross_validate`
       prevents each.

    At least 25 words each.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    WHY_GROUPED_FOLDS = """With random folds about four in five validation sales have a sibling sale of the same card
    in the training rows, so card_lookup simply reads that sibling's price: its R2 drops sharply once the folds
    keep each card on one side, while ridge, which cannot recognise a card, barely moves. Random folds answer
    'how well do we price another copy of a card we have sold before'; grouped folds answer 'how well do we
    price a card we have never seen'. Random folds are right only if every card we will price has sold before."""
    WHAT_LEAKS_ACROSS_FOLDS = """First, fitted preprocessing: a scaler or encoder fitted on all rows has learned the
    validation rows' statistics, so I fit a fresh preprocessor on each fold's training rows only. Second, model
    state: a warm-started or partial_fit model, or one reused object with a cache, remembers earlier folds whose
    training rows are this fold's validation rows, so I build a fresh model per fold from its factory."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="k-fold validates every row exactly once", hint="Split one permutation of 0..n-1 into k parts (np.array_split keeps sizes within one); training rows are all the others.")
def test_kfold_validates_every_row_once():
    folds = kfold_indices(23, 4, seed=1)
    validated = sorted(p for _, val in folds for p in val)
    assert validated == list(range(23))
    assert all(not set(train) & set(val) and len(train) + len(val) == 23 for train, val in folds)


@app.function
@criterion(points=5, title="Grouped folds keep a card on one side", hint="Assign whole groups to folds, then list their rows.")
def test_group_folds_keep_groups_together():
    groups = pd.Series(list("aabbbcddde"))
    for train, val in group_kfold_indices(groups, 3, seed=0):
        assert not set(groups.iloc[train]) & set(groups.iloc[val])


@app.function
@criterion(points=5, title="A fresh model per fold", hint="Call MODELS[model_name]() inside the loop over folds, not once before it.")
def test_fresh_model_per_fold():
    X = pd.DataFrame({"row": range(40)})
    y = pd.Series([0] * 40)
    result = cross_validate("row_memory", X, y, kfold_indices(40, 4, seed=0))
    assert result["fold_scores"] == [1.0] * 4


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_kfold_validates_every_row_once,
        test_group_folds_keep_groups_together,
        test_fresh_model_per_fold,
        item="3.1",
    )
    return


if __name__ == "__main__":
    app.run()
