import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import itertools

    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.credit import COSTS, expected_cost
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score, brier_score_loss
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # Model families the comparison may name (one entry per family, not per setting).
    FAMILIES = ("logistic_regression", "decision_tree", "random_forest", "gradient_boosting", "naive_bayes",
                "k_nearest_neighbors", "support_vector_machine", "neural_network")
    MIN_FOLDS = 3
    MIN_DEFAULTS_PER_FOLD = 40
    # The model card's sections, after Mitchell et al. (2019), "Model Cards for Model Reporting".
    CARD_SECTIONS = ("model_details", "intended_use", "factors", "metrics", "evaluation_data", "training_data",
                     "quantitative_analyses", "ethical_considerations", "caveats_and_recommendations")
    CARD_NUMBERS = ("test_start", "test_end", "test_rows", "test_default_rate", "pr_auc", "brier", "threshold",
                    "expected_cost", "approve_all_cost", "saving", "declined_share")
    DECISIONS = ("deploy", "do_not_deploy")
    LABEL = "defaulted"


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Practical exam 2 · Credit risk on imbalanced data (3 hours)

    **Start the clock first:** `uv run course exam start week2.exam`, then commit the file it
    writes. The limit is **3 hours** (180 minutes): the plan asks for at least three trained
    models, a model card and a deployment recommendation, twice the work of exam 1. Going
    over is reported, not punished.

    **The situation.** PokeCredit finances collectors' purchases. `coursedata.load_credit()`
    holds 16,000 approved applications from 2022-01-01 to 2024-05-31 (`data/datacards/credit.md`),
    one row each; `defaulted` = 1 if the borrower missed three payments within 12 months.
    Only **2.9 %** default. Today the lender approves everyone. Your model decides who is
    declined, and the two mistakes cost different amounts (`COSTS`):

    - approving a loan that defaults (a false negative) loses **\$2,000**;
    - declining a loan that would have been repaid (a false positive) loses **\$150** of margin.

    `expected_cost(y_true, decline)` totals them. The grader scores your final model on the
    next **4,000 applications in time** (2024-05-31 to 2024-12-31), which you will never see:
    an *out-of-time* holdout, as in production, where a model always scores applications
    from after its training data.

    Everything this exam needs is below; read it before you code.

    - **Accuracy is useless here**: declining nobody is 97 % accurate. Rank with the
      precision-recall curve (`average_precision_score`, "PR AUC"); decide with the costs.
    - **Validation must respect time**, because the holdout is in the future. In every fold,
      every training application is *older* than every validation application (an expanding
      window: train on the past, validate on the next period). Random K-fold lets a model learn
      from next year's applications to predict this year's, and it flatters. Cut on dates, not
      on row positions: the rows may arrive in any order.
    - **Few positives per fold**: with 2.9 % defaults, a 1,000-row fold holds about 29, too
      few to measure anything. Make each validation fold hold at least 40 defaults.
    - **Imbalance**: you may reweight (`class_weight`) or resample, but only *inside* the
      training part of a fold. Oversampling before splitting puts copies of the same defaulter
      on both sides, and the validation score measures memory.
    - **Calibration and the threshold**: with *calibrated* probabilities (a predicted 5 %
      means 5 of 100 such loans default) the cost-minimising rule is: decline when
      p > 150 / (150 + 2000) ≈ 0.07. Reweighting the classes breaks calibration (the
      probabilities rise), so either keep the model calibrated or choose the threshold on
      validation data by scanning the expected cost. 0.5 is the default of `predict`, not a
      business decision.
    - **A test set you touch once**: keep the latest months of the data for the model card's
      numbers; choose models and settings on the folds before them.
    """)
    return


@app.cell
def _():
    applications = coursedata.load_credit()
    mo.vstack([
        mo.md(f"**The data:** {len(applications):,} applications from {applications['application_date'].min().date()} "
              f"to {applications['application_date'].max().date()}, {applications[LABEL].mean():.1%} defaulted."),
        applications,
    ])
    return (applications,)


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Part 1 · Folds that respect time

    Write `time_folds(applications)`: at least `MIN_FOLDS` folds as row positions (0 to
    n − 1 in the order the rows are given), `[{"train": [...], "valid": [...]}, ...]`, with

    - every training row's `application_date` strictly before every validation row's (cut
      between days, not inside one);
    - validation sets that do not overlap, each with at least `MIN_DEFAULTS_PER_FOLD`
      defaults.

    ## Part 2 · Three model families on the same folds

    Write `compare_models(applications)`: build the folds with your `time_folds`, train at
    least three model *families* (`FAMILIES`) on every fold's training rows, and score each
    on the fold's validation rows. Return

    ```python
    {"folds": [...],                       # the folds you used, as time_folds returns them
     "results": [{"family": "logistic_regression", "pr_auc": [0.21, 0.18, 0.24]}, ...]}
    ```

    one PR AUC per fold, in fold order. The grader runs it twice: on the applications, and
    on the same applications with `defaulted` shuffled, where no model can have any skill:
    there your PR AUC must stay near the default rate (at most 0.08).
    """)
    return


