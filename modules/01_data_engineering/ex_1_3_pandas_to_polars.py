import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import time

    import coursedata
    import marimo as mo
    import pandas as pd
    import polars as pl

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The summary the pricing team reads every morning: one row per (set_code, rarity).
    KEYS = ["set_code", "rarity"]
    SUMMARY_COLUMNS = [
        "set_code", "rarity", "n_sales", "median_price", "p90_price", "graded_share",
        "mean_graded_price", "mean_price_per_hp",
    ]


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 1.3 · Make a slow pandas summary fast with polars

    **Why this matters.** A pipeline step that takes a minute on a sample takes an hour on the
    full history, and a morning report that needs an hour gets skipped. Most slow pandas code
    is slow for one reason: it runs Python once per row (`apply(..., axis=1)`) or once per
    group (a `for ... in groupby` loop). polars runs whole-column *expressions* in compiled,
    multi-threaded code, and its lazy mode plans the query before running it. The speedup
    is real only if you let it work: Python functions inside polars (`map_elements`,
    `map_groups`) bring the slowness back.

    **Your task**: `summarise_pandas(cards)` below is correct and slow. Write
    `summarise_polars(cards)`, which takes the same pandas DataFrame and returns **the same
    table** (a polars or pandas DataFrame), with polars expressions:

    - one row per (`set_code`, `rarity`), sorted by both, columns `SUMMARY_COLUMNS`;
    - the same numbers: mind the defaults that differ between the libraries (how a quantile
      interpolates, how a group is ordered, what the mean of nothing is);
    - at least **5×** faster than the pandas version (median of interleaved runs on the same
      2,500 sales, in the same process).

    The hidden tests compare your table with the pandas one on card sales you have not seen
    (small groups and groups without a graded sale included) and race the two functions.
    Check your work with `uv run course check 1.3`.
    """)
    return


@app.function
def summarise_pandas(cards: pd.DataFrame) -> pd.DataFrame:
    """The team's summary, as found: one Python call per row and per group."""
    cards = cards.copy()
    cards["graded"] = cards.apply(lambda row: row["grading_company"] != "ungraded", axis=1)
    cards["price_per_hp"] = cards.apply(lambda row: row["price_usd"] / row["card_hp"], axis=1)
    rows = []
    for (set_code, rarity), group in cards.groupby(KEYS):
        graded = group[group["graded"]]
        rows.append({
            "set_code": set_code,
            "rarity": rarity,
            "n_sales": len(group),
            "median_price": group["price_usd"].median(),
            "p90_price": group["price_usd"].quantile(0.9),
            "graded_share": group["graded"].mean(),
            "mean_graded_price": graded["price_usd"].mean(),
            "mean_price_per_hp": group["price_per_hp"].mean(),
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


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
            p90_price=price.quantile(0.9, interpolation="linear"),
            graded_share=graded.mean(),
            mean_graded_price=price.filter(graded).mean(),
            mean_price_per_hp=(price / pl.col("card_hp")).mean(),
        )
        .sort(KEYS)
        .select(SUMMARY_COLUMNS)
        .collect()
    )
    ### END SOLUTION


@app.cell
def _():
    cards = coursedata.load_cards()
    sample = cards.head(2_000)
    timings = {}
    for name, fn in (("pandas", summarise_pandas), ("polars", summarise_polars)):
        start = time.perf_counter()
        fn(sample)
        timings[name] = time.perf_counter() - start
    mo.md(f"""
    On 2,000 sales: pandas {timings['pandas'] * 1000:.0f} ms, polars {timings['polars'] * 1000:.0f} ms
    (one run each, so noisy: `uv run course check 1.3` races them properly).
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `WHAT_MADE_IT_FAST`: where did the pandas version spend its time, and what exactly
       in your polars version removed that cost? Mention one polars habit that would have
       brought the cost back.
    2. `WHEN_POLARS`: "When would you choose polars over pandas? When would you stick with
       pandas?" Give one concrete situation for each, and one where SQL in DuckDB is the
       better tool.

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    WHAT_MADE_IT_FAST = """The pandas version called a Python lambda for every row twice (apply with axis=1) and ran
    a Python loop over about two hundred groups, building a dict per group. The polars version states the whole
    computation as column expressions in one group_by().agg(), so the per-row and per-group work runs in compiled
    code. Writing the ratio with map_elements or porting the loop with map_groups would bring the Python calls back."""
    WHEN_POLARS = """polars: a batch job over millions of rows that groups, joins and filters, where lazy
    execution and all cores pay off, or a new pipeline with no pandas history. pandas: a small table feeding
    scikit-learn or plotting libraries that expect pandas, or a codebase full of pandas idioms where the step
    is not the bottleneck. DuckDB: ad hoc SQL over Parquet files bigger than memory, or when analysts share
    the query."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="Same table as pandas on a sample", hint="Sort by KEYS; use quantile(0.9, interpolation='linear') as pandas does.", lesson="01_data_engineering.py#pandas, polars and DuckDB")
def test_same_table_as_pandas():
    sample = coursedata.load_cards().iloc[::10]
    mine = summarise_polars(sample)
    mine = mine.to_pandas() if isinstance(mine, pl.DataFrame) else mine
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), summarise_pandas(sample), check_dtype=False)


@app.function
@criterion(points=5, title="Faster than pandas", hint="Use expressions in one group_by().agg(); no apply, map_elements or loops.", lesson="01_data_engineering.py#4. pandas, polars or DuckDB? Measure.")
def test_faster_than_pandas():
    sample = coursedata.load_cards().head(2_000)
    start = time.perf_counter()
    summarise_pandas(sample)
    slow = time.perf_counter() - start
    start = time.perf_counter()
    summarise_polars(sample)
    fast = time.perf_counter() - start
    assert fast < slow


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_same_table_as_pandas,
        test_faster_than_pandas,
        item="1.3",
    )
    return


if __name__ == "__main__":
    app.run()
