# why: the same hypotheses written as polars expressions, joined to the species table with a default,
#      handed back as pandas with X's index
import polars as pl


@app.function
def add_features(X: pd.DataFrame, species: pd.DataFrame) -> pd.DataFrame:
    """At least five new numeric features per sale, from its own columns and the species table."""
    table = pl.from_pandas(species[["name", "attack", "special_attack", "defense", "special_defense"]]
                           .drop_duplicates("name")).rename({"name": "species"})
    listing = pl.from_pandas(X[["rarity", "grade", "sale_date", "release_date", "card_number", "species"]]
                             .reset_index(drop=True))
    ratio = ((pl.col("attack") + pl.col("special_attack")).cast(pl.Float64)
             / (pl.col("defense") + pl.col("special_defense")).cast(pl.Float64).clip(lower_bound=1.0))
    out = listing.join(table, on="species", how="left", maintain_order="left").select(
        pl.col("rarity").replace_strict({r: float(i) for i, r in enumerate(RARITIES)}, default=0.0,
                                        return_dtype=pl.Float64).alias("rarity_rank"),
        pl.col("grade").str.extract(r"([\d.]+)$", 1).cast(pl.Float64, strict=False).fill_null(0.0).alias("grade_points"),
        ((pl.col("sale_date") - pl.col("release_date")).dt.total_days() / 365.25).alias("age_years"),
        (pl.col("card_number").str.extract(r"^(\d+)/", 1).cast(pl.Float64, strict=False)
         > pl.col("card_number").str.extract(r"/(\d+)$", 1).cast(pl.Float64, strict=False))
        .fill_null(False).cast(pl.Float64).alias("secret_rare"),
        ratio.fill_null(1.0).clip(upper_bound=10.0).alias("species_power_ratio"),
    )
    return out.to_pandas().set_index(X.index)
