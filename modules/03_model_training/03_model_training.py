import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import os

    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per fit: timings comparable, neighbours spared
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")  # the file store opens instantly (see section 8)
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")  # no INFO lines on stderr for a new experiment

    import hashlib
    import tempfile
    import time
    from pathlib import Path

    import altair as alt
    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.vocab import CONDITIONS, LANGUAGES, RARITIES
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier
    from sklearn.inspection import permutation_importance
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.model_selection import GroupKFold, KFold, cross_val_score
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeRegressor

    SEED = 0
    FEATURES = ["rarity", "condition", "grade", "first_edition", "language", "age_years", "card_hp",
                "retreat_cost", "release_year", "species_id"]


    def sales_table(cards: pd.DataFrame) -> pd.DataFrame:
        """Numeric inputs, the card each sale is a copy of, ln(price) and the worth-listing label."""
        return pd.DataFrame({
            "sale_id": cards["sale_id"],
            "card_key": cards["set_code"] + " " + cards["card_number"],
            "card_code": cards["set_code"].astype("category").cat.codes.astype(int) * 1000
            + cards["card_number"].str.split("/").str[0].astype(int),
            "rarity": cards["rarity"].map(RARITIES.index),
            "condition": cards["condition"].map(CONDITIONS.index),
            "grade": cards["grade"].fillna(0.0),
            "first_edition": cards["first_edition"].astype(int),
            "language": cards["language"].map(LANGUAGES.index),
            "age_years": (cards["sale_date"] - cards["release_date"]).dt.days / 365.25,
            "card_hp": cards["card_hp"],
            "retreat_cost": cards["retreat_cost"],
            "release_year": cards["release_date"].dt.year,
            "species_id": cards["species_id"],
            "log_price": np.log(cards["price_usd"]),
            "worth_listing": (cards["price_usd"] >= 2.0).astype(int),
        }).reset_index(drop=True)


    def grouped_split(frame: pd.DataFrame, share: float = 0.3):
        """Training and validation frames with every card on one side only."""
        keys = frame["card_key"].unique()
        held = set(np.random.default_rng(SEED).choice(keys, size=int(share * len(keys)), replace=False))
        validation = frame["card_key"].isin(held)
        return frame[~validation].reset_index(drop=True), frame[validation].reset_index(drop=True)


    def seconds(work, repeats: int = 3) -> float:
        """Median CPU time of work() over a few repeats: on one core (OMP_NUM_THREADS=1) it does not
        depend on what else the machine is running, unlike wall time."""
        times = []
        for _ in range(repeats):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return float(np.median(times))


    def tracking_dir() -> str:
        """The lesson's MLflow store: mlruns/ next to this notebook (git-ignored), or a temporary one."""
        here = mo.notebook_dir()
        if here is not None:
            store = Path(here) / "mlruns"
            try:
                store.mkdir(exist_ok=True)
                (store / ".write-test").touch()
                return str(store)
            except OSError:
                pass
        return tempfile.mkdtemp(prefix="mlruns-")


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Module 3 · Model training and experimentation

    In Module 2 you turned raw columns into features. Now you train models on them, and the
    hard part is not calling `fit`: it is knowing whether a result is real, why one model beats
    another, and what to try next.

    **By the end of this module you can**

    1. think in experiments, not models: state a hypothesis, track every run with its data
       and parameters, and compare models fairly (same folds, spread, no peeking at the test set);
    2. navigate the model zoo: linear models, trees, boosted trees and small neural networks,
       read their internals (coefficients, impurity and permutation importance), and match the
       model's complexity to the problem and the data;
    3. run the training process: train, validation and test and why, cross-validation with
       folds that mimic production, hyperparameters versus learned parameters, and estimating
       the training time before you start.

    Everything runs on the card sales (`data/datacards/cards.md`): 20,000 sales of 4,944
    distinct cards, most of them sold more than once. Every number in the text is computed by
    the cells when the notebook runs; a full run takes well under a minute.
    """)
    return


@app.cell
def _():
    sales = sales_table(coursedata.load_cards())
    work = sales.iloc[:6_000]
    train, validation = grouped_split(work)
    repeat_share = float((sales["card_key"].map(sales["card_key"].value_counts()) > 1).mean())
    return repeat_share, sales, train, validation, work


@app.cell(hide_code=True)
def _(repeat_share):
    mo.md(rf"""
    ## 1 · Think in experiments, not models

    A model is the *output* of an experiment. Before you train, write down:

    | part | example on the card data |
    |---|---|
    | hypothesis | "boosted trees beat logistic regression on worth-listing because condition and grade interact" |
    | measure | accuracy on grouped validation folds (cards never seen), with its spread |
    | baseline | the majority class, and the simplest sensible model |
    | what would change our mind | a lead smaller than the fold-to-fold spread |
    | what we log | code version, data version (a content hash), parameters, every metric |

    Fix every seed (the split, the model) so a run can be repeated, and measure the noise: rerun with
    another split or seed, and treat a difference smaller than that spread as no difference.
    An experiment that is not logged did not happen: in a week you will not remember which of
    twelve runs had the fixed split. Section 8 logs this lesson's runs with MLflow.

    ## 2 · Train, validation, test: and why three

    * **Training rows** fit the learned parameters (coefficients, tree splits).
    * **Validation rows** choose everything else: the model family, the hyperparameters, the
      features, the threshold. Each choice is fitted to the validation rows a little.
    * **Test rows** are touched once, at the end, to estimate how the chosen model does on new
      data. Use them to choose and they become a second validation set: the estimate is then
      optimistic, and you no longer have an honest one.

    *Hyperparameters* (tree depth, regularisation strength, number of boosting rounds) are set
    by you before `fit`; *parameters* are what `fit` learns. You tune the first on validation data.

    ### Cross-validation, and when folds lie

    One validation split gives one number, and that number moves with the split.
    *k*-fold cross-validation validates every row once, over *k* fits, and gives a mean and a
    spread. But the folds must mimic production: {repeat_share:.0%} of the sales are of a card
    that sold more than once. With random folds a model can recognise a card in validation from
    its other sales in training. If the model will price cards it has never seen, that is
    leakage. Below: a model that prices a sale from the nearest sales of the same card, and a
    ridge regression that only sees the card's properties, under both kinds of folds
    (R² of ln(price), 4,000 sales).
    """)
    return


@app.cell
def _(sales):
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import FunctionTransformer

    def card_lookup():
        return make_pipeline(
            ColumnTransformer([("card", FunctionTransformer(lambda a: a * 100.0), ["card_code"]),
                               ("rest", StandardScaler(), ["condition", "grade", "first_edition", "language"])]),
            KNeighborsRegressor(n_neighbors=3),
        )

    cv_sample = sales.iloc[:4_000]
    cv_inputs = cv_sample[["card_code", *FEATURES]]
    fold_rows = []
    for cv_name, cv_model in [("card lookup (3 nearest sales of the card)", card_lookup()),
                              ("ridge on card properties", make_pipeline(StandardScaler(), Ridge()))]:
        shuffled = cross_val_score(cv_model, cv_inputs, cv_sample["log_price"], cv=KFold(5, shuffle=True, random_state=SEED))
        grouped = cross_val_score(cv_model, cv_inputs, cv_sample["log_price"], cv=GroupKFold(5), groups=cv_sample["card_key"])
        fold_rows.append({"model": cv_name, "random folds R²": round(shuffled.mean(), 3),
                          "grouped folds R²": round(grouped.mean(), 3), "grouped sd": round(grouped.std(), 3)})
    folds_table = pd.DataFrame(fold_rows)
    lookup_gap = fold_rows[0]["random folds R²"] - fold_rows[0]["grouped folds R²"]
    ridge_gap = fold_rows[1]["random folds R²"] - fold_rows[1]["grouped folds R²"]
    mo.vstack([folds_table, mo.md(f"""
    Random folds flatter the card lookup by **{lookup_gap:.2f}** R², the ridge by {ridge_gap:.3f}: the
    optimism comes from recognising cards, so it hits exactly the models that can. Exercise 3.1 has you
    write these splitters yourself.""")])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 3 · Bias and variance, live

    A model that is too simple misses the pattern (high **bias**: poor on training and
    validation alike); a model that is too flexible learns the noise of its training rows (high
    **variance**: excellent on training, worse on validation). Drag the slider: it sets the depth
    of a regression tree predicting ln(price), and the chart shows training and validation
    error (mean absolute error in ln units, so 0.3 ≈ 30 % off) for every depth, measured on
    grouped validation. Predict the curve before you move it.
    """)
    return


