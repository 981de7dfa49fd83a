# expect-fail: sklearn_uses_the_costs
# why: runs TunedThresholdClassifierCV with its default balanced-accuracy objective, which ignores the costs

@app.function
def sklearn_threshold(train: pd.DataFrame, costs: dict) -> float:
    tagger = make_model().set_params(logisticregression__class_weight="balanced")
    tuned = TunedThresholdClassifierCV(tagger, cv=5)
    tuned.fit(train[FEATURES], (train[TARGET] == TAG).astype(int))
    return float(tuned.best_threshold_)
