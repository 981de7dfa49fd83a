# expect-fail: leaves_input_alone
# why: writes the feature into the caller's frame

@app.function
def add_feature(X: pd.DataFrame) -> pd.Series:
    """One numeric feature per sale, from that sale's own columns (and SPECIES)."""
    ### BEGIN SOLUTION
    X["rarity_rank"] = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    return X["rarity_rank"]
