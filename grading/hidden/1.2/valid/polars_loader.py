# why: the same loader in polars: read and clean with polars, seed the sample with polars' own seed, and hand
#      back a pandas frame
import polars as pl


@app.function
def load_cards_reproducibly(raw_csv_text: str, seed: int, as_of: str, n_rows: int = 5_000) -> pd.DataFrame:
    """The messy loader's output, made a pure function of (raw_csv_text, seed, as_of, n_rows)."""
    cards = pl.read_csv(io.StringIO(raw_csv_text), infer_schema_length=None, try_parse_dates=False,
                        schema_overrides={"sale_id": pl.String, "card_number": pl.String, "grade": pl.String})
    cards = (
        cards.with_columns(pl.col("sale_date", "release_date").str.to_datetime("%Y-%m-%d", time_unit="ns"))
        .unique(maintain_order=True)
        .filter(pl.col("price_usd") > 0)
        .sort("sale_id", maintain_order=True)
    )
    as_of_time = pd.Timestamp(as_of).to_pydatetime()

    def split(sale_id: str) -> str:
        return "test" if int(hashlib.sha256(sale_id.encode()).hexdigest()[:8], 16) % TEST_EVERY == 0 else "train"

    cards = cards.with_columns(
        (pl.lit(as_of_time, dtype=pl.Datetime("ns")) - pl.col("release_date")).dt.total_days().alias("card_age_days"),
        pl.col("rarity").replace_strict({r: i for i, r in enumerate(RARITIES)}, default=None,
                                        return_dtype=pl.Int64).alias("rarity_code"),
        *[(pl.col("marketplace") == m).alias(f"sold_on_{m}") for m in MARKETPLACES],
        pl.col("price_usd").mean().over("set_code").alias("set_mean_price"),
        pl.col("sale_id").map_elements(split, return_dtype=pl.String).alias("split"),
        pl.lit(as_of).alias("loaded_at"),
    )
    sample = cards.sample(n=min(n_rows, cards.height), seed=seed).sort("sale_id")
    return sample.select(COLUMNS).to_pandas()
