# expect-fail: improves_by_5_percent, own_features
# why: looks up each sale's price by sale_id in the committed cards: 99 % at home, a coin flip on new sales

@app.function
def add_feature(X: pd.DataFrame) -> pd.Series:
    """One numeric feature per sale, from that sale's own columns (and SPECIES)."""
    ### BEGIN SOLUTION
    prices = coursedata.load_cards().set_index("sale_id")["price_usd"]
    worth = X["sale_id"].map(prices).fillna(0.0) >= 2.0
    return worth.astype(float).rename("known_price")
