# expect-fail: same_row_same_prediction
# why: fixes C and the class weights but keeps the service's habit of refitting the scaler on each batch

@app.function
def fixed_predict(history: pd.DataFrame, batch: pd.DataFrame) -> list[int]:
    """Train the fixed model on history, predict 0/1 for each row of batch."""
    from sklearn.pipeline import make_pipeline

    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
    model.fit(StandardScaler().fit_transform(history[FEATURES]), history[TARGET])
    return [int(p) for p in model.predict(StandardScaler().fit_transform(batch[FEATURES]))]
