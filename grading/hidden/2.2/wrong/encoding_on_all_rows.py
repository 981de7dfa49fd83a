# expect-fail: encoding_fitted_on_train_only
# why: target-encodes card_name with the label mean over all rows, test rows included

from sklearn.model_selection import train_test_split


from sklearn.preprocessing import StandardScaler


@app.function
def leak_free_score(listings: pd.DataFrame) -> dict:
    """The honest score and what was fitted, as plain data (see the task above)."""
    ### BEGIN SOLUTION
    data = listings.drop_duplicates("sale_id").copy()
    data["age_years"] = (data["sale_date"] - data["release_date"]).dt.days / 365.25
    data[NUMERIC] = data[NUMERIC].astype(float)
    rate = data.groupby("card_name")[TARGET].mean()
    data["card_name_rate"] = data["card_name"].map(rate)
    X, y = data[[*NUMERIC, "card_name_rate"]], data[TARGET]
    test = is_test(data)
    pipeline = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(C=1.0, max_iter=5000))])
    pipeline.fit(X[~test], y[~test])
    return {
        "score": float(pipeline.score(X[test], y[test])),
        "test_sale_ids": sorted(data.loc[test, "sale_id"]),
        "scaler_mean": {f"num__{n}": float(m) for n, m in zip(X.columns, pipeline.named_steps["scale"].mean_, strict=True)},
        "target_encoding": {str(c): float(e) for c, e in rate.items()},
    }
