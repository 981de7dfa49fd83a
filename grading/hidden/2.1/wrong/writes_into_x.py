# expect-fail: leaves_inputs_alone
# why: builds the features as new columns of the caller's X (and a helper column in species), then returns them

@app.function
def add_features(X: pd.DataFrame, species: pd.DataFrame) -> pd.DataFrame:
    """At least five new numeric features per sale, from its own columns and the species table."""
    X["rarity_rank"] = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    X["grade_points"] = pd.to_numeric(X["grade"].str.extract(r"([\d.]+)$")[0], errors="coerce").fillna(0.0)
    X["age_years"] = (X["sale_date"] - X["release_date"]).dt.days / 365.25
    number = X["card_number"].str.extract(r"^(\d+)/(\d+)$").astype(float)
    X["secret_rare"] = (number[0] > number[1]).fillna(False).astype(float)
    species["power"] = (species["attack"] + species["special_attack"]) / (species["defense"] + species["special_defense"]).clip(lower=1)
    X["species_power_ratio"] = X["species"].map(species.drop_duplicates("name").set_index("name")["power"]).fillna(1.0).clip(upper=10.0)
    return X[["rarity_rank", "grade_points", "age_years", "secret_rare", "species_power_ratio"]]
