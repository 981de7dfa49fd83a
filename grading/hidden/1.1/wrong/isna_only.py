# expect-fail: catches_missing_values
# why: treats only NaN/None as missing; blank and whitespace strings slip through

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
        report("missing", column, values.isna())

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
