"""Hidden checks of exercise 4.1: the metric fits each scenario's question, and its value is right.

The data here is not the notebook's: the classifier's out-of-fold predictions on the training
species (scenarios 1 and 2, with another capacity) and the card sales of late 2024 (scenario 3).
"""

from __future__ import annotations

import math

import coursedata
import pandas as pd
import pytest
from coursedata.type_classifier import fit_type_classifier, out_of_fold
from sklearn import metrics

from grading.criteria import criterion
from grading.testing import Miss

LESSON = "04_model_evaluation.py"
METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc", "average_precision",
           "precision_at_k", "recall_at_k", "mae", "rmse", "mape", "r2")
CAPACITY = 40
FITS = {
    "dragon": {"recall", "f1", "average_precision"},
    "queue": {"precision_at_k", "recall_at_k"},
    "price": {"mae", "rmse"},
}


@pytest.fixture(scope="session")
def oof() -> pd.DataFrame:
    _, train, _ = fit_type_classifier()
    return out_of_fold(train)


@pytest.fixture(scope="session")
def dragons(oof) -> pd.DataFrame:
    return pd.DataFrame({"name": oof["name"], "y_true": (oof["type_1"] == "dragon").astype(int),
                         "y_pred": (oof["predicted"] == "dragon").astype(int), "score": oof["p_dragon"]})


@pytest.fixture(scope="session")
def queue(oof) -> pd.DataFrame:
    return pd.DataFrame({"name": oof["name"], "y_true": (~oof["correct"]).astype(int), "score": 1 - oof["confidence"]})


@pytest.fixture(scope="session")
def prices() -> pd.DataFrame:
    cards = coursedata.load_cards()
    earlier = cards[cards["sale_date"] < "2024-01-01"]
    later = cards[(cards["sale_date"] >= "2024-07-01") & (cards["sale_date"] < "2025-01-01")].reset_index(drop=True)
    mean = earlier.groupby(["rarity", "condition"])["price_usd"].mean()  # another estimator than the notebook's
    keys = pd.MultiIndex.from_frame(later[["rarity", "condition"]])
    estimate = mean.reindex(keys).fillna(earlier["price_usd"].median()).to_numpy()
    return pd.DataFrame({"sale_id": later["sale_id"], "y_true": later["price_usd"], "y_pred": estimate})


def answer(value, function: str) -> tuple[str, float]:
    if not isinstance(value, dict) or not {"metric", "value"} <= set(value):
        raise Miss(f'{function}() must return a dict {{"metric": ..., "value": ...}}; it returned {type(value).__name__}'
                   + (f" with keys {sorted(map(str, value))[:5]}" if isinstance(value, dict) else "") + ".")
    metric, number = value["metric"], value["value"]
    if metric not in METRICS:
        raise Miss(f"{function}() returned metric {str(metric)[:40]!r}, which is not in METRICS.")
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
        raise Miss(f"{function}() returned value {str(number)[:40]!r}; expected a finite float.")
    return metric, float(number)


def top_k(data: pd.DataFrame, k: int) -> pd.DataFrame:
    return data.sort_values("score", ascending=False, kind="stable").head(k)


def expected(metric: str, data: pd.DataFrame, capacity: int | None = None) -> float:
    y, pred = data["y_true"], data.get("y_pred")
    if metric == "recall":
        return metrics.recall_score(y, pred, zero_division=0)
    if metric == "f1":
        return metrics.f1_score(y, pred, zero_division=0)
    if metric == "average_precision":
        return metrics.average_precision_score(y, data["score"])
    if metric == "precision_at_k":
        return top_k(data, capacity)["y_true"].mean()
    if metric == "recall_at_k":
        return top_k(data, capacity)["y_true"].sum() / y.sum()
    if metric == "mae":
        return metrics.mean_absolute_error(y, pred)
    if metric == "rmse":
        return math.sqrt(metrics.mean_squared_error(y, pred))
    raise AssertionError(metric)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


