"""Hidden checks of exercise 3.3: the tuner's choice refitted and measured here, in the grader's process
(latency as a ratio to the reference, interleaved medians; too noisy means TooBusy, never a fail), the
CPU the tuning used, the reported validation score, and the choice's accuracy on fresh sales.

The compute budget is counted in work, not in seconds: a busy or slow machine makes every fit and every
measurement cost more CPU, so a fixed number of seconds would let a tuner try fewer candidates, and choose
worse, the busier the machine. The budget passed is BUDGET_CANDIDATES times the CPU that one candidate's
work (fit the production model, measure its latency ratio) costs here and now.
"""

from __future__ import annotations

import math
import time

import coursedata
import numpy as np
import pandas as pd
import pytest

from grading.criteria import criterion
from grading.hidden._shared.module3 import FEATURES, numeric_sales
from grading.testing import Miss, TooBusy, unwrap

LESSON = "03_model_training.py#9 · Hyperparameters under a latency budget"
LESSON_SPLITS = "03_model_training.py#2 · Train, validation, test: and why three"
SEARCH_SPACE = {
    "max_iter": [10, 25, 50, 100, 200, 400, 800],
    "learning_rate": [0.03, 0.05, 0.1, 0.2, 0.3],
    "max_leaf_nodes": [7, 15, 31, 63, 127],
    "max_depth": [None, 2, 3, 4, 6],
    "l2_regularization": [0.0, 0.1, 1.0],
}
REFERENCE_PARAMS = {"max_iter": 100}
LATENCY_BUDGET, CLEARLY_OVER = 1.0, 1.25
BUDGET_CANDIDATES = 8  # about 4 s of CPU on a quiet 2-core machine
TARGET = "worth_listing"
TRAIN, VALIDATION, FRESH = (8_000, 11_000), (11_000, 12_500), (13_000, 16_000)


def listing_table(cards: pd.DataFrame) -> pd.DataFrame:
    """As the notebook's listing_table (tests/test_module3.py keeps the two equal)."""
    return numeric_sales(cards, TARGET, 2.0)


def make_model(params: dict):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(random_state=0, **params)


def rows(span) -> pd.DataFrame:
    return listing_table(coursedata.load_cards().iloc[span[0]:span[1]])


def checked(choice) -> dict:
    shape = ('tune() must return {"params": {name: value from SEARCH_SPACE}, "validation_score": float, '
             '"latency_ratio": float, "tried": int}')
    if not isinstance(choice, dict) or not {"params", "validation_score", "latency_ratio", "tried"} <= set(choice):
        got = sorted(map(str, choice)) if isinstance(choice, dict) else type(choice).__name__
        raise Miss(f"{shape}; it returned {got}.")
    params = choice["params"]
    if not isinstance(params, dict):
        raise Miss(f'{shape}; "params" was {type(params).__name__}.')
    for key, value in params.items():
        if key not in SEARCH_SPACE or value not in SEARCH_SPACE[key]:
            raise Miss(f"params {key}={value!r} is outside SEARCH_SPACE.")
    for key in ("validation_score", "latency_ratio"):
        if not isinstance(choice[key], float | int) or not math.isfinite(choice[key]):
            raise Miss(f'{shape}; "{key}" was {str(choice[key])[:40]}.')
    if not isinstance(choice["tried"], int) or choice["tried"] < 1:
        raise Miss(f'{shape}; "tried" must count the candidates you evaluated.')
    return choice


@pytest.fixture(scope="module")
def data():
    return rows(TRAIN), rows(VALIDATION)


def candidate_seconds(train: pd.DataFrame, validation: pd.DataFrame, samples: int = 3) -> float:
    """CPU seconds, here and now, of one candidate's work as the lesson does it: fit the production model on
    one thread (the learner's worker runs with OMP_NUM_THREADS=1) and measure its latency ratio. Median of
    `samples`, so one preempted sample does not set the budget."""
    from threadpoolctl import threadpool_limits

    row = validation[FEATURES].iloc[[0]]
    costs = []
    with threadpool_limits(1):
        for _ in range(samples):
            start = time.process_time()
            model = make_model(REFERENCE_PARAMS).fit(train[FEATURES], train[TARGET])
            block_ratios(model, model, row, blocks=1)
            costs.append(time.process_time() - start)
    return float(np.median(costs))


@pytest.fixture(scope="module")
def tuned(submission, data):
    """(choice or Miss, CPU seconds the call used, CPU seconds allowed). The allowance is measured again
    after the call, so a load that rose while the tuner ran raises it (never lowers it)."""
    train, validation = data
    unit = candidate_seconds(train, validation)
    budget = round(BUDGET_CANDIDATES * unit, 2)
    before = submission._session.cpu_used
    try:
        choice = checked(submission.tune(train, validation, budget, timeout=60 + 4 * budget))
    except Miss as miss:
        choice = miss
    used = submission._session.cpu_used - before
    unit = max(unit, candidate_seconds(train, validation, samples=1))
    return choice, used, {"budget": budget, "allowed": 1.25 * BUDGET_CANDIDATES * unit + 4 * unit}


@pytest.fixture(scope="module")
def refitted(tuned, data):
    """The learner's choice and the reference, fitted here on the same training rows."""
    choice = tuned[0]
    if isinstance(choice, BaseException):
        return None
    train, _ = data
    return (make_model(choice["params"]).fit(train[FEATURES], train[TARGET]),
            make_model(REFERENCE_PARAMS).fit(train[FEATURES], train[TARGET]))


