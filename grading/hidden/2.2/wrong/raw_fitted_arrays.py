# expect-fail: reports_what_was_fitted
# why: returns the fitted attributes as they are (mean_ and encodings_ as lists) instead of name -> value dicts

@app.function
def leak_free_score(listings: pd.DataFrame) -> dict:
    """The honest score and what was fitted, as plain data (see the task above)."""
    data = listings.drop_duplicates("sale_id").copy()
    data["age_years"] = (data["sale_date"] - data["release_date"]).dt.days / 365.25
    data[NUMERIC] = data[NUMERIC].astype(float)
    X, y = data[[*NUMERIC, "card_name"]], data[TARGET]
    test = is_test(data)
    encoder = TargetEncoder(target_type="binary", cv=KFold(n_splits=5, shuffle=True, random_state=SEED))
    pipeline = Pipeline([
        ("features", ColumnTransformer([("num", "passthrough", NUMERIC), ("card_name_rate", encoder, ["card_name"])])),
        ("scale", StandardScaler()),
        ("model", LogisticRegression(C=1.0, max_iter=5000)),
    ])
    pipeline.fit(X[~test], y[~test])
    fitted = pipeline.named_steps["features"].named_transformers_["card_name_rate"]
    return {
        "score": float(pipeline.score(X[test], y[test])),
        "test_sale_ids": sorted(data.loc[test, "sale_id"]),
        "scaler_mean": pipeline.named_steps["scale"].mean_.tolist(),
        "target_encoding": fitted.encodings_[0].tolist(),
    }
