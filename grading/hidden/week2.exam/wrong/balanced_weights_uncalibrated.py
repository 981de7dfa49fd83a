# expect-fail: calibrated, cost_near_reference
# why: handles the imbalance with class_weight='balanced', then applies the calibrated-probability threshold to inflated scores
@app.function
def predict_default(train: pd.DataFrame, applications: pd.DataFrame) -> dict:
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, class_weight="balanced"))
    model.fit(credit_features(train).to_numpy(dtype=float), train[LABEL].to_numpy())
    probability = model.predict_proba(credit_features(applications).to_numpy(dtype=float))[:, 1]
    threshold = COSTS["false_positive"] / (COSTS["false_positive"] + COSTS["false_negative"])
    return {"probability": probability.tolist(), "threshold": threshold}
