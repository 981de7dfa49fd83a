import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import altair as alt
    import marimo as mo
    import numpy as np
    import pandas as pd
    from cardprice import data, features


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Capstone 2 · EDA and features

    **Module 2 in practice.** Look at the prices until they tell you what to build, then
    turn a sale into model inputs in `cardprice/features.py`. Two rules: every feature is
    computable when a card is priced (the service calls the same `build_features`), and
    anything *fitted* (encoders, scalers) is fitted inside the model pipeline, so in
    cross-validation it only sees the training fold.

    **Your job:** implement `derived_features` and `make_preprocessor`, justify each
    feature, and show that they carry no leakage.
    """)
    return


@app.cell
def _():
    sales = data.load_sales()
    price = sales["price_usd"]
    mo.md(f"""
    ## Prices are heavy-tailed

    Median **\\${price.median():,.2f}**, mean **\\${price.mean():,.2f}**, 99th percentile
    **\\${price.quantile(0.99):,.0f}**, maximum **\\${price.max():,.0f}**. The mean is
    {price.mean() / price.median():.0f} times the median: a model fitted on dollars would spend
    its effort on a few hundred expensive cards. So the target is ln(price).
    """)
    return price, sales


@app.cell
def _(price):
    # binned in pandas: altair refuses to embed more than 5,000 raw rows in a chart
    counts, edges = np.histogram(np.log10(price), bins=50)
    bins = pd.DataFrame({"from": edges[:-1], "to": edges[1:], "sales": counts})
    alt.Chart(bins).mark_bar().encode(
        alt.X("from:Q", bin="binned", title="log10(price in $)"), alt.X2("to:Q"), alt.Y("sales:Q", title="sales"),
    ).properties(width=560, height=200, title="Sale prices span five orders of magnitude")
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explore: what moves the price?

    Pick a column: the chart shows the median price of each of its values (log scale) and
    how many sales each rests on. Before reading on, predict which columns will matter.
    """)
    return


@app.cell
def _():
    column = mo.ui.dropdown(["rarity", "condition", "grading_company", "grade", "language", "marketplace",
                             "mechanic", "first_edition", "release year"], value="rarity", label="column")
    column
    return (column,)


@app.cell
def _(column, sales):
    values = sales["release_date"].dt.year if column.value == "release year" else sales[column.value]
    summary = (pd.DataFrame({"value": values.astype(str), "price": sales["price_usd"]})
               .groupby("value").agg(median_price=("price", "median"), sales=("price", "size")).reset_index())
    alt.Chart(summary).mark_bar().encode(
        alt.X("value:N", sort="-y", title=column.value),
        alt.Y("median_price:Q", scale=alt.Scale(type="log"), title="median price ($, log scale)"),
        tooltip=["value", alt.Tooltip("median_price:Q", format=".2f"), "sales"],
    ).properties(width=560, height=220, title=f"Median price by {column.value}")
    return


@app.cell
def _(sales):
    graded = sales["grading_company"] != "ungraded"
    mo.md(f"""
    ## A selection effect: who sends cards to grading?

    {graded.mean():.0%} of sales are graded copies, with a median price of
    **\\${sales.loc[graded, 'price_usd'].median():,.2f}** against
    **\\${sales.loc[~graded, 'price_usd'].median():,.2f}** for raw copies. Owners grade the
    copies already worth grading, so "graded" partly measures *value*, not only the slab.
    The model can use it (it is known at prediction time), but the gap is not the price of
    grading, and the model card must not claim it is.
    """)
    return


@app.cell
def _(sales):
    X = features.build_features(sales)
    X.describe().T.round(2)
    return (X,)


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## No leakage, shown rather than claimed

    1. *Row-wise features do not look at other rows or at the price.* Scramble every price
       and rebuild: the derived features must not change.
    2. *The fitted species encoding is cross-fitted.* A species' price level is learned
       from other rows only (sklearn's `TargetEncoder` with internal folds), so a row never
       encodes its own price.
    """)
    return


@app.cell
def _(X, sales):
    scrambled = sales.assign(price_usd=np.random.default_rng(0).permutation(sales["price_usd"].to_numpy()))
    unchanged = features.build_features(scrambled).equals(X)
    assert unchanged
    mo.md(f"Derived features after scrambling every price: **{'identical' if unchanged else 'CHANGED (leak!)'}**.")
    return


@app.cell
def _(X, sales):
    y = np.log(sales["price_usd"].to_numpy())
    encoder = features.make_preprocessor()
    cross_fitted = encoder.fit_transform(X, y)
    refit = encoder.transform(X)
    level = list(encoder.get_feature_names_out()).index("species")
    # fit_transform cross-fits; transform uses the full fit: they differ exactly because rows do not see themselves
    own_price_gap = float(np.mean(np.abs(cross_fitted[:, level] - refit[:, level])))
    mo.md(f"Species encoding, cross-fitted vs. fitted on all rows: mean difference **{own_price_gap:.3f}** ln \\$ "
          "per row; the cross-fitted values are what training sees.")
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    FEATURE_RATIONALE = (
        "rarity_rank: collectors price rarity as an order, so one ordinal beats six unrelated dummies. "
        "log_print_run: scarcity acts multiplicatively over four orders of magnitude. age_years and wotc: "
        "vintage Wizards of the Coast cards carry a premium beyond age alone. graded, grade_points, "
        "grade_9_5_plus, grade_10 and vintage_gem: the grading market jumps at 9.5 and 10, and a vintage gem "
        "mint is its own market. raw_condition only for raw copies, because a slab's condition is implied by "
        "its grade. years_since_start and december: market drift and holiday demand, both known at sale time. "
        "species target encoding: popularity is not a column, but a species' typical price reveals it; it is "
        "cross-fitted so no row sees its own price."
    )
    ### END SOLUTION
    return (FEATURE_RATIONALE,)


@app.cell
def _(FEATURE_RATIONALE):
    mo.md(f"""
    **Why these features.** {FEATURE_RATIONALE or '_(write yours above)_'}
    """)
    return


if __name__ == "__main__":
    app.run()