@app.function
def credit_features(applications: pd.DataFrame) -> pd.DataFrame:
    """Numeric features of each application (its own columns only)."""
    ### BEGIN SOLUTION
    a = applications
    return pd.DataFrame(
        {
            "log_income": np.log(a["annual_income"].astype(float)),
            "loan_to_income": a["loan_amount"] / a["annual_income"],
            "debt_to_income": a["debt_to_income"],
            "revolving_utilization": a["revolving_utilization"],
            "delinquencies_2y": a["delinquencies_2y"].astype(float),
            "inquiries_6m": a["inquiries_6m"].astype(float),
            "credit_history_years": a["credit_history_years"],
            "interest_rate": a["interest_rate"],
            "inventory": (a["loan_purpose"] == "inventory").astype(float),
            "employment_years": a["employment_years"],
            "term_months": a["term_months"].astype(float),
        },
        index=a.index,
    )
    ### END SOLUTION


@app.function
def time_folds(applications: pd.DataFrame) -> list[dict]:
    """Expanding-window folds as row positions: train on the past, validate on the next period."""
    ### BEGIN SOLUTION
    dates = pd.to_datetime(applications["application_date"]).to_numpy()
    days = np.sort(np.unique(dates))
    # Four equal periods of days; the first is only ever trained on.
    cuts = [days[int(len(days) * k / 4)] for k in (1, 2, 3)] + [days[-1] + np.timedelta64(1, "D")]
    folds = []
    for start, stop in itertools.pairwise(cuts):
        folds.append({"train": np.flatnonzero(dates < start).tolist(),
                      "valid": np.flatnonzero((dates >= start) & (dates < stop)).tolist()})
    return folds
    ### END SOLUTION


@app.function
def candidate_models() -> dict:
    """One untrained model per family, each a fresh object on every call."""
    ### BEGIN SOLUTION
    return {
        "logistic_regression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "decision_tree": DecisionTreeClassifier(max_depth=5, min_samples_leaf=100, random_state=0),
        "gradient_boosting": HistGradientBoostingClassifier(max_iter=60, learning_rate=0.1, max_leaf_nodes=8,
                                                            early_stopping=False, random_state=0),
    }
    ### END SOLUTION


@app.function
def compare_models(applications: pd.DataFrame) -> dict:
    """PR AUC per fold of each candidate family, all on the same time-respecting folds."""
    ### BEGIN SOLUTION
    folds = time_folds(applications)
    X = credit_features(applications).to_numpy(dtype=float)
    y = applications[LABEL].to_numpy()
    results = []
    for family in candidate_models():
        scores = []
        for fold in folds:
            model = candidate_models()[family].fit(X[fold["train"]], y[fold["train"]])
            scores.append(float(average_precision_score(y[fold["valid"]], model.predict_proba(X[fold["valid"]])[:, 1])))
        results.append({"family": family, "pr_auc": scores})
    return {"folds": folds, "results": results}
    ### END SOLUTION


