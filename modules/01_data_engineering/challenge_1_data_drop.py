import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import coursedata
    import marimo as mo
    import pandas as pd
    from coursedata import contract
    from coursedata.drift import ks_2samp, psi
    from coursedata.schemas import parse

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The cards contract: each column's kind ("str", "int", "float", "bool", "date"),
    # whether it may be empty, its allowed categories and its range.
    FIELDS = {f.name: f for f in contract.CARDS}
    # Every kind of data quality problem your report can name.
    ISSUES = ("missing_values", "duplicate_rows", "new_category", "out_of_range", "unit_change")
    # The columns to compare with the training data. Ids, free text and the sale date are left
    # out on purpose: they are *supposed* to differ in every new drop.
    DRIFT_COLUMNS = (
        "marketplace", "set_code", "release_date", "species_id", "card_type", "rarity", "mechanic",
        "card_hp", "retreat_cost", "print_run", "language", "first_edition", "condition",
        "grading_company", "grade", "price_usd",
    )
    # Rules of thumb: PSI above 0.1 is a moderate shift; a KS p-value below 0.001 on
    # thousands of rows is a real difference in a numeric column.
    PSI_LIMIT = 0.1
    KS_P_LIMIT = 0.001


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Checkpoint challenge 1 · The New Pokémon Data Drop

    **The situation.** The marketplace partner sends a new drop of card sales every quarter.
    Your price model was trained on `cards.csv`. Before anyone retrains or scores on a drop,
    your pipeline must answer three questions, automatically and without crying wolf:

    1. **Schema**: does the drop honour the contract (columns present, names, types)?
    2. **Quality**: is the data itself sound (missing values, duplicates, unknown
       categories, impossible values, *silently changed units*)?
    3. **Drift**: does it describe the same world as the training data, column by column?

    **Your task**: write `validate_drop(drop, reference)`. `drop` is a drop as read from CSV,
    every cell as text (`coursedata.load_drop("new_drop")`); `reference` is the training data
    as typed by `coursedata.load_cards()`. Return a report:

    ```python
    {
        "missing_columns": ["attacks", ...],      # contract columns absent from the drop, sorted
        "unexpected_columns": ["hp", ...],        # drop columns the contract does not know, sorted
        "type_problems": ["sale_date", ...],      # contract columns whose values do not parse as
                                                  # the contract's kind (FIELDS[c].kind), sorted
        "quality": [                              # one finding per (column, issue); issue in ISSUES
            {"column": "condition", "issue": "missing_values", "n_rows": 240},
        ],
        "drift": ["language", ...],               # DRIFT_COLUMNS that moved against reference, sorted
        "accept": False,                          # True only with no schema, type or quality problem
    }
    ```

    Use the contract (`FIELDS`: kinds, `nullable`, `allowed`, `lo`, `hi`), not the data, to
    decide what is wrong, and `coursedata.drift.psi` / `ks_2samp` (or your own) for drift.
    Drift alone does not reject a drop: it is news for the modelling team, not broken data.
    Report duplicates with `"column": "sale_id"`.

    The hidden tests run your validator on three more drops you cannot see, each with other
    planted problems, and on a drop in which nothing changed: every planted problem must be
    found, and the unchanged drop must produce an empty, accepting report. Then write down
    what you found in `new_drop` (below). Check your work with `uv run course check 1.challenge`.
    """)
    return


@app.function
def validate_drop(drop: pd.DataFrame, reference: pd.DataFrame) -> dict:
    """Schema, quality and drift report of a text-typed drop against the typed training data."""
    ### BEGIN SOLUTION
    present = [c for c in drop.columns if c in FIELDS]
    missing_columns = sorted(set(FIELDS) - set(drop.columns))
    unexpected_columns = sorted(set(drop.columns) - set(FIELDS))

    parsed, type_problems = {}, []
    for column in present:
        kind = FIELDS[column].kind
        values = parse(drop[column], kind)
        if (values.isna() & drop[column].notna()).any():
            type_problems.append(column)
        else:
            parsed[column] = values

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
    ### END SOLUTION


@app.cell
def _():
    reference = coursedata.load_cards()
    new_drop = coursedata.load_drop("new_drop")
    return new_drop, reference


@app.cell
def _(new_drop, reference):
    # Your report on the new drop (a cell of its own, so the data above loads before you write it).
    report = validate_drop(new_drop, reference)
    report
    return


@app.cell(hide_code=True)
def _(new_drop, reference):
    _rows = []
    for _column in ("language", "grading_company"):
        if _column in new_drop:
            _old = reference[_column].value_counts(normalize=True).rename("training")
            _new = new_drop[_column].value_counts(normalize=True).rename("new drop")
            _rows.append(pd.concat([_old, _new], axis=1).fillna(0).round(3).rename_axis(_column))
    mo.vstack([mo.md("Category shares, training vs the new drop:"), *_rows])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Document what you found (a mentor reads these)

    1. `FINDINGS`: what is wrong with `new_drop`, in the words you would post in the data
       team's channel: each schema change, each quality problem, each drifted column, and
       what you would ask the partner to fix.
    2. `DRIFT_DECISION`: which drifted column worries you most for the price model, would
       you retrain on this drop, and why? Note the price column: what does PSI say, what does
       KS say, and why can one drift metric not be enough?
    3. `FALSE_ALARMS`: how did you keep your validator from raising alarms on a healthy
       drop? Name one check you considered and left out, and why.

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    FINDINGS = """Schema: card_hp arrives as hp and condition as card_condition (renamed), print_run and attacks
    are gone, and seller_rating, listing_title and shipping_usd are new. Types: sale_date now carries a time and a
    Z (ISO timestamp) and first_edition is 0/1 instead of True/False. No missing values, duplicates or unknown
    categories in the columns we still have. Drift: Japanese sales and graded copies are up sharply, and prices
    moved. I would ask the partner for a changelog and to keep the old names for a transition period."""
    DRIFT_DECISION = """Language worries me most: half the modern sales are now Japanese, a segment the model saw
    rarely, and Japanese cards price differently. Price PSI is just under 0.1, which a PSI-only monitor would
    call stable, while KS finds a p-value near 1e-21: the whole distribution shifted up by about half, within
    the same deciles. I would retrain once the schema is mapped, with the new quarter weighted in, and watch the
    error on Japanese cards separately."""
    FALSE_ALARMS = """Every check comes from the contract (types, allowed values, ranges, required columns), never
    from the data's own statistics, so rare but valid cards are not flagged. I left out a z-score outlier check
    on price: prices are heavy-tailed, a $20,000 Charizard is valid, and it fired on every healthy drop. Drift
    thresholds are PSI 0.1 and KS p below 0.001 on thousands of rows, and ids and sale dates are excluded."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="Finds the renamed and removed columns of new_drop", hint="Compare column names with the contract (FIELDS), both ways.", lesson="01_data_engineering.py#Schemas as contracts")
def test_schema_of_new_drop():
    report = validate_drop(coursedata.load_drop("new_drop"), coursedata.load_cards())
    assert report["missing_columns"] == ["attacks", "card_hp", "condition", "print_run"]
    assert report["unexpected_columns"] == ["card_condition", "hp", "listing_title", "seller_rating", "shipping_usd"]
    assert report["accept"] is False


@app.function
@criterion(points=5, title="Quiet on training data itself", hint="Check only what the contract forbids: clean data must give an empty, accepting report.", lesson="01_data_engineering.py#2. Data quality: find problems systematically")
def test_quiet_on_training_data():
    cards = coursedata.load_cards()
    as_text = pd.read_csv(coursedata.DATA_DIR / "cards.csv", dtype=str, keep_default_na=False, na_values=[""]).iloc[:3_000]
    report = validate_drop(as_text, cards)
    assert report["quality"] == [] and report["type_problems"] == [] and report["accept"] is True


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_schema_of_new_drop,
        test_quiet_on_training_data,
        item="1.challenge",
    )
    return


if __name__ == "__main__":
    app.run()
