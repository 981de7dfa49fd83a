# expect-fail: row_wise_and_deterministic
# why: ranks rarity within the batch it is given, so one listing on its own gets a different value

@app.function
def add_feature(X: pd.DataFrame) -> pd.Series:
    """One numeric feature per sale, from that sale's own columns (and SPECIES)."""
    ### BEGIN SOLUTION
    rank = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    return rank.rank(pct=True).rename("rarity_percentile")
