"""Rubric section 1, data engineering (20 points): validation that catches, training that repeats."""

from __future__ import annotations

import numpy as np

from grading.capstone_item import need
from grading.criteria import criterion
from grading.testing import Miss

LESSON_QUALITY = "01_data_engineering.py#2. Data quality: find problems systematically"
LESSON_REPRO = "01_data_engineering.py#Reproducible pipelines"


@criterion(id="data.validation", points=8, title="validate_sales catches each kind of corrupted sale and passes clean ones",
           hint="Validate against the whole contract (coursedata.schemas.cards(): types, ranges, categories, "
                "cross-column rules), plus what a price model needs: unique sales, positive prices, enough rows. "
                "Checking only that the columns exist lets every bad value through.",
           lesson=LESSON_QUALITY)
def test_validation_catches_corruption(submission, clean_hidden, corrupted):
    problems = submission.validate(clean_hidden, timeout=60)
    if problems:
        raise Miss(f"validate_sales rejected clean sales (later ones than yours): {problems[:2]}")
    missed = [kind for kind, bad in corrupted.items() if not submission.validate(bad, timeout=60)]
    if missed:
        raise Miss(f"validate_sales accepted {len(missed)} of {len(corrupted)} kinds of corrupted sales: {', '.join(missed)}")


@criterion(id="data.own_tests", points=6, title="Your data tests fail on corrupted sales and pass on clean ones",
           hint="Your tests in tests/test_data_validation.py are the alarm: run on corrupted sales, at least one must "
                "fail. A test that passes whatever the data is does not protect training.",
           lesson=LESSON_QUALITY)
def test_own_tests_catch_corruption(submission, clean_hidden, corrupted):
    clean = submission.own_data_tests(clean_hidden, timeout=120)
    if clean["exit"] != 0:
        failed = sorted(k for k, v in clean["outcomes"].items() if v != "passed")
        raise Miss(f"your data tests fail on clean sales (exit {clean['exit']}; failing: {', '.join(failed[:4]) or 'collection'})")
    silent = []
    for kind, bad in corrupted.items():
        if submission.own_data_tests(bad, timeout=120)["exit"] == 0:
            silent.append(kind)
    if silent:
        raise Miss(f"your data tests all passed on sales with {', '.join(silent)}")


@criterion(id="data.reproducible", points=6, title="Training twice gives the same model and metrics",
           hint="Seed everything random (every model's random_state, any sampling, the folds) and keep the data in a "
                "fixed order: the same data and code must give the same version, metrics and predictions.",
           lesson=LESSON_REPRO)
def test_training_is_reproducible(training):
    first, second = need(training, "first", "second")
    chosen = first.get("model")
    rows = {n: {r.get("model"): r for r in m.get("cross_validation", [])} for n, m in (("a", first), ("b", second))}
    a, b = rows["a"].get(chosen), rows["b"].get(chosen)
    if a is None or b is None:
        raise Miss(f"the chosen model {chosen!r} has no row in model.json's cross_validation")
    for metric in ("rmse_log", "median_ape", "mae_usd"):
        if metric in a and abs(float(a[metric]) - float(b.get(metric, np.nan))) > 1e-4 * max(1.0, abs(float(a[metric]))):
            raise Miss(f"cross-validated {metric} of {chosen} was {a[metric]} in one training and {b.get(metric)} in the next")
    p, q = need(training, "holdout_first", "holdout_second")
    differ = int(np.sum(~np.isclose(np.asarray(p), np.asarray(q), rtol=1e-6, atol=0.011)))
    if differ:
        raise Miss(f"two trainings on the same data priced {differ} of {len(p)} hidden sales differently")
    if first.get("version") != second.get("version"):
        raise Miss(f"two trainings on the same data gave versions {first.get('version')} and {second.get('version')}")
