# why: the ratio and the graded flag computed as columns first, groups sorted before grouping with
#      maintain_order=True (which keeps that sorted order), a lazy query collected at the end
@app.function
def summarise_polars(cards: pd.DataFrame) -> pl.DataFrame:
    """The same summary as summarise_pandas, with polars expressions."""
    return (
        pl.from_pandas(cards[["set_code", "rarity", "grading_company", "price_usd", "card_hp"]])
        .lazy()
        .with_columns(graded=pl.col("grading_company") != "ungraded", price_per_hp=pl.col("price_usd") / pl.col("card_hp"))
        .sort(KEYS)
        .group_by(KEYS, maintain_order=True)
        .agg(
            pl.len().alias("n_sales"),
            pl.col("price_usd").median().alias("median_price"),
            pl.col("price_usd").quantile(0.9, "linear").alias("p90_price"),
            pl.col("graded").mean().alias("graded_share"),
            pl.col("price_usd").filter(pl.col("graded")).mean().alias("mean_graded_price"),
            pl.col("price_per_hp").mean().alias("mean_price_per_hp"),
        )
        .select(SUMMARY_COLUMNS)
        .collect()
    )
