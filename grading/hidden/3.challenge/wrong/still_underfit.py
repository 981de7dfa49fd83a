# expect-fail: fix_reaches_target
# why: balances the classes but keeps C=1e-4, so the model still cannot learn the signal

@app.function
def fixed_predict(history: pd.DataFrame, batch: pd.DataFrame) -> list[int]:
    """Train the fixed model on history, predict 0/1 for each row of batch."""
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(StandardScaler(), LogisticRegression(C=1e-4, class_weight="balanced", max_iter=2000))
    model.fit(history[FEATURES], history[TARGET])
    return [int(p) for p in model.predict(batch[FEATURES])]
