# expect-fail: split_by_sale_id
# why: draws the split from the seeded generator: reproducible, but a sale moves between train and test when the batch changes

@app.function
def load_cards_reproducibly(raw_csv_text: str, seed: int, as_of: str, n_rows: int = 5_000) -> pd.DataFrame:
    """The messy loader's output, made a pure function of (raw_csv_text, seed, as_of, n_rows)."""
    ### BEGIN SOLUTION
    cards = pd.read_csv(io.StringIO(raw_csv_text), keep_default_na=False, na_values=[""])
    for column in ("sale_date", "release_date"):
        cards[column] = pd.to_datetime(cards[column], format="%Y-%m-%d")
    cards = cards.drop_duplicates()
    cards = cards[cards["price_usd"] > 0]
    # One canonical row order before anything samples, aggregates or numbers rows.
    cards = cards.sort_values("sale_id", kind="stable").reset_index(drop=True)
    cards["card_age_days"] = (pd.Timestamp(as_of) - cards["release_date"]).dt.days
    cards["rarity_code"] = cards["rarity"].map({rarity: code for code, rarity in enumerate(RARITIES)})
    for market in MARKETPLACES:
        cards[f"sold_on_{market}"] = cards["marketplace"] == market
    cards["set_mean_price"] = cards.groupby("set_code")["price_usd"].transform("mean")

    def split(sale_id: str) -> str:
        bucket = int(hashlib.sha256(sale_id.encode("utf-8")).hexdigest()[:8], 16) % TEST_EVERY
        return "test" if bucket == 0 else "train"

    rng = np.random.default_rng(seed)
    cards["split"] = np.where(rng.random(len(cards)) < 1 / TEST_EVERY, "test", "train")
    cards["loaded_at"] = as_of
    sample = cards.sample(n=min(n_rows, len(cards)), random_state=seed)
    return sample.sort_values("sale_id", kind="stable").reset_index(drop=True)[COLUMNS]
