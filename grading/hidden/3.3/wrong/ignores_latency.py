# expect-fail: within_latency_budget
# why: "more rounds is better": tries a few large models and keeps the best validation score, never comparing the measured latency with the budget


@app.function
def tune(train: pd.DataFrame, validation: pd.DataFrame, budget_seconds: float) -> dict:
    reference = make_model(REFERENCE_PARAMS).fit(train[FEATURES], train[TARGET])
    row = validation[FEATURES].iloc[[0]]
    best, tried = None, 0
    for params in ({"max_iter": 400, "max_depth": 4, "learning_rate": 0.05},
                   {"max_iter": 800, "max_depth": 3, "learning_rate": 0.03}):
        model = make_model(params).fit(train[FEATURES], train[TARGET])
        score = float(model.score(validation[FEATURES], validation[TARGET]))
        tried += 1
        if best is None or score > best["validation_score"]:
            best = {"params": params, "validation_score": score, "latency_ratio": latency_ratio(model, reference, row)}
    return {**best, "tried": tried}
