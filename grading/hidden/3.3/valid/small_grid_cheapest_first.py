# A valid alternative: a small hand-made grid walked cheapest first, stopping as soon as the CPU spent
# passes 70 % of the budget; ties broken towards the faster model.


@app.function
def tune(train: pd.DataFrame, validation: pd.DataFrame, budget_seconds: float) -> dict:
    begin = time.process_time()
    reference = make_model(REFERENCE_PARAMS).fit(train[FEATURES], train[TARGET])
    row = validation[FEATURES].iloc[[0]]
    grid = [{"max_iter": n, "max_depth": d, "learning_rate": lr}
            for n in (10, 25, 50, 100) for d in (3, 4, 6) for lr in (0.1, 0.3)]
    results = []
    for params in grid:
        if time.process_time() - begin > 0.7 * budget_seconds:
            break
        model = make_model(params).fit(train[FEATURES], train[TARGET])
        results.append({"params": params, "validation_score": float(model.score(validation[FEATURES], validation[TARGET])),
                        "latency_ratio": latency_ratio(model, reference, row)})
    allowed = [r for r in results if r["latency_ratio"] <= LATENCY_BUDGET]
    if not allowed:
        allowed = [{"params": dict(REFERENCE_PARAMS), "latency_ratio": 1.0,
                    "validation_score": float(reference.score(validation[FEATURES], validation[TARGET]))}]
    chosen = max(allowed, key=lambda r: (r["validation_score"], -r["latency_ratio"]))
    return {**chosen, "tried": len(results)}