@app.cell
def _(train, validation):
    depth_rows = []
    for _depth in range(1, 21):
        tree = DecisionTreeRegressor(max_depth=_depth, random_state=SEED).fit(train[FEATURES], train["log_price"])
        for split_name, frame in (("training", train), ("validation", validation)):
            _error = float(np.mean(np.abs(tree.predict(frame[FEATURES]) - frame["log_price"])))
            depth_rows.append({"depth": _depth, "split": split_name, "error": _error})
    depth_curve = pd.DataFrame(depth_rows)
    best_depth = int(depth_curve[depth_curve["split"] == "validation"].sort_values("error")["depth"].iloc[0])
    depth_slider = mo.ui.slider(1, 20, value=3, label="tree depth (model complexity)", show_value=True)
    depth_slider
    return best_depth, depth_curve, depth_slider


@app.cell
def _(best_depth, depth_curve, depth_slider):
    chosen = depth_slider.value
    at = depth_curve[depth_curve["depth"] == chosen].set_index("split")["error"]
    lines = alt.Chart(depth_curve).mark_line(point=True).encode(
        x=alt.X("depth:Q", title="tree depth", scale=alt.Scale(domain=[1, 20])),
        y=alt.Y("error:Q", title="mean absolute error, ln(price)"),
        color=alt.Color("split:N", title=None),
    )
    rule = alt.Chart(pd.DataFrame({"depth": [chosen]})).mark_rule(strokeDash=[4, 4]).encode(x="depth:Q")
    gap = at["validation"] - at["training"]
    if chosen < best_depth - 2:
        verdict = "**underfitting** (high bias): both errors are high and close; more depth helps both."
    elif chosen > best_depth + 2:
        verdict = "**overfitting** (high variance): training error keeps falling, validation error rises; the gap is noise learned by heart."
    else:
        verdict = "near the sweet spot: validation error is close to its minimum."
    mo.vstack([
        (lines + rule).properties(width=520, height=260, title="Training and validation error against tree depth"),
        mo.md(f"Depth {chosen}: training error {at['training']:.3f}, validation error {at['validation']:.3f}, "
              f"gap {gap:.3f}. {verdict} The best validation depth is **{best_depth}**."),
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 4 · Learning curves: more data or a bigger model?

    Before you reach for a bigger model, ask what more data would buy. A learning curve trains
    on growing subsets and scores on the same validation cards. Two sizes of the same learner:
    boosted trees with 100 rounds of 31-leaf trees (the default), and a bigger model with 400
    rounds of 127-leaf trees.
    """)
    return


@app.cell
def _(sales):
    lc_train, lc_validation = grouped_split(sales.iloc[:12_000])
    curve_rows = []
    for n_rows in (250, 500, 1_000, 2_000, 4_000, 8_000):
        subset = lc_train.iloc[:n_rows]
        for model_name, make in (("default: 100 rounds, 31 leaves", lambda: HistGradientBoostingRegressor(max_iter=100, random_state=SEED)),
                                 ("bigger: 400 rounds, 127 leaves", lambda: HistGradientBoostingRegressor(
                                     max_iter=400, max_leaf_nodes=127, random_state=SEED))):
            _model = make().fit(subset[FEATURES], subset["log_price"])
            _error = float(np.mean(np.abs(_model.predict(lc_validation[FEATURES]) - lc_validation["log_price"])))
            curve_rows.append({"training rows": n_rows, "model": model_name, "validation error": _error})
    learning = pd.DataFrame(curve_rows)
    err = learning.pivot(index="training rows", columns="model", values="validation error")
    small, big = "default: 100 rounds, 31 leaves", "bigger: 400 rounds, 127 leaves"
    bigger_model_gain = err.loc[500, small] - err.loc[500, big]
    more_data_gain = err.loc[500, small] - err.loc[8_000, small]
    chart = alt.Chart(learning).mark_line(point=True).encode(
        x=alt.X("training rows:Q", scale=alt.Scale(type="log"), title="training rows (log scale)"),
        y=alt.Y("validation error:Q", title="validation MAE, ln(price)", scale=alt.Scale(zero=False)),
        color=alt.Color("model:N", title=None),
    ).properties(width=520, height=260, title="Learning curves on cards never seen")
    mo.vstack([chart, mo.md(f"""
    At 500 rows, switching to the bigger model changes the error by **{-bigger_model_gain:+.3f}**; keeping the
    default model and giving it 8,000 rows changes it by **{-more_data_gain:+.3f}**.
    {"Here more data helped more than a better model." if more_data_gain > bigger_model_gain else "Here the bigger model helped more than more data."}
    The shape tells you what to do next: a curve still falling steeply says *collect data*; a flat
    curve well above the other model's says *more capacity*; two flat curves close together say
    *better features*. The default model's curve is still falling by
    {err.loc[4_000, small] - err.loc[8_000, small]:.3f} from 4,000 to 8,000 rows: more data would still help.""")])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 5 · The model zoo on one task

    One task (worth listing: will the sale fetch at least 2 dollars?), one grouped split, four
    families. Fit time is CPU seconds for the whole training set, predict time per row for a batch
    of 1,000 (median of three runs), on one core; the score is accuracy on cards never seen.
    """)
    return


@app.cell
def _(train, validation):
    zoo = {
        "logistic regression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        "random forest (100 trees)": RandomForestClassifier(n_estimators=100, min_samples_leaf=2, random_state=SEED),
        "boosted trees": HistGradientBoostingClassifier(max_iter=100, random_state=SEED),
        "small neural network (MLP 32)": make_pipeline(StandardScaler(), MLPClassifier((32,), early_stopping=True, max_iter=300, random_state=SEED)),
    }
    batch = validation[FEATURES].iloc[:1_000]
    zoo_rows = []
    for zoo_name, zoo_model in zoo.items():
        fit_s = seconds(lambda m=zoo_model: m.fit(train[FEATURES], train["worth_listing"]), repeats=1)
        predict_s = seconds(lambda m=zoo_model: m.predict(batch)) / len(batch)
        zoo_rows.append({"model": zoo_name, "accuracy": round(zoo_model.score(validation[FEATURES], validation["worth_listing"]), 3),
                         "fit (s)": round(fit_s, 2), "predict (µs per row)": round(predict_s * 1e6, 1)})
    zoo_table = pd.DataFrame(zoo_rows)
    majority = float(max(validation["worth_listing"].mean(), 1 - validation["worth_listing"].mean()))
    mo.vstack([zoo_table, mo.md(f"""
    The majority class scores {majority:.3f}. Read the table as a trade: the best score here is
    **{zoo_table.sort_values('accuracy').iloc[-1]['model']}**; logistic regression is within
    {zoo_table['accuracy'].max() - zoo_rows[0]['accuracy']:.3f} of it, is the fastest to fit, and its
    coefficients can be read (next section). Match the complexity to the problem: tabular data
    of a few thousand rows rarely needs a neural network, and a linear model you can explain
    may be worth a point of accuracy.""")])
    return (zoo,)


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 6 · Reading model internals

    Three ways to ask "what did the model use?", and they disagree for good reasons.
    **Coefficients** of a standardised linear model: the change in log-odds per standard
    deviation of the input. **Impurity importance** of a forest: how much the splits on a
    column reduced impurity *in training*. **Permutation importance**: how much the validation
    score drops when a column is shuffled. To show where impurity misleads, we add
    `listing_id`, a random number with no relation to the price.
    """)
    return


@app.cell
def _(train, validation):
    rng = np.random.default_rng(SEED)
    with_noise = [*FEATURES, "listing_id"]
    train_noise = train.assign(listing_id=rng.random(len(train)))
    validation_noise = validation.assign(listing_id=rng.random(len(validation)))
    forest = RandomForestClassifier(n_estimators=60, random_state=SEED).fit(train_noise[with_noise], train_noise["worth_listing"])
    linear = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(train_noise[with_noise], train_noise["worth_listing"])
    permuted = permutation_importance(forest, validation_noise[with_noise], validation_noise["worth_listing"],
                                      n_repeats=3, random_state=SEED)
    internals = pd.DataFrame({
        "feature": with_noise,
        "logistic coefficient": linear[-1].coef_[0],
        "impurity importance": forest.feature_importances_,
        "permutation importance": permuted.importances_mean,
    }).sort_values("impurity importance", ascending=False).round(3)
    noise_rank = int(internals["feature"].tolist().index("listing_id")) + 1
    noise_perm = float(internals.set_index("feature").loc["listing_id", "permutation importance"])
    outranked = internals.iloc[noise_rank:]
    outranked = outranked[outranked["permutation importance"] > noise_perm + 0.005]["feature"].tolist()
    top_perm = internals.sort_values("permutation importance", ascending=False)["feature"].iloc[0]
    mo.vstack([internals, mo.md(f"""
    Impurity importance ranks the random `listing_id` **number {noise_rank}** of {len(with_noise)}, above
    {", ".join(f"`{f}`" for f in outranked) or "no real feature"}, which permutation importance shows the model
    really uses: a continuous column offers many split points, and deep trees use them to memorise training
    rows. Its permutation importance on validation rows is {noise_perm:+.3f}, i.e. nothing. Trust permutation
    importance on held-out rows for "what matters"; use impurity importance only as a quick look.

    The model also learned patterns you may not expect. Permutation importance puts **{top_perm}** first.
    `species_id` is a number, yet the forest uses it: it is a proxy for a species' popularity, a real
    signal (good), but one that breaks the day new species get new ids (bad). Read the internals
    before you ship, and ask of each strong feature: will it mean the same thing next month?""")])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 7 · Estimating training time before you start

    Before an 8-hour run, measure a few small ones. Fit time grows roughly as a power of the
    number of rows, *t ≈ a·nᵇ*: fit on growing fractions, fit a line in log-log space, read off
    the full size, and check the estimate against a real fit.
    """)
    return


