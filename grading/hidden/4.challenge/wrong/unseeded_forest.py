# expect-fail: predictions_are_valid
# why: swaps in a random forest without random_state, so the model under review changes on every run
from sklearn.ensemble import RandomForestClassifier


@app.function
def fit_and_predict(train: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    model = RandomForestClassifier(n_estimators=60).fit(train[FEATURES], train[TARGET])
    proba = model.predict_proba(rows[FEATURES])
    return pd.DataFrame({"predicted": model.classes_[proba.argmax(axis=1)], "confidence": proba.max(axis=1)})
