# expect-fail: reaches_90_on_holdout, reaches_92_on_holdout
# why: the lesson's own code pasted in (rarity rank, its feature groups, the pipeline's listing features and
#      one-hots): clears 75 % easily (about 0.89) but finds nothing the lesson did not already show

@app.function
def engineer_features(X: pd.DataFrame) -> pd.DataFrame:
    """Numeric features for each sale, from its own columns and SPECIES only."""
    rarity_rank = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    points = pd.to_numeric(X["grade"].str.extract(r"([\d.]+)$")[0], errors="coerce")
    F = pd.DataFrame(
        {
            "card_hp": X["card_hp"].astype(float),
            "retreat_cost": X["retreat_cost"].astype(float),
            "first_edition": X["first_edition"].astype(float),
            "rarity_rank": rarity_rank,
            "graded": points.notna().astype(float),
            "grade_points": points.fillna(0.0),
            "age_years": (X["sale_date"] - X["release_date"]).dt.days / 365.25,
            "condition_rank": X["condition"].map({c: float(i) for i, c in enumerate(CONDITIONS)}).fillna(0.0),
        },
        index=X.index,
    )
    for column, levels in (("condition", CONDITIONS), ("language", LANGUAGES), ("mechanic", MECHANICS)):
        for level in levels:
            F[f"{column}_{level}"] = (X[column] == level).astype(float)
    return F