@app.cell
def _(sales):
    sizes = [1_000, 2_000, 4_000, 8_000]
    timed = [seconds(lambda n=n: HistGradientBoostingRegressor(max_iter=100, random_state=SEED)
                     .fit(sales[FEATURES].iloc[:n], sales["log_price"].iloc[:n]), repeats=1) for n in sizes]
    slope, intercept = np.polyfit(np.log(sizes), np.log(timed), 1)
    full = len(sales)
    estimate = float(np.exp(intercept) * full ** slope)
    actual = seconds(lambda: HistGradientBoostingRegressor(max_iter=100, random_state=SEED)
                     .fit(sales[FEATURES], sales["log_price"]), repeats=1)
    mo.md(f"""
    Fits on {', '.join(f'{n:,}' for n in sizes)} rows took {', '.join(f'{t:.2f}' for t in timed)} s of CPU:
    exponent b = {slope:.2f}. Estimate for {full:,} rows: **{estimate:.2f} s**; measured: **{actual:.2f} s**
    ({(estimate - actual) / actual:+.0%}). For an 8-hour job the same recipe works with 0.1 %, 1 % and
    10 % of the data; add the number of configurations times the folds, and decide before you start
    whether to subsample, early-stop or search more cleverly.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 8 · Experiment tracking with MLflow

    As of 2025 MLflow is the most widely used open-source experiment tracker (hosted
    alternatives: Weights & Biases, Neptune, Comet). A **run** records parameters, metrics, tags
    and artifacts; runs group into **experiments**; the client API reads them back. The lesson
    logs each model of the zoo with the data version, then reads the runs back as a table.

    The store is `modules/03_model_training/mlruns/` (git-ignored; a temporary folder when the
    notebook's folder is read-only). We use MLflow's file store because it opens instantly,
    while a new SQLite store (`sqlite:///mlflow.db`, the default MLflow 3 recommends) spends
    about ten seconds creating its schema; MLflow 3 keeps the file store in maintenance mode,
    so the notebooks set `MLFLOW_ALLOW_FILE_STORE=true`. The course installs the full `mlflow`
    package, because `mlflow ui` needs its server; `mlflow-skinny` would be enough for logging
    and reading runs. Browse the runs with
    `uv run mlflow ui --backend-store-uri modules/03_model_training/mlruns`.
    """)
    return


