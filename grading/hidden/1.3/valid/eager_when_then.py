# why: polars' eager API (no lazy frame), the graded mean written with when/then (null where a group has no
#      graded sale), and the result handed back as pandas
@app.function
def summarise_polars(cards: pd.DataFrame) -> pd.DataFrame:
    """The same summary as summarise_pandas, with polars expressions."""
    frame = pl.DataFrame({c: cards[c].to_numpy() for c in ["set_code", "rarity", "grading_company", "price_usd", "card_hp"]})
    graded = pl.col("grading_company") != "ungraded"
    summary = frame.group_by("set_code", "rarity").agg(
        pl.len().alias("n_sales"),
        pl.col("price_usd").median().alias("median_price"),
        pl.col("price_usd").quantile(0.9, interpolation="linear").alias("p90_price"),
        graded.cast(pl.Float64).mean().alias("graded_share"),
        pl.when(graded).then(pl.col("price_usd")).mean().alias("mean_graded_price"),
        (pl.col("price_usd") / pl.col("card_hp")).mean().alias("mean_price_per_hp"),
    )
    return summary.sort("set_code", "rarity").select(SUMMARY_COLUMNS).to_pandas()