@criterion(id="dragon_metric_fits", points=15, title="Dragon alerts: a metric of the rare class",
           hint="About 5 % of species are dragons, so a model that never alerts is 95 % accurate. Accuracy (and "
                "precision alone, which ignores missed dragons) cannot see the costly error: choose a metric "
                "that falls when dragons are missed (recall, or F1 / average precision of the dragon class).",
           lesson=f"{LESSON}#1. Accuracy misleads")
def test_dragon_metric_fits(submission, dragons):
    metric, _ = answer(submission.dragon_alert_metric(dragons), "dragon_alert_metric")
    if metric not in FITS["dragon"]:
        raise Miss(f"{metric!r} does not answer the dragon-alert question.")


@criterion(id="dragon_value_recomputed", points=15, title="Dragon alerts: the value is the dragon class's",
           hint="Compute the metric for the dragon class (label 1). `average='macro'` or `'weighted'` averages "
                "in the non-dragon class, which the model gets right almost always, and hides the misses.",
           lesson=f"{LESSON}#2. Precision, recall and the confusion matrix")
def test_dragon_value_recomputed(submission, dragons):
    metric, value = answer(submission.dragon_alert_metric(dragons), "dragon_alert_metric")
    if metric not in FITS["dragon"]:
        raise Miss("Choose a metric that fits the scenario first (see the criterion above).")
    if not close(value, expected(metric, dragons)):
        raise Miss(f"On other data your {metric} is {value:.4f}; recomputed for the dragon class it is "
                   f"{expected(metric, dragons):.4f}.")


@criterion(id="queue_metric_fits", points=15, title="Review queue: a metric at the capacity",
           hint="The reviewers check a fixed number of listings. ROC AUC (or average precision) scores the order "
                "of the whole list, most of which nobody reviews: use precision (or recall) at k = capacity.",
           lesson=f"{LESSON}#3. Choosing a metric")
def test_queue_metric_fits(submission, queue):
    metric, _ = answer(submission.review_queue_metric(queue, CAPACITY), "review_queue_metric")
    if metric not in FITS["queue"]:
        raise Miss(f"{metric!r} does not answer the review-queue question.")


@criterion(id="queue_value_recomputed", points=15, title="Review queue: the value uses the capacity's top rows",
           hint="@k means the `capacity` listings with the highest score, sorted descending: not every listing "
                "above a 0.5 score, and not a fixed k from the notebook.",
           lesson=f"{LESSON}#3. Choosing a metric")
def test_queue_value_recomputed(submission, queue):
    for capacity in (CAPACITY, 15):
        metric, value = answer(submission.review_queue_metric(queue, capacity), "review_queue_metric")
        if metric not in FITS["queue"]:
            raise Miss("Choose a metric that fits the scenario first (see the criterion above).")
        want = expected(metric, queue, capacity)
        if not close(value, want):
            raise Miss(f"With capacity={capacity} your {metric} is {value:.4f}; recomputed it is {want:.4f}.")


@criterion(id="price_metric_fits", points=15, title="Displayed price: an error in dollars",
           hint="Many cards sell for cents: a percentage error (MAPE) divides by near-zero prices and is "
                "dominated by the cheapest cards; R² is not in a unit a user reads. Use MAE (or RMSE) in USD.",
           lesson=f"{LESSON}#3. Choosing a metric")
def test_price_metric_fits(submission, prices):
    metric, _ = answer(submission.price_display_metric(prices), "price_display_metric")
    if metric not in FITS["price"]:
        raise Miss(f"{metric!r} does not answer the displayed-price question.")


@criterion(id="price_value_recomputed", points=10, title="Displayed price: the value is right",
           hint="RMSE is the square root of the mean squared error (MSE is in squared dollars); MAE is the mean "
                "absolute difference, both over every row you were given.",
           lesson=f"{LESSON}#3. Choosing a metric")
def test_price_value_recomputed(submission, prices):
    metric, value = answer(submission.price_display_metric(prices), "price_display_metric")
    if metric not in FITS["price"]:
        raise Miss("Choose a metric that fits the scenario first (see the criterion above).")
    if not close(value, expected(metric, prices)):
        raise Miss(f"On other sales your {metric} is {value:.4f}; recomputed it is {expected(metric, prices):.4f}.")
