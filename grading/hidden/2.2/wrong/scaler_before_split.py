# expect-fail: scaler_fitted_on_train_only
# why: standardises all rows first, then splits: the scaler learned test-set means

@app.function
def leak_free_score(listings: pd.DataFrame) -> dict:
    """The honest score and what was fitted, as plain data (see the task above)."""
    ### BEGIN SOLUTION
    data = listings.drop_duplicates("sale_id").copy()
    data["age_years"] = (data["sale_date"] - data["release_date"]).dt.days / 365.25
    data[NUMERIC] = data[NUMERIC].astype(float)
    y = data[TARGET]
    test = is_test(data)
    scaler = StandardScaler().fit(data[NUMERIC])
    data[NUMERIC] = scaler.transform(data[NUMERIC])
    X = data[[*NUMERIC, "card_name"]]
    encoder = TargetEncoder(target_type="binary", cv=KFold(n_splits=5, shuffle=True, random_state=SEED))
    pipeline = Pipeline([
        ("features", ColumnTransformer([("num", "passthrough", NUMERIC), ("card_name_rate", encoder, ["card_name"])])),
        ("model", LogisticRegression(C=1.0, max_iter=5000)),
    ])
    pipeline.fit(X[~test], y[~test])
    fitted = pipeline.named_steps["features"].named_transformers_["card_name_rate"]
    return {
        "score": float(pipeline.score(X[test], y[test])),
        "test_sale_ids": sorted(data.loc[test, "sale_id"]),
        "scaler_mean": {f"num__{n}": float(m) for n, m in zip(NUMERIC, scaler.mean_, strict=True)},
        "target_encoding": {str(c): float(e) for c, e in zip(fitted.categories_[0], fitted.encodings_[0], strict=True)},
    }
