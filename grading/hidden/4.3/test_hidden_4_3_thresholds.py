"""Hidden checks of exercise 4.3: the cost function, a threshold tuned on validation only, and the
comparison with TunedThresholdClassifierCV.

Hidden data: other costs, another tagger ("is it Psychic?") and the Normal tagger's scores on
another scale (a retrained model whose scores shifted), so a threshold that is not searched on
the validation frame it is given misses the optimum.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from coursedata.type_classifier import fit_type_classifier, one_vs_rest_scores

from grading.criteria import criterion
from grading.testing import Miss

LESSON = "04_model_evaluation.py"
# (validation frame, costs) pairs; the tuned threshold must come close to each one's optimum.
HIDDEN_COSTS = [{"false_positive": 3.0, "false_negative": 4.0}, {"false_positive": 1.5, "false_negative": 5.0},
                {"false_positive": 1.0, "false_negative": 3.0}]


def shifted(frame: pd.DataFrame, by: float) -> pd.DataFrame:
    """The same ranking on another scale: logit(score) moved by `by`."""
    p = frame["score"].clip(1e-9, 1 - 1e-9)
    return frame.assign(score=1 / (1 + np.exp(-(np.log(p / (1 - p)) + by))))


@pytest.fixture(scope="session")
def taggers() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    normal = one_vs_rest_scores("normal")
    return {"normal": normal, "psychic": one_vs_rest_scores("psychic"),
            "normal_shifted": tuple(shifted(f, -1.5) for f in normal)}


def cost(y, score, threshold, costs) -> float:
    y, tagged = np.asarray(y), np.asarray(score) >= threshold
    return float((np.sum(tagged & (y == 0)) * costs["false_positive"]
                  + np.sum(~tagged & (y == 1)) * costs["false_negative"]) / len(y))


def best(frame: pd.DataFrame, costs) -> tuple[float, float]:
    candidates = np.unique(np.concatenate([frame["score"].to_numpy(), [np.inf]]))
    values = [cost(frame["y_true"], frame["score"], t, costs) for t in candidates]
    return float(candidates[int(np.argmin(values))]), float(min(values))


def number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Miss(f"{what} returned {str(value)[:40]!r}; expected a finite float.")
    return float(value)


# Hand-made confusion cases: (y_true, score, threshold, costs, expected mean cost).
CASES = [
    ([1, 0, 1, 0, 1], [0.9, 0.8, 0.1, 0.2, 0.5], 0.5, {"false_positive": 2.5, "false_negative": 7.0}, (2.5 + 7.0) / 5),
    ([0, 0, 0, 1], [0.3, 0.3, 0.9, 0.3], 0.3, {"false_positive": 1.0, "false_negative": 10.0}, 3 / 4),
    ([1, 1, 1, 0, 0, 0], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 0.45, {"false_positive": 4.0, "false_negative": 1.0}, (3 + 8) / 6),
    ([0, 1], [0.0, 1.0], 0.5, {"false_positive": 9.0, "false_negative": 9.0}, 0.0),
]


@criterion(id="cost_function_recomputed", points=20, title="The expected cost is the mean cost per species",
           hint="A false positive (tagged, not Normal) costs costs['false_positive'], a false negative (a missed Normal) "
                "costs costs['false_negative']; a score equal to the threshold is tagged; divide by the number of "
                "species. Swapping the two costs optimises the wrong trade-off.",
           lesson=f"{LESSON}#4. Thresholds and costs")
def test_cost_function_recomputed(submission):
    for y, score, threshold, costs, want in CASES:
        got = number(submission.expected_cost(y, score, threshold, costs), "expected_cost()")
        if abs(got - want) > 1e-9:
            raise Miss(f"expected_cost(y_true={y}, score={score}, threshold={threshold}, costs={costs}) returned "
                       f"{got:.4f}; expected {want:.4f}.")


@criterion(id="threshold_near_optimal", points=30, title="The threshold minimises the cost on the validation data given",
           hint="Search the threshold on the validation frame you receive. A fixed 0.5 ignores the costs, and "
                "c_fp / (c_fp + c_fn) is the optimum only for calibrated probabilities: a class-weighted tagger's "
                "scores are inflated, so calibrate first (isotonic, Platt) or search the threshold on the scores.",
           lesson=f"{LESSON}#5. Calibration")
def test_threshold_near_optimal(submission, taggers):
    for (_name, (validation, _)), costs in zip(taggers.items(), HIDDEN_COSTS, strict=True):
        chosen = number(submission.choose_threshold(validation, costs), "choose_threshold()")
        _, optimum = best(validation, costs)
        got = cost(validation["y_true"], validation["score"], chosen, costs)
        if got > optimum * 1.02 + 0.002:
            raise Miss(f"On a hidden validation frame with costs {costs}, your threshold {chosen:.3f} costs "
                       f"{got:.3f} per species; the best threshold costs {optimum:.3f}.")


@criterion(id="report_tuned_on_validation", points=20, title="The report tunes on validation and reads test once",
           hint="threshold_report() takes its threshold from choose_threshold(validation, costs): choosing it on the "
                "test split makes the test cost an optimistic, in-sample number. Then it evaluates the test split at "
                "that threshold and at 0.5.",
           lesson=f"{LESSON}#4. Thresholds and costs")
def test_report_tuned_on_validation(submission, taggers):
    validation, _ = taggers["normal"]
    _, test = taggers["normal_shifted"]  # its own optimum is elsewhere
    costs = HIDDEN_COSTS[0]
    report = submission.threshold_report(validation, test, costs)
    keys = {"threshold", "test_cost", "test_cost_at_half"}
    if not isinstance(report, dict) or not keys <= set(report):
        raise Miss(f"threshold_report() must return a dict with keys {sorted(keys)}.")
    threshold = number(report["threshold"], "threshold_report()['threshold']")
    chosen = number(submission.choose_threshold(validation, costs), "choose_threshold()")
    on_test, _ = best(test, costs)
    if abs(threshold - chosen) > 1e-9:
        where = " It is the test split's own optimum: the threshold was tuned on test." if abs(threshold - on_test) < 1e-9 else ""
        raise Miss(f"The report's threshold {threshold:.3f} is not choose_threshold(validation) = {chosen:.3f}.{where}")
    for key, at in (("test_cost", threshold), ("test_cost_at_half", 0.5)):
        got, want = number(report[key], f"threshold_report()[{key!r}]"), cost(test["y_true"], test["score"], at, costs)
        if abs(got - want) > 1e-9:
            raise Miss(f"report[{key!r}] is {got:.4f}; the expected cost on the test frame at {at:.3f} is {want:.4f}.")


@pytest.fixture(scope="session")
def train() -> pd.DataFrame:
    return fit_type_classifier().train


@criterion(id="sklearn_uses_the_costs", points=15, title="TunedThresholdClassifierCV is scored by the costs",
           hint="Pass `scoring=make_scorer(...)` built from your cost (lower is better: negate it, or "
                "`greater_is_better=False`). Its default objective, balanced accuracy, ignores what errors cost.",
           lesson=f"{LESSON}#4. Thresholds and costs")
def test_sklearn_uses_the_costs(submission, train):
    cheap_fp = number(submission.sklearn_threshold(train, {"false_positive": 1.0, "false_negative": 4.0}, timeout=60),
                      "sklearn_threshold()")
    dear_fp = number(submission.sklearn_threshold(train, {"false_positive": 4.0, "false_negative": 1.0}, timeout=60),
                     "sklearn_threshold()")
    if not 0 <= cheap_fp <= 1 or not 0 <= dear_fp <= 1:
        raise Miss(f"The thresholds should be between 0 and 1; got {cheap_fp:.3f} and {dear_fp:.3f}.")
    if dear_fp < cheap_fp + 0.05:
        raise Miss(f"With false positives 16 times dearer the threshold should rise; it went from {cheap_fp:.3f} "
                   f"to {dear_fp:.3f}.")
