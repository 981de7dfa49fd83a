# why: the same kind of features written as polars expressions over the listing, joined to the
#      species table with a default, and handed back as pandas with X's index
import polars as pl


@app.function
def engineer_features(X: pd.DataFrame) -> pd.DataFrame:
    """Numeric features for each sale, from its own columns and SPECIES only."""
    species = pl.from_pandas(SPECIES[["name", "base_stat_total"]].drop_duplicates("name")).rename({"name": "species"})
    median_bst = float(SPECIES["base_stat_total"].median())
    listing = pl.from_pandas(X[["card_hp", "retreat_cost", "first_edition", "rarity", "grade", "condition",
                                "sale_date", "release_date", "card_number", "language", "mechanic",
                                "marketplace", "species"]].reset_index(drop=True))
    points = pl.col("grade").str.extract(r"([\d.]+)$", 1).cast(pl.Float64, strict=False)
    number = pl.col("card_number").str.extract(r"^(\d+)/", 1).cast(pl.Float64, strict=False)
    size = pl.col("card_number").str.extract(r"/(\d+)$", 1).cast(pl.Float64, strict=False)
    exprs = [
        pl.col("card_hp").cast(pl.Float64),
        pl.col("retreat_cost").cast(pl.Float64),
        pl.col("first_edition").cast(pl.Float64),
        pl.col("rarity").replace_strict({r: float(i) for i, r in enumerate(RARITIES)}, default=0.0,
                                        return_dtype=pl.Float64).alias("rarity_rank"),
        *[(pl.col("rarity") == r).cast(pl.Float64).alias(f"rarity_{r}") for r in RARITIES[1:]],
        points.is_not_null().cast(pl.Float64).alias("graded"),
        points.fill_null(0.0).alias("grade_points"),
        (points == 10).fill_null(False).cast(pl.Float64).alias("gem_mint"),
        *[((pl.col("condition") == c) & points.is_null()).cast(pl.Float64).alias(f"raw_{c}") for c in CONDITIONS[:-1]],
        ((pl.col("sale_date") - pl.col("release_date")).dt.total_days() / 365.25).alias("age_years"),
        (pl.col("release_date") < pl.datetime(2003, 6, 1)).cast(pl.Float64).alias("wotc_era"),
        (number > size).fill_null(False).cast(pl.Float64).alias("secret_number"),
        *[(pl.col("language") == x).cast(pl.Float64).alias(f"lang_{x}") for x in LANGUAGES[1:]],
        *[(pl.col("mechanic") == x).cast(pl.Float64).alias(f"mechanic_{x}") for x in MECHANICS[1:]],
        *[(pl.col("marketplace") == x).cast(pl.Float64).alias(f"market_{x}") for x in MARKETPLACES[1:]],
        pl.col("base_stat_total").cast(pl.Float64).fill_null(median_bst),
    ]
    # From EDA of the committed sales: species that sell above their rarity's median.
    fan_favourites = [
        "abra", "arbok", "blastoise", "blastoise-mega", "bulbasaur", "chansey", "charizard",
        "charizard-mega-x", "charmander", "ditto", "dragonite", "dugtrio", "eevee", "gengar", "graveler",
        "gyarados", "gyarados-mega", "horsea", "jigglypuff", "kabuto", "kabutops", "krabby", "lapras", "lugia",
        "machop", "magikarp", "magnemite", "mew", "mewtwo", "mewtwo-mega-x", "nidoran", "nidoran-m",
        "nidorino", "omanyte", "pikachu", "pikachu-alola-cap", "poliwag", "poliwhirl", "psyduck", "raichu",
        "sandslash", "slowpoke", "squirtle", "staryu", "suicune", "tyranitar", "vaporeon", "venomoth",
        "venonat", "venusaur", "weedle", "weepinbell", "zubat",
    ]
    fan = pl.col("species").is_in(fan_favourites).cast(pl.Float64)
    exprs += [fan.alias("fan_favourite"), (fan * exprs[3]).alias("fan_favourite_x_rarity")]
    features = listing.join(species, on="species", how="left", maintain_order="left").select(exprs)
    return features.to_pandas().set_index(X.index)
