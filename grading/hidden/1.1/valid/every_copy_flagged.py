# why: the other reading of "a duplicated sale": every copy of a repeated sale_id is flagged (keep=False, as the
#      lesson's own check does); break_data plants other values (a re-listed sale, a sale after the last day)
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

    report("duplicate", KEY, cards[KEY].duplicated(keep=False) & cards[KEY].notna())

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


@app.function
def break_data(cards: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Return a copy of `cards` with one issue of each kind in CHECKS planted."""
    rng = np.random.default_rng(seed)
    broken = cards.copy()
    rows = rng.permutation(broken.index.to_numpy())[:5]
    broken.loc[rows[0], "set_name"] = "  "  # missing: blank text
    broken.loc[rows[1], "retreat_cost"] = 9  # out_of_range
    broken.loc[rows[2], "language"] = "EN"  # bad_category
    broken.loc[rows[3], "sale_date"] = DATES["sale_date"][1] + pd.Timedelta(days=400)  # bad_date: after the last allowed day
    relisted = broken.loc[[rows[4]]].assign(price_usd=lambda f: f["price_usd"] * 1.25)  # duplicate: same sale_id
    return pd.concat([broken, relisted], ignore_index=True)
