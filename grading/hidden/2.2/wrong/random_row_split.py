# expect-fail: split_by_sale, scaler_fitted_on_train_only
# why: keeps the random row split: sales exported twice land on both sides, and 'test' rows end up in training

@app.function
def leak_free_score(listings: pd.DataFrame) -> dict:
    """The honest score and what was fitted, as plain data (see the task above)."""
    ### BEGIN SOLUTION
    data = listings.copy()
    data["age_years"] = (data["sale_date"] - data["release_date"]).dt.days / 365.25
    data[NUMERIC] = data[NUMERIC].astype(float)
    X, y = data[[*NUMERIC, "card_name"]], data[TARGET]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=SEED)
    pipeline = Pipeline([
        ("features", ColumnTransformer([
            ("num", "passthrough", NUMERIC),
            ("card_name_rate", TargetEncoder(target_type="binary", cv=KFold(n_splits=5, shuffle=True, random_state=SEED)), ["card_name"]),
        ])),
        ("scale", StandardScaler()),
        ("model", LogisticRegression(C=1.0, max_iter=5000)),
    ])
    pipeline.fit(X_train, y_train)
    fitted = pipeline.named_steps["features"].named_transformers_["card_name_rate"]
    names = pipeline.named_steps["features"].get_feature_names_out()
    return {
        "score": float(pipeline.score(X_test, y_test)),
        "test_sale_ids": sorted(data.loc[X_test.index, "sale_id"]),
        "scaler_mean": {str(n): float(m) for n, m in zip(names, pipeline.named_steps["scale"].mean_, strict=True)},
        "target_encoding": {str(c): float(e) for c, e in zip(fitted.categories_[0], fitted.encodings_[0], strict=True)},
    }
