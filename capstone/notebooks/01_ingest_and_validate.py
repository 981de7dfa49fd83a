import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import hashlib

    import coursedata
    import marimo as mo
    import pandas as pd
    from cardprice import data
    from coursedata import schemas


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Capstone 1 · Ingest and validate the sales

    **Module 1 in practice.** Before any model learns from the card sales, prove they are
    fit to learn from: the contract (columns, types, ranges, categories, cross-column
    rules), what a price model needs on top (unique sales, positive prices, enough rows),
    and that loading is reproducible. The code lives in `cardprice/data.py`, so training
    and the service run exactly the checks you see here.

    **Your job in this notebook:** implement `validate_sales` in `cardprice/data.py`,
    show below that it passes the clean data and catches corrupted copies, and write down
    your data decisions.
    """)
    return


@app.cell
def _():
    sales = data.load_sales()
    problems = data.validate_sales(sales)
    mo.md(f"Loaded **{len(sales):,}** sales, {sales['sale_date'].min().date()} to "
          f"{sales['sale_date'].max().date()}; validation problems: **{len(problems)}**.")
    return problems, sales


@app.cell
def _(problems):
    assert problems == [], problems
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Does validation catch what goes wrong upstream?

    A check that passes on clean data proves nothing by itself. Corrupt copies of the sales
    the way real feeds break (a negative price, a duplicated sale, an impossible grade, a
    missing column) and show that each one is caught, with a message someone can act on.
    """)
    return


@app.cell
def _(sales):
    def corrupt(kind: str) -> pd.DataFrame:
        bad = sales.head(2_000).copy()
        if kind == "negative price":
            bad.loc[5, "price_usd"] = -3.0
        elif kind == "duplicated sale":
            bad = pd.concat([bad, bad.iloc[[7]]], ignore_index=True)
        elif kind == "grade out of range":
            graded = bad.index[bad["grading_company"] != "ungraded"][0]
            bad.loc[graded, "grade"] = 11.0
        elif kind == "unknown rarity":
            bad.loc[3, "rarity"] = "Shiny"
        elif kind == "missing column":
            bad = bad.drop(columns=["condition"])
        return bad

    caught = pd.DataFrame([{"corruption": kind, "caught": bool(found := data.validate_sales(corrupt(kind))),
                            "first message": (found or [""])[0][:110]}
                           for kind in ["negative price", "duplicated sale", "grade out of range",
                                        "unknown rarity", "missing column"]])
    caught
    return (caught,)


@app.cell
def _(caught):
    assert caught["caught"].all(), caught
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Reproducible loading

    Load twice and hash the frames: the same bytes in, the same table out (a stable sort by
    date and id, no randomness). The hash is what `capstone train` stores with the model
    (`trained_on.data_sha256` in `models/model.json`), so every model names its data.
    """)
    return


@app.cell
def _():
    def digest(df: pd.DataFrame) -> str:
        return hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()).hexdigest()[:16]

    first, second = digest(data.load_sales()), digest(data.load_sales())
    mo.md(f"first load `{first}`, second load `{second}`: **{'identical' if first == second else 'DIFFERENT'}**")
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## The dirty feed, for comparison

    The course also ships a deliberately dirty copy (`cards_dirty.csv`, Module 1). Read as
    text, the raw contract lists what is wrong with it: this is what the training command
    would refuse.
    """)
    return


@app.cell
def _():
    dirty_problems = schemas.validate(coursedata.load_dirty_cards(), schemas.cards(raw=True))
    mo.md(f"{len(dirty_problems)} problem lines; the first three:\n\n"
          + "\n".join(f"- {line[:140]}" for line in dirty_problems[:3]))
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    DATA_DECISIONS = (
        "Training refuses to start on any contract violation rather than dropping bad rows: a silent drop "
        "changes what the model learns without anyone noticing, while a stopped pipeline is noticed the same "
        "day. Ungraded copies have no grade by design (the contract allows it only for them), so missing grades "
        "are not imputed; the features encode graded and grade separately. Sales are sorted by date and id "
        "so folds and hashes are stable, and each model records the sha256 of the rows it learned from."
    )
    ### END SOLUTION
    return (DATA_DECISIONS,)


@app.cell
def _(DATA_DECISIONS):
    mo.md(f"""
    **Data decisions.** {DATA_DECISIONS or '_(write yours above)_'}
    """)
    return


if __name__ == "__main__":
    app.run()
