"""Error measures for heavy-tailed prices.

Prices span five orders of magnitude: a $1 error on a $0.50 common and on a $5,000 gem mint
are not the same mistake. So the model is fitted and selected on log price (RMSE of ln
price: relative error, every card counts), and reported to people in the units they think
in: dollars (MAE, dominated by expensive cards) and the median absolute percentage error
(what a typical card's estimate is off by).
"""

import numpy as np


def mae_usd(y_true, y_pred) -> float:
    return float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))))


def median_ape(y_true, y_pred) -> float:
    """Median absolute percentage error, as a fraction (0.25 means a typical card is off by 25 %)."""
    ### BEGIN SOLUTION
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return float(np.median(np.abs(y_pred - y_true) / y_true))
    ### END SOLUTION


def rmse_log(y_true, y_pred) -> float:
    """Root mean squared error of ln price: a relative error, the same for a cheap and a dear card."""
    ### BEGIN SOLUTION
    return float(np.sqrt(np.mean((np.log(y_pred) - np.log(y_true)) ** 2)))
    ### END SOLUTION


def interval_coverage(y_true, low, high) -> float:
    y_true = np.asarray(y_true)
    return float(np.mean((y_true >= np.asarray(low)) & (y_true <= np.asarray(high))))


def all_metrics(y_true, y_pred) -> dict:
    return {"mae_usd": mae_usd(y_true, y_pred), "median_ape": median_ape(y_true, y_pred),
            "rmse_log": rmse_log(y_true, y_pred)}
