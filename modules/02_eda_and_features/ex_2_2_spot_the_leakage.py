import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.calibration import TARGET, is_test, task_table
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold, train_test_split
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler, TargetEncoder

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The marketplace's final value fee: charged to the seller once the card has sold.
    FEE_RATE, FEE_FIXED = 0.13, 0.30
    # Row-wise numeric inputs (age in years from two dates known when the card is listed).
    NUMERIC = ["card_hp", "retreat_cost", "first_edition", "age_years"]
    SEED = 0


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 2.2 · Spot the leakage

    **Why this matters.** A leak is information in training that will not exist at
    prediction time. It never crashes anything: it makes the offline score look wonderful,
    the launch is approved, and the model disappoints in production, where nobody can say
    why. Leaks hide in ordinary-looking code, often several at once.

    **The story.** The analytics team wants to tell sellers whether a card will fetch at
    least \$2 (the Module 2 task, `data/datacards/calibration.md`). Their notebook,
    `leaky_score` below, reports about **0.99** accuracy on the marketplace export
    (`make_listings`). Their manager is delighted. You are suspicious.

    **Your job:**

    1. Read `leaky_score` and find **every** leak. Write each in `LEAKS_FOUND`: the line,
       what leaks, and why it would not be available (or not be the same) at prediction time.
       There are four. Not every odd-looking line is a leak: say why the ones you kept are safe.
    2. Write `leak_free_score(listings)`: the same idea (the same inputs minus what leaks:
       the numeric columns `NUMERIC` and a target encoding of `card_name`, the same
       `LogisticRegression(C=1.0, max_iter=5000)` after a `StandardScaler`) rebuilt as one
       scikit-learn `Pipeline` with a `ColumnTransformer`, fitted on training rows only.
       Test on the sales `is_test(listings)` selects (every fourth `sale_id`), train on the
       others. Seed everything (`SEED`) so that the same data gives the same fit. Return plain data:

    ```python
    {"score": 0.87,                        # accuracy on the test sales
     "test_sale_ids": ["S0000004", ...],   # the sales you scored
     "scaler_mean": {"num__card_hp": 142.1, ...},  # what the StandardScaler learned
     "target_encoding": {"Pikachu": 0.61, ...}}    # what the target encoder learned, per card_name
    ```

    **How the grader checks it:** it plants canary rows in the test sales (values that would
    shift any statistic fitted on them) and checks that nothing you fitted moves; it checks
    that your test set is exactly the test sales; and it compares your reported score with
    what an honest model scores on 5,000 fresh sales you never see. A leak-free score lands
    close to it; a leaky one does not.

    Check your work with `uv run course check 2.2`.
    """)
    return


@app.function
def make_listings(cards: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """The marketplace export the analytics team works from (given; do not change).

    One row per sold listing: the listing's columns, the seller's final value fee, and the
    label. A retried export job wrote about 6 % of the sales twice.
    """
    X, y = task_table(cards)
    fee = (FEE_RATE * cards["price_usd"] + FEE_FIXED).round(2)
    listings = X.assign(fee_usd=fee, **{TARGET: y})
    again = listings.sample(frac=0.06, random_state=seed)
    return pd.concat([listings, again]).sort_values("sale_id", kind="stable").reset_index(drop=True)


@app.function
def leaky_score(listings: pd.DataFrame) -> float:
    """The analytics team's code (given). It reports about 0.99. Find the leaks."""
    data = listings.copy()
    y = data[TARGET]
    data["age_years"] = (data["sale_date"] - data["release_date"]).dt.days / 365.25
    # Money is log-normal: log it.
    data["log_fee"] = np.log(data["fee_usd"])
    # How often each card is worth listing: a strong signal.
    data["card_name_rate"] = y.groupby(data["card_name"]).transform("mean")
    X = data[[*NUMERIC, "log_fee", "card_name_rate"]].astype(float)
    X = StandardScaler().fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=SEED)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(X_train, y_train)
    return float(model.score(X_test, y_test))


@app.cell
def _():
    listings = make_listings(coursedata.load_cards())
    reported = leaky_score(listings)
    mo.md(f"`leaky_score` reports **{reported:.3f}** on {len(listings):,} listings.")
    return (listings,)


