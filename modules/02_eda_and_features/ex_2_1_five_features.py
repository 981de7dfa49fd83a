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
    from coursedata.vocab import CONDITIONS, LANGUAGES, MECHANICS, RARITIES
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The bar: mean 5-fold CV accuracy with your features >= baseline + REQUIRED_LIFT (absolute).
    REQUIRED_LIFT = 0.03
    N_FEATURES = 5
    FOLDS_SEED = 0


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 2.1 · Engineer five features, and say why

    **Why this matters.** A feature is a hypothesis about the world written as code: "rarer
    cards sell for more", "a slab's grade says more than the seller's word". Writing the
    hypothesis down before you measure it is what separates feature *engineering* from
    throwing columns at a model. And a feature has to survive production: the one new
    listing at prediction time, the species that is not in the table yet, the card with
    retreat cost 0.

    **The task** (data card `data/datacards/calibration.md`): will a card sale fetch at least
    \$2? The model is fixed (`make_model()`: `StandardScaler` + `LogisticRegression(C=1)`),
    and the baseline feeds it `baseline_features(X)` (`card_hp`, `retreat_cost`,
    `first_edition`).

    **Your job:** write `add_features(X, species)` returning a DataFrame of **at least five
    new numeric features** (with `X`'s index; only the new columns, not `X` itself).
    `species` is the public species table (`coursedata.load_species()`, join card `species`
    to species `name`); use it for at least one feature if you can. Then justify each
    feature in its `WHY_FEATURE_n` string: the hypothesis, and what you measured.

    **The grader checks**, on 5,000 sales you have never seen and on awkward cases:

    - at least 5 numeric columns, none of them a copy of a column of `X`, none constant;
    - no NaN or infinity, also when a species has Defense 0 (or HP, Attack, weight 0) in
      a future species table, or when a card's species is missing from the table, or a card
      has retreat cost 0 or no attack damage;
    - deterministic and **row-wise**: a sale's features depend on that sale (and the species
      table) only, never on the other rows of the batch, because at prediction time there is
      one listing, not a training set;
    - a lift: mean 5-fold CV accuracy of `make_model()` on `baseline_features(X)` plus your
      features is at least **3 percentage points** above the baseline's alone (measured on
      the hidden sales with the grader's folds);
    - neither `X` nor `species` is modified;
    - the features are your own: `add_features` (and code it calls) reads no prices or labels
      (`load_cards`, `price_usd`, `worth_listing`), not the course's reference features
      (`engineered_features`) nor `make_model`, and trains no estimator on a target
      (`.fit(X, y)` inside a feature is a second model). Fitting an encoder without a target
      on fixed levels, e.g. `OneHotEncoder(categories=[LANGUAGES])`, is fine.

    Check your work with `uv run course check 2.1`.
    """)
    return


@app.function
@functools.cache
def training_sales() -> tuple[pd.DataFrame, pd.Series]:
    """The training split, loaded once (do not modify what it returns)."""
    X_train, y_train, _, _ = load_task()
    return X_train, y_train


@app.function
def cv_accuracy(F: pd.DataFrame, y: pd.Series) -> float:
    """Mean 5-fold CV accuracy of the fixed model on the feature matrix F (given, do not change)."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=FOLDS_SEED)
    return float(cross_val_score(make_model(), F.to_numpy(dtype=float), y.to_numpy(), cv=folds).mean())


@app.function
def add_features(X: pd.DataFrame, species: pd.DataFrame) -> pd.DataFrame:
    """At least five new numeric features per sale, from its own columns and the species table."""
    ### BEGIN SOLUTION
    F = pd.DataFrame(index=X.index)
    # 1. Rarity is ordered text; its rank lets a linear model say "rarer is pricier" with one weight.
    F["rarity_rank"] = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    # 2. "PSA 9" -> 9.0; ungraded copies get 0 (they are also the cheap ones: owners slab valuable cards).
    points = pd.to_numeric(X["grade"].str.extract(r"([\d.]+)$")[0], errors="coerce")
    F["grade_points"] = points.fillna(0.0)
    # 3. Age at sale, from two dates known at listing time.
    F["age_years"] = (X["sale_date"] - X["release_date"]).dt.days / 365.25
    # 4. "123/110": a number above the set size marks a secret rare.
    number = X["card_number"].str.extract(r"^(\d+)/(\d+)$").astype(float)
    F["secret_rare"] = (number[0] > number[1]).fillna(False).astype(float)
    # 5. Species offence over defence; guarded: a 0 defence (or a species missing from the table)
    #    must not become infinity or NaN.
    table = species.drop_duplicates("name").set_index("name")
    offence = (table["attack"] + table["special_attack"]).astype(float)
    defence = (table["defense"] + table["special_defense"]).astype(float)
    ratio = offence / defence.clip(lower=1.0)
    F["species_power_ratio"] = X["species"].map(ratio).fillna(1.0).clip(upper=10.0)
    return F
    ### END SOLUTION


