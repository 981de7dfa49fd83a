# why: keeps both copies of a sale exported twice: the split is by sale_id (is_test), so the copies stay on one
#      side and nothing leaks; the encoder is seeded through its own shuffle/random_state parameters
@app.function
def leak_free_score(listings: pd.DataFrame) -> dict:
    """The honest score and what was fitted, as plain data (see the task above)."""
    data = listings.assign(age_years=(listings["sale_date"] - listings["release_date"]).dt.days / 365.25)
    data[NUMERIC] = data[NUMERIC].astype(float)
    test = is_test(data)
    train, held_out = data[~test], data[test]
    pipeline = Pipeline([
        ("features", ColumnTransformer([
            ("num", "passthrough", NUMERIC),
            ("te", TargetEncoder(target_type="binary", cv=5, shuffle=True, random_state=SEED), ["card_name"]),
        ])),
        ("scale", StandardScaler()),
        ("model", LogisticRegression(C=1.0, max_iter=5000)),
    ])
    pipeline.fit(train[[*NUMERIC, "card_name"]], train[TARGET])
    encoder = pipeline.named_steps["features"].named_transformers_["te"]
    names = pipeline.named_steps["features"].get_feature_names_out()
    return {
        "score": float(pipeline.score(held_out[[*NUMERIC, "card_name"]], held_out[TARGET])),
        "test_sale_ids": sorted(set(held_out["sale_id"])),
        "scaler_mean": dict(zip(map(str, names), map(float, pipeline.named_steps["scale"].mean_), strict=True)),
        "target_encoding": dict(zip(map(str, encoder.categories_[0]), map(float, encoder.encodings_[0]), strict=True)),
    }
