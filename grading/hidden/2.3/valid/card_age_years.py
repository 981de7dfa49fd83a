# why: another signal the baseline cannot see: the card's age at sale from two dates known at listing time,
#      computed with numpy on the dates
@app.function
def add_feature(X: pd.DataFrame) -> pd.Series:
    """One new numeric feature per sale, from its own columns (and SPECIES)."""
    days = (X["sale_date"].to_numpy("datetime64[D]") - X["release_date"].to_numpy("datetime64[D]")).astype(float)
    return pd.Series(days / 365.25, index=X.index, name="age_years")
