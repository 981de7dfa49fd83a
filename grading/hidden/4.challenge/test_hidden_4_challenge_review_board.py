"""Hidden checks of challenge 4: the model card's numbers are true on another split, its failure
slices are real, and its recommendation follows from its own acceptance bar.

Hidden data: the species split by base species with another salt ("review board"), so the
evaluation rows are not the notebook's and no number can be copied from it.
"""

from __future__ import annotations

import hashlib
import math

import coursedata
import pandas as pd
import pytest
from coursedata.type_classifier import TARGET, TYPES
from sklearn import metrics

from grading.criteria import criterion
from grading.testing import Miss

LESSON = "04_model_evaluation.py"
CARD_METRICS = ("accuracy", "macro_f1")
RECOMMENDATIONS = ("deploy", "iterate", "abandon")
SLICE_COLUMNS = ["type_1", "type_2", "generation", "is_form", "dual_type", "high_bst"]
TEXT_FIELDS = ("model_details", "intended_use", "out_of_scope", "training_data", "evaluation_data")
MIN_SUPPORT = 15
Z95 = 1.959964
TOLERANCE = 0.0051  # numbers may be rounded to 3 decimals


def held_out(name: str) -> bool:
    return int(hashlib.sha256(f"review board:{name}".encode()).hexdigest()[:8], 16) % 4 == 0


@pytest.fixture(scope="session")
def split() -> tuple[pd.DataFrame, pd.DataFrame]:
    species = coursedata.load_species()
    rows = species["base_species"].map(held_out)
    return species[~rows].reset_index(drop=True), species[rows].reset_index(drop=True)


@pytest.fixture(scope="session")
def predicted(submission, split):
    """The learner's predictions on the hidden evaluation rows, or the Miss to raise."""
    train, evaluation = split
    try:
        preds = submission.fit_and_predict(train, evaluation, timeout=60)
        if not isinstance(preds, pd.DataFrame) or "predicted" not in preds.columns or "confidence" not in preds.columns:
            raise Miss("fit_and_predict() must return a DataFrame with columns `predicted` and `confidence`.")
        if len(preds) != len(evaluation):
            raise Miss(f"fit_and_predict() returned {len(preds)} rows for {len(evaluation)} species.")
        if not set(preds["predicted"].astype(str)) <= set(TYPES):
            raise Miss("fit_and_predict() predicted values that are not types from TYPES.")
        return preds.reset_index(drop=True)
    except Miss as miss:
        return miss


@pytest.fixture(scope="session")
def card(submission, split):
    train, evaluation = split
    try:
        value = submission.model_card(train, evaluation, timeout=60)
        if not isinstance(value, dict):
            raise Miss(f"model_card() must return a dict; it returned {type(value).__name__}.")
        return value
    except Miss as miss:
        return miss


def ok(value):
    if isinstance(value, Miss):
        raise value
    return value


def number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Miss(f"{what} is {str(value)[:40]!r}; expected a finite number.")
    return float(value)


def card_metrics(card: dict) -> dict:
    values = card.get("metrics")
    if not isinstance(values, dict) or not set(CARD_METRICS) <= set(values):
        raise Miss(f"card['metrics'] must hold {list(CARD_METRICS)}.")
    return {m: number(values[m], f"card['metrics'][{m!r}]") for m in CARD_METRICS}


