# A valid alternative: the scaler kept from training by hand (no Pipeline), no class weights but a lower
# decision threshold, and the diagnosis worded differently, in another order.


@app.function
def diagnosis() -> list[dict]:
    return [
        {"cause": "preprocessing_mismatch", "evidence": "score_as_found calls fit_transform on the batch: I fed the "
         "same 200 test rows alone and inside the vintage batch and 31 inputs changed."},
        {"cause": "train_test_contamination", "evidence": "history and test share 500 sale ids, measured with "
         "set intersection; those rows were appended from the test set."},
        {"cause": "underfitting", "evidence": "training and test balanced accuracy are both 0.5 with C = 0.0001; "
         "raising C to 1 lifts both to about 0.9."},
        {"cause": "misleading_metric", "evidence": "a DummyClassifier that always predicts 0 also gets 77 percent "
         "accuracy; recall on high-value sales is zero."},
    ]


@app.function
def fixed_predict(history: pd.DataFrame, batch: pd.DataFrame) -> list[int]:
    scaler = StandardScaler().fit(history[FEATURES])
    model = LogisticRegression(C=2.0, max_iter=3000).fit(scaler.transform(history[FEATURES]), history[TARGET])
    probability = model.predict_proba(scaler.transform(batch[FEATURES]))[:, 1]
    return [int(p >= 0.3) for p in probability]
