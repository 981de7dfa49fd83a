"""Rubric section 2, feature engineering (20 points): no skew, no leakage, better than the raw columns."""

from __future__ import annotations

import numpy as np

from grading.capstone_item import bars, metrics, need
from grading.criteria import criterion
from grading.testing import Miss

LESSON_SKEW = "01_data_engineering.py#Training-serving skew"
LESSON_PIPELINE = "02_eda_and_features.py#5 · Pipelines and ColumnTransformer"
LESSON_FEATURES = "02_eda_and_features.py#3 · Designing features"


@criterion(id="features.no_skew", points=7, title="Features at prediction time equal those used in training",
           hint="A feature must be computable from what a request carries (the card, the copy, the date). A feature "
                "built from the sale's own price (or any column the service does not have) differs between training "
                "and serving: the model learns from a value it never gets when it predicts.",
           lesson=LESSON_SKEW)
def test_no_training_serving_skew(training):
    answer = need(training, "skew")
    trained, served = np.asarray(answer["trained"], float), np.asarray(answer["served"], float)
    if trained.shape != served.shape:
        raise Miss(f"the serving path priced {served.size} sales, the training path {trained.size}")
    apart = ~np.isclose(served, np.round(trained, 2), rtol=1e-3, atol=0.011)
    if apart.any():
        i = int(np.flatnonzero(apart)[0])
        raise Miss(f"{int(apart.sum())} of {served.size} recent sales get a different price when served than the "
                   f"training pipeline gives them (e.g. ${served[i]:,.2f} served, ${trained[i]:,.2f} in training)")


@criterion(id="features.canary", points=7, title="Nothing fitted sees a validation row's price (canary rows)",
           hint="Everything learned from data (encoders, scalers, target statistics, the model) must be fitted inside "
                "each training fold, as steps of the pipeline; and no feature may be computed from the target. The "
                "grader multiplied the prices of one validation block by 1,000: no out-of-fold prediction may move.",
           lesson=LESSON_PIPELINE)
def test_canary_rows_move_nothing(training):
    answer = need(training, "canary")
    if answer["validated"] == 0:
        raise Miss("compare() returned no out-of-fold predictions")
    if answer["moved"]:
        where = ("including rows outside the poisoned block: something was fitted on all rows"
                 if answer["moved_outside_block"] else "the poisoned rows' own predictions moved: a feature reads the price")
        raise Miss(f"{answer['moved']} of {answer['validated']} out-of-fold predictions changed (by up to "
                   f"{answer['largest']:.3g} in ln price) when only validation prices changed; {where}")


@criterion(id="features.beat_raw", points=6, title="Your features beat the raw columns on hidden later sales",
           hint="Features encode what you learned in EDA: log scales for print runs, grade steps, vintage and 1st "
                "Edition effects, a card's price level fitted per fold. Passing the raw columns (or dropping most "
                "of them) leaves the model to rediscover all of it from 20,000 sales.",
           lesson=LESSON_FEATURES)
def test_features_beat_raw_columns(training, public, holdout):
    prices = need(training, "holdout_first")
    yours = metrics(holdout["price_usd"], prices)["rmse_log"]
    raw = bars(public, holdout)["raw_columns"]["rmse_log"]
    if not yours < raw:
        raise Miss(f"on the hidden later sales your model's RMSE of ln price is {yours:.3f}; gradient boosting on the "
                   f"raw columns gets {raw:.3f}")
