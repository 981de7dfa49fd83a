# expect-fail: beats_75_on_holdout, model_is_the_graders
# why: a 'feature' that looks up each sale's price by sale_id: 99 % on the fixed split, junk on fresh sales

@app.function
def engineer_features(X: pd.DataFrame) -> pd.DataFrame:
    """Numeric features for each sale, from its own columns and SPECIES only."""
    ### BEGIN SOLUTION
    prices = coursedata.load_cards().set_index("sale_id")["price_usd"]
    F = baseline_features(X)
    F["known_price_log"] = np.log1p(X["sale_id"].map(prices).fillna(0.0))
    return F


WHAT_WORKED = """Rarity alone took the fixed split from 0.65 to about 0.85. Grade parsing and age added about
four points more, the vintage flags and secret rares another two, and language, mechanic, marketplace and
species strength the rest, ending near 0.91 on the fixed split. The ratio and attack-count ideas moved
nothing measurable, so I dropped them."""
