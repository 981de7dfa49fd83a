# expect-fail: ranks_defaulters
# why: ships a shallow decision tree because its rules are easy to read: a handful of leaves ranks defaulters far worse
@app.function
def predict_default(train: pd.DataFrame, applications: pd.DataFrame) -> dict:
    model = DecisionTreeClassifier(max_depth=2, random_state=0)
    model.fit(credit_features(train).to_numpy(dtype=float), train[LABEL].to_numpy())
    probability = model.predict_proba(credit_features(applications).to_numpy(dtype=float))[:, 1]
    threshold = COSTS["false_positive"] / (COSTS["false_positive"] + COSTS["false_negative"])
    return {"probability": probability.tolist(), "threshold": threshold}
