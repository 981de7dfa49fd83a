# expect-fail: improves_by_5_percent
# why: a real but weak signal (English-language copy): under +5 % relative

@app.function
def add_feature(X: pd.DataFrame) -> pd.Series:
    """One numeric feature per sale, from that sale's own columns (and SPECIES)."""
    ### BEGIN SOLUTION
    return (X["language"] == "en").astype(float).rename("english")
