"""Hidden checks of exercise 3.2: the comparison as data, the MLflow runs read back, one set of grouped
folds for all, the choice against an evaluation on fresh sales, the spread rule, and a test set that
plays no part in choosing.
"""

from __future__ import annotations

import hashlib
import math
import os
from pathlib import Path

import coursedata
import numpy as np
import pandas as pd
import pytest

from grading.criteria import criterion
from grading.hidden._shared.module3 import FEATURES, numeric_sales
from grading.testing import Miss, caught, unwrap

LESSON = "03_model_training.py#8 · Experiment tracking with MLflow"
LESSON_CV = "03_model_training.py#Cross-validation, and when folds lie"
LESSON_SPLITS = "03_model_training.py#2 · Train, validation, test: and why three"
EXPERIMENT = "ex-3.2-model-selection"
NAMES = ["logistic", "shallow_tree", "deep_tree", "boosted"]
TARGET = "worth_listing"
# Sales the notebook never uses: development, test, and fresh sales for the hidden evaluation.
DEV, TEST, FRESH, CLOSE_CALL = (8_000, 11_000), (11_000, 12_000), (13_000, 16_000), (8_000, 8_600)


def listing_table(cards: pd.DataFrame) -> pd.DataFrame:
    """As the notebook's listing_table (tests/test_module3.py keeps the two equal)."""
    return numeric_sales(cards, TARGET, 2.0, card_key=True)


def data_version(frame: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()).hexdigest()[:16]


