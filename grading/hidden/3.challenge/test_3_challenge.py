"""Hidden checks of challenge 3: the planted causes (ground truth below, never in the notebook) were each
found with evidence, nothing imaginary is claimed, the contamination is removed, scoring no longer depends
on the batch, and the fixed model reaches the target on fresh sales.
"""

from __future__ import annotations

import coursedata
import numpy as np
import pandas as pd
import pytest

from grading.criteria import criterion
from grading.hidden._shared.module3 import numeric_sales
from grading.testing import Miss, unwrap

LESSON = "03_model_training.py#10 · Debugging a model that fails"
LESSON_BV = "03_model_training.py#3 · Bias and variance, live"
LESSON_SPLITS = "03_model_training.py#2 · Train, validation, test: and why three"
# What the challenge planted (its ground truth).
PLANTED = {"underfitting", "train_test_contamination", "misleading_metric", "preprocessing_mismatch"}
VOCABULARY = PLANTED | {"overfitting", "label_leakage", "data_drift", "too_little_data"}
TARGET, TARGET_SCORE = "high_value", 0.885
MIN_EVIDENCE_WORDS = 8


def sales_table(cards: pd.DataFrame) -> pd.DataFrame:
    """As the notebook's sales_table (tests/test_module3.py keeps the two equal)."""
    return numeric_sales(cards, TARGET, 50.0)


@pytest.fixture(scope="module")
def claimed(submission):
    """{cause: evidence} from the learner's diagnosis, or the Miss explaining its shape."""
    shape = ('diagnosis() must return a list of {"cause": <a key of CAUSES>, "evidence": "<at least 8 words>"}')
    try:
        entries = submission.diagnosis()
        if not isinstance(entries, list | tuple) or not entries:
            raise Miss(f"{shape}; it returned {str(entries)[:60]!r}.")
        out: dict[str, str] = {}
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("cause"), str) or not isinstance(entry.get("evidence"), str):
                raise Miss(f"{shape}; one entry was {str(entry)[:80]!r}.")
            if entry["cause"] not in VOCABULARY:
                raise Miss(f"{entry['cause'][:40]!r} is not a key of CAUSES; name causes from the vocabulary.")
            out[entry["cause"]] = entry["evidence"]
        return out
    except Miss as miss:
        return miss


def require(claimed, cause: str) -> None:
    found = unwrap(claimed)
    if cause not in found:
        raise Miss(f"Your diagnosis does not name {cause!r}.")
    if len(found[cause].split()) < MIN_EVIDENCE_WORDS:
        raise Miss(f"The evidence for {cause!r} has fewer than {MIN_EVIDENCE_WORDS} words: say what you measured.")


@criterion(id="found_misleading_metric", points=10, title="Found the metric that hides the failure",
           hint="77 % accuracy when 77 % of sales are low-value is exactly what a model that always says 'no' scores. "
                "Compare every metric with the majority-class baseline; look at recall and balanced accuracy.",
           lesson=LESSON)
def test_found_misleading_metric(claimed):
    require(claimed, "misleading_metric")


@criterion(id="found_underfitting", points=10, title="Found the underfitting configuration",
           hint="A model that is as bad on its own training rows as on new ones is underfitting (high bias), not "
                "overfitting: compare training and validation scores, then the regularisation strength (C=1e-4).",
           lesson=LESSON_BV)
def test_found_underfitting(claimed):
    require(claimed, "underfitting")


@criterion(id="found_contamination", points=10, title="Found the test sales inside the training data",
           hint="Check the split before trusting any score: count the test sale_ids that also occur in the training "
                "history. 'More data' appended from the test set turns the test score into a training score.",
           lesson=LESSON_SPLITS)
def test_found_contamination(claimed):
    require(claimed, "train_test_contamination")


@criterion(id="found_preprocessing_mismatch", points=10, title="Found the scoring service's different preprocessing",
           hint="Compare the inputs the service builds with the inputs training built for the same rows: a scaler "
                "refitted on each batch gives the same listing different inputs in a different batch.",
           lesson=LESSON)
def test_found_preprocessing_mismatch(claimed):
    require(claimed, "preprocessing_mismatch")


@criterion(id="no_imaginary_causes", points=10, title="No imaginary causes",
           hint="Claim a cause only with evidence that shows it: training scores as poor as validation scores rule "
                "out overfitting; no input carries the price (no leakage); the fixed model works on the same batch "
                "(not drift); more data would not fix a model that cannot fit what it has.", lesson=LESSON)