@app.cell
def _(train, validation, zoo):
    import mlflow

    store = tracking_dir()
    mlflow.set_tracking_uri(store)
    mlflow.set_experiment("lesson-3-model-zoo")
    version = hashlib.sha256(pd.util.hash_pandas_object(train, index=False).to_numpy().tobytes()).hexdigest()[:16]
    for run_name, _model in zoo.items():
        with mlflow.start_run(run_name=run_name):
            mlflow.log_params({"model": run_name, "data_version": version, "train_rows": len(train),
                               "split": "grouped by card, 30 % of cards held out"})
            mlflow.log_metric("val_accuracy", _model.score(validation[FEATURES], validation["worth_listing"]))
    logged = mlflow.search_runs(experiment_names=["lesson-3-model-zoo"], order_by=["metrics.val_accuracy DESC"])
    latest = logged.drop_duplicates("tags.mlflow.runName")
    mo.vstack([
        mo.md(f"{len(logged)} runs in the experiment so far (each run of this notebook adds {len(zoo)}); the latest per model:"),
        latest[["tags.mlflow.runName", "params.data_version", "params.train_rows", "metrics.val_accuracy"]].round(3),
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 9 · Hyperparameters under a latency budget

    The best validation score is not the goal when a prediction must come back in a few
    milliseconds. Each point below is one configuration of boosted trees (rounds × depth);
    latency is the median CPU time of one single-row prediction on one core. The **Pareto front**
    joins the configurations no other configuration beats on both score and latency: choose
    on the front, at the latency you can afford. Exercise 3.3 makes you tune inside a budget.
    """)
    return


@app.cell
def _(train, validation):
    one_row = validation[FEATURES].iloc[[0]]
    pareto_rows = []
    for rounds in (10, 40, 160):
        for _depth in (2, 4, None):
            _model = HistGradientBoostingClassifier(max_iter=rounds, max_depth=_depth, random_state=SEED)
            _model.fit(train[FEATURES], train["worth_listing"])
            latency = seconds(lambda m=_model: m.predict(one_row), repeats=25)
            pareto_rows.append({"config": f"{rounds} rounds, depth {_depth or 'any'}", "latency (ms)": latency * 1e3,
                                "accuracy": _model.score(validation[FEATURES], validation["worth_listing"])})
    points = pd.DataFrame(pareto_rows).sort_values("latency (ms)").reset_index(drop=True)
    points["on the front"] = points["accuracy"] > points["accuracy"].cummax().shift(fill_value=-1.0)
    scatter = alt.Chart(points).mark_point(filled=True, size=80).encode(
        x=alt.X("latency (ms):Q", title="latency per prediction (ms, one core)", scale=alt.Scale(zero=False)),
        y=alt.Y("accuracy:Q", title="validation accuracy", scale=alt.Scale(zero=False)),
        color=alt.Color("on the front:N"), tooltip=["config", "latency (ms)", "accuracy"],
    )
    front = alt.Chart(points[points["on the front"]]).mark_line().encode(x="latency (ms):Q", y="accuracy:Q")
    mo.vstack([(scatter + front).properties(width=520, height=260, title="Score against latency: the Pareto front"),
               points.round(3)])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 10 · Debugging a model that fails

    When a model disappoints, go from the symptom to the cause with measurements, in this order:

    | check | what it reveals | the measurement |
    |---|---|---|
    | the metric against a baseline | a **misleading metric** (accuracy on a rare class) | majority-class score, recall per class, balanced accuracy |
    | the split | **train/test contamination**, entity leakage | shared ids between train and test; random vs grouped folds |
    | training vs validation score | **underfitting** (both poor) or **overfitting** (big gap) | the bias-variance curve of section 3 |
    | the inputs at scoring time | a **preprocessing mismatch** between training and serving | the same rows through both paths |
    | the learning curve | **too little data** | section 4 |
    | suspiciously good inputs | **label leakage** | permutation importance, what is known when |

    Several causes often hide each other: a metric that hides the failure also hides the
    underfit model behind it. The checkpoint challenge plants several at once.

    ## 11 · Industry context

    As of 2025, experiment tracking (MLflow, Weights & Biases) and grouped or time-based
    validation are standard practice in production ML teams; model choice weighs accuracy against
    latency, cost and explainability. A public case: Netflix paid one million dollars for the
    Netflix Prize in 2009, yet did not put the winning ensemble into production: its engineers
    wrote that "the additional accuracy gains that we measured did not seem to justify the
    engineering effort needed to bring them into a production environment" (Netflix Tech Blog,
    *Netflix Recommendations: Beyond the 5 stars*, 2012). They shipped two simpler components of it.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 12 · Socratic questions

    Answer each in your own words first, then open the fold.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.accordion({
        "Your validation accuracy is 90 % but test accuracy is 70 %. What happened?": mo.md("""
    The validation score was not an estimate of new data. Usual causes: you chose among many models or settings by
    validation score, so it is optimistically selected (worse with a small validation set); the validation split
    leaked (the same card, customer or time period on both sides, as random folds do in section 2) while the test
    split did not; or the test data differs (later in time, another population). Check the splits first, then how
    many choices were made on the validation set, then compare the distributions."""),
        "When would you choose Logistic Regression over XGBoost, even if XGBoost is more accurate?": mo.md("""
    When the gap is within the spread of the validation scores; when you must explain each decision (credit,
    insurance) and coefficients are the explanation; when latency, memory or cost per prediction is tight; when
    the data is small and a flexible model's score is noisy; when the model must extrapolate (trees predict
    constants outside the training range); and when the team must maintain it. Netflix's prize ensemble is the
    famous case of accuracy that was not worth its cost."""),
        "You're tuning hyperparameters. Should you use test data to select the best model? Why not?": mo.md("""
    No. Whatever you choose with becomes part of training in the wide sense: choosing the best of 50 settings on
    the test set fits the test set, and its score is then optimistic. Tune on validation folds (cross-validation),
    and touch the test set once, at the end, for the estimate you report. Exercise 3.2 checks exactly this by
    changing the test labels and watching whether your choice moves."""),
        "Your model is 90 % accurate but your PM is unhappy. What might you be missing?": mo.md("""
    Accuracy may be the wrong measure of the job. With 10 % positives, "always no" is 90 % accurate and finds
    nothing (the challenge's model). The errors have different costs: a missed fraud costs more than a false
    alarm. Ask what decision the model supports, measure recall and precision per class, set the threshold by the
    cost of each error, and check the slices the PM cares about (new cards, one marketplace). Module 4 goes deep."""),
        "Training takes 8 hours. How do you experiment efficiently?": mo.md("""
    Estimate first (section 7) and shrink the loop: prototype on a sample and check on a learning curve that
    conclusions transfer; use fewer folds or one grouped split while exploring; early stopping; random or
    successive-halving search instead of a grid; cache features; run experiments in parallel; and track every run
    so nothing is repeated by accident. Reserve the full 8-hour run for the configuration that won small."""),
    })
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 13 · Exercises and checkpoint challenge

    | item | notebook | what you practise |
    |---|---|---|
    | 3.1 | `ex_3_1_compare_models.py` | k-fold, stratified and grouped folds and `cross_validate` from scratch |
    | 3.2 | `ex_3_2_tuning.py` | four models on the same grouped folds, tracked in MLflow, explained to a PM |
    | 3.3 | `ex_3_3_experiment_tracking.py` | hyperparameter tuning inside a per-prediction latency budget |
    | challenge | `challenge_3_price_model.py` | debug a failing model with several planted causes |

    Open one with `uv run marimo edit modules/03_model_training/<file>` and check it with
    `uv run course check <id>`.

    **Mastery checks** (with your mentor): set up an experiment from scratch in 15 minutes
    (hypothesis, split, baseline, tracked runs); explain bias and variance with the depth
    slider above; read an MLflow run table and say what to try next; estimate a training time
    before starting it.

    ## 14 · Common pitfalls

    - **Random folds when entities repeat**: the same card, customer or patient on both sides.
    - **Choosing on the test set**, or reporting the validation score of the chosen model as
      its expected performance.
    - **Ignoring the spread**: a lead smaller than the fold-to-fold standard deviation is noise.
    - **Different folds per model**: part of the difference is then the luck of the split.
    - **Trusting impurity importance**: it rewards columns with many split points.
    - **Preprocessing outside the folds**, or refitted at scoring time.
    - **Untracked runs**: a result you cannot trace to its data, code and parameters.

    ## 15 · Further reading

    - scikit-learn user guide: *Cross-validation: evaluating estimator performance* (the
      grouped splitters) and *Permutation feature importance* (with the impurity caveat).
    - Hastie, Tibshirani, Friedman, *The Elements of Statistical Learning*, ch. 7 (model
      assessment and selection; the one-standard-error rule).
    - Kaufman et al., *Leakage in data mining* (ACM TKDD, 2012).
    - MLflow documentation: *Tracking* and *Search runs*.
    - Bouthillier et al., *Accounting for variance in machine learning benchmarks* (MLSys, 2021).
    """)
    return


if __name__ == "__main__":
    app.run()