def folds_digest(folds) -> str:
    text = "|".join(",".join(sorted(map(str, fold))) for fold in folds)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def candidates():
    """The notebook's CANDIDATES, rebuilt here: the hidden evaluation must not trust the submission's."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    return {
        "logistic": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        "shallow_tree": DecisionTreeClassifier(max_depth=3, random_state=0),
        "deep_tree": DecisionTreeClassifier(random_state=0),
        "boosted": HistGradientBoostingClassifier(max_iter=100, max_depth=3, random_state=0),
    }


def rows(span) -> pd.DataFrame:
    return listing_table(coursedata.load_cards().iloc[span[0]:span[1]])


def checked(result) -> dict:
    shape = ('compare_models() must return {"models": {name: {"fold_scores", "mean", "std"}} for all four, '
             '"chosen": name, "reason": {"best_by_mean", "spread", "within_spread"}, "test_score": float, '
             '"folds": [[sale_ids], ...]}')
    if not isinstance(result, dict) or not {"models", "chosen", "reason", "test_score", "folds"} <= set(result):
        got = sorted(map(str, result)) if isinstance(result, dict) else type(result).__name__
        raise Miss(f"{shape}; it returned {got}.")
    models = result["models"]
    if not isinstance(models, dict) or sorted(map(str, models)) != sorted(NAMES):
        raise Miss(f"{shape}; \"models\" has {sorted(map(str, models)) if isinstance(models, dict) else models!r}.")
    for name, m in models.items():
        if not isinstance(m, dict) or not {"fold_scores", "mean", "std"} <= set(m):
            raise Miss(f"{shape}; models[{name!r}] lacks fold_scores, mean or std.")
        if not isinstance(m["fold_scores"], list | tuple) or not all(isinstance(s, float | int) for s in m["fold_scores"]):
            raise Miss(f"models[{name!r}]['fold_scores'] must be a list of floats.")
        if not all(isinstance(m[k], float | int) and math.isfinite(m[k]) for k in ("mean", "std")):
            raise Miss(f"models[{name!r}]: mean and std must be finite numbers.")
    if result["chosen"] not in NAMES:
        raise Miss(f'{shape}; "chosen" was {str(result["chosen"])[:40]!r}.')
    reason = result["reason"]
    if not isinstance(reason, dict) or not {"best_by_mean", "spread", "within_spread"} <= set(reason):
        raise Miss(f'{shape}; "reason" lacks best_by_mean, spread or within_spread.')
    if not isinstance(result["test_score"], float | int) or not 0 <= result["test_score"] <= 1:
        raise Miss(f'"test_score" must be an accuracy between 0 and 1; it was {str(result["test_score"])[:40]}.')
    folds = result["folds"]
    if not isinstance(folds, list | tuple) or not all(isinstance(f, list | tuple) for f in folds) or len(folds) < 2:
        raise Miss(f'{shape}; "folds" must be a list of lists of validation sale_ids.')
    return result


def workdir(submission) -> Path:
    return Path(submission._session.workdir)


def run_compare(submission, dev, test, store: str):
    return caught(lambda: checked(submission.compare_models(dev, test, str(workdir(submission) / store), timeout=90)))


@pytest.fixture(scope="module")
def dev() -> pd.DataFrame:
    return rows(DEV)


@pytest.fixture(scope="module")
def test_rows() -> pd.DataFrame:
    return rows(TEST)


@pytest.fixture(scope="module")
def main(submission, dev, test_rows):
    return run_compare(submission, dev, test_rows, "mlruns-hidden")


@pytest.fixture(scope="module")
def canary(submission, dev, test_rows, main):
    """The same call with every test label flipped: only test_score may move."""
    flipped = test_rows.assign(**{TARGET: 1 - test_rows[TARGET]})
    return run_compare(submission, dev, flipped, "mlruns-canary")


@pytest.fixture(scope="module")
def close_call(submission, main):
    """600 sales: the boosted model leads by less than its own spread."""
    small = rows(CLOSE_CALL)
    return run_compare(submission, small, small.iloc[:50], "mlruns-close")


@pytest.fixture(scope="module")
def fresh_evaluation(dev) -> dict:
    """Each candidate fitted on the development sales, scored on 3,000 fresh sales."""
    fresh = rows(FRESH)
    return {name: float(model.fit(dev[FEATURES], dev[TARGET]).score(fresh[FEATURES], fresh[TARGET]))
            for name, model in candidates().items()}


def read_runs(submission, store: str) -> pd.DataFrame:
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    import mlflow

    path = workdir(submission) / store
    if not path.exists():
        raise Miss(f"Nothing was written at the tracking_uri given ({store}): log to mlflow.set_tracking_uri(tracking_uri).")
    client = mlflow.MlflowClient(tracking_uri=str(path))
    experiment = client.get_experiment_by_name(EXPERIMENT)
    if experiment is None:
        names = [e.name for e in client.search_experiments()]
        raise Miss(f"No MLflow experiment named {EXPERIMENT!r} at tracking_uri (found {names[:5]}).")
    runs = client.search_runs([experiment.experiment_id], max_results=100)
    return pd.DataFrame([{"run_id": r.info.run_id, **{f"param.{k}": v for k, v in r.data.params.items()},
                          **{f"metric.{k}": v for k, v in r.data.metrics.items()}} for r in runs])


@criterion(id="comparison_as_data", points=10, title="Returns the comparison as plain data",
           hint="Return the dict the task shows: per-model fold scores with mean and std, the chosen name, the "
                "reason fields, the test score, and the validation sale_ids of each fold.", lesson=LESSON)
def test_comparison_as_data(main):
    unwrap(main)


@criterion(id="every_model_logged_to_mlflow", points=15, title="Every candidate is a tracked MLflow run",
           hint="Log one run per candidate (not just the winner) in EXPERIMENT at tracking_uri, with params model, "
                "folds_digest, data_version and metrics cv_mean, cv_std: a result nobody can trace back to its "
                "data and folds cannot be trusted or reproduced.", lesson=LESSON)
def test_every_model_logged_to_mlflow(submission, main, dev):
    result = unwrap(main)
    runs = read_runs(submission, "mlruns-hidden")
    for column in ("param.model", "param.folds_digest", "param.data_version", "metric.cv_mean", "metric.cv_std"):
        if column not in runs:
            raise Miss(f"The runs have no {column.replace('.', ' ', 1)!r}.")
    logged = sorted(runs["param.model"].dropna())
    if logged != sorted(NAMES):
        raise Miss(f"Expected one run per candidate ({', '.join(NAMES)}); the runs log models {logged}.")
    version = data_version(dev)
    for _, run in runs.iterrows():
        name = run["param.model"]
        if run["param.data_version"] != version:
            raise Miss(f"Run {name!r} logs data_version {run['param.data_version']!r}; data_version(dev) is {version!r}.")
        reported = result["models"][name]
        if not (math.isclose(run["metric.cv_mean"], reported["mean"], abs_tol=1e-6)
                and math.isclose(run["metric.cv_std"], reported["std"], abs_tol=1e-6)):
            raise Miss(f"Run {name!r} logs cv_mean/cv_std {run['metric.cv_mean']:.4f}/{run['metric.cv_std']:.4f}; "
                       f"you returned {reported['mean']:.4f}/{reported['std']:.4f}.")


@criterion(id="same_grouped_folds_for_all", points=20, title="All four on the same folds, each card on one side",
           hint="A fair comparison uses ONE fold assignment for every model (new random folds per model make the "
                "differences partly luck), and the folds must keep each card's sales together, since the model "
                "will meet cards it has never seen.", lesson=LESSON_CV)
def test_same_grouped_folds_for_all(submission, main, dev):
    result = unwrap(main)
    folds = [[str(s) for s in fold] for fold in result["folds"]]
    validated = sorted(s for fold in folds for s in fold)
    if validated != sorted(dev["sale_id"]):
        raise Miss(f"The folds validate {len(set(validated)):,} distinct sales ({len(validated):,} in all); the "
                   f"development set has {len(dev):,}, each to be validated once.")
    card_of = dict(zip(dev["sale_id"], dev["card_key"], strict=True))
    folds_of_card: dict[str, set[int]] = {}
    for i, fold in enumerate(folds):
        for sale in fold:
            folds_of_card.setdefault(card_of[sale], set()).add(i)
    split = [card for card, where in folds_of_card.items() if len(where) > 1]
    if split:
        raise Miss(f"{len(split):,} of {len(folds_of_card):,} cards have sales in more than one fold (e.g. "
                   f"{split[0]!r}): random folds let the model recognise a card it will not know in production.")
    runs = read_runs(submission, "mlruns-hidden")
    digests = set(runs.get("param.folds_digest", pd.Series(dtype=str)).dropna())
    if digests != {folds_digest(folds)}:
        raise Miss(f"The runs log {len(digests)} different folds_digest value(s), and the folds you returned have "
                   f"digest {folds_digest(folds)!r}: every model must be scored on the same folds.")


@criterion(id="choice_holds_on_fresh_sales", points=25, title="The chosen model is the best on fresh sales",
           hint="Judge models on sales of cards they did not train on, never on their training score (an "
                "unlimited tree memorises its training rows and scores 100 %).", lesson=LESSON_SPLITS)
def test_choice_holds_on_fresh_sales(main, fresh_evaluation):
    result = unwrap(main)
    best = max(fresh_evaluation, key=fresh_evaluation.get)
    if result["chosen"] != best:
        scores = ", ".join(f"{n} {s:.3f}" for n, s in sorted(fresh_evaluation.items(), key=lambda kv: -kv[1]))
        raise Miss(f"You chose {result['chosen']!r}; on 3,000 fresh sales the candidates score {scores}.")


def follows_spread_rule(result: dict) -> str | None:
    models = result["models"]
    best = max(models, key=lambda n: models[n]["mean"])
    spread = models[best]["std"]
    within = [n for n in NAMES if models[n]["mean"] >= models[best]["mean"] - spread - 1e-12]
    if result["chosen"] != within[0]:
        return (f"your scores put {', '.join(within)} within one sd ({spread:.3f}) of the best mean ({best}, "
                f"{models[best]['mean']:.3f}); the simplest of them is {within[0]!r}, you chose {result['chosen']!r}")
    return None


@criterion(id="spread_taken_into_account", points=15, title="A lead smaller than the spread is not a lead",
           hint="With 5 folds a model's mean moves by about its standard deviation from one fold assignment to the "
                "next. When the simplest model is within one sd of the best mean, the difference is noise: choose "
                "the simplest within the spread (the rule in the task), not the highest mean.", lesson=LESSON_CV)
def test_spread_taken_into_account(main, close_call):
    for label, value in (("On the main task", main), ("On 600 sales, where the candidates are close", close_call)):
        problem = follows_spread_rule(unwrap(value))
        if problem:
            raise Miss(f"{label}, {problem}.")


@criterion(id="test_set_plays_no_part", points=15, title="The test set plays no part in choosing",
           hint="Choosing by test score (or folding test rows into the cross-validation) turns the test set into a "
                "second validation set: its score is then optimistic and no longer an estimate for new data. "
                "Choose on dev folds only; touch test once, at the end.", lesson=LESSON_SPLITS)
def test_test_set_plays_no_part(main, canary):
    before, after = unwrap(main), unwrap(canary)
    if after["chosen"] != before["chosen"]:
        raise Miss(f"When only the test labels changed, your choice changed from {before['chosen']!r} to "
                   f"{after['chosen']!r}.")
    for name in NAMES:
        if not np.allclose(before["models"][name]["fold_scores"], after["models"][name]["fold_scores"], atol=1e-9):
            raise Miss(f"When only the test labels changed, the cross-validated scores of {name!r} changed: test "
                       "rows took part in the comparison.")