def test_no_imaginary_causes(claimed):
    extra = sorted(set(unwrap(claimed)) - PLANTED)
    if extra:
        raise Miss(f"Your diagnosis claims {', '.join(map(repr, extra))}, which the evidence does not support here.")


@pytest.fixture(scope="module")
def hidden_case():
    cards = coursedata.load_cards()
    test = sales_table(cards.iloc[14_000:15_500])
    history = pd.concat([sales_table(cards.iloc[9_000:12_000]), test.sample(frac=0.2, random_state=11),
                         sales_table(cards.iloc[9_000:9_050])], ignore_index=True)  # shared sales, and retries
    fresh = sales_table(cards.iloc[16_000:19_000])
    return history, test, fresh


@criterion(id="contamination_removed", points=10, title="Training rows exclude every test sale",
           hint="Remove every history row whose sale_id is in the test set (not just duplicates within the history), "
                "and keep the rest in order.", lesson=LESSON_SPLITS)
def test_contamination_removed(submission, hidden_case):
    history, test, _ = hidden_case
    got = submission.clean_training_rows(history, test)
    if not isinstance(got, pd.DataFrame) or "sale_id" not in got:
        raise Miss("clean_training_rows() must return a DataFrame with the history's columns.")
    expected = history.loc[~history["sale_id"].isin(set(test["sale_id"])), "sale_id"].tolist()
    shared = set(got["sale_id"]) & set(test["sale_id"])
    if shared:
        raise Miss(f"{len(shared)} sale(s) of the test set are still in the training rows.")
    if got["sale_id"].tolist() != expected:
        raise Miss(f"Expected the {len(expected):,} history rows not in the test set, in order; got {len(got):,}.")


def predictions(value, n: int, what: str) -> list[int]:
    if not isinstance(value, list | tuple | np.ndarray) or len(value) != n:
        got = f"{len(value)} values" if hasattr(value, "__len__") else type(value).__name__
        raise Miss(f"fixed_predict() must return one 0/1 prediction per batch row ({n}); it returned {got} for {what}.")
    if not all(int(p) in (0, 1) and float(p) == int(p) for p in value):
        raise Miss("fixed_predict() must return 0/1 predictions.")
    return [int(p) for p in value]


@criterion(id="same_row_same_prediction", points=15, title="A row's prediction does not depend on its batch",
           hint="Preprocessing must be fitted at training time and reused at scoring time (a Pipeline does this): "
                "refitting a scaler on the batch makes one listing's inputs depend on the other listings.",
           lesson=LESSON)
def test_same_row_same_prediction(submission, hidden_case):
    history, _, fresh = hidden_case
    clean = history.drop_duplicates("sale_id")
    batch = fresh.drop(columns=[TARGET])
    vintage = batch[batch["release_year"] < 2004].head(150)
    modern = batch[batch["release_year"] >= 2016].head(150)
    alone = predictions(submission.fixed_predict(clean, vintage.reset_index(drop=True), timeout=60), len(vintage), "a vintage batch")
    mixed = predictions(submission.fixed_predict(clean, pd.concat([vintage, modern], ignore_index=True), timeout=60),
                        len(vintage) + len(modern), "a mixed batch")
    changed = sum(a != b for a, b in zip(alone, mixed[:len(vintage)], strict=True))
    if changed:
        raise Miss(f"{changed} of {len(vintage)} vintage listings got a different prediction when modern listings "
                   "were in the same batch.")


@criterion(id="fix_reaches_target", points=25, title="The fixed model reaches the target on fresh sales",
           hint="Fix the causes, not the symptom: an unconstrained model (C around 1), preprocessing fitted on "
                "training rows only, and class weights (or a lower threshold) so the rare high-value class is "
                "found. Judge it by balanced accuracy, not accuracy.", lesson=LESSON)
def test_fix_reaches_target(submission, hidden_case):
    from sklearn.metrics import balanced_accuracy_score

    history, test, fresh = hidden_case
    clean = history[~history["sale_id"].isin(set(test["sale_id"]))].drop_duplicates("sale_id").reset_index(drop=True)
    got = predictions(submission.fixed_predict(clean, fresh.drop(columns=[TARGET]), timeout=60), len(fresh), "fresh sales")
    score = balanced_accuracy_score(fresh[TARGET], got)
    if score < TARGET_SCORE:
        recall = float(np.mean(np.array(got)[fresh[TARGET].to_numpy() == 1]))
        raise Miss(f"Balanced accuracy {score:.3f} on {len(fresh):,} fresh sales (target {TARGET_SCORE}); "
                   f"it finds {recall:.0%} of the high-value sales.")
