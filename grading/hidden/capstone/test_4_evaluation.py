"""Rubric section 4, evaluation (20 points): later sales, fair metrics, slices that are real."""

from __future__ import annotations

import numpy as np

from grading.capstone_item import bars, metrics, need
from grading.criteria import criterion
from grading.testing import Miss

LESSON_METRIC = "04_model_evaluation.py#3. Choosing a metric"
LESSON_COMPARE = "04_model_evaluation.py#7. Is a gain real? Comparing models"
REFERENCE_RMSE_LOG = 0.551  # the reference system on the hidden holdout (docs/model_card.md, bench/capstone.py)
BAR = 1.10  # within 10 % of the reference


@criterion(id="evaluation.holdout", points=12,
           title=f"On hidden later sales: better than the baseline, and RMSE of ln price within {BAR - 1:.0%} of the reference",
           hint="Judge models by their error on sales after the training window: ship the family that validates best "
                "on time-ordered folds and beats the median-by-rarity baseline in ln price and in dollars.",
           lesson=LESSON_COMPARE)
def test_holdout_error(training, public, holdout):
    prices = np.asarray(need(training, "holdout_first"), float)
    if prices.shape != (len(holdout),) or not np.isfinite(prices).all() or (prices <= 0).any():
        raise Miss("your model did not give a positive, finite price for every hidden sale")
    yours, yard = metrics(holdout["price_usd"], prices), bars(public, holdout)
    base = yard["baseline"]
    problems = []
    if not (yours["rmse_log"] < base["rmse_log"] and yours["mae_usd"] < base["mae_usd"]):
        problems.append(f"RMSE ln {yours['rmse_log']:.3f} and MAE ${yours['mae_usd']:.2f}, against the baseline's "
                        f"{base['rmse_log']:.3f} and ${base['mae_usd']:.2f}")
    bar = BAR * REFERENCE_RMSE_LOG
    if yours["rmse_log"] > bar:
        problems.append(f"RMSE ln {yours['rmse_log']:.3f} above the bar of {bar:.3f}")
    if problems:
        raise Miss("on the hidden later sales: " + "; ".join(problems))


@criterion(id="evaluation.analysis", points=8,
           title="Metrics fit heavy-tailed prices, and the error by slice recomputes",
           hint="RMSE of ln price is computed on logs (log(pred) - log(true)), a relative error every card counts in; "
                "the median absolute percentage error is |pred - true| / true. An RMSE on dollars is dominated by the "
                "few dear cards. Each slice's error must be computed on that slice's rows only.",
           lesson=LESSON_METRIC)
def test_metrics_and_slices(submission, public):
    rng = np.random.default_rng(7)
    truth = np.exp(rng.normal(1.5, 1.6, 400))
    pred = truth * np.exp(rng.normal(0, 0.5, 400))
    theirs, ours = submission.metric_values(truth.tolist(), pred.tolist(), timeout=30), metrics(truth, pred)
    for name in ("rmse_log", "median_ape", "mae_usd"):
        if name not in theirs or not np.isclose(theirs[name], ours[name], rtol=1e-4):
            raise Miss(f"metrics.all_metrics gave {name} = {theirs.get(name)} where the definition gives {ours[name]:.4f}")
    sample = public.sample(3_000, random_state=11).reset_index(drop=True)
    predicted = sample["price_usd"].to_numpy() * np.exp(rng.normal(0, 0.6, len(sample)))
    labels = submission.slice_labels(sample, timeout=60)
    if len(labels) != len(sample) or labels.shape[1] < 4:
        raise Miss(f"evaluate.slices gave {labels.shape[1]} slices for {len(labels)} of {len(sample)} rows; at least 4, one label per row")
    for by in labels.columns:
        values = labels[by].nunique()
        if not 2 <= values <= 60:
            raise Miss(f"slice {by!r} has {values} values: a slice groups rows into a few readable groups")
    for by in list(labels.columns)[:3]:
        table = submission.slice_table(sample, predicted.tolist(), by, timeout=60)
        for _, row in table.iterrows():
            rows = (labels[by] == str(row[by])).to_numpy()
            expect = metrics(sample["price_usd"].to_numpy()[rows], predicted[rows])["rmse_log"]
            if int(row["rows"]) != int(rows.sum()) or not np.isclose(float(row["rmse_log"]), expect, rtol=1e-3):
                raise Miss(f"slice_errors by {by}, {row[by]}: {int(row['rows'])} rows and RMSE ln {float(row['rmse_log']):.3f}; "
                           f"recomputed on that slice's rows: {int(rows.sum())} rows, {expect:.3f}")