@app.cell
def _(applications):
    # Choose on the folds before the test period; its months are kept for the model card.
    development = applications[applications["application_date"] < pd.Timestamp("2024-01-01")].reset_index(drop=True)
    comparison = compare_models(development)
    pd.DataFrame(
        [{"family": r["family"], **{f"fold {k + 1}": round(s, 3) for k, s in enumerate(r["pr_auc"])},
          "mean": round(float(np.mean(r["pr_auc"])), 3), "std": round(float(np.std(r["pr_auc"])), 3)}
         for r in comparison["results"]]
    )
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Part 3 · The model you would ship, and its threshold

    Write `predict_default(train, applications)`: fit your chosen model on `train` (labelled)
    and return, for `applications` (no `defaulted` column), the probability of default of
    each and the threshold you decline above:

    ```python
    {"probability": [0.012, 0.31, ...], "threshold": 0.07}    # decline where probability > threshold
    ```

    Choose the threshold inside the function from `train` only (the formula for calibrated
    probabilities, or a scan of expected cost on a validation period). The grader calls it
    with all 16,000 applications as `train` and the 4,000 hidden later ones, then checks:
    the probabilities are calibrated (their mean within 1 point of the holdout's default
    rate, a Brier score no worse than a plain logistic regression's + 10 %), PR AUC at least
    a plain logistic regression's on the raw numeric columns − 0.01, and the expected cost of
    your decisions: at most 85 % of approving everyone's, and at most 115 % of what the plain
    logistic regression costs at the cost-optimal threshold (the holdout holds about 115
    defaults: one more approved default is \$2,000, so a few percent either way is noise).
    """)
    return


@app.function
def predict_default(train: pd.DataFrame, applications: pd.DataFrame) -> dict:
    """Calibrated default probabilities for `applications` from a model fitted on `train`, and the threshold."""
    ### BEGIN SOLUTION
    model = candidate_models()["logistic_regression"]
    model.fit(credit_features(train).to_numpy(dtype=float), train[LABEL].to_numpy())
    probability = model.predict_proba(credit_features(applications).to_numpy(dtype=float))[:, 1]
    # Logistic regression without class weights stays calibrated, so the Bayes rule applies.
    threshold = COSTS["false_positive"] / (COSTS["false_positive"] + COSTS["false_negative"])
    return {"probability": probability.tolist(), "threshold": threshold}
    ### END SOLUTION


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Part 4 · Model card and deployment recommendation

    Write `model_card(applications)`. Hold out the latest months of `applications` as your
    test period (the rows from `test_start` to the last date), fit with `predict_default` on
    the rows before `test_start`, evaluate once on the test period, and return

    ```python
    {
        "sections": {"model_details": "...", ..., "caveats_and_recommendations": "..."},   # every CARD_SECTIONS key,
                                                                                         # prose for the reader
        "numbers": {                    # every CARD_NUMBERS key, all measured on the test period
            "test_start": "2024-01-01", "test_end": "2024-05-31",   # first and last application_date tested
            "test_rows": 2726, "test_default_rate": 0.032,
            "pr_auc": 0.2, "brier": 0.03, "threshold": 0.07,
            "expected_cost": 150000.0,  # of your decisions (decline where probability > threshold)
            "approve_all_cost": 176000.0,  # of approving everyone (today's policy)
            "saving": 26000.0,            # approve_all_cost - expected_cost
            "declined_share": 0.1,        # share of test applications declined
        },
        "recommendation": {"decision": "deploy", "reason": "..."},   # decision in DECISIONS
    }
    ```

    The grader recomputes every number: it calls your `predict_default` with the rows before
    `test_start` and the rows from `test_start` to `test_end`, and compares (rates and PR AUC
    within 0.005, costs within 1 %, counts exactly). The test period runs to the data's
    last date and holds at least 2,000 applications. The decision must follow from the
    numbers: deploy only if the model saves money against approving everyone.
    """)
    return


@app.function
def model_card(applications: pd.DataFrame) -> dict:
    """The model card (Mitchell et al. 2019) as data, its numbers measured on a test period held out in time."""
    ### BEGIN SOLUTION
    dates = pd.to_datetime(applications["application_date"])
    test_start = pd.Timestamp("2024-01-01")
    before, test = applications[dates < test_start], applications[dates >= test_start]
    y = test[LABEL].to_numpy()
    out = predict_default(before, test.drop(columns=[LABEL]))
    probability, threshold = np.asarray(out["probability"]), float(out["threshold"])
    decline = probability > threshold
    cost, approve_all = expected_cost(y, decline), expected_cost(y, np.zeros(len(y), dtype=bool))
    numbers = {
        "test_start": str(dates[dates >= test_start].min().date()), "test_end": str(dates.max().date()),
        "test_rows": len(test), "test_default_rate": float(y.mean()),
        "pr_auc": float(average_precision_score(y, probability)), "brier": float(brier_score_loss(y, probability)),
        "threshold": threshold, "expected_cost": cost, "approve_all_cost": approve_all,
        "saving": approve_all - cost, "declined_share": float(decline.mean()),
    }
    saves = numbers["saving"] > 0
    sections = {
        "model_details": "Logistic regression on eleven engineered numeric features (log income, loan to income, "
                         "debt to income, utilisation, delinquencies, inquiries, history, interest rate, purpose), "
                         "scikit-learn, trained on applications before the test period.",
        "intended_use": "Decline or approve PokeCredit applications for collectors' purchases, as a first screen "
                        "that a credit officer can override; not for pricing, limits or any other lender.",
        "factors": "Results are reported by period; income band, loan purpose and home ownership are the groups "
                   "to monitor, since the data hold no protected attributes to audit directly.",
        "metrics": "PR AUC ranks defaulters, the Brier score checks calibration, and expected cost in dollars "
                   "(2,000 per approved default, 150 per declined good loan) decides; accuracy is not used.",
        "evaluation_data": f"The {numbers['test_rows']} applications from {numbers['test_start']} to "
                           f"{numbers['test_end']}, held out in time and used once, for this card.",
        "training_data": "Approved applications from 2022-01-01 up to the test period; the model was chosen on "
                         "expanding-window folds that end before the test period.",
        "quantitative_analyses": f"On the test period PR AUC {numbers['pr_auc']:.3f}, Brier {numbers['brier']:.4f}; "
                                 f"declining above {threshold:.3f} costs ${cost:,.0f} against ${approve_all:,.0f} "
                                 f"for approving everyone.",
        "ethical_considerations": "Declines fall on applicants with high debt and short histories; income enters "
                                  "the model, which can disadvantage young applicants, so declines need a review "
                                  "path and a reason code.",
        "caveats_and_recommendations": "Trained only on approved loans (rejected applicants never show their "
                                       "outcome); retrain quarterly, watch calibration monthly, and re-choose the "
                                       "threshold if the costs change.",
    }
    reason = (f"On the held-out period the model saves ${numbers['saving']:,.0f} against approving everyone "
              f"({numbers['declined_share']:.1%} of applicants declined)." if saves else
              "On the held-out period the model costs more than approving everyone.")
    return {"sections": sections, "numbers": numbers,
            "recommendation": {"decision": "deploy" if saves else "do_not_deploy", "reason": reason}}
    ### END SOLUTION


