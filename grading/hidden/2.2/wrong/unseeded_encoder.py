# expect-fail: scaler_fitted_on_train_only
# why: leak-free but unseeded: TargetEncoder's shuffled cross-fitting differs run to run, so the fit is not reproducible

@app.function
def leak_free_score(listings: pd.DataFrame) -> dict:
    """The honest score and what was fitted, as plain data (see the task above)."""
    ### BEGIN SOLUTION
    data = listings.drop_duplicates("sale_id").copy()
    data["age_years"] = (data["sale_date"] - data["release_date"]).dt.days / 365.25
    data[NUMERIC] = data[NUMERIC].astype(float)
    X, y = data[[*NUMERIC, "card_name"]], data[TARGET]
    test = is_test(data)
    pipeline = Pipeline([
        ("features", ColumnTransformer([("num", "passthrough", NUMERIC), ("card_name_rate", TargetEncoder(target_type="binary", cv=KFold(n_splits=5, shuffle=True)), ["card_name"])])),
        ("scale", StandardScaler()),
        ("model", LogisticRegression(C=1.0, max_iter=5000)),
    ])
    pipeline.fit(X[~test], y[~test])
    fitted = pipeline.named_steps["features"].named_transformers_["card_name_rate"]
    names = pipeline.named_steps["features"].get_feature_names_out()
    return {
        "score": float(pipeline.score(X[test], y[test])),
        "test_sale_ids": sorted(data.loc[test, "sale_id"]),
        "scaler_mean": {str(n): float(m) for n, m in zip(names, pipeline.named_steps["scale"].mean_, strict=True)},
        "target_encoding": {str(c): float(e) for c, e in zip(fitted.categories_[0], fitted.encodings_[0], strict=True)},
    }
