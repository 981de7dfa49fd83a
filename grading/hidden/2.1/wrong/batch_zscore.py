# expect-fail: row_wise_and_deterministic
# why: standardises with the batch's own mean and std, so one listing alone gets different features

@app.function
def add_features(X: pd.DataFrame, species: pd.DataFrame) -> pd.DataFrame:
    """At least five new numeric features per sale, from its own columns and the species table."""
    ### BEGIN SOLUTION
    F = pd.DataFrame(index=X.index)
    rank = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    F["rarity_z"] = (rank - rank.mean()) / (rank.std() + 1e-9)
    age = (X["sale_date"] - X["release_date"]).dt.days / 365.25
    F["age_z"] = (age - age.mean()) / (age.std() + 1e-9)
    F["hp_z"] = (X["card_hp"] - X["card_hp"].mean()) / (X["card_hp"].std() + 1e-9)
    F["graded"] = (X["grade"] != "ungraded").astype(float)
    F["english"] = (X["language"] == "en").astype(float)
    return F