@app.cell
def _(applications):
    card = model_card(applications)
    mo.vstack([
        mo.md(f"**Recommendation: {card['recommendation']['decision']}.** {card['recommendation']['reason']}"),
        pd.DataFrame([card["numbers"]]).T.rename(columns={0: "test period"}),
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## For your mentor (read, not scored by keywords)

    1. `MODEL_CHOICE`: which family you chose and why, from the comparison table: the mean,
       the fold-to-fold spread, and what you gave up (speed, explainability) for it.
    2. `DEPLOYMENT_RECOMMENDATION`: what you would tell the head of lending: deploy or not,
       the saving in dollars and what it rests on, what to monitor in the first month, and when
       to retrain.

    At least 25 words each.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    MODEL_CHOICE = """Logistic regression on engineered ratios: it has the highest mean PR AUC on the three time
    folds and beats the boosted trees and the single tree on every one of them, so the lead is not one lucky
    period. It stays calibrated without extra work, so the cost threshold applies directly, it trains in a
    fraction of a second, and every coefficient can be explained to a credit officer and a regulator."""
    DEPLOYMENT_RECOMMENDATION = """Deploy as a first screen with officer override. On the latest five months,
    held out and used once, declining above seven percent saves money against approving everyone while declining
    about one application in ten. Monitor the default rate of approved loans, the mean predicted probability
    against outcomes, and the decline rate by income band; retrain each quarter."""
    ### END SOLUTION
    return


@app.function
@criterion(points=2, title="Folds respect time and hold enough defaults",
           hint="Cut on dates: train on everything before a day, validate on the period after it.")
def test_folds_respect_time():
    loans = coursedata.load_credit()
    applications = loans[loans["application_date"] < pd.Timestamp("2024-01-01")].reset_index(drop=True)
    dates = applications["application_date"].to_numpy()
    folds = time_folds(applications)
    assert len(folds) >= MIN_FOLDS
    for fold in folds:
        assert dates[fold["train"]].max() < dates[fold["valid"]].min()
        assert applications[LABEL].to_numpy()[fold["valid"]].sum() >= MIN_DEFAULTS_PER_FOLD


@app.function
@criterion(points=2, title="The shipped model saves money on a later period",
           hint="Use the costs, not 0.5: a declined good loan costs $150, an approved default $2,000.")
def test_saves_money_on_a_later_period():
    applications = coursedata.load_credit()
    cut = applications["application_date"] < pd.Timestamp("2024-01-01")
    later = applications[~cut]
    out = predict_default(applications[cut], later.drop(columns=[LABEL]))
    decline = np.asarray(out["probability"]) > out["threshold"]
    y = later[LABEL].to_numpy()
    assert expected_cost(y, decline) < 0.85 * expected_cost(y, np.zeros(len(y), dtype=bool))


@app.function
@criterion(points=2, title="The model card has every section and number",
           hint="Fill every key of CARD_SECTIONS with prose and every key of CARD_NUMBERS with a measured number.")
def test_card_is_complete():
    card = model_card(coursedata.load_credit())
    assert set(CARD_SECTIONS) <= set(card["sections"]) and set(CARD_NUMBERS) <= set(card["numbers"])
    assert card["recommendation"]["decision"] in DECISIONS


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_folds_respect_time,
        test_saves_money_on_a_later_period,
        test_card_is_complete,
        item="week2.exam",
    )
    return


if __name__ == "__main__":
    app.run()
