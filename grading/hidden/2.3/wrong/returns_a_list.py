# expect-fail: one_numeric_column
# why: returns the values as a plain list: the index is lost, so nothing ties a value to its sale

@app.function
def add_feature(X: pd.DataFrame) -> pd.Series:
    """One new numeric feature per sale, from its own columns (and SPECIES)."""
    rank = {r: float(i) for i, r in enumerate(RARITIES)}
    return [rank.get(r, 0.0) for r in X["rarity"]]
