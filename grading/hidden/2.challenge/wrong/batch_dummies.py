# expect-fail: numeric_features, row_wise_and_deterministic
# why: one-hot encodes with pd.get_dummies on whatever batch it gets: the columns change with the batch

@app.function
def engineer_features(X: pd.DataFrame) -> pd.DataFrame:
    """Numeric features for each sale, from its own columns and SPECIES only."""
    ### BEGIN SOLUTION
    F = baseline_features(X)
    F["age_years"] = (X["sale_date"] - X["release_date"]).dt.days / 365.25
    dummies = pd.get_dummies(X[["rarity", "condition", "language"]], dtype=float)
    return pd.concat([F, dummies], axis=1)


WHAT_WORKED = """Rarity alone took the fixed split from 0.65 to about 0.85. Grade parsing and age added about
four points more, the vintage flags and secret rares another two, and language, mechanic, marketplace and
species strength the rest, ending near 0.91 on the fixed split. The ratio and attack-count ideas moved
nothing measurable, so I dropped them."""
