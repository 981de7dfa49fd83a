# expect-fail: type_changes_found
# why: checks that each contract column is present but not that its cells parse as the contract's kind: coerced NaN hide the retyped columns

@app.function
def validate_drop(drop: pd.DataFrame, reference: pd.DataFrame) -> dict:
    """Schema, quality and drift report of a text-typed drop against the typed training data."""
    present = [c for c in drop.columns if c in FIELDS]
    missing_columns = sorted(set(FIELDS) - set(drop.columns))
    unexpected_columns = sorted(set(drop.columns) - set(FIELDS))

    parsed, type_problems = {}, []
    for column in present:
        kind = FIELDS[column].kind
        values = parse(drop[column], kind)
        parsed[column] = values  # parse() coerces: the column is there, so its type must be right

    quality = []

    def finding(column: str, issue: str, bad: pd.Series) -> None:
        if int(bad.sum()):
            quality.append({"column": column, "issue": issue, "n_rows": int(bad.sum())})

    duplicates = drop.duplicated(keep="first")
    if "sale_id" in drop:
        duplicates |= drop["sale_id"].duplicated(keep="first") & drop["sale_id"].notna()
    finding("sale_id", "duplicate_rows", duplicates)
    for column, values in parsed.items():
        field = FIELDS[column]
        if not field.nullable:
            finding(column, "missing_values", drop[column].isna())
        if field.allowed is not None:
            finding(column, "new_category", values.notna() & ~values.isin(field.allowed))
        if field.lo is not None and field.kind in ("int", "float"):
            finding(column, "out_of_range", (values < field.lo) | (values > field.hi))
    # A unit change hides inside valid-looking numbers: compare each marketplace's median
    # price with the training data. Prices in cents are ~100x, euros ~0.9x, drift ~1.5x.
    if "price_usd" in parsed and "marketplace" in drop:
        ratios = parsed["price_usd"].groupby(drop["marketplace"]).median() / reference.groupby("marketplace")["price_usd"].median()
        changed = ratios[(ratios > 10) | (ratios < 0.1)].index
        finding("price_usd", "unit_change", drop["marketplace"].isin(changed))

    drift = []
    for column in DRIFT_COLUMNS:
        if column not in parsed:
            continue
        new, old = parsed[column].dropna(), reference[column].dropna()
        if FIELDS[column].kind == "date":
            new, old = new.dt.strftime("%Y-%m-%d"), old.dt.strftime("%Y-%m-%d")
        moved = psi(old, new) > PSI_LIMIT
        if FIELDS[column].kind in ("int", "float"):
            moved |= ks_2samp(old.to_numpy(float), new.to_numpy(float))[1] < KS_P_LIMIT
        if moved:
            drift.append(column)

    problems = missing_columns or unexpected_columns or type_problems or quality
    return {
        "missing_columns": missing_columns,
        "unexpected_columns": unexpected_columns,
        "type_problems": sorted(type_problems),
        "quality": quality,
        "drift": sorted(drift),
        "accept": not problems,
    }
