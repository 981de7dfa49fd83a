# expect-fail: reported_score_is_validation
# why: fits on train + validation 'to use all the data', then scores on validation rows the model has seen

@app.function
def tune(train: pd.DataFrame, validation: pd.DataFrame, budget_seconds: float) -> dict:
    """The best validation accuracy in SEARCH_SPACE within LATENCY_BUDGET, using at most budget_seconds of CPU."""
    started = time.process_time()
    reference = make_model(REFERENCE_PARAMS).fit(train[FEATURES], train[TARGET])
    row = validation[FEATURES].iloc[[0]]

    def size(params: dict) -> float:  # fit cost grows with rounds x leaves per tree
        leaves = min(params.get("max_leaf_nodes", 31), 2 ** (params.get("max_depth") or 30))
        return params.get("max_iter", 100) * leaves

    per_unit = (time.process_time() - started) / size(REFERENCE_PARAMS)  # CPU seconds per unit of size
    grid = [dict(zip(SEARCH_SPACE, values, strict=True)) for values in itertools.product(*SEARCH_SPACE.values())]
    best, tried = None, 0
    for index in np.random.default_rng(0).permutation(len(grid)):
        params = grid[index]
        left = budget_seconds - (time.process_time() - started)
        if left < 0.2:
            break
        if 1.5 * per_unit * size(params) + 0.1 > left:  # would not finish in what is left: skip it
            continue
        step = time.process_time()
        both = pd.concat([train, validation])
        model = make_model(params).fit(both[FEATURES], both[TARGET])
        per_unit = max(per_unit, (time.process_time() - step) / size(params))
        ratio = latency_ratio(model, reference, row)
        score = float(model.score(validation[FEATURES], validation[TARGET]))
        tried += 1
        if ratio <= LATENCY_BUDGET and (best is None or score > best["validation_score"]):
            best = {"params": params, "validation_score": score, "latency_ratio": ratio}
    if best is None:  # nothing fitted in the budget: the reference itself is within it by definition
        best = {"params": dict(REFERENCE_PARAMS), "latency_ratio": 1.0,
                "validation_score": float(reference.score(validation[FEATURES], validation[TARGET]))}
    return {**best, "tried": tried}
