import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import hashlib
    import statistics
    import time

    import altair as alt
    import coursedata
    import duckdb
    import marimo as mo
    import numpy as np
    import pandas as pd
    import pandera.pandas as pa
    import polars as pl
    from coursedata import contract, schemas
    from coursedata.vocab import RARITIES


    def median_seconds(fn, repeats: int = 3) -> float:
        """Median wall time of `repeats` calls: one call is noise on a shared machine."""
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times)


    def frame_fingerprint(frame: pd.DataFrame) -> str:
        """sha256 over a frame's values, index and column names and dtypes (first 16 hex digits)."""
        digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        digest.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
        return digest.hexdigest()[:16]


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Module 1 · Data engineering and validation

    A model is a function of its data. If the data is wrong, late, different from last time,
    or different from what production sends, the model is wrong, and it will not tell you.
    This module is about the unglamorous engineering that makes data trustworthy.

    **By the end of this lesson you can**

    - treat data as code: write its schema down as a contract, version it, and test it like code;
    - find data quality problems systematically, automate the checks, and decide what to do
      with missing and malformed rows;
    - build pipelines that give the same output for the same input, with documented lineage;
    - choose between pandas, polars and SQL (DuckDB) for a task, from measurements.

    **Mastery checks** (you are done when you can): write a data validation test from scratch
    in under 10 minutes; explain why data versioning matters; debug a data quality issue by
    reading test failures; choose pandas, polars or DuckDB for a task and say why.

    Everything below runs on the course data: 20,000 Pokémon card sales
    (`coursedata.load_cards()`, see `data/datacards/cards.md`).
    """)
    return


@app.cell(hide_code=True)
def _():
    from grading.catalog import Course

    _items = [i for i in Course.load(coursedata.DATA_DIR.parent).item if i.module == 1]
    _minutes = sum(i.minutes for i in _items)
    mo.md(
        f"**Time.** About 45 minutes to read and run this lesson; the module's {sum(i.kind == 'exercise' for i in _items)} exercises and "
        f"checkpoint challenge are estimated at {_minutes} minutes (`course.toml`): about "
        f"{(45 + _minutes) / 60:.1f} hours for the module."
    )
    return


@app.cell
def _():
    cards = coursedata.load_cards()
    cards.head()
    return (cards,)


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 1. Data as code: the contract

    A **data contract** is the written agreement between the team that produces data and the
    teams that consume it: which columns, which types, which values are allowed, which rules
    hold across columns. Written as code, it is versioned with the pipeline, reviewed in pull
    requests, and *executed* on every load. The course keeps its contract in one place,
    `data/coursedata/contract.py`, and turns it into [pandera](https://pandera.readthedocs.io)
    schemas (`coursedata.schemas`). Here is what the contract says about the cards:
    """)
    return


@app.cell
def _():
    contract_table = pd.DataFrame(
        [
            {
                "column": f.name,
                "kind": f.kind,
                "nullable": f.nullable,
                "allowed": ", ".join(map(str, f.allowed[:4])) + (" …" if f.allowed and len(f.allowed) > 4 else "") if f.allowed else "",
                "range": f"{f.lo} … {f.hi}" if f.lo is not None else "",
                "pattern": f.regex or "",
            }
            for f in contract.CARDS
        ]
    )
    contract_table
    return


@app.cell
def _(cards):
    cards_schema = schemas.cards()  # a pandera DataFrameSchema built from the contract
    clean_problems = schemas.validate(cards, cards_schema)  # [] or readable lines
    mo.md(f"""
    ### Schemas as contracts

    `schemas.validate(cards, schemas.cards())` on the {len(cards):,} clean sales returns
    **{len(clean_problems)} problems**. Rules across columns are part of the contract too:
    {", ".join(f"`{rc.name}`" for rc in contract.CARD_ROW_CHECKS)}.
    """)
    return


