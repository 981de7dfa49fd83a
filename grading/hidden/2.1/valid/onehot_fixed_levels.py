# why: other features, with scikit-learn encoders fitted without a target on fixed levels (row-wise), a
#      species join with a constant default, and a guarded ratio

from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder


@app.function
def add_features(X: pd.DataFrame, species: pd.DataFrame) -> pd.DataFrame:
    """At least five new numeric features per sale, from its own columns and the species table."""
    ranks = OrdinalEncoder(categories=[list(RARITIES)], handle_unknown="use_encoded_value", unknown_value=-1)
    F = pd.DataFrame(ranks.fit_transform(X[["rarity"]].astype(object)), index=X.index, columns=["rarity_rank"])
    languages = OneHotEncoder(categories=[list(LANGUAGES)], handle_unknown="ignore", sparse_output=False)
    F[[f"lang_{x}" for x in LANGUAGES]] = languages.fit_transform(X[["language"]].astype(object))
    F = F.drop(columns=[f"lang_{LANGUAGES[0]}"])
    F["is_graded"] = X["grade"].fillna("").str.match(r"^[A-Z]+ [\d.]+$").astype(float)
    F["years_since_release"] = (X["sale_date"] - X["release_date"]).dt.days / 365.25
    F["hp_per_retreat"] = X["card_hp"].astype(float) / (X["retreat_cost"].astype(float) + 1.0)
    bst = species.drop_duplicates("name").set_index("name")["base_stat_total"].astype(float)
    F["species_bst"] = X["species"].map(bst).fillna(400.0)
    return F
