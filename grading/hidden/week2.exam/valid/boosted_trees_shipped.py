# A valid alternative of another family: ships histogram gradient boosting with scikit-learn's defaults (no
# class weights, so its probabilities stay calibrated) at the cost formula's threshold; on the holdout it ranks
# better than the plain logistic regression and costs about 7 % more than it, inside the bar by a margin.
@app.function
def predict_default(train: pd.DataFrame, applications: pd.DataFrame) -> dict:
    model = HistGradientBoostingClassifier(random_state=0)
    model.fit(credit_features(train).to_numpy(dtype=float), train[LABEL].to_numpy())
    probability = model.predict_proba(credit_features(applications).to_numpy(dtype=float))[:, 1]
    threshold = COSTS["false_positive"] / (COSTS["false_positive"] + COSTS["false_negative"])
    return {"probability": probability.tolist(), "threshold": threshold}
