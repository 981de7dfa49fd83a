# expect-fail: saves_against_approve_all, cost_near_reference
# why: declines at the default 0.5 of predict(), ignoring that an approved default costs 13 times a declined good loan
@app.function
def predict_default(train: pd.DataFrame, applications: pd.DataFrame) -> dict:
    model = candidate_models()["logistic_regression"]
    model.fit(credit_features(train).to_numpy(dtype=float), train[LABEL].to_numpy())
    probability = model.predict_proba(credit_features(applications).to_numpy(dtype=float))[:, 1]
    return {"probability": probability.tolist(), "threshold": 0.5}
