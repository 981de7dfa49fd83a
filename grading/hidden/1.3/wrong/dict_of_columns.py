# expect-fail: same_groups_in_order, same_numbers, small_and_empty_groups
# why: returns the aggregation as a dict of columns (to_dict(as_series=False)) instead of a DataFrame

@app.function
def summarise_polars(cards: pd.DataFrame) -> pl.DataFrame:
    """The same summary as summarise_pandas, with polars expressions."""
    frame = pl.from_pandas(cards[["set_code", "rarity", "grading_company", "price_usd", "card_hp"]])
    graded = pl.col("grading_company") != "ungraded"
    price = pl.col("price_usd")
    return (
        frame.group_by(KEYS)
        .agg(n_sales=pl.len(), median_price=price.median(), p90_price=price.quantile(0.9, interpolation="linear"),
             graded_share=graded.mean(), mean_graded_price=price.filter(graded).mean(),
             mean_price_per_hp=(price / pl.col("card_hp")).mean())
        .sort(KEYS)
        .select(SUMMARY_COLUMNS)
        .to_dict(as_series=False)
    )
