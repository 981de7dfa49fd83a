# why: another reading and other tools: loaded_at as pd.Timestamp(as_of), the split from zlib.crc32 of the
#      sale_id, and the sample drawn with numpy's Generator from the seed
import zlib


@app.function
def load_cards_reproducibly(raw_csv_text: str, seed: int, as_of: str, n_rows: int = 5_000) -> pd.DataFrame:
    """The messy loader's output, made a pure function of (raw_csv_text, seed, as_of, n_rows)."""
    cards = pd.read_csv(io.StringIO(raw_csv_text), parse_dates=["sale_date", "release_date"],
                        keep_default_na=False, na_values=[""], dtype={"sale_id": str})
    cards = cards.drop_duplicates()
    cards = cards[cards["price_usd"] > 0].sort_values("sale_id", kind="mergesort", ignore_index=True)
    now = pd.Timestamp(as_of)
    cards["card_age_days"] = (now - cards["release_date"]).dt.days
    cards["rarity_code"] = pd.Categorical(cards["rarity"], categories=RARITIES).codes
    for market in MARKETPLACES:
        cards[f"sold_on_{market}"] = cards["marketplace"].eq(market)
    cards["set_mean_price"] = cards.groupby("set_code")["price_usd"].transform("mean")
    cards["split"] = ["test" if zlib.crc32(s.encode()) % TEST_EVERY == 0 else "train" for s in cards["sale_id"]]
    cards["loaded_at"] = now
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(len(cards), size=min(n_rows, len(cards)), replace=False))
    return cards.iloc[keep].reset_index(drop=True)[COLUMNS]
