# expect-fail: card_numbers_recomputed
# why: reports the model's scores on the rows it was trained on, not on the held-out test period
@app.function
def model_card(applications: pd.DataFrame) -> dict:
    """The model card (Mitchell et al. 2019) as data, its numbers measured on a test period held out in time."""
    dates = pd.to_datetime(applications["application_date"])
    test_start = pd.Timestamp("2024-01-01")
    before, test = applications[dates < test_start], applications[dates >= test_start]
    # Measure on the rows the model learnt from: the test period is too small to trust.
    y = before[LABEL].to_numpy()
    out = predict_default(before, before.drop(columns=[LABEL]))
    probability, threshold = np.asarray(out["probability"]), float(out["threshold"])
    decline = probability > threshold
    cost, approve_all = expected_cost(y, decline), expected_cost(y, np.zeros(len(y), dtype=bool))
    numbers = {
        "test_start": str(dates[dates >= test_start].min().date()), "test_end": str(dates.max().date()),
        "test_rows": len(before), "test_default_rate": float(y.mean()),
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
