# expect-fail: lifts_cv_score
# why: five rescalings and sums of the numeric columns the model already has: nothing new for a standardised linear model

@app.function
def add_features(X: pd.DataFrame, species: pd.DataFrame) -> pd.DataFrame:
    """At least five new numeric features per sale, from its own columns and the species table."""
    ### BEGIN SOLUTION
    F = pd.DataFrame(index=X.index)
    F["hp_hundreds"] = X["card_hp"] / 100.0
    F["hp_above_100"] = X["card_hp"] - 100.0
    F["retreat_plus_one"] = X["retreat_cost"] + 1.0
    F["hp_plus_retreat"] = X["card_hp"] + 10.0 * X["retreat_cost"]
    F["first_edition_points"] = 2.0 * X["first_edition"].astype(float)
    return F
