# expect-fail: respects_compute_budget
# why: runs a fixed list of large candidates to the end, whatever budget_seconds says


@app.function
def tune(train: pd.DataFrame, validation: pd.DataFrame, budget_seconds: float) -> dict:
    reference = make_model(REFERENCE_PARAMS).fit(train[FEATURES], train[TARGET])
    row = validation[FEATURES].iloc[[0]]
    best, tried = None, 0
    for rounds in (400, 800):
        for leaves in (63, 127):
            params = {"max_iter": rounds, "max_leaf_nodes": leaves, "learning_rate": 0.03}
            model = make_model(params).fit(train[FEATURES], train[TARGET])
            ratio = latency_ratio(model, reference, row)
            score = float(model.score(validation[FEATURES], validation[TARGET]))
            tried += 1
            if ratio <= LATENCY_BUDGET and (best is None or score > best["validation_score"]):
                best = {"params": params, "validation_score": score, "latency_ratio": ratio}
    if best is None:
        best = {"params": dict(REFERENCE_PARAMS), "latency_ratio": 1.0,
                "validation_score": float(reference.score(validation[FEATURES], validation[TARGET]))}
    return {**best, "tried": tried}