@app.cell
def _(cards):
    from pandera.typing import Series

    _field = {f.name: f for f in contract.CARDS}

    class GradedSale(pa.DataFrameModel):
        """Four columns of the contract, written by hand as a class: one field per column."""

        sale_id: Series[str] = pa.Field(unique=True, str_matches=_field["sale_id"].regex)
        grading_company: Series[str] = pa.Field(isin=_field["grading_company"].allowed)
        grade: Series[float] = pa.Field(nullable=True, ge=_field["grade"].lo, le=_field["grade"].hi)
        price_usd: Series[float] = pa.Field(ge=_field["price_usd"].lo, le=_field["price_usd"].hi)

        @pa.dataframe_check
        def grade_iff_graded(cls, df: pd.DataFrame) -> Series[bool]:
            """A rule across columns: a grade exactly when a company graded the copy."""
            return df["grade"].isna() == (df["grading_company"] == "ungraded")

    _broken = cards.head(500).copy()
    _graded = _broken.index[_broken["grading_company"] != "ungraded"]  # three graded copies, one break each
    _broken.loc[_graded[0], "grade"] = 11.0  # out of range
    _broken.loc[_graded[1], "grade"] = float("nan")  # graded, but no grade: only the rule across columns sees it
    _broken.loc[_graded[2], "grading_company"] = _broken.loc[_graded[2], "grading_company"] + " "  # a trailing space
    try:
        GradedSale.validate(_broken, lazy=True)
        _cases = pd.DataFrame(columns=["column", "check", "index"])
    except pa.errors.SchemaErrors as error:
        _cases = error.failure_cases[["column", "check", "index"]].drop_duplicates(["check", "index"])
        # A frame-wide check fails whole rows: pandera lists every column of them.
        _cases.loc[_cases["check"] == "grade_iff_graded", "column"] = "grade, grading_company"
    mo.vstack([
        mo.md(f"""
    **Writing a schema yourself: `pa.DataFrameModel`.** `coursedata.schemas` builds its schemas
    from the contract in a loop; for a table of your own you write the schema as a class, one
    typed field per column (`Series[str]`, `Series[float]`, `Series[pd.Timestamp]`), each
    `pa.Field` carrying the column's rules (`ge`/`le`, `isin`, `unique`, `str_matches`;
    `nullable=False` unless you say otherwise), and a `@pa.dataframe_check` for a rule across
    columns. `GradedSale.validate(frame, lazy=True)` on 500 sales with three cells broken:
    **{_cases["index"].nunique()} rows rejected**, each failure named by column and check
    (columns the model does not name are not checked):
    """),
        _cases.reset_index(drop=True),
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 2. Data quality: find problems systematically

    `coursedata.load_dirty_cards()` is a sample of the same sales with problems planted on
    purpose (`data/datacards/cards_dirty.md` lists them). It is read **as text**: if you
    let pandas coerce types on load, a `$12.50` price becomes a missing value or the whole
    column becomes strings, and the evidence is gone. Validate the raw text first; parse after.
    """)
    return


@app.cell
def _():
    dirty = coursedata.load_dirty_cards()
    raw_schema = schemas.cards(raw=True)  # every cell must parse first, then the value checks run
    try:
        raw_schema.validate(dirty, lazy=True)
        failures = pd.DataFrame(columns=["column", "check", "index", "failure_case"])
    except pa.errors.SchemaErrors as error:  # lazy=True: every failing cell, not just the first
        failures = schemas.failures(error)
    by_check = failures.groupby(["column", "check"], dropna=False).size().rename("rows").reset_index()
    mo.vstack([
        mo.md(f"The raw schema on the {len(dirty):,} dirty rows: **{len(failures):,} failing cells**, "
              f"**{by_check['check'].nunique()} kinds of check** failed, in {by_check['column'].nunique()} columns. "
              "The fifteen most frequent (column, check) pairs:"),
        by_check.sort_values("rows", ascending=False, ignore_index=True).head(15),
    ])
    return dirty, failures


@app.cell
def _(dirty, failures):
    bad_rows = set(failures["index"].dropna().astype(int))
    quarantine = dirty.loc[sorted(bad_rows)]
    accepted = dirty.drop(index=sorted(bad_rows))
    mo.md(f"""
    **Handling what fails: quarantine, do not delete.** {len(bad_rows):,} of {len(dirty):,} rows
    break at least one rule. A pipeline that silently drops them hides the upstream problem; one
    that crashes on them blocks everything. The usual answer: load the {len(accepted):,} rows
    that pass, write the {len(quarantine):,} others with their failure reasons to a quarantine
    table, and alert the producer. Impute only when the contract says how (`grade` is empty
    *by design* for ungraded cards: that is not a missing value).
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ### Data quality checks

    **A validation test you can write in ten minutes.** You do not need a framework to start.
    Name each rule, count the rows that break it, show a few: the failure message *is* the
    debugging session.
    """)
    return


@app.function
def card_checks(frame: pd.DataFrame) -> list[str]:
    """Readable failures of a few contract rules on a cards frame (text or typed)."""
    price = pd.to_numeric(frame["price_usd"], errors="coerce")
    sold = pd.to_datetime(frame["sale_date"], format="%Y-%m-%d", errors="coerce")
    released = pd.to_datetime(frame["release_date"], format="%Y-%m-%d", errors="coerce")
    rules = {
        "sale_id is unique": frame["sale_id"].duplicated(keep=False),
        "price_usd is a number between 0.01 and 1,000,000": ~price.between(0.01, 1_000_000),
        "rarity is one of RARITIES": ~frame["rarity"].isin(RARITIES),
        "sale_date is a real date on or after release_date": sold.isna() | (sold < released),
    }
    failed = []
    for rule, bad in rules.items():
        if bad.any():
            examples = ", ".join(map(str, frame.index[bad][:3]))
            failed.append(f"FAILED {rule}: {int(bad.sum())} rows, e.g. rows {examples}")
    return failed


@app.cell
def _(cards, dirty):
    mo.md(
        f"""
    `card_checks(cards)` → `{card_checks(cards)}`

    `card_checks(dirty)` →

    """
        + "\n".join(f"- {line}" for line in card_checks(dirty))
    )
    return


@app.cell
def _(cards):
    _species = coursedata.load_species()[["species_id", "name"]]
    _doubled = pd.concat([_species, _species.head(3)], ignore_index=True)  # a lookup that repeats 3 keys
    _joined = cards.merge(_doubled, on="species_id", how="left")
    try:
        cards.merge(_doubled, on="species_id", how="left", validate="many_to_one")
        _verdict = "passed"
    except pd.errors.MergeError as error:
        _verdict = f"raised `MergeError: {error}`"
    mo.md(f"""
    **Bad joins multiply rows silently.** Joining the {len(cards):,} sales to a species lookup in which
    three keys appear twice gives **{len(_joined):,}** rows: every sale of those species is now counted
    twice, and nothing fails. Say what the join must be and pandas checks it:
    `cards.merge(species, on="species_id", validate="many_to_one")` {_verdict}. Check row counts
    before and after every join, and never deduplicate *after* a join to hide the problem.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 3. Reproducible pipelines and lineage

    ### Lineage and versioning

    **Versioning data.** Code has git; data needs an identity too. The simplest one is a
    content hash: the sha256 of the file's bytes. `data/MANIFEST` stores one per committed
    file, and `uv run course data verify` compares every committed file with it (in the course's
    source repository it also regenerates each file from its seed and compares bytes). Record
    the hash of what you trained on next to the model, and "which data was this?" has an answer.
    """)
    return


@app.cell
def _():
    cards_path = coursedata.DATA_DIR / "cards.csv"
    file_hash = hashlib.sha256(cards_path.read_bytes()).hexdigest()
    manifest = dict(
        reversed(line.split(maxsplit=1))
        for line in coursedata.paths.MANIFEST.read_text().splitlines()
        if line and not line.startswith("#")
    )
    mo.md(f"""
    sha256 of `data/cards.csv`: `{file_hash[:16]}…`; MANIFEST says `{manifest.get("data/cards.csv", "?")[:16]}…`:
    **{"the same bytes" if manifest.get("data/cards.csv") == file_hash else "DIFFERENT: the file changed"}**.
    """)
    return (file_hash,)


@app.cell
def _(cards):
    seeded = [frame_fingerprint(cards.sample(1_000, random_state=7)) for _ in range(2)]
    unseeded = [frame_fingerprint(cards.sample(1_000)) for _ in range(2)]
    edited = cards.copy()
    edited.loc[123, "price_usd"] += 0.01  # one cent, in one row of 20,000
    mo.md(f"""
    ### Reproducible pipelines

    **Deterministic transformations.** Fingerprints of two runs of the same step:

    | step | run 1 | run 2 |
    |:---|:---|:---|
    | `cards.sample(1_000, random_state=7)` | `{seeded[0]}` | `{seeded[1]}` |
    | `cards.sample(1_000)` (unseeded) | `{unseeded[0]}` | `{unseeded[1]}` |

    Change one price by one cent and the whole table's fingerprint goes from
    `{frame_fingerprint(cards)}` to `{frame_fingerprint(edited)}`.

    Randomness is only one cause. The others bite later: the clock (`datetime.now()` in a
    feature), row order (exports without `ORDER BY`, then sampling or `unique()`), Python's
    per-process `hash()` salt and `set` order, category codes learned from the batch, and float
    sums whose last bits depend on order. Exercise 1.2 makes you fix all of them.
    """)
    return


@app.cell
def _(cards, file_hash):
    lineage = {
        "output": "training_sample_v3",
        "inputs": {"data/cards.csv": f"sha256:{file_hash[:16]}…"},
        "code": "modules/01_data_engineering/ex_1_2_reproducible_loading.py@<git commit>",
        "parameters": {"seed": 7, "as_of": "2025-07-01", "n_rows": 1_000},
        "rows": {"in": len(cards), "out": 1_000},
        "output_fingerprint": frame_fingerprint(cards.sample(1_000, random_state=7)),
    }
    mo.vstack([
        mo.md("**Documented lineage**: every output records where it came from: inputs with their hashes, code "
              "version, parameters. With it you can rebuild any output and diff two of them."),
        lineage,
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ### Training-serving skew

    A model sees its features twice: in a training table built offline in batch, and one
    request at a time in the serving code. When the two are computed by different code, they
    drift apart: a rarity spelt `Holo Rare` offline and `holo rare` online, an age computed
    from today's date in one and from the sale date in the other, a missing grade filled with
    0 offline and with the median online. Each version is "correct"; the model silently gets
    inputs it never saw in training. Prevent it the same way as every problem in this module:
    one definition, in code, used by both paths (a shared function or a `Pipeline`, Module 2
    section 5), validated by the same contract on both sides, and a check in production that
    compares the served features with the training distribution (section 5, Module 5).
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 4. pandas, polars or DuckDB? Measure.

    The same question three ways: *for near-mint, ungraded sales since 2024, the number of
    sales, median and mean price per set and rarity.* **pandas** runs each step eagerly, one
    after the other; **polars** runs column expressions in compiled, multi-threaded code, and
    in *lazy* mode plans the whole query first (it filters before it reads columns it does not
    need); **DuckDB** runs SQL, here directly on the pandas frame. Pick a data size and the
    comparison reruns. The 1,000,000-row table (the committed sales drawn with replacement)
    is built the first time you pick it (a progress bar shows it; the time it took is printed),
    then cached in `data/generated/`.
    """)
    return


@app.cell
def _():
    size = mo.ui.dropdown(
        options={
            "20,000 sales (cards.csv)": "20k",
            "100,000 sales (cards.csv × 5)": "100k",
            "1,000,000 sales (coursedata.cards.load_big())": "1m",
        },
        value="100,000 sales (cards.csv × 5)",
        label="Data size",
    )
    size
    return (size,)


@app.cell
def _(cards, size):
    _started = time.perf_counter()
    if size.value == "1m":
        _cached = coursedata.cards.generated_path(1_000_000, coursedata.cards.SEED).exists()
        _what = "Loading the cached 1,000,000-row table" if _cached else (
            "Building 1,000,000 card sales by resampling cards.csv (first time only; cached in data/generated/ afterwards)")
        with mo.status.spinner(title=_what, subtitle="then converting it to polars"):
            table = coursedata.cards.load_big()
            table_pl = pl.from_pandas(table)
    elif size.value == "100k":
        table = pd.concat([cards] * 5, ignore_index=True)
        table_pl = pl.from_pandas(table)
    else:
        table = cards
        table_pl = pl.from_pandas(table)
    prepared_seconds = time.perf_counter() - _started
    return prepared_seconds, table, table_pl


@app.function
def by_pandas(frame: pd.DataFrame) -> pd.DataFrame:
    keep = (frame["condition"] == "near_mint") & (frame["grading_company"] == "ungraded") & (frame["sale_date"] >= "2024-01-01")
    return (
        frame[keep]
        .groupby(["set_code", "rarity"])["price_usd"]
        .agg(n_sales="size", median_price="median", mean_price="mean")
        .reset_index()
        .sort_values(["set_code", "rarity"], ignore_index=True)
    )


@app.function
def polars_query(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame | pl.LazyFrame:
    """The question as polars expressions: on a DataFrame each step runs at once (eager), on a
    LazyFrame the steps only build a plan that the optimiser rewrites before running it."""
    return (
        frame.filter(
            (pl.col("condition") == "near_mint")
            & (pl.col("grading_company") == "ungraded")
            & (pl.col("sale_date") >= pl.datetime(2024, 1, 1))
        )
        .group_by("set_code", "rarity")
        .agg(
            n_sales=pl.len(),
            median_price=pl.col("price_usd").median(),
            mean_price=pl.col("price_usd").mean(),
        )
        .sort("set_code", "rarity")
    )


@app.function
def by_polars_eager(frame: pl.DataFrame) -> pl.DataFrame:
    # Eager: the DataFrame API; each step runs as soon as it is called, like pandas.
    return polars_query(frame)


@app.function
def by_polars_lazy(frame: pl.DataFrame) -> pl.DataFrame:
    # Lazy: the optimiser sees the whole query (predicate and projection pushdown) before running it.
    return polars_query(frame.lazy()).collect()


@app.function
def duckdb_query(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The question in SQL, on a connection where the frame is registered as `sales`."""
    return connection.sql("""
        SELECT set_code, rarity, count(*) AS n_sales,
               median(price_usd) AS median_price, avg(price_usd) AS mean_price
        FROM sales
        WHERE condition = 'near_mint' AND grading_company = 'ungraded' AND sale_date >= DATE '2024-01-01'
        GROUP BY set_code, rarity
        ORDER BY set_code, rarity
    """).df()


@app.function
def by_duckdb(frame: pd.DataFrame) -> pd.DataFrame:
    # Setup included: connect, register the frame, query, close (a one-off script).
    connection = duckdb.connect()
    connection.register("sales", frame)
    result = duckdb_query(connection)
    connection.close()
    return result


@app.cell
def _(table, table_pl):
    expected = by_pandas(table)
    connection = duckdb.connect()  # a service keeps its connection: time the query apart from setup
    connection.register("sales", table)
    answers = {
        "polars (eager)": by_polars_eager(table_pl).to_pandas(),
        "polars (lazy)": by_polars_lazy(table_pl).to_pandas(),
        "DuckDB (SQL, with setup)": by_duckdb(table),
        "DuckDB (SQL, query only)": duckdb_query(connection),
    }
    for answer in answers.values():  # same question, same answer: check before you time
        pd.testing.assert_frame_equal(answer, expected, check_dtype=False, rtol=1e-9)
    _runs = {
        "pandas": lambda: by_pandas(table),
        "polars (eager)": lambda: by_polars_eager(table_pl),
        "polars (lazy)": lambda: by_polars_lazy(table_pl),
        "DuckDB (SQL, with setup)": lambda: by_duckdb(table),
        "DuckDB (SQL, query only)": lambda: duckdb_query(connection),
    }
    seconds = {}
    for _engine, _run in mo.status.progress_bar(list(_runs.items()), title="Timing each engine (median of 3 runs)"):
        seconds[_engine] = median_seconds(_run)
    connection.close()
    memory_mb = {
        "pandas": table.memory_usage(deep=True).sum() / 1e6,
        "polars": table_pl.estimated_size() / 1e6,
    }
    return memory_mb, seconds


@app.cell
def _(memory_mb, prepared_seconds, seconds, table):
    results = pd.DataFrame(
        {
            "engine": list(seconds),
            "median of 3 runs (ms)": [round(s * 1000, 1) for s in seconds.values()],
            "speed vs pandas": [round(seconds["pandas"] / s, 1) for s in seconds.values()],
        }
    )
    fastest = min(seconds, key=seconds.get)
    slowest = max(seconds, key=seconds.get)
    lazy_gain = seconds["polars (eager)"] / seconds["polars (lazy)"]
    mo.vstack([
        results,
        mo.md(f"""
    **Measured just now, on {len(table):,} rows, on this machine** (preparing the table took
    {prepared_seconds:.1f} s; every engine returned the same table, checked above): the fastest was
    **{fastest}**, {seconds[slowest] / seconds[fastest]:.1f}× faster than the slowest ({slowest}).
    polars lazy vs eager: {lazy_gain:.2f}×. DuckDB's connect-and-register costs
    {(seconds["DuckDB (SQL, with setup)"] - seconds["DuckDB (SQL, query only)"]) * 1000:.0f} ms per call: pay it
    once per process, not per query. In memory, the
    pandas frame takes {memory_mb["pandas"]:.0f} MB and the same data in polars
    {memory_mb["polars"]:.0f} MB ({memory_mb["pandas"] / memory_mb["polars"]:.1f}×), mostly because of how
    text columns are stored.

    How to read this honestly: these are single-machine, in-memory timings of one query, with
    the conversion to polars left out (it was paid once above). At 20,000 rows every engine
    answers in milliseconds, and the choice should follow your team and your tools, not speed.
    The gaps grow with the data: switch to 1,000,000 rows and measure again before you decide.
    """),
    ])
    return


@app.function
def plan_facts(plan: str) -> dict:
    """What an optimised polars plan says about pushdown: columns read, and whether the filter
    sits inside the scan (`SELECTION:` on the scan line) or in a FILTER node above it."""
    import re

    projected = re.search(r"PROJECT (\d+)/(\d+) COLUMNS", plan)
    return {
        "columns read": f"{projected[1]} of {projected[2]}" if projected else "all",
        "filter inside the scan": bool(re.search(r"SELECTION: (?!None)", plan)) and "FILTER" not in plan,
    }


@app.function
def wrapped(plan: str, width: int = 96) -> str:
    """A plan's long lines folded so the page shows all of it."""
    import textwrap

    return "\n".join(textwrap.fill(line, width, subsequent_indent="    ", break_on_hyphens=False) or line
                     for line in plan.splitlines())


@app.cell
def _(table):
    import tempfile
    from pathlib import Path

    _scratch = Path(tempfile.mkdtemp(prefix="lesson1-"))
    parquet_path = _scratch / "sales.parquet"
    table.to_parquet(parquet_path, index=False)  # the same rows as a file on disk
    return (parquet_path,)


@app.cell
def _(parquet_path, table_pl):
    memory_plan = polars_query(table_pl.lazy()).explain()
    file_plan = polars_query(pl.scan_parquet(parquet_path)).explain()
    memory_facts, file_facts = plan_facts(memory_plan), plan_facts(file_plan)

    def _says(facts):
        inside = "pushed into the scan" if facts["filter inside the scan"] else "applied in a FILTER node after the scan"
        return f"reads **{facts['columns read']}** columns, filter {inside}"

    mo.vstack([
        mo.md(f"""
    **Eager vs lazy: read the plan.** `LazyFrame.explain()` prints the plan polars will run after
    optimisation. On the DataFrame already in memory, the plan {_says(memory_facts)}; nothing is
    read from disk, so pushdown can only skip work on columns already loaded. The real payoff
    comes on a file: on `pl.scan_parquet(...)` of the same rows, the plan {_says(file_facts)}, so
    polars never decodes the other columns and can skip Parquet row groups whose statistics
    rule the filter out. (These sentences are computed from the two plans below.)
    """),
        mo.md("In memory:\n\n```\n" + wrapped(memory_plan) + "\n```"),
        mo.md("On a Parquet file:\n\n```\n" + wrapped(file_plan) + "\n```"),
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ### pandas, polars and DuckDB

    **When which.** *pandas*: the lingua franca; scikit-learn, plotting and most examples
    speak it; fine up to a few million rows for most work; slow when code goes row by row
    (`apply(axis=1)`, loops over groups); it can read only some columns and rows of a Parquet
    file (`pd.read_parquet(path, columns=[...], filters=[...])`, through pyarrow), but runs every
    later step eagerly. *polars*: expressions, multi-threading, lazy plans,
    strict types; the choice for heavy transformations in a new pipeline (exercise 1.3).
    *DuckDB*: SQL on files (Parquet, CSV) and frames, out of core when data exceeds memory,
    great for ad hoc analysis and when analysts share the query. *Spark* (or a warehouse):
    when the data does not fit one machine, or already lives in a cluster; for anything a
    laptop can hold, polars or DuckDB is simpler and usually faster.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 5. Drift: does new data describe the same world?

    Valid data can still be *different* data. Each quarter a new drop of sales arrives
    (`coursedata.load_drop("new_drop")`); before a model scores it or trains on it, compare
    each column with the training data. Three standard tools:

    - **PSI** (population stability index): bin the reference (deciles for numbers, categories
      for text), compare the shares: PSI = Σ (q − p) · ln(q / p). A rule of thumb, not a test:
      < 0.1 stable, 0.1–0.25 moderate, > 0.25 major. It does not depend on sample size, and it
      cannot see a shift that keeps values inside the same deciles.
    - **Kolmogorov–Smirnov** (numbers): D = the largest gap between the two cumulative
      distributions, with a p-value for "same distribution".
    - **Chi-square test of homogeneity** (categories): observed vs expected counts per category.

    **Why p-values alone mislead.** With enough rows every real difference, however small, is
    "significant": the p-value shrinks as the sample grows while the *size* of the difference
    (D, PSI) stays put. Decide on the size (D, PSI, the shift in shares) with a minimum sample,
    and use the p-value only to ask "could this be noise?". Move the slider and watch.
    """)
    return


@app.cell
def _():
    drift_column = mo.ui.dropdown(options=["price_usd", "language"], value="price_usd", label="column")
    drift_rows = mo.ui.slider(steps=[100, 300, 1_000, 3_000], value=300, label="rows sampled from each side", show_value=True)
    mo.hstack([drift_column, drift_rows], justify="start", gap=2)
    return drift_column, drift_rows


@app.cell
def _(cards, drift_column, drift_rows):
    from scipy.stats import chi2_contingency

    _drop = coursedata.load_drop("new_drop")
    _column, _n = drift_column.value, drift_rows.value

    def _sample(values, n, seed):
        return values.sample(min(n, len(values)), random_state=seed)

    def _measure(n):
        ref = _sample(cards[_column].dropna(), n, 1)
        new = _sample(_drop[_column].dropna(), n, 2)
        if _column == "price_usd":
            ref, new = np.log10(ref.astype(float)), np.log10(pd.to_numeric(new, errors="coerce").dropna())
            d, p = coursedata.drift.ks_2samp(ref, new)
            return {"rows": n, "size": d, "p-value": p, "PSI": coursedata.drift.psi(ref, new)}
        counts = pd.crosstab(pd.concat([ref, new]), np.r_[np.zeros(len(ref)), np.ones(len(new))])
        _stat, p, _dof, _ = chi2_contingency(counts.to_numpy())
        shares = counts / counts.sum()
        return {"rows": n, "size": float((shares.iloc[:, 1] - shares.iloc[:, 0]).abs().max()), "p-value": p,
                "PSI": coursedata.drift.psi(ref, new)}

    curve = pd.DataFrame([_measure(n) for n in (100, 300, 1_000, 3_000)])
    now = curve[curve["rows"] == _n].iloc[0]
    _size_name = "KS D" if _column == "price_usd" else "largest change in a category's share"
    _p_chart = (
        alt.Chart(curve.assign(log10_p=np.log10(curve["p-value"].clip(lower=1e-300))))
        .mark_line(point=True)
        .encode(x=alt.X("rows:Q", scale=alt.Scale(type="log"), title="rows per side"),
                y=alt.Y("log10_p:Q", title="log10 p-value"))
        .properties(width=260, height=180, title="p-value: shrinks with n")
    )
    _size_chart = (
        alt.Chart(curve)
        .mark_line(point=True, color="#e45756")
        .encode(x=alt.X("rows:Q", scale=alt.Scale(type="log"), title="rows per side"),
                y=alt.Y("size:Q", title=_size_name))
        .properties(width=260, height=180, title="effect size: stays put")
    )
    mo.vstack([
        mo.hstack([_p_chart, _size_chart], justify="start"),
        mo.md(f"`{_column}`, {_n:,} rows per side: {_size_name} = **{now['size']:.3f}**, PSI = **{now['PSI']:.3f}**, "
              f"p-value = **{now['p-value']:.2g}**. The challenge asks you to decide this for every column, "
              "and to explain what is behind each shift."),
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## How companies do this at scale

    *As of 2025.*

    - **Data contracts** between producer and consumer teams, versioned and enforced in CI
      and at ingestion: schema registries (Avro/Protobuf with compatibility rules for
      streams), contract specs checked on every load.
    - **Validation frameworks**: [pandera](https://pandera.readthedocs.io) (schemas as Python,
      used here), [Great Expectations](https://greatexpectations.io) (expectation suites with
      data docs), Soda, dbt tests in the warehouse. The tool matters less than running the
      checks on every batch and failing loudly.
    - **Lineage**: OpenLineage events from each job, viewed in Marquez or DataHub: which
      upstream table feeds which model, so a bad column can be traced to every consumer.
    - **Data versioning**: DVC or lakeFS for files, time travel in Delta Lake or Apache
      Iceberg tables: the training set of any past model can be rebuilt exactly.
    - **Monitoring** in production: freshness, volume, schema and distribution drift per
      feature, alerting the owning team (Module 5 comes back to this).
    - **A real case**: Google's TFX paper on data validation (Breck et al., *Data Validation for
      Machine Learning*, MLSys 2019) reports that validating every batch against a schema
      inferred from past data, reviewed by engineers, caught data errors across Google's
      production pipelines before they reached models; the open-source TensorFlow Data
      Validation library is the same idea.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Questions to think about

    Answer each for yourself before you open the fold.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.accordion({
        "If I run your data pipeline twice on the same input, will I get identical output? Why or why not?": mo.md(
            "Only if every source of variation is an explicit input. Typical leaks: unseeded sampling or "
            "shuffling; the clock (`now()` in a feature or a filter); the order rows arrive in (a query "
            "without `ORDER BY`, then `unique()`, `drop_duplicates(keep='first')` or sampling); Python's "
            "per-process `hash()` salt and `set` iteration order; category codes learned from the batch; "
            "float sums whose last bits depend on order; library versions. Test it: run twice, in two "
            "processes, on a shuffled input, and compare content hashes (see §3, *Reproducible pipelines*; exercise 1.2)."
        ),
        "Your model performed great in training but fails in production. The data looks similar. What could be wrong?": mo.md(
            "Similar is not the same. Check, in order: *schema and units* (a renamed or retyped column, "
            "prices in cents, a category spelt differently, so the feature silently becomes missing or "
            "'unknown'); *training/serving skew* (features computed differently offline and online, or "
            "with information not available at prediction time: leakage); *distribution drift* (a new "
            "segment, like Japanese cards, the model rarely saw; per-feature PSI/KS against training); "
            "*data quality* (duplicates or nulls in production inputs). See §1, §2, §3 (*Training-serving skew*) "
            "and §5 (*Drift*); the challenge of this module builds exactly this report."
        ),
        "Someone changed a column name upstream. How would you detect this before it breaks your model?": mo.md(
            "Validate at the boundary, before anything else runs: a strict schema (pandera `strict=True`, "
            "as `coursedata.schemas` does) fails on a missing or unexpected column and names both. Better "
            "still, agree a data contract with the producer so the change is caught in *their* CI, and "
            "announced with a version bump. Never let `df.get(col)` or `errors='ignore'` turn a missing "
            "column into a column of NaN that the model happily imputes (see §1, *Schemas as contracts*)."
        ),
        "When would you choose polars over pandas? When would you stick with pandas?": mo.md(
            "polars: heavy group-bys, joins and filters on millions of rows, a new pipeline where lazy "
            "plans and multi-threading pay off, or when memory is tight. pandas: small data, code that "
            "feeds libraries expecting pandas (scikit-learn, plotting), a team and codebase built on it "
            "where the step is not the bottleneck. DuckDB when SQL is the clearest way to say it or the "
            "data is on disk and bigger than memory. Measure on your data (see §4, *pandas, polars and DuckDB*) "
            "rather than trusting anyone's benchmark."
        ),
    })
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Exercises

    | item | notebook | what you practise |
    |:---|:---|:---|
    | 1.1 | `ex_1_1_break_the_data.py` | plant 5 quality issues, then write the tests that catch them |
    | 1.2 | `ex_1_2_reproducible_loading.py` | refactor a messy data loader to be reproducible |
    | 1.3 | `ex_1_3_pandas_to_polars.py` | optimise a slow pandas summary with polars |
    | challenge | `challenge_1_data_drop.py` | the New Pokémon Data Drop: schema, quality and drift report |

    Open one with `uv run marimo edit modules/01_data_engineering/<notebook>` and check it with
    `uv run course check <item>` (for the challenge, `1.challenge`).

    ## Common pitfalls

    - **Coercing on load.** `pd.read_csv` guesses types; `errors="coerce"` turns bad cells into
      NaN. Read raw data as text, validate, then parse, or you destroy the evidence.
    - **`isna()` is not "missing".** Empty and whitespace-only strings are missing too; a
      structurally empty column (`grade` for ungraded cards) is not.
    - **NaN is not null in polars.** pandas uses NaN (and `None`/`pd.NA`) for missing values and
      `isna()` catches them all; polars keeps *null* (missing) apart from *NaN* (a float value,
      e.g. 0/0): `is_null()` misses NaN and `is_nan()` misses null, and `pl.from_pandas` turns
      pandas NaN into null. Moving code between them, check both (exercise 1.3).
    - **Outlier rules as validation.** z-scores on heavy-tailed prices flag valid rare cards;
      validate against the contract, and monitor distributions separately.
    - **Cleaning before validating.** `drop_duplicates()` and `dropna()` before the checks hide
      the very problems you should report upstream.
    - **Row order and hidden state.** Sort before you sample or number categories; never use
      `hash()` or `set` order for anything that must be stable; pass seeds and dates in.
    - **One drift metric.** PSI bins by reference deciles and misses shifts within them; pair it
      with a KS test for numbers, and exclude columns that must change (dates, ids). And a tiny
      p-value on many rows is not a big shift: judge the size (section 5).
    - **Benchmarking once.** A single timing on a shared machine is noise: repeat, interleave,
      take medians, and check the engines agree before you compare their speed.
    - **polars with Python inside.** `map_elements` and `map_groups` bring the per-row Python
      cost back; use expressions.

    ## Further reading

    - pandera documentation, *DataFrame schemas* and *lazy validation*: https://pandera.readthedocs.io
    - Great Expectations, *Expectations overview*: https://docs.greatexpectations.io
    - polars user guide, *Lazy API* and *Expressions*: https://docs.pola.rs
    - DuckDB, *Python API* and *SQL on pandas*: https://duckdb.org/docs/api/python/overview
    - OpenLineage specification: https://openlineage.io
    - Sculley et al., *Hidden Technical Debt in Machine Learning Systems* (NeurIPS 2015)
    - Breck et al., *Data Validation for Machine Learning* (MLSys 2019)
    - The course's data cards: `data/datacards/`
    """)
    return


if __name__ == "__main__":
    app.run()
