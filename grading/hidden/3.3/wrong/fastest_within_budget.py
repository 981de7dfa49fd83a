# expect-fail: holds_up_on_fresh_sales
# why: treats the latency budget as the objective and returns the fastest candidate, whatever its validation score


@app.function
def tune(train: pd.DataFrame, validation: pd.DataFrame, budget_seconds: float) -> dict:
    reference = make_model(REFERENCE_PARAMS).fit(train[FEATURES], train[TARGET])
    row = validation[FEATURES].iloc[[0]]
    results = []
    for params in ({"max_iter": 10, "max_depth": 2, "learning_rate": 0.03}, {"max_iter": 25, "max_depth": 2},
                   {"max_iter": 50}):
        model = make_model(params).fit(train[FEATURES], train[TARGET])
        results.append({"params": params, "latency_ratio": latency_ratio(model, reference, row),
                        "validation_score": float(model.score(validation[FEATURES], validation[TARGET]))})
    fastest = min(results, key=lambda r: r["latency_ratio"] + 10 * (r["params"]["max_iter"] > 10))
    return {**fastest, "tried": len(results)}