@criterion(id="returns_a_choice", points=10, title="Returns the chosen hyperparameters as plain data",
           hint="Return the dict the task shows: params (from SEARCH_SPACE), validation_score, latency_ratio, tried.",
           lesson=LESSON)
def test_returns_a_choice(tuned):
    unwrap(tuned[0])


@criterion(id="reported_score_is_validation", points=15, title="The reported score is the validation score",
           hint="Fit each candidate on the training rows only and score it on the validation rows: a training score "
                "rewards the most memorising configuration, and fitting on train + validation then scoring on "
                "validation scores rows the model has seen.", lesson=LESSON_SPLITS)
def test_reported_score_is_validation(tuned, refitted, data):
    choice = unwrap(tuned[0])
    _, validation = data
    actual = float(refitted[0].score(validation[FEATURES], validation[TARGET]))
    if not math.isclose(choice["validation_score"], actual, abs_tol=1e-9):
        raise Miss(f"You report {choice['validation_score']:.4f}; make_model(params) fitted on train scores "
                   f"{actual:.4f} on validation.")


def block_ratios(model, reference, row: pd.DataFrame, blocks: int, repeats: int = 15, calls: int = 5) -> list[float]:
    """Per block, the notebook's latency_ratio: interleaved samples (CPU time of this thread for `calls`
    single-row predictions, OpenMP on one thread), ratio of the medians. Thread time, not process time:
    the grader's other threads (a second learner process warming up) must not count."""
    from threadpoolctl import threadpool_limits

    ratios = []
    with threadpool_limits(1):
        for _ in range(blocks):
            mine, theirs = [], []
            for _ in range(repeats):
                for fitted, times in ((reference, theirs), (model, mine)):
                    start = time.thread_time()
                    for _ in range(calls):
                        fitted.predict(row)
                    times.append(time.thread_time() - start)
            ratios.append(float(np.median(mine) / max(np.median(theirs), 1e-9)))
    return ratios


def latency_verdict(ratios: list[float], limit: float) -> bool | None:
    """Within `limit`? The rule of grading.testing.speed_verdict on paired block ratios: decide only when
    the least and the most favourable block agree; None when the machine's noise straddles the limit."""
    if max(ratios) <= limit:
        return True
    if min(ratios) > limit:
        return False
    return None


@criterion(id="within_latency_budget", points=25, title="The choice meets the latency budget",
           hint="The best validation score is not the goal when every listing waits for the answer: measure each "
                "candidate's latency_ratio and discard those above LATENCY_BUDGET before picking the best score.",
           lesson=LESSON)
def test_within_latency_budget(tuned, refitted, data):
    unwrap(tuned[0])
    model, reference = refitted
    row = data[1][FEATURES].iloc[[0]]
    limit = CLEARLY_OVER * LATENCY_BUDGET
    ratios = block_ratios(model, reference, row, blocks=3)
    verdict = latency_verdict(ratios, limit)
    if verdict is None:  # noisy: twice as many blocks again, and all but one of them must agree
        ratios += block_ratios(model, reference, row, blocks=6)
        over = sum(r > limit for r in ratios)
        verdict = True if over <= 1 else False if over >= len(ratios) - 1 else None
    if verdict is None:
        raise TooBusy(f"the latency ratios of your choice to the reference, {', '.join(f'{r:.2f}' for r in ratios)}, "
                      f"straddle the limit of {limit:g}")
    if not verdict:
        raise Miss(f"Measured here ({len(ratios)} blocks of 15 interleaved samples), one prediction of your choice "
                   f"takes {np.median(ratios):.2f} x the reference's (budget {LATENCY_BUDGET:g}, counted as over "
                   f"above {limit:g}).")


@criterion(id="respects_compute_budget", points=20, title="The tuning stays within its compute budget",
           hint="A search that ignores budget_seconds (a full grid, a fixed long list) is not done when the budget "
                "runs out, it is cut off. Check time.process_time() before each candidate and skip or stop when "
                "the next one would not fit.", lesson=LESSON)
def test_respects_compute_budget(tuned):
    choice, used, budget = tuned
    unwrap(choice)
    if used > budget["allowed"]:
        raise Miss(f"With budget_seconds={budget['budget']:g}, tune() used {used:.1f} s of CPU (allowed up to "
                   f"{budget['allowed']:.2f} s, a margin for the last fit).")


@criterion(id="holds_up_on_fresh_sales", points=20, title="The choice holds up on fresh sales",
           hint="The latency budget is a constraint, not the goal: among the candidates within it, pick the best "
                "validation score, not the fastest or the first. On sales nobody has seen, the choice should be at "
                "least as accurate as the production model (within a point).", lesson=LESSON_SPLITS)
def test_holds_up_on_fresh_sales(tuned, refitted):
    unwrap(tuned[0])
    fresh = rows(FRESH)
    model, reference = refitted
    mine = float(model.score(fresh[FEATURES], fresh[TARGET]))
    theirs = float(reference.score(fresh[FEATURES], fresh[TARGET]))
    if mine < theirs - 0.01:
        raise Miss(f"On {len(fresh):,} fresh sales your choice scores {mine:.3f}; the production model {theirs:.3f}.")