@app.function
def leak_free_score(listings: pd.DataFrame) -> dict:
    """The honest score and what was fitted, as plain data (see the task above)."""
    ### BEGIN SOLUTION
    # Leak 4: a sale exported twice is one sale. Keep one row (the split below is by sale anyway).
    data = listings.drop_duplicates("sale_id").copy()
    data["age_years"] = (data["sale_date"] - data["release_date"]).dt.days / 365.25
    data[NUMERIC] = data[NUMERIC].astype(float)
    # Leak 1: fee_usd is charged after the sale, from its price; it is simply not an input.
    X, y = data[[*NUMERIC, "card_name"]], data[TARGET]
    test = is_test(data)
    encoder = TargetEncoder(target_type="binary", cv=KFold(n_splits=5, shuffle=True, random_state=SEED))
    pipeline = Pipeline([
        ("features", ColumnTransformer([
            ("num", "passthrough", NUMERIC),
            ("card_name_rate", encoder, ["card_name"]),  # leak 2: fitted inside the pipeline, on training rows
        ])),
        ("scale", StandardScaler()),  # leak 3: fitted inside the pipeline, on training rows
        ("model", LogisticRegression(C=1.0, max_iter=5000)),
    ])
    pipeline.fit(X[~test], y[~test])
    fitted = pipeline.named_steps["features"].named_transformers_["card_name_rate"]
    names = pipeline.named_steps["features"].get_feature_names_out()
    return {
        "score": float(pipeline.score(X[test], y[test])),
        "test_sale_ids": sorted(data.loc[test, "sale_id"]),
        "scaler_mean": {str(n): float(m) for n, m in zip(names, pipeline.named_steps["scale"].mean_, strict=True)},
        "target_encoding": {str(c): float(e) for c, e in zip(fitted.categories_[0], fitted.encodings_[0], strict=True)},
    }
    ### END SOLUTION


@app.cell
def _(listings):
    honest = leak_free_score(listings)
    mo.md(f"`leak_free_score` reports **{honest['score']:.3f}** on {len(honest['test_sale_ids']):,} test sales.")
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `LEAKS_FOUND`: each of the four leaks: where, what leaks, why it is unavailable (or
       different) at prediction time, and how your pipeline avoids it. Also say why
       `age_years` is *not* a leak.
    2. `WHY_THE_SCORE_DROPPED`: explain to the delighted manager, in plain words, why the
       honest number is lower and why it is the one to plan with.

    At least 25 words each.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    LEAKS_FOUND = """1. fee_usd is the marketplace fee charged after the sale, computed from the sale price: it is the
    label in disguise and does not exist when a seller asks before listing. I dropped it. 2. card_name_rate is the
    mean label per card name over all rows, test rows included, so every test row's own label is inside its
    feature. A TargetEncoder inside the pipeline learns it from training rows only (with cross-fitting on them).
    3. StandardScaler().fit_transform runs before the split, so the scaling uses test rows' means. It is a step
    of the pipeline now, fitted on training rows. 4. About 6 % of sales were exported twice and the random row
    split puts copies on both sides, so the model is tested on sales it trained on. I drop the copies and split
    by sale_id with is_test. age_years is safe: release date and sale date are both known when the card is listed,
    and it is computed from the row alone."""
    WHY_THE_SCORE_DROPPED = """The 0.99 came from a column that is only known after the card has sold: the fee is a
    fixed share of the price, so the model was reading the answer. Without it, and with everything learned only
    from past sales, the model scores about 0.88, and it scores about the same on sales it has never seen. That
    is the number a seller will experience, so it is the one to plan the launch with."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="Returns the score and what was fitted", hint='Return a dict with "score", "test_sale_ids", "scaler_mean" and "target_encoding", all plain Python values.', lesson="02_eda_and_features.py#6 · Leakage")
def test_returns_plain_report():
    sample = make_listings(coursedata.load_cards().head(4_000))
    report = leak_free_score(sample)
    assert set(report) >= {"score", "test_sale_ids", "scaler_mean", "target_encoding"}
    assert 0.5 < report["score"] < 0.97
    assert all(isinstance(v, float) for v in report["scaler_mean"].values())


@app.function
@criterion(points=5, title="Tests exactly the is_test sales", hint="Split by sale with is_test(), not by row at random: a sale exported twice must not land on both sides.", lesson="02_eda_and_features.py#6 · Leakage")
def test_tests_the_is_test_sales():
    sample = make_listings(coursedata.load_cards().head(4_000))
    report = leak_free_score(sample)
    assert set(report["test_sale_ids"]) == set(sample.loc[is_test(sample), "sale_id"])


@app.function
@criterion(points=10, title="Nothing fitted moves when only test rows change", hint="Fit the scaler and the target encoder inside the Pipeline, on training rows only.", lesson="02_eda_and_features.py#5 · Pipelines and ColumnTransformer")
def test_test_rows_do_not_change_the_fit():
    sample = make_listings(coursedata.load_cards().head(4_000))
    canary = sample.copy()
    rows = is_test(canary)
    canary.loc[rows, TARGET] = 1 - canary.loc[rows, TARGET]
    canary.loc[rows, "card_hp"] = canary.loc[rows, "card_hp"] * 10
    before, after = leak_free_score(sample), leak_free_score(canary)
    assert before["scaler_mean"] == after["scaler_mean"]
    assert before["target_encoding"] == after["target_encoding"]


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_returns_plain_report,
        test_tests_the_is_test_sales,
        test_test_rows_do_not_change_the_fit,
        item="2.2",
    )
    return


if __name__ == "__main__":
    app.run()
