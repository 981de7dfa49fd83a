# expect-fail: same_numbers
# why: uses polars' default quantile interpolation ('nearest'), not pandas' 'linear'

@app.function
def summarise_polars(cards: pd.DataFrame) -> pl.DataFrame:
    """summarise_pandas(cards), computed with polars expressions."""
    ### BEGIN SOLUTION
    frame = pl.from_pandas(cards[["set_code", "rarity", "grading_company", "price_usd", "card_hp"]])
    graded = pl.col("grading_company") != "ungraded"
    price = pl.col("price_usd")
    return (
        frame.lazy()
        .group_by(KEYS)
        .agg(
            n_sales=pl.len(),
            median_price=price.median(),
            p90_price=price.quantile(0.9),
            graded_share=graded.mean(),
            mean_graded_price=price.filter(graded).mean(),
            mean_price_per_hp=(price / pl.col("card_hp")).mean(),
        )
        .sort(KEYS)
        .select(SUMMARY_COLUMNS)
        .collect()
    )