@app.cell
def _():
    X_train, y_train = training_sales()
    species = coursedata.load_species()
    features = add_features(X_train, species)
    _base = cv_accuracy(baseline_features(X_train), y_train)
    _with = cv_accuracy(pd.concat([baseline_features(X_train), features], axis=1), y_train)
    _each = {c: cv_accuracy(baseline_features(X_train).assign(f=features[c]), y_train) - _base for c in features.columns}
    mo.md(
        f"Baseline CV accuracy **{_base:.3f}**; with your {features.shape[1]} features **{_with:.3f}** "
        f"(lift {_with - _base:+.3f}, needed +{REQUIRED_LIFT:.2f}).\n\n"
        + "\n".join(f"- `{c}` alone: {lift:+.3f}" for c, lift in _each.items())
    )
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Justify each feature (a mentor reads these)

    For each of your features, in `WHY_FEATURE_1` … `WHY_FEATURE_5` (in the order of your
    columns; at least 20 words each): the hypothesis it encodes, why it is available at
    prediction time, how it handles the awkward cases, and what it did to the score on its
    own (the cell above measures it).
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    WHY_FEATURE_1 = """rarity_rank: rarer cards are scarcer and more wanted, so they should sell higher. Rarity is
    ordered text the model could not use; the rank keeps the order in one number. On its own it lifts CV accuracy
    by about 19 points, by far the biggest driver."""
    WHY_FEATURE_2 = """grade_points: owners pay to grade valuable copies, and a higher grade commands a premium,
    so the number on the slab carries both signals. Ungraded copies get 0, which is also what the selection
    effect suggests. About plus 6 points alone."""
    WHY_FEATURE_3 = """age_years: old cards are scarcer and include the vintage era collectors pay for. Both
    dates are known when the card is listed, so this is not time travel. It is the second strongest feature
    alone, about plus 11 points."""
    WHY_FEATURE_4 = """secret_rare: a card numbered above the set size (e.g. 123/110) is a secret rare, the
    rarest printing. The number is on the card, the rule is fixed, and a malformed number becomes 0, not NaN.
    About plus 3 points alone, and less on top of rarity, which already says much of it."""
    WHY_FEATURE_5 = """species_power_ratio: a hypothesis that offensive species are more popular. Defence can be
    0 in a future table, so I divide by at least 1, cap the ratio at 10, and give species missing from the table
    a neutral 1.0. It barely moves the score: I keep it as a documented negative result."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="At least five numeric features, one row per sale", hint="Return a DataFrame with X's index holding only your new numeric columns.", lesson="02_eda_and_features.py#3 · Designing features")
def test_five_numeric_features():
    X, _ = training_sales()
    sample = X.head(300)
    F = add_features(sample, coursedata.load_species())
    assert isinstance(F, pd.DataFrame)
    assert F.index.equals(sample.index)
    assert F.shape[1] >= N_FEATURES
    assert all(pd.api.types.is_numeric_dtype(F[c]) for c in F.columns)
    assert not set(F.columns) & set(X.columns)


@app.function
@criterion(points=5, title="Finite when Defense is 0 and a species is unknown", hint="Guard every division (clip the denominator) and give every lookup a default (fillna).", lesson="02_eda_and_features.py#A ratio needs a guard")
def test_finite_on_awkward_species():
    X, _ = training_sales()
    sample = X.head(50).copy()
    sample.loc[sample.index[0], "species"] = "not-in-the-table"
    species = coursedata.load_species()
    species.loc[:, ["defense", "special_defense", "attack", "hp"]] = 0
    F = add_features(sample, species)
    assert np.isfinite(F.to_numpy(dtype=float)).all()


@app.function
@criterion(points=10, title="Lifts CV accuracy by 3 points (training split)", hint="Look for signal the three numeric columns cannot carry: rarity, grade and age are text and dates.", lesson="02_eda_and_features.py#What drives it, and in what form?")
def test_lifts_cv_accuracy():
    X, y = training_sales()
    F = add_features(X, coursedata.load_species())
    base = cv_accuracy(baseline_features(X), y)
    assert cv_accuracy(pd.concat([baseline_features(X), F], axis=1), y) >= base + REQUIRED_LIFT


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_five_numeric_features,
        test_finite_on_awkward_species,
        test_lifts_cv_accuracy,
        item="2.1",
    )
    return


if __name__ == "__main__":
    app.run()
