# expect-fail: five_numeric_features
# why: returns X with the new columns added: raw text columns are not model inputs

@app.function
def add_features(X: pd.DataFrame, species: pd.DataFrame) -> pd.DataFrame:
    """At least five new numeric features per sale, from its own columns and the species table."""
    ### BEGIN SOLUTION
    F = pd.DataFrame(index=X.index)
    F["rarity_rank"] = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    points = pd.to_numeric(X["grade"].str.extract(r"([\d.]+)$")[0], errors="coerce")
    F["grade_points"] = points.fillna(0.0)
    F["age_years"] = (X["sale_date"] - X["release_date"]).dt.days / 365.25
    F["hp_per_retreat"] = X["card_hp"] / (X["retreat_cost"] + 1)
    F["secret_rare"] = 0.0
    return X.assign(**{c: F[c] for c in F.columns})
