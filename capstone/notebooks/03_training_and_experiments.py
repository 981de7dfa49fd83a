import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import marimo as mo
    import numpy as np
    from cardprice import data, train


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Capstone 3 · Training and experiments

    **Module 3 in practice.** Compare a baseline and three model families on the *same*
    folds, report the spread and not only the mean, track every run, and choose with a
    reason. The folds are expanding windows in time order (`train.time_folds`): each model
    is trained on the past and scored on the next stretch of sales, because that is the
    job it will do. The hidden holdout is later still, and nothing here can see it.

    **Your job:** implement `candidates` (`cardprice/models.py`), `cross_validate`,
    `compare` and `select` (`cardprice/train.py`), then justify the choice below.
    """)
    return


@app.cell
def _():
    sales = data.load_sales()
    folds = train.time_folds(len(sales))
    mo.md("Folds (train rows → validation rows): " + ", ".join(
        f"{len(t):,} → {len(v):,} (from {sales['sale_date'].iloc[v[0]].date()})" for t, v in folds))
    return (sales,)


@app.cell
def _(sales):
    results, oof = train.compare(sales, track=True, log=lambda _: None)
    shown = results[["model", "rmse_log", "rmse_log_std", "median_ape", "median_ape_std", "mae_usd",
                     "mae_usd_std", "fit_seconds"]].round(3)
    shown
    return oof, results


@app.cell
def _(results):
    chosen = train.select(results)
    best, runner_up = results.set_index("model").loc[chosen], results[results["model"] != "baseline"].sort_values(
        "rmse_log").iloc[1]
    base = results.set_index("model").loc["baseline"]
    mo.md(f"""
    **Chosen: `{chosen}`**, RMSE of ln price {best.rmse_log:.3f} ± {best.rmse_log_std:.3f} across folds, against
    {runner_up.rmse_log:.3f} ± {runner_up.rmse_log_std:.3f} for `{runner_up.model}` and {base.rmse_log:.3f} for
    the median-by-rarity baseline. A typical card's estimate is off by {best.median_ape:.0%}
    (baseline {base.median_ape:.0%}).

    Every run is in MLflow: `uv run mlflow ui --backend-store-uri sqlite:///capstone/mlflow.db`
    (experiment `capstone-card-prices`: parameters, every fold's metrics, mean and spread).
    """)
    return (chosen,)


@app.cell
def _(chosen, oof, sales):
    y_log = np.log(sales["price_usd"].to_numpy())
    low, high = train.interval_from_errors(y_log, oof[chosen])
    mo.md(f"""
    ## An uncertainty range from honest errors

    The service shows an 80 % range: the prediction times exp(q) for the 10th and 90th
    percentiles of the chosen model's *out-of-fold* log errors: ×{np.exp(low):.2f} to
    ×{np.exp(high):.2f}. Errors measured on rows the model never trained on; training
    errors would give a range far too narrow. Notebook 4 checks its coverage out of time.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    MODEL_CHOICE = (
        "XGBoost has the lowest mean RMSE of ln price, and its lead over the random forest is larger than "
        "either model's fold-to-fold spread, so it is not the luck of one split; it is also best on median "
        "percentage error and on dollars. The ridge regression is the one I would fall back to if "
        "interpretability or a tiny footprint mattered more: it is linear in features that already encode "
        "the domain (log print run, grade steps) and beats the forest in dollars. Every family beats the "
        "median-by-rarity baseline by more than half, so most of the signal is in the features."
    )
    ### END SOLUTION
    return (MODEL_CHOICE,)


@app.cell
def _(MODEL_CHOICE):
    mo.md(f"**Why this model.** {MODEL_CHOICE or '_(write yours above)_'}")
    return


if __name__ == "__main__":
    app.run()
