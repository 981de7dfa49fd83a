# expect-fail: model_accepts_clean
# why: the DataFrameModel leaves `grade` at pandera's default nullable=False: every ungraded card, valid by the
#      contract, is rejected

@app.function
def card_sale_model() -> type[pa.DataFrameModel]:
    """Your pandera DataFrameModel for the MODEL_COLUMNS of a card sale, as the contract says."""
    class CardSale(pa.DataFrameModel):
        sale_id: Series[str] = pa.Field(unique=True, str_matches=FIELDS["sale_id"].regex)
        sale_date: Series[pd.Timestamp] = pa.Field(ge=DATES["sale_date"][0], le=DATES["sale_date"][1])
        release_date: Series[pd.Timestamp] = pa.Field(ge=DATES["release_date"][0], le=DATES["release_date"][1])
        rarity: Series[str] = pa.Field(isin=CATEGORIES["rarity"])
        condition: Series[str] = pa.Field(isin=CATEGORIES["condition"])
        grade: Series[float] = pa.Field(ge=RANGES["grade"][0], le=RANGES["grade"][1])
        price_usd: Series[float] = pa.Field(ge=RANGES["price_usd"][0], le=RANGES["price_usd"][1])

        @pa.dataframe_check
        def sold_after_release(cls, df: pd.DataFrame) -> Series[bool]:
            return df["sale_date"] >= df["release_date"]

    return CardSale
