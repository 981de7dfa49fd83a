import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import functools

    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.calibration import baseline_features, load_task, make_model
    from coursedata.vocab import CONDITIONS, LANGUAGES, RARITIES
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The public species table (join on card `species` = species `name`), for your feature if you want it.
    SPECIES = coursedata.load_species()
    # The bar: mean 5-fold CV accuracy with your feature >= (1 + REQUIRED_GAIN) x without it.
    REQUIRED_GAIN = 0.05
    FOLDS_SEED = 0


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 2.3 · One feature that moves the needle

    **Why this matters.** Before reaching for a bigger model, ask what the model *cannot see*.
    A linear model on raw columns is stuck when the signal hides in text, in an order, or in
    a difference of two columns. One well-chosen feature often beats a week of model tuning.

    **The task** (the Module 2 data card, `data/datacards/calibration.md`): will a card sale
    fetch at least \$2? The model is fixed: `make_model()` = `StandardScaler` +
    `LogisticRegression(C=1)`. The baseline gives it `baseline_features(X)`: the three numeric
    columns `card_hp`, `retreat_cost`, `first_edition`.

    **Your job:** write `add_feature(X)` that returns **one** numeric column (a `pd.Series`
    with `X`'s index) computed from each sale's own columns (and, if you like, the public
    `SPECIES` table). The grader appends it to `baseline_features(X)` and measures

    > mean 5-fold cross-validated accuracy of `make_model()`, **with** your feature ≥
    > **1.05 ×** the same **without** it (a relative improvement of at least 5 %).

    On the training split the baseline is about 0.665, so you need about 0.70 or more. The
    grader repeats the measurement on 5,000 sales you have never seen, with its own folds:
    a feature that only works on this data (or peeks at the answer) does not pass there.

    Rules the grader also checks: no NaN or infinity (not even for a card with retreat cost
    0, no attack damage, or a species missing from `SPECIES`), the same input gives the same
    output, and each row's value depends on that row only (a feature must be computable for
    one new listing at prediction time). `X` must not be modified. And the feature is yours:
    it may not read prices or labels (`load_cards`, `price_usd`, `worth_listing`), the
    course's reference features, or `make_model`, nor train an estimator on a target inside
    the feature (`.fit(X, y)` is a second model, not a feature).

    Check your work with `uv run course check 2.3`.
    """)
    return


@app.cell
def _():
    X_train, y_train, _X_test, _y_test = load_task()
    X_train.head()
    return X_train, y_train


@app.function
def cv_accuracy(F: pd.DataFrame, y: pd.Series) -> float:
    """Mean 5-fold CV accuracy of the fixed model on the feature matrix F (given, do not change)."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=FOLDS_SEED)
    return float(cross_val_score(make_model(), F.to_numpy(dtype=float), y.to_numpy(), cv=folds).mean())


@app.function
@functools.cache
def training_sales() -> tuple[pd.DataFrame, pd.Series]:
    """The training split, loaded once for the tests below (do not modify what it returns)."""
    X_train, y_train, _, _ = load_task()
    return X_train, y_train


@app.function
def add_feature(X: pd.DataFrame) -> pd.Series:
    """One numeric feature per sale, from that sale's own columns (and SPECIES)."""
    ### BEGIN SOLUTION
    # Rarity is ordered text: Common < Uncommon < ... < Secret Rare. The model cannot use text,
    # and a one-hot would cost six columns; the rank says "rarer is pricier" in one number.
    rank = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)})
    return rank.fillna(0.0).rename("rarity_rank")
    ### END SOLUTION


@app.cell
def _(X_train, y_train):
    _base = cv_accuracy(baseline_features(X_train), y_train)
    _with = cv_accuracy(baseline_features(X_train).assign(new=add_feature(X_train)), y_train)
    mo.md(f"Baseline CV accuracy **{_base:.3f}**, with your feature **{_with:.3f}**: "
          f"relative change **{_with / _base - 1:+.1%}** (needed: +{REQUIRED_GAIN:.0%}).")
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `WHY_IT_WORKS`: what does your feature tell the model that the raw columns did not,
       and what assumption about prices does it encode?
    2. `AVAILABLE_AT_PREDICTION_TIME`: why is your feature not a leak, that is, why would it
       be known for a new listing before the card sells?

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    WHY_IT_WORKS = """Rarity drives price more than anything else on the card, but it arrives as text, so the
    baseline model never saw it. The rank turns the ordered categories into one number, and it encodes an
    assumption: each step up in rarity raises the chance of a $2 sale by roughly the same amount, which a
    linear model can represent with a single weight."""
    AVAILABLE_AT_PREDICTION_TIME = """Rarity is printed on the card itself, so it is known the moment the card
    is listed, long before anyone pays for it. The feature uses only the row's own rarity and a fixed ordering
    written by hand, never the price, the label or statistics of other sales, so it is computed the same way
    for training rows and for a new listing."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="Returns one numeric column per sale", hint="Return a pd.Series of numbers with the same index as X (not a list, not the whole frame).", lesson="02_eda_and_features.py#3 · Designing features")
def test_returns_one_numeric_column():
    X, _ = training_sales()
    sample = X.head(200)
    feature = add_feature(sample)
    assert isinstance(feature, pd.Series)
    assert feature.index.equals(sample.index)
    assert pd.api.types.is_numeric_dtype(feature)


@app.function
@criterion(points=5, title="No NaN or infinity on the training sales", hint="Division by a column that can be 0 gives inf; a lookup that misses gives NaN. Guard both.", lesson="02_eda_and_features.py#A ratio needs a guard")
def test_finite_on_training_sales():
    X, _ = training_sales()
    assert np.isfinite(add_feature(X).to_numpy(dtype=float)).all()


@app.function
@criterion(points=10, title="Lifts CV accuracy by at least 5 % (training split)", hint="Look for signal the baseline cannot see: ordered text, a date difference, a number inside a string.", lesson="02_eda_and_features.py#What drives it, and in what form?")
def test_lifts_cv_accuracy_by_five_percent():
    X, y = training_sales()
    base = cv_accuracy(baseline_features(X), y)
    with_feature = cv_accuracy(baseline_features(X).assign(new=add_feature(X)), y)
    assert with_feature >= (1 + REQUIRED_GAIN) * base


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_returns_one_numeric_column,
        test_finite_on_training_sales,
        test_lifts_cv_accuracy_by_five_percent,
        item="2.3",
    )
    return


if __name__ == "__main__":
    app.run()
