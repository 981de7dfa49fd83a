import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import os

    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per fit
    # MLflow's file store: instant to create (a new SQLite store migrates its schema for ~10 s).
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")  # no INFO lines on stderr for a new experiment

    import hashlib
    import tempfile
    from pathlib import Path

    import coursedata
    import marimo as mo
    import mlflow
    import numpy as np
    import pandas as pd
    from coursedata.vocab import CONDITIONS, LANGUAGES, RARITIES
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    from grading.criteria import criterion
    from grading.visible import visible_tests

    TARGET = "worth_listing"  # the sale fetched at least $2
    FEATURES = ["rarity", "condition", "grade", "first_edition", "language", "age_years", "card_hp",
                "retreat_cost", "release_year", "species_id"]
    EXPERIMENT = "ex-3.2-model-selection"
    # The four candidates, simplest first: the order to prefer when scores are too close to call.
    CANDIDATES = {
        "logistic": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "shallow_tree": lambda: DecisionTreeClassifier(max_depth=3, random_state=0),
        "deep_tree": lambda: DecisionTreeClassifier(random_state=0),
        "boosted": lambda: HistGradientBoostingClassifier(max_iter=100, max_depth=3, random_state=0),
    }
    SIMPLEST_FIRST = list(CANDIDATES)


    def listing_table(cards: pd.DataFrame) -> pd.DataFrame:
        """One row per sale: sale_id, card_key (the card it is a copy of), FEATURES, TARGET."""
        return pd.DataFrame({
            "sale_id": cards["sale_id"],
            "card_key": cards["set_code"] + " " + cards["card_number"],
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
            TARGET: (cards["price_usd"] >= 2.0).astype(int),
        }).reset_index(drop=True)


    def data_version(frame: pd.DataFrame) -> str:
        """A content hash of a frame: log it with every run, so a result can be traced to its data."""
        return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()).hexdigest()[:16]


    def folds_digest(folds: list[list[str]]) -> str:
        """A fingerprint of a fold assignment (validation sale_ids per fold): equal digests, equal folds."""
        text = "|".join(",".join(sorted(map(str, fold))) for fold in folds)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


    def tracking_uri() -> str:
        """A local MLflow store next to this notebook (git-ignored), or a temporary one if that is read-only."""
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
    # Exercise 3.2 · Model selection: train 4 models, one is clearly best; explain why to a non-technical PM

    **Why this matters.** Choosing a model is a decision someone else will act on, so it has
    to survive two questions: *would we choose the same again on other data?* and *can you
    explain it to me?* The first is about fair comparison (same folds for every model, folds
    that mimic how the model will be used, the spread of the scores, no peeking at the test
    set); the second is about turning numbers into a reason.

    **The task.** The marketplace wants to flag, for a card listing, whether the copy will
    fetch at least \$2 (worth listing on its own). The model will meet **cards it has never
    seen** (new sets, new listings), and most cards in the data sold several times. Four
    candidates are given in `CANDIDATES` (build one with `CANDIDATES[name]()`), and the data
    comes as two frames from `listing_table`: `dev` to choose with and `test` to report on.

    Write `compare_models(dev, test, tracking_uri)` that:

    1. makes **one** set of 5 grouped folds of `dev` (a card's sales all in one fold, by
       `card_key`; your 3.1 `group_kfold_indices` or scikit-learn's `GroupKFold`, as you like),
       and uses the **same folds for all four models**;
    2. scores every candidate by accuracy on each validation fold (fit on the fold's training
       rows, `FEATURES` as inputs, `TARGET` as label), with the mean and standard deviation
       of the fold scores;
    3. logs **one MLflow run per candidate** in the experiment `EXPERIMENT` of the store at
       `tracking_uri`, with parameters `model` (its name), `folds_digest`
       (`folds_digest(folds)`) and `data_version` (`data_version(dev)`), and metrics `cv_mean`
       and `cv_std`;
    4. chooses by the **spread rule**: among the candidates whose mean is within one standard
       deviation of the best mean (the best model's own standard deviation), take the
       simplest (first in `SIMPLEST_FIRST`). A difference smaller than the spread is not a
       difference you can count on, and the simpler model is cheaper to run and to explain;
    5. only then refits the chosen model on all of `dev` and reports its accuracy on `test`:
       the test set plays **no part** in the choice.

    Return plain data:

    ```python
    {"models": {name: {"fold_scores": [5 floats], "mean": float, "std": float}},  # all four
     "chosen": name,
     "reason": {"best_by_mean": name, "spread": float, "within_spread": [names]},
     "test_score": float,
     "folds": [[validation sale_ids of fold 1], ...]}   # the folds every model used
    ```

    The hidden tests call your function on other sales, read your runs back from MLflow,
    check the folds, compare your choice with an evaluation on fresh sales, check the spread
    rule on a task where the candidates are close, and change the test labels to see whether
    anything but `test_score` moves. Check with `uv run course check 3.2`.
    """)
    return


@app.function
def compare_models(dev: pd.DataFrame, test: pd.DataFrame, tracking_uri: str) -> dict:
    """Compare the four candidates on the same grouped folds, log each to MLflow, choose by the spread rule."""
    ### BEGIN SOLUTION
    from sklearn.model_selection import GroupKFold

    splitter = GroupKFold(n_splits=5, shuffle=True, random_state=0)
    folds = [(train, val) for train, val in splitter.split(dev, groups=dev["card_key"])]
    validation_ids = [dev["sale_id"].iloc[val].tolist() for _, val in folds]
    digest, version = folds_digest(validation_ids), data_version(dev)
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(EXPERIMENT)
    models = {}
    for name, build in CANDIDATES.items():
        scores = []
        for train, val in folds:
            model = build().fit(dev[FEATURES].iloc[train], dev[TARGET].iloc[train])
            scores.append(float(model.score(dev[FEATURES].iloc[val], dev[TARGET].iloc[val])))
        models[name] = {"fold_scores": scores, "mean": float(np.mean(scores)), "std": float(np.std(scores))}
        with mlflow.start_run(run_name=name):
            mlflow.log_params({"model": name, "folds_digest": digest, "data_version": version, "n_folds": len(folds)})
            mlflow.log_metrics({"cv_mean": models[name]["mean"], "cv_std": models[name]["std"]})
    best = max(models, key=lambda n: models[n]["mean"])
    spread = models[best]["std"]
    within = [n for n in SIMPLEST_FIRST if models[n]["mean"] >= models[best]["mean"] - spread]
    chosen = within[0]
    final = CANDIDATES[chosen]().fit(dev[FEATURES], dev[TARGET])
    return {
        "models": models,
        "chosen": chosen,
        "reason": {"best_by_mean": best, "spread": spread, "within_spread": within},
        "test_score": float(final.score(test[FEATURES], test[TARGET])),
        "folds": validation_ids,
    }
    ### END SOLUTION


@app.cell
def _():
    cards = coursedata.load_cards()
    dev, test = listing_table(cards.iloc[:2_500]), listing_table(cards.iloc[2_500:3_500])
    uri = tracking_uri()
    return dev, test, uri


@app.cell
def _(dev, test, uri):
    # Your comparison, shown as MLflow logged it (one cell, so the data above loads before you write it).
    result = compare_models(dev, test, uri)
    mlflow.set_tracking_uri(uri)
    runs = mlflow.search_runs(experiment_names=[EXPERIMENT], order_by=["start_time DESC"], max_results=4)
    table = pd.DataFrame([{"model": n, "cv accuracy": round(m["mean"], 3), "sd": round(m["std"], 3),
                           "worst fold": round(min(m["fold_scores"]), 3)} for n, m in result["models"].items()])
    mo.vstack([
        mo.md(f"Chosen: **{result['chosen']}** (test accuracy {result['test_score']:.3f}); runs are in `{uri}` "
              f"(`uv run mlflow ui --backend-store-uri {uri}` to browse them)."),
        table,
        mo.md("The last four runs as MLflow returns them:"),
        runs[["tags.mlflow.runName", "params.folds_digest", "params.data_version", "metrics.cv_mean", "metrics.cv_std"]]
        .round(3),
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `EXPLAIN_TO_PM`: the marketplace's product manager asks "which model, and why?" Answer
       in plain words, no jargon: what the model does for users, how sure you are (use the
       spread), what it costs, and what could go wrong.
    2. `CARELESS_COMPARISON`: score each candidate on the rows it was trained on (its training
       accuracy). Which model looks best that way, why is it not the best, and what does that
       tell you about comparing models?

    At least 25 words each.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    EXPLAIN_TO_PM = """Pick the boosted model. On sales of cards it had never seen it was right about 92 times in a
    hundred, about three more than the next model, and that lead was several times larger than the normal ups and
    downs between our five test rounds, so it is a real difference, not luck. It is still fast and cheap to run.
    What could go wrong: it learned from past prices, so if the market moves we must re-check it monthly."""
    CARELESS_COMPARISON = """Scored on its own training rows the deep tree looks perfect, 100 percent, because an
    unlimited tree memorises every sale it saw, including noise. On cards it has not seen it is among the worst.
    Training accuracy measures memory, not prediction, so models must be compared on rows they did not train on,
    with the same folds for everyone, and folds that keep each card on one side."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="All four compared, on folds that never split a card",
           hint="Score every name in CANDIDATES on one set of folds grouped by card_key.")
def test_all_four_compared_on_grouped_folds():
    cards = coursedata.load_cards()
    dev, test = listing_table(cards.iloc[:1_000]), listing_table(cards.iloc[1_000:1_200])
    result = compare_models(dev, test, tempfile.mkdtemp(prefix="mlruns-test-"))
    assert set(result["models"]) == set(CANDIDATES) and result["chosen"] in CANDIDATES
    card_of = dict(zip(dev["sale_id"], dev["card_key"], strict=True))
    cards_per_fold = [{card_of[s] for s in fold} for fold in result["folds"]]
    assert sum(len(c) for c in cards_per_fold) == len(set().union(*cards_per_fold))


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_all_four_compared_on_grouped_folds,
        item="3.2",
    )
    return


if __name__ == "__main__":
    app.run()
