import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import hashlib
    import io
    from datetime import datetime

    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.vocab import MARKETPLACES, RARITIES

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The raw export the loader reads: the card sales as CSV text.
    CARDS_CSV = coursedata.DATA_DIR / "cards.csv"
    # The columns the loader returns, in this order: the 23 contract columns, then features.
    CONTRACT_COLUMNS = [
        "sale_id", "sale_date", "marketplace", "set_code", "set_name", "release_date", "card_number",
        "card_name", "species", "species_id", "card_type", "rarity", "mechanic", "card_hp", "attacks",
        "retreat_cost", "print_run", "language", "first_edition", "condition", "grading_company",
        "grade", "price_usd",
    ]
    FEATURES = [
        "card_age_days", "rarity_code", *[f"sold_on_{m}" for m in MARKETPLACES],
        "set_mean_price", "split", "loaded_at",
    ]
    COLUMNS = CONTRACT_COLUMNS + FEATURES
    # One sale in TEST_EVERY goes to the test split, decided by its sale_id alone.
    TEST_EVERY = 5


    def raw_csv(first: int = 0, last: int | None = None) -> str:
        """Header plus data lines first..last of the raw export, as one string."""
        header, *lines = CARDS_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
        return header + "".join(lines[first:last])


    def content_hash(frame: pd.DataFrame) -> str:
        """A fingerprint of a frame's values, index, column names and dtypes."""
        digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        digest.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
        return digest.hexdigest()[:16]


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 1.2 · Make a data loader reproducible

    **Why this matters.** "It worked on my machine" is a data problem as often as a code
    problem. If loading the same raw export twice gives two different training sets, then
    two runs of the same experiment are not comparable, a bug cannot be reproduced, a model
    cannot be audited, and a sale can land in the training split today and in the test split
    tomorrow (leakage you will never see). Reproducibility means: **same input, same
    parameters → byte-identical output**, on any machine, on any day, in any process.

    Below is `load_cards_messy`, the team's loader, as found. It reads the raw card-sales
    export, removes export retries (exact duplicate rows) and sales without a valid price,
    adds model features, assigns each sale to a `train` or `test` split, and returns a sample
    of `n_rows` sales. Everything it *does* is right. But run it twice and you get two
    different answers, for at least six different reasons. Some are obvious, some only show
    up in another process, on another day, or when the export arrives in another row order.

    **Your task**: write `load_cards_reproducibly(raw_csv_text, seed, as_of, n_rows)`, which
    does everything the messy loader does, with these rules:

    1. Randomness comes only from `seed`; time comes only from `as_of` (an ISO date or
       timestamp string): `card_age_days` is the whole days from `release_date` to `as_of`,
       and `loaded_at` is `as_of` itself (the string as given, or `pd.Timestamp(as_of)`:
       either passes).
    2. The output does not depend on the order of the rows in the export: same rows, any
       order, same output. Return the sample sorted by `sale_id` with a fresh `0..n-1` index.
    3. Categories are coded by the data contract, not by the batch: `rarity_code` is the
       position in `RARITIES` (Common = 0 … Secret Rare = 5), and there is one
       `sold_on_<marketplace>` column for every marketplace in `MARKETPLACES`, in that order,
       even when a batch has no sale on one of them.
    4. A sale's split depends only on its `sale_id`: about one sale in `TEST_EVERY` is
       `"test"`, and the same sale gets the same split in every batch, with every seed, in
       every Python process. (Python's built-in `hash()` of a string is salted per process.)
    5. Columns are `COLUMNS`, in that order. Keep what the messy loader got right: dates as
       datetimes, duplicates and price-less sales removed, `set_mean_price` the mean price of
       the set's sales in the cleaned batch.

    The hidden tests run your loader twice, on shuffled exports, with other seeds and dates,
    and in a second Python process with a different hash seed and time zone, and compare
    content fingerprints (`content_hash`, in the setup cell). Check your work with
    `uv run course check 1.2`.
    """)
    return


@app.function
def load_cards_messy(raw_csv_text: str, n_rows: int = 5_000) -> pd.DataFrame:
    """The team's loader, as found: correct on every single run, never the same twice."""
    cards = pd.read_csv(io.StringIO(raw_csv_text), parse_dates=["sale_date", "release_date"])
    cards = cards.drop_duplicates()  # export retries write some sales twice
    cards = cards[cards["price_usd"] > 0]  # a sale without a valid price is not a sale
    cards["card_age_days"] = (pd.Timestamp.now() - cards["release_date"]).dt.days
    codes = {rarity: code for code, rarity in enumerate(cards["rarity"].unique())}
    cards["rarity_code"] = cards["rarity"].map(codes)
    for market in set(cards["marketplace"]):
        cards[f"sold_on_{market}"] = cards["marketplace"] == market
    cards["set_mean_price"] = cards.groupby("set_code")["price_usd"].transform("mean")
    cards["split"] = ["test" if hash(sale) % TEST_EVERY == 0 else "train" for sale in cards["sale_id"]]
    cards["loaded_at"] = datetime.now().isoformat()
    return cards.sample(n=min(n_rows, len(cards)))


@app.cell
def _():
    raw = raw_csv(0, 3_000)
    first, second = load_cards_messy(raw, n_rows=1_000), load_cards_messy(raw, n_rows=1_000)
    mo.md(f"""
    Two runs of the messy loader on the same 3,000 raw rows:
    fingerprints `{content_hash(first)}` and `{content_hash(second)}`;
    {len(set(first['sale_id']) & set(second['sale_id']))} of 1,000 sampled sales in common;
    columns of the first run: `{', '.join(first.columns[23:])}`.
    """)
    return (raw,)


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

    cards["split"] = cards["sale_id"].map(split)
    cards["loaded_at"] = as_of
    sample = cards.sample(n=min(n_rows, len(cards)), random_state=seed)
    return sample.sort_values("sale_id", kind="stable").reset_index(drop=True)[COLUMNS]
    ### END SOLUTION


@app.cell
def _(raw):
    mine = load_cards_reproducibly(raw, seed=7, as_of="2025-07-01", n_rows=1_000)
    again = load_cards_reproducibly(raw, seed=7, as_of="2025-07-01", n_rows=1_000)
    mo.md(f"Your loader, twice: `{content_hash(mine)}` and `{content_hash(again)}`.")
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `RUN_IT_TWICE`: "If I run your data pipeline twice on the same input, will I get
       identical output? Why or why not?" Answer for the messy loader and for yours: name
       the causes you found and which of them a single test run on your laptop would never
       reveal.
    2. `WHY_VERSION_DATA`: your model's accuracy dropped between two training runs a month
       apart. Explain to a teammate why you need the exact data version (a content hash of
       the raw export, plus seed and `as_of`) to find out why.

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    RUN_IT_TWICE = """The messy loader: no. The sample is unseeded and two columns read the clock, so every run
    differs. Hidden deeper: rarity codes follow the order rows arrive in, one-hot columns follow set order
    and the split uses hash(), which is salted per process, so a test on my laptop in one process passes while
    production assigns different sales to the test split. Mine: yes, because seed, as_of and a sort by sale_id
    make it a pure function of its inputs."""
    WHY_VERSION_DATA = """Two runs differ in code, data and randomness. If I only know the code version I cannot
    tell whether new sales, a changed export or a different sample moved the metric. With the hash of the raw
    export, the seed and as_of recorded next to the model I can rebuild both training sets exactly, diff them,
    and rerun the old model on the new data to separate a data change from a code change."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="Same input, same output", hint="Draw the sample with `random_state=seed` and take time from `as_of`, never from the clock.", lesson="01_data_engineering.py#Reproducible pipelines")
def test_same_input_same_output():
    raw = raw_csv(0, 2_000)
    first = load_cards_reproducibly(raw, seed=3, as_of="2025-07-01", n_rows=500)
    second = load_cards_reproducibly(raw, seed=3, as_of="2025-07-01", n_rows=500)
    assert content_hash(first) == content_hash(second)


@app.function
@criterion(points=5, title="Row order of the export does not matter", hint="Sort by `sale_id` before you sample or aggregate, and sort the result too.", lesson="01_data_engineering.py#Reproducible pipelines")
def test_row_order_does_not_matter():
    header, *lines = raw_csv(0, 2_000).splitlines(keepends=True)
    shuffled = header + "".join(lines[::-1])
    first = load_cards_reproducibly(header + "".join(lines), seed=3, as_of="2025-07-01", n_rows=500)
    second = load_cards_reproducibly(shuffled, seed=3, as_of="2025-07-01", n_rows=500)
    assert content_hash(first) == content_hash(second)


@app.function
@criterion(points=5, title="Columns and codes follow the contract", hint="Return COLUMNS in order; `rarity_code` is the position in RARITIES.", lesson="01_data_engineering.py#Reproducible pipelines")
def test_columns_and_codes_follow_the_contract():
    out = load_cards_reproducibly(raw_csv(0, 500), seed=0, as_of="2025-07-01", n_rows=100)
    assert list(out.columns) == COLUMNS
    assert (out["rarity_code"] == out["rarity"].map(RARITIES.index)).all()


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_same_input_same_output,
        test_row_order_does_not_matter,
        test_columns_and_codes_follow_the_contract,
        item="1.2",
    )
    return


if __name__ == "__main__":
    app.run()
