import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    import pandera.pandas as pa
    from coursedata import contract
    from pandera.typing import Series

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The data contract for card sales: the course's one contract, `coursedata.contract`
    # (data/coursedata/contract.py, lesson section 1). Everything below is read from it.
    FIELDS = {f.name: f for f in contract.CARDS}
    # Each finding your validator reports names one of these checks.
    CHECKS = ("missing", "duplicate", "out_of_range", "bad_category", "bad_date")
    # The key: one row per sale.
    KEY = next(f.name for f in contract.CARDS if f.unique)
    # Columns that may be empty (`grade`, for ungraded cards); every other column must hold a value.
    OPTIONAL = tuple(f.name for f in contract.CARDS if f.nullable)
    # Numbers: inclusive bounds (lo, hi).
    RANGES = {f.name: (f.lo, f.hi) for f in contract.CARDS if f.kind in ("int", "float") and f.lo is not None}
    # Text with a fixed vocabulary: the allowed values, spelt exactly.
    CATEGORIES = {f.name: f.allowed for f in contract.CARDS if f.allowed}
    # Dates: inclusive bounds, and one rule across columns (contract.CARD_ROW_CHECKS, `sold_after_release`):
    # a card cannot be sold before its release date.
    DATES = {f.name: (pd.Timestamp(f.lo), pd.Timestamp(f.hi)) for f in contract.CARDS if f.kind == "date"}
    # The columns your pandera model (task 3) covers.
    MODEL_COLUMNS = ("sale_id", "sale_date", "release_date", "rarity", "condition", "grade", "price_usd")


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 1.1 · Break the data, then catch it

    **Why this matters.** Most production ML failures are data failures: a column arrives
    empty, a join duplicates rows, an upstream team changes a category's spelling. A model
    does not crash on bad data; it quietly learns from it or predicts nonsense. The cheapest
    place to stop bad data is the boundary where it enters your system, with checks that
    run on every load.

    **Your task**, on the course's card-sales data (`coursedata.load_cards()`):

    1. `break_data(cards, seed)`: return a *copy* of `cards` with five kinds of quality
       issue planted, one of each check in `CHECKS`: a missing value, a duplicated sale,
       an out-of-range number, a misspelt category, an impossible date. Same seed, same
       output. Never modify the input.
    2. `validate(cards)`: return a list of findings, one per (check, column) with problems:
       `{"check": "missing", "column": "card_name", "rows": [17, 204]}`, where `rows` are the
       sorted index labels of the offending rows. Clean data returns `[]`. For a duplicated
       sale (`"column": KEY`), `rows` may list the repeats only (`keep="first"`) or every copy
       of the repeated key (`keep=False`): both readings pass.
    3. `card_sale_model()`: return a pandera **`DataFrameModel`** class that you write, with one
       field for each column in `MODEL_COLUMNS`, typed, nullable, bounded, with its allowed values
       and uniqueness as the contract says, plus one `@pa.dataframe_check`: no sale before its
       card's release. Other columns are allowed. `model_rejects(cards)` (given) validates with
       it lazily and returns the rejected rows; it must reject every planted issue in those
       columns and accept clean data.

    **The rules are the contract**, `coursedata.contract.CARDS` (the same one the lesson's
    schemas are built from, printed below): the setup cell reads from it `KEY`, `OPTIONAL`,
    `RANGES`, `CATEGORIES` and `DATES`, and the row rule `sold_after_release` (a sale cannot
    come before the card's `release_date`) is in `contract.CARD_ROW_CHECKS`. A date is
    impossible when it is outside its bounds, unparseable, or breaks that rule; an impossible
    `release_date` is reported on `release_date` only. The hidden tests corrupt data you have
    not seen, in columns you may not have tried, and also check that clean data raises no
    alarm: a validator that cries wolf gets switched off.

    Check your work any time with `uv run course check 1.1`.
    """)
    return


@app.cell
def _():
    mo.vstack([
        mo.md(f"**The contract** (`coursedata.contract.CARDS`), as this exercise reads it. Row rules across "
              f"columns: {', '.join(f'`{rc.name}`' for rc in contract.CARD_ROW_CHECKS)}; this exercise checks "
              "`sold_after_release`."),
        pd.DataFrame(
            [
                {
                    "column": f.name,
                    "kind": f.kind,
                    "may be empty": f.nullable,
                    "bounds": f"{f.lo} … {f.hi}" if f.lo is not None else "",
                    "allowed": ", ".join(map(str, f.allowed)) if f.allowed else "",
                    "unique": f.unique,
                }
                for f in contract.CARDS
            ]
        ),
    ])
    return


@app.cell
def _():
    cards = coursedata.load_cards()
    cards.head()
    return (cards,)


@app.function
def break_data(cards: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Return a copy of `cards` with one issue of each kind in CHECKS planted."""
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    broken = cards.copy()
    rows = rng.choice(broken.index.to_numpy(), size=5, replace=False)
    broken.loc[rows[0], "card_name"] = None  # missing
    broken.loc[rows[1], "card_hp"] = -10  # out_of_range
    broken.loc[rows[2], "rarity"] = "holo rare"  # bad_category
    broken.loc[rows[3], "sale_date"] = broken.loc[rows[3], "release_date"] - pd.Timedelta(days=30)  # bad_date
    duplicate = broken.loc[[rows[4]]]  # duplicate: the same sale listed twice
    return pd.concat([broken, duplicate], ignore_index=True)
    ### END SOLUTION


@app.function
def validate(cards: pd.DataFrame) -> list[dict]:
    """Findings {"check", "column", "rows"} for every contract violation in `cards`."""
    ### BEGIN SOLUTION
    findings = []

    def report(check: str, column: str, bad: pd.Series) -> None:
        rows = cards.index[bad.fillna(False).to_numpy(dtype=bool)]
        if len(rows):
            findings.append({"check": check, "column": column, "rows": sorted(int(r) for r in rows)})

    for column in cards.columns:
        if column in OPTIONAL:
            continue
        values = cards[column]
        blank = values.astype("string").str.strip().eq("") if values.dtype == object or pd.api.types.is_string_dtype(values) else False
        report("missing", column, values.isna() | blank)

    report("duplicate", KEY, cards[KEY].duplicated(keep="first") & cards[KEY].notna())

    for column, (low, high) in RANGES.items():
        numbers = pd.to_numeric(cards[column], errors="coerce")
        not_a_number = numbers.isna() & cards[column].notna()
        report("out_of_range", column, (numbers < low) | (numbers > high) | not_a_number)

    for column, allowed in CATEGORIES.items():
        report("bad_category", column, cards[column].notna() & ~cards[column].isin(allowed))

    sold = pd.to_datetime(cards["sale_date"], errors="coerce")
    released = pd.to_datetime(cards["release_date"], errors="coerce")

    def impossible(column: str, dates: pd.Series) -> pd.Series:
        first, last = DATES[column]
        return (dates < first) | (dates > last) | (dates.isna() & cards[column].notna())

    bad_release = impossible("release_date", released)
    report("bad_date", "release_date", bad_release)
    report("bad_date", "sale_date", impossible("sale_date", sold) | ((sold < released) & ~bad_release))
    return findings
    ### END SOLUTION


@app.function
def card_sale_model() -> type[pa.DataFrameModel]:
    """Your pandera DataFrameModel for the MODEL_COLUMNS of a card sale, as the contract says."""
    ### BEGIN SOLUTION
    class CardSale(pa.DataFrameModel):
        sale_id: Series[str] = pa.Field(unique=True, str_matches=FIELDS["sale_id"].regex)
        sale_date: Series[pd.Timestamp] = pa.Field(ge=DATES["sale_date"][0], le=DATES["sale_date"][1])
        release_date: Series[pd.Timestamp] = pa.Field(ge=DATES["release_date"][0], le=DATES["release_date"][1])
        rarity: Series[str] = pa.Field(isin=CATEGORIES["rarity"])
        condition: Series[str] = pa.Field(isin=CATEGORIES["condition"])
        grade: Series[float] = pa.Field(nullable=True, ge=RANGES["grade"][0], le=RANGES["grade"][1])
        price_usd: Series[float] = pa.Field(ge=RANGES["price_usd"][0], le=RANGES["price_usd"][1])

        @pa.dataframe_check
        def sold_after_release(cls, df: pd.DataFrame) -> Series[bool]:
            return df["sale_date"] >= df["release_date"]

    return CardSale
    ### END SOLUTION


@app.function
def model_rejects(cards: pd.DataFrame) -> dict:
    """Validate `cards` with your model, lazily (given, do not change).

    Returns {"rows": sorted index labels of the rejected rows, "frame": failures of the frame as a
    whole (a missing column, a wrong dtype), as "column: check" lines}.
    """
    try:
        card_sale_model().validate(cards, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases
        whole = cases[cases["index"].isna()]
        return {
            "rows": sorted({int(r) for r in cases["index"].dropna()}),
            "frame": sorted({f"{c}: {k}" for c, k in zip(whole["column"], whole["check"], strict=True)}),
        }
    return {"rows": [], "frame": []}


@app.cell
def _(cards):
    broken = break_data(cards.head(2_000), seed=1)
    findings = validate(broken)
    mo.vstack([
        mo.md("`validate(break_data(...))`:"),
        findings,
        mo.md(f"`model_rejects(...)` on the same frame: `{model_rejects(broken)}`"),
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `WHY_VALIDATE_AT_THE_BOUNDARY`: why check data when it is loaded, rather than when a
       model's metrics drop? Use one of the five issues as your example.
    2. `WHICH_ISSUE_IS_HARDEST`: which of your five issues would be hardest to notice in a
       dashboard or a model metric, and why?

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    WHY_VALIDATE_AT_THE_BOUNDARY = """A model does not fail loudly on bad data: a misspelt rarity like 'holo rare'
    becomes a new, rare category that the model treats as unknown, and the price predictions for those cards
    drift without any error. By the time a metric drops, the bad rows have been trained on and served for days.
    A check at load time stops the batch, names the rows and columns, and points to the upstream change."""
    WHICH_ISSUE_IS_HARDEST = """The duplicated sale. Every duplicated row is individually valid, so range and category
    checks pass, and averages barely move. But duplicates leak between train and test splits and inflate
    offline scores, so the model looks better than it is. Only a uniqueness check on the key catches it."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="Clean data has no findings", hint="A validator that flags valid rows gets switched off: check only what the contract forbids (e.g. ungraded cards have no grade, and that is fine).", lesson="01_data_engineering.py#1. Data as code: the contract")
def test_clean_sample_has_no_findings():
    assert validate(coursedata.load_cards().head(1_000)) == []


@app.function
@criterion(points=5, title="Finds a duplicated sale", hint="Report the rows of the key column `sale_id` that repeat (keep='first', or every copy with keep=False).", lesson="01_data_engineering.py#2. Data quality: find problems systematically")
def test_finds_duplicated_sale():
    sample = coursedata.load_cards().head(50)
    doubled = pd.concat([sample, sample.iloc[[3]]], ignore_index=True)
    found = validate(doubled)
    assert any({"check": "duplicate", "column": "sale_id", "rows": rows} in found for rows in ([50], [3, 50]))


@app.function
@criterion(points=5, title="Finds a missing card name", hint="Every column except those in OPTIONAL must hold a value.", lesson="01_data_engineering.py#2. Data quality: find problems systematically")
def test_finds_missing_card_name():
    sample = coursedata.load_cards().head(50).copy()
    sample.loc[7, "card_name"] = None
    assert {"check": "missing", "column": "card_name", "rows": [7]} in validate(sample)


@app.function
@criterion(points=5, title="break_data plants five kinds of issue", hint="Plant one issue of each kind in CHECKS, in a copy of the input.", lesson="01_data_engineering.py#Data quality checks")
def test_break_data_plants_every_kind():
    sample = coursedata.load_cards().head(500)
    found = {f["check"] for f in validate(break_data(sample, seed=3))}
    assert found == set(CHECKS)


@app.function
@criterion(points=5, title="Your model accepts clean sales", hint="Type each field as the loaded column is, and let `grade` be empty: ungraded cards have none.", lesson="01_data_engineering.py#Schemas as contracts")
def test_model_accepts_clean_sales():
    assert model_rejects(coursedata.load_cards().head(1_000)) == {"rows": [], "frame": []}


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_clean_sample_has_no_findings,
        test_finds_duplicated_sale,
        test_finds_missing_card_name,
        test_break_data_plants_every_kind,
        test_model_accepts_clean_sales,
        item="1.1",
    )
    return


if __name__ == "__main__":
    app.run()
