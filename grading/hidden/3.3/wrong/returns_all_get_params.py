# expect-fail: returns_a_choice
# why: returns model.get_params() of the winner (every setting, random_state and loss included), not the tuned hyperparameters from SEARCH_SPACE


@app.function
def tune(train: pd.DataFrame, validation: pd.DataFrame, budget_seconds: float) -> dict:
    reference = make_model(REFERENCE_PARAMS).fit(train[FEATURES], train[TARGET])
    row = validation[FEATURES].iloc[[0]]
    best = None
    for params in ({"max_iter": 50, "learning_rate": 0.2}, {"max_iter": 100, "max_leaf_nodes": 15}):
        model = make_model(params).fit(train[FEATURES], train[TARGET])
        score = float(model.score(validation[FEATURES], validation[TARGET]))
        ratio = latency_ratio(model, reference, row)
        if ratio <= LATENCY_BUDGET and (best is None or score > best["validation_score"]):
            best = {"params": model.get_params(), "validation_score": score, "latency_ratio": ratio}
    return {**(best or {"params": reference.get_params(), "validation_score": 0.0, "latency_ratio": 1.0}), "tried": 2}
