# why: the same contract checked with polars expressions over a copy of the frame, the row labels
#      carried along as a column so that findings still name index labels
import polars as pl


@app.function
def validate(cards: pd.DataFrame) -> list[dict]:
    """Findings {"check", "column", "rows"} for every contract violation in `cards`."""
    frame = pl.from_pandas(cards.reset_index(drop=True)).with_columns(pl.Series("__label", cards.index.to_numpy()))
    findings = []

    def report(check: str, column: str, bad: pl.Expr) -> None:
        rows = frame.filter(bad.fill_null(False))["__label"].sort().to_list()
        if rows:
            findings.append({"check": check, "column": column, "rows": [int(r) for r in rows]})

    for column in cards.columns:
        if column in OPTIONAL:
            continue
        missing = pl.col(column).is_null()
        if frame.schema[column] == pl.String:
            missing = missing | (pl.col(column).str.strip_chars() == "")
        elif frame.schema[column].is_float():
            missing = missing | pl.col(column).is_nan()
        report("missing", column, missing)
    report("duplicate", KEY, pl.col(KEY).is_duplicated() & (pl.int_range(pl.len()).over(KEY) > 0))
    for column, (low, high) in RANGES.items():
        report("out_of_range", column, (pl.col(column) < low) | (pl.col(column) > high))
    for column, allowed in CATEGORIES.items():
        report("bad_category", column, pl.col(column).is_not_null() & ~pl.col(column).is_in(list(allowed)))
    bounds = {column: (lo.to_pydatetime(), hi.to_pydatetime()) for column, (lo, hi) in DATES.items()}
    for column in ("release_date", "sale_date"):
        first, last = bounds[column]
        outside = (pl.col(column) < first) | (pl.col(column) > last)
        if column == "sale_date":
            low, high = bounds["release_date"]
            released_ok = (pl.col("release_date") >= low) & (pl.col("release_date") <= high)
            outside = outside | ((pl.col("sale_date") < pl.col("release_date")) & released_ok)
        report("bad_date", column, outside)
    return findings
