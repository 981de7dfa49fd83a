# expect-fail: break_data_is_deterministic
# why: takes the seed argument but draws the rows from an unseeded generator: every call plants other rows

@app.function
def break_data(cards: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Return a copy of `cards` with one issue of each kind in CHECKS planted."""
    rng = np.random.default_rng()
    broken = cards.copy()
    rows = rng.choice(broken.index.to_numpy(), size=5, replace=False)
    broken.loc[rows[0], "card_name"] = None  # missing
    broken.loc[rows[1], "card_hp"] = -10  # out_of_range
    broken.loc[rows[2], "rarity"] = "holo rare"  # bad_category
    broken.loc[rows[3], "sale_date"] = broken.loc[rows[3], "release_date"] - pd.Timedelta(days=30)  # bad_date
    duplicate = broken.loc[[rows[4]]]  # duplicate: the same sale listed twice
    return pd.concat([broken, duplicate], ignore_index=True)
