import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.type_classifier import fit_type_classifier, predictions
    from sklearn import metrics

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The metric names your functions may return (the documented vocabulary).
    METRICS = (
        "accuracy", "precision", "recall", "f1", "roc_auc", "average_precision",
        "precision_at_k", "recall_at_k", "mae", "rmse", "mape", "r2",
    )
    # Listings the reviewers can check per batch (scenario 2).
    REVIEW_CAPACITY = 25


    def dragon_alert_data(preds: pd.DataFrame) -> pd.DataFrame:
        """Scenario 1: y_true = the species is a Dragon type, y_pred = the classifier says so, score = P(dragon)."""
        return pd.DataFrame({
            "name": preds["name"],
            "y_true": (preds["type_1"] == "dragon").astype(int),
            "y_pred": (preds["predicted"] == "dragon").astype(int),
            "score": preds["p_dragon"],
        })


    def review_queue_data(preds: pd.DataFrame) -> pd.DataFrame:
        """Scenario 2: y_true = the auto-tagged type is wrong, score = how unsure the classifier was."""
        return pd.DataFrame({
            "name": preds["name"],
            "y_true": (~preds["correct"]).astype(int),
            "score": 1 - preds["confidence"],
        })


    def price_display_data(cards: pd.DataFrame, since: str = "2025-01-01") -> pd.DataFrame:
        """Scenario 3: the price estimate shown on a listing (median of earlier sales of the same
        rarity and condition) next to the price the card then sold for."""
        earlier = cards[cards["sale_date"] < "2024-07-01"]
        later = cards[cards["sale_date"] >= since].reset_index(drop=True)
        median = earlier.groupby(["rarity", "condition"])["price_usd"].median()
        keys = pd.MultiIndex.from_frame(later[["rarity", "condition"]])
        estimate = median.reindex(keys).fillna(earlier["price_usd"].median()).to_numpy()
        return pd.DataFrame({"sale_id": later["sale_id"], "y_true": later["price_usd"], "y_pred": estimate})


    _model, _train, _test = fit_type_classifier()
    HELD_OUT = predictions(_test, _model)  # the type classifier on species it never saw
    DRAGONS = dragon_alert_data(HELD_OUT)
    QUEUE = review_queue_data(HELD_OUT)
    PRICES = price_display_data(coursedata.load_cards())


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 4.1 · Metric selection: three business scenarios

    **Why this matters.** A metric is a decision about what "good" means. Pick the wrong one
    and a model that helps nobody looks excellent in the dashboard, and a good model gets
    killed. The right metric follows from the question the business asks, the base rate,
    what a mistake costs, and how predictions are used (a ranked queue, an alert, a number
    shown to a person). Lesson: `04_model_evaluation.py`, sections 1 to 3.

    The type classifier of this module (`coursedata.type_classifier`: it predicts a
    species' primary type from its stats, size and learnset) and the card marketplace give
    three scenarios. For each, write a function that returns

    ```python
    {"metric": "recall", "value": 0.61}
    ```

    where `metric` is one name from `METRICS` (in the setup cell) and `value` is that
    metric computed on the data the function receives, as a Python float.

    1. **Dragon alerts** `dragon_alert_metric(data)`. Collectors subscribe to an alert for
       every newly revealed Dragon-type species. A missed dragon loses a subscriber; a false
       alert costs a click. About 5 % of species are dragons. `data` has `y_true` (1 = a
       dragon), `y_pred` (1 = the classifier says dragon) and `score` (its probability of
       dragon). The number must drop when dragons are missed and must not be flattered by
       the 95 % of species that are not dragons. Compute class metrics for the dragon class
       (label 1).
    2. **Review queue** `review_queue_metric(data, capacity)`. The classifier auto-tags the
       type of new listings. A reviewer can check `capacity` listings per batch, picked as
       the most uncertain ones (highest `score`); `y_true` is 1 where the tag is wrong. The
       team asks: is the reviewers' fixed time well spent? The `@k` metrics use the
       `capacity` rows with the highest `score` (k = `capacity`).
    3. **Price shown to users** `price_display_metric(data)`. Each listing shows an estimated
       price (`y_pred`, USD) next to what the card later sold for (`y_true`). Most cards
       sell for under a few dollars, some for cents. A user reads the estimate in dollars.

    Then justify each choice in your own words (below; a mentor reads them). Several metrics
    can be defended for a scenario: the tests accept any that answers its question; they
    reject the ones that answer another question. Check with `uv run course check 4.1`.
    """)
    return


@app.cell
def _():
    mo.vstack([
        mo.md(f"**Scenario 1**: {len(DRAGONS)} held-out species, {DRAGONS['y_true'].sum()} dragons."),
        mo.ui.table(DRAGONS.round(3), page_size=5),
        mo.md(f"**Scenario 2**: {len(QUEUE)} listings, {QUEUE['y_true'].sum()} wrong tags, capacity {REVIEW_CAPACITY}."),
        mo.md(f"**Scenario 3**: {len(PRICES)} sales since 2025; median price "
              f"\\${PRICES['y_true'].median():.2f}, cheapest \\${PRICES['y_true'].min():.2f}."),
    ])
    return


@app.function
def dragon_alert_metric(data: pd.DataFrame) -> dict:
    """The metric for dragon alerts and its value on `data` (y_true, y_pred, score)."""
    ### BEGIN SOLUTION
    value = metrics.recall_score(data["y_true"], data["y_pred"], pos_label=1, zero_division=0)
    return {"metric": "recall", "value": float(value)}
    ### END SOLUTION


@app.function
def review_queue_metric(data: pd.DataFrame, capacity: int) -> dict:
    """The metric for the review queue and its value on `data` (y_true, score) at this capacity."""
    ### BEGIN SOLUTION
    top = data.sort_values("score", ascending=False, kind="stable").head(capacity)
    return {"metric": "precision_at_k", "value": float(top["y_true"].mean())}
    ### END SOLUTION


@app.function
def price_display_metric(data: pd.DataFrame) -> dict:
    """The metric for the displayed price and its value on `data` (y_true, y_pred in USD)."""
    ### BEGIN SOLUTION
    value = metrics.mean_absolute_error(data["y_true"], data["y_pred"])
    return {"metric": "mae", "value": float(value)}
    ### END SOLUTION


@app.cell
def _():
    mo.md(f"""
    Your choices on the notebook's data: dragon alerts `{dragon_alert_metric(DRAGONS)}`,
    review queue `{review_queue_metric(QUEUE, REVIEW_CAPACITY)}`,
    displayed price `{price_display_metric(PRICES)}`.
    For comparison, the classifier's accuracy on the dragon question is
    {metrics.accuracy_score(DRAGONS['y_true'], DRAGONS['y_pred']):.3f}.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Justify each choice (a mentor reads these)

    1. `WHY_DRAGON_METRIC`: why this metric, and what accuracy would have told the team.
    2. `WHY_QUEUE_METRIC`: why this metric, and why a metric over the whole ranked list
       (such as ROC AUC) answers a different question.
    3. `WHY_PRICE_METRIC`: why this metric, and what a percentage error would do on these prices.

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    WHY_DRAGON_METRIC = """Recall of the dragon class: a missed dragon is the costly error and false alerts are
    cheap, so the question is what share of real dragons we alert on. With 95 percent non-dragons a model that
    never alerts is 95 percent accurate, so accuracy would have praised a useless model. I compute recall for
    label 1 only, because averaging over both classes mixes in the easy majority class."""
    WHY_QUEUE_METRIC = """Precision at k with k the capacity: reviewers check exactly that many listings, so
    the question is how many of those checks find a wrong tag. ROC AUC scores the order of the whole list,
    including thousands of listings nobody will ever look at; a model can gain AUC at the bottom of the list
    without one more useful review at the top."""
    WHY_PRICE_METRIC = """Mean absolute error in dollars: users read the estimate in dollars, and MAE says how
    far off the shown price is on average, in the same unit. Many cards sell for cents, so a percentage error
    divides by almost zero: a 40 cent miss on a 10 cent card is 400 percent, and MAPE is dominated by the
    cheapest cards that matter least to users."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="Each answer names a metric from METRICS and a float value",
           hint='Return {"metric": <a name from METRICS>, "value": <float>} from each function.')
def test_answers_use_the_vocabulary():
    for answer in (dragon_alert_metric(DRAGONS), review_queue_metric(QUEUE, REVIEW_CAPACITY),
                   price_display_metric(PRICES)):
        assert set(answer) == {"metric", "value"}
        assert answer["metric"] in METRICS
        assert isinstance(answer["value"], float)


@app.function
@criterion(points=5, title="The dragon metric is not fooled by the base rate",
           hint="A model that never alerts is 95 % accurate here: choose a metric of the dragon class.")
def test_dragon_metric_sees_a_silent_model():
    silent = DRAGONS.assign(y_pred=0)
    answer = dragon_alert_metric(silent)
    if answer["metric"] != "average_precision":
        assert answer["value"] < 0.5


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_answers_use_the_vocabulary,
        test_dragon_metric_sees_a_silent_model,
        item="4.1",
    )
    return


if __name__ == "__main__":
    app.run()