def wilson_low(k: int, n: int) -> float:
    rate = k / n
    centre = (rate + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    return centre - Z95 * math.sqrt(rate * (1 - rate) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)


@criterion(id="predictions_are_valid", points=10, title="The model predicts a type and a confidence for every species",
           hint="fit_and_predict(train, rows) fits on `train` and returns one row per row of `rows`, in order, with "
                "`predicted` from TYPES and `confidence` between 0 and 1.",
           lesson=f"{LESSON}#10. Model cards")
def test_predictions_are_valid(predicted, submission, split):
    preds = ok(predicted)
    confidence = pd.to_numeric(preds["confidence"], errors="coerce")
    if not confidence.between(0, 1).all():
        raise Miss("Some confidences are not probabilities between 0 and 1.")
    again = submission.fit_and_predict(*split, timeout=60)
    if not isinstance(again, pd.DataFrame) or list(again["predicted"]) != list(preds["predicted"]):
        raise Miss("Two calls with the same data gave different predictions: seed your model.")


@criterion(id="card_is_complete", points=10, title="The card has every section, the bar and a recommendation",
           hint="Fill every text field, both CARD_METRICS, an acceptance_bar {'metric', 'minimum'} on one of them, "
                "at least one failure slice, and a recommendation from RECOMMENDATIONS.",
           lesson=f"{LESSON}#10. Model cards")
def test_card_is_complete(card):
    value = ok(card)
    empty = [f for f in TEXT_FIELDS if not isinstance(value.get(f), str) or len(value[f].split()) < 3]
    if empty:
        raise Miss(f"These card fields are missing or too short: {empty}.")
    card_metrics(value)
    bar = value.get("acceptance_bar")
    if not isinstance(bar, dict) or bar.get("metric") not in CARD_METRICS or "minimum" not in bar:
        raise Miss("acceptance_bar must be {'metric': one of CARD_METRICS, 'minimum': a number}.")
    if not 0 < number(bar["minimum"], "acceptance_bar['minimum']") <= 1:
        raise Miss("acceptance_bar['minimum'] must be between 0 and 1.")
    if not isinstance(value.get("failure_slices"), list) or not value["failure_slices"]:
        raise Miss("failure_slices must list at least one slice.")
    if value.get("recommendation") not in RECOMMENDATIONS:
        raise Miss(f"recommendation must be one of {list(RECOMMENDATIONS)}.")


@criterion(id="card_numbers_match", points=25, title="The card's metrics are true on the evaluation data",
           hint="Measure on the `evaluation` rows with the predictions of fit_and_predict(train, evaluation): not on "
                "the training rows (that measures memory), not numbers copied from the notebook's split. Macro F1 "
                "averages the per-type F1 of the types present, each with the same weight.",
           lesson=f"{LESSON}#2. Precision, recall and the confusion matrix")
def test_card_numbers_match(card, predicted, split):
    value, preds = ok(card), ok(predicted)
    _, evaluation = split
    truth, guess = evaluation[TARGET].to_numpy(), preds["predicted"].astype(str).to_numpy()
    want = {"accuracy": metrics.accuracy_score(truth, guess),
            "macro_f1": metrics.f1_score(truth, guess, average="macro", labels=sorted(set(truth)), zero_division=0)}
    for name, got in card_metrics(value).items():
        if abs(got - want[name]) > TOLERANCE:
            raise Miss(f"The card says {name} = {got:.3f}; recomputed on the hidden evaluation rows from your "
                       f"model's predictions it is {want[name]:.3f}.")


@criterion(id="failure_slices_are_real", points=25, title="Every failure slice named is real",
           hint=f"Each slice: a definition on SLICE_COLUMNS, its support and error rate on `evaluation`, at least "
                f"MIN_SUPPORT ({MIN_SUPPORT}) species and a 95 % interval above the overall error rate. A slice "
                f"remembered from another split, or a handful of species, is not a finding.",
           lesson=f"{LESSON}#8. Error analysis and slices")
def test_failure_slices_are_real(card, predicted, split):
    value, preds = ok(card), ok(predicted)
    _, evaluation = split
    frame = evaluation.assign(dual_type=evaluation["type_2"].notna(), high_bst=evaluation["base_stat_total"] >= 580,
                              wrong=preds["predicted"].astype(str).to_numpy() != evaluation[TARGET].to_numpy())
    overall = frame["wrong"].mean()
    slices = value.get("failure_slices")
    if not isinstance(slices, list) or not slices:
        raise Miss("failure_slices must list at least one slice.")
    for s in slices:
        if not isinstance(s, dict) or not isinstance(s.get("definition"), dict) or not s["definition"]:
            raise Miss("Each failure slice needs a `definition` dict, a `support` and an `error_rate`.")
        rows = pd.Series(True, index=frame.index)
        for column, v in s["definition"].items():
            if column not in SLICE_COLUMNS:
                raise Miss(f"Slice definitions may use only SLICE_COLUMNS; {str(column)[:30]!r} is not one.")
            rows &= frame[column].isin(v if isinstance(v, list) else [v])
        n, k = int(rows.sum()), int(frame.loc[rows, "wrong"].sum())
        label = str(s["definition"])[:60]
        if n == 0:
            raise Miss(f"Slice {label} matches no species of the evaluation rows.")
        if int(number(s.get("support"), f"support of {label}")) != n:
            raise Miss(f"Slice {label}: the card says {s.get('support')} species; it matches {n}.")
        if abs(number(s.get("error_rate"), f"error_rate of {label}") - k / n) > TOLERANCE:
            raise Miss(f"Slice {label}: the card says error rate {s.get('error_rate')}; recomputed it is {k / n:.3f}.")
        if n < MIN_SUPPORT or wilson_low(k, n) <= overall:
            raise Miss(f"Slice {label} ({n} species, error rate {k / n:.3f}) is not clearly worse than the overall "
                       f"{overall:.3f}: its interval reaches below it, or it is too small.")


@criterion(id="recommendation_follows", points=20, title="The recommendation follows from the card's own bar",
           hint="'deploy' only when the acceptance bar's metric, as measured on the card, reaches its minimum; below "
                "the bar recommend 'iterate' or 'abandon'. A bar lowered to fit the result is no bar: state it first.",
           lesson=f"{LESSON}#10. Model cards")
def test_recommendation_follows(card):
    value = ok(card)
    bar, measured = value.get("acceptance_bar"), card_metrics(value)
    if not isinstance(bar, dict) or bar.get("metric") not in CARD_METRICS:
        raise Miss("acceptance_bar must be {'metric': one of CARD_METRICS, 'minimum': a number}.")
    minimum = number(bar.get("minimum"), "acceptance_bar['minimum']")
    reached = measured[bar["metric"]] >= minimum
    recommendation = value.get("recommendation")
    if recommendation == "deploy" and not reached:
        raise Miss(f"The card recommends deploy, but its {bar['metric']} ({measured[bar['metric']]:.3f}) is below "
                   f"its own bar ({minimum:.3f}).")
    if recommendation not in RECOMMENDATIONS:
        raise Miss(f"recommendation must be one of {list(RECOMMENDATIONS)}.")
