# expect-fail: card_has_every_section
# why: fills the card's sections with placeholders: a model card is read by people outside the team, numbers alone do not tell them the intended use or the risks
@app.function
def model_card(applications: pd.DataFrame) -> dict:
    """The model card (Mitchell et al. 2019) as data, its numbers measured on a test period held out in time."""
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
    sections = {key: "see the numbers" for key in CARD_SECTIONS}  # the numbers speak for themselves
    reason = (f"On the held-out period the model saves ${numbers['saving']:,.0f} against approving everyone "
              f"({numbers['declined_share']:.1%} of applicants declined)." if saves else
              "On the held-out period the model costs more than approving everyone.")
    return {"sections": sections, "numbers": numbers,
            "recommendation": {"decision": "deploy" if saves else "do_not_deploy", "reason": reason}}
