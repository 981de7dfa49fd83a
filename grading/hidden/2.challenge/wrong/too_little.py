# expect-fail: beats_75_on_holdout, reaches_90_on_holdout, reaches_92_on_holdout
# why: honest but timid: a graded flag and the language add little over the baseline

@app.function
def engineer_features(X: pd.DataFrame) -> pd.DataFrame:
    """Numeric features for each sale, from its own columns and SPECIES only."""
    ### BEGIN SOLUTION
    F = baseline_features(X)
    F["graded"] = (X["grade"] != "ungraded").astype(float)
    F["english"] = (X["language"] == "en").astype(float)
    return F


WHAT_WORKED = """Rarity alone took the fixed split from 0.65 to about 0.85. Grade parsing and age added about
four points more, the vintage flags and secret rares another two, and language, mechanic, marketplace and
species strength the rest, ending near 0.91 on the fixed split. The ratio and attack-count ideas moved
nothing measurable, so I dropped them."""
