# expect-fail: own_features
# why: returns the course's reference features (coursedata.calibration.engineered_features) instead of its own

@app.function
def add_features(X: pd.DataFrame, species: pd.DataFrame) -> pd.DataFrame:
    """At least five new numeric features per sale, from its own columns and the species table."""
    ### BEGIN SOLUTION
    reference = coursedata.calibration.engineered_features(X, species)
    return reference.drop(columns=["card_hp", "retreat_cost", "first_edition"])
