# expect-fail: numeric_features
# why: joins species strength without a default: a species the table does not know yet gives NaN

from coursedata.vocab import RARITIES


@app.function
def engineer_features(X: pd.DataFrame) -> pd.DataFrame:
    """Numeric features for each sale, from its own columns and SPECIES only."""
    ### BEGIN SOLUTION
    F = baseline_features(X)
    F["rarity_rank"] = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    F["graded"] = (X["grade"] != "ungraded").astype(float)
    F["age_years"] = (X["sale_date"] - X["release_date"]).dt.days / 365.25
    stats = SPECIES.drop_duplicates("name").set_index("name")["base_stat_total"].astype(float)
    F["base_stat_total"] = X["species"].map(stats)
    return F


WHAT_WORKED = """Rarity alone took the fixed split from 0.65 to about 0.85. Grade parsing and age added about
four points more, the vintage flags and secret rares another two, and language, mechanic, marketplace and
species strength the rest, ending near 0.91 on the fixed split. The ratio and attack-count ideas moved
nothing measurable, so I dropped them."""
