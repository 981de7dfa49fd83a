# expect-fail: features_beat_raw_columns
# why: hands the model the raw columns plus one-hots of every category: more columns, no better shape
@app.function
def churn_features(customers: pd.DataFrame) -> pd.DataFrame:
    numbers = customers[list(RAW_COLUMNS)].astype(float)
    plans = pd.get_dummies(customers["plan"], prefix="plan", dtype=float)
    countries = pd.get_dummies(customers["country"], prefix="country", dtype=float)
    return pd.concat([numbers, plans, countries], axis=1)
