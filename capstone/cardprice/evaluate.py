"""Out-of-time evaluation and error analysis by slice, on the public sales only.

The last stretch of public sales plays the future: fit on everything before `cutoff`,
score after it. (The grader's hidden holdout is later still; nothing here can see it.)
"""

import numpy as np
import pandas as pd

from . import data, features, metrics, models

CUTOFF = pd.Timestamp("2025-01-01")
PRICE_BANDS = [0, 2, 10, 50, 250, np.inf]


def out_of_time_split(sales: pd.DataFrame, cutoff: pd.Timestamp = CUTOFF) -> tuple[pd.DataFrame, pd.DataFrame]:
    before = sales["sale_date"] < cutoff
    return sales[before].reset_index(drop=True), sales[~before].reset_index(drop=True)


def fit_and_score(name: str, train: pd.DataFrame, test: pd.DataFrame) -> tuple[dict, np.ndarray]:
    """Fit one model family (or "baseline") on `train`, return its metrics on `test` and its dollar predictions."""
    estimator = models.baseline() if name == "baseline" else models.candidates()[name]
    estimator.fit(features.build_features(train), np.log(train[data.TARGET].to_numpy()))
    predicted = np.exp(estimator.predict(features.build_features(test)))
    return metrics.all_metrics(test[data.TARGET], predicted), predicted


def slices(sales: pd.DataFrame) -> pd.DataFrame:
    """The slices error analysis looks at: rarity, graded or raw, era, language, marketplace, price band."""
    ### BEGIN SOLUTION
    return pd.DataFrame({
        "rarity": sales["rarity"],
        "graded": np.where(sales["grading_company"] == "ungraded", "raw", "graded"),
        "era": np.where(sales["release_date"] <= features.WOTC_LAST_RELEASE, "WotC vintage", "modern"),
        "language": sales["language"],
        "marketplace": sales["marketplace"],
        "price_band": pd.cut(sales[data.TARGET], PRICE_BANDS, right=False,
                             labels=["< $2", "$2-10", "$10-50", "$50-250", "$250+"]).astype(str),
    }, index=sales.index)
    ### END SOLUTION


def slice_errors(sales: pd.DataFrame, predicted: np.ndarray, by: str) -> pd.DataFrame:
    """Error per value of one slice: rows, median APE, RMSE of ln price, MAE in dollars; worst first."""
    ### BEGIN SOLUTION
    frame = pd.DataFrame({"slice": slices(sales)[by], "y": sales[data.TARGET].to_numpy(), "p": predicted})
    rows = []
    for value, group in frame.groupby("slice", sort=False):
        rows.append({by: value, "rows": len(group), **metrics.all_metrics(group["y"], group["p"])})
    return pd.DataFrame(rows).sort_values("rmse_log", ascending=False).reset_index(drop=True)
    ### END SOLUTION
