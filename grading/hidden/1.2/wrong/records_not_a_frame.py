# expect-fail: same_output_twice, seed_is_honoured, as_of_drives_time, input_order_irrelevant, same_in_another_process, codes_follow_the_contract, split_by_sale_id, keeps_what_worked
# why: returns the rows as a list of records (to_dict("records")) instead of the DataFrame the pipeline expects

@app.function
def load_cards_reproducibly(raw_csv_text: str, seed: int, as_of: str, n_rows: int = 5_000) -> pd.DataFrame:
    """The messy loader's output, made a pure function of (raw_csv_text, seed, as_of, n_rows)."""
    cards = pd.read_csv(io.StringIO(raw_csv_text), keep_default_na=False, na_values=[""])
    cards = cards.drop_duplicates()
    cards = cards[cards["price_usd"] > 0].sort_values("sale_id", kind="stable").reset_index(drop=True)
    cards["loaded_at"] = as_of
    return cards.sample(n=min(n_rows, len(cards)), random_state=seed).sort_values("sale_id").to_dict("records")
