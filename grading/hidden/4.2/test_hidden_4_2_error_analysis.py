"""Hidden checks of exercise 4.2: a reproducible draw of errors, a taxonomy that discriminates, and
slices that are numerically true, honestly uncertain, not over-claimed, and include the real ones.

Hidden data: the classifier's out-of-fold predictions on the 960 training species (grouped by base
species), whose errors are real and not the notebook's.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from coursedata.type_classifier import fit_type_classifier, out_of_fold

from grading.criteria import criterion
from grading.testing import Miss

LESSON = "04_model_evaluation.py"
SLICE_COLUMNS = ["type_1", "type_2", "generation", "is_form", "dual_type", "high_bst"]
SHOWN = ["name", "type_1", "type_2", "predicted", "confidence", "correct", "generation", "is_form",
         "dual_type", "high_bst", "base_stat_total"]
MIN_SUPPORT = 15
Z95 = 1.959964
CLEAR_MARGIN = 0.03  # a slice the learner must find: Wilson lower bound this far above the overall rate
MUST_FIND = 2  # the slices with the largest clear lift
MATCH = 0.7  # Jaccard overlap of row sets that counts as the same slice
KEYS = {"name", "definition", "support", "error_rate", "lift", "ci_low", "ci_high"}


@pytest.fixture(scope="session")
def hidden() -> pd.DataFrame:
    _, train, _ = fit_type_classifier()
    preds = out_of_fold(train)
    return preds.assign(dual_type=preds["type_2"].notna(), high_bst=preds["base_stat_total"] >= 580)[SHOWN].copy()


def wilson(k: int, n: int) -> tuple[float, float]:
    rate = k / n
    centre = (rate + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(rate * (1 - rate) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
    return centre - half, centre + half


def mask(frame: pd.DataFrame, definition) -> pd.Series:
    if not isinstance(definition, dict) or not definition:
        raise Miss(f"A slice's definition must be a non-empty dict of column -> value(s); got {str(definition)[:60]!r}.")
    rows = pd.Series(True, index=frame.index)
    for column, value in definition.items():
        if column not in SLICE_COLUMNS:
            raise Miss(f"Slice definitions may use only SLICE_COLUMNS; {str(column)[:30]!r} is not one "
                       "(a slice defined by the prediction or the outcome measures nothing).")
        values = value if isinstance(value, list) else [value]
        rows &= frame[column].isin(values)
    return rows


def number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Miss(f"{what} is {str(value)[:40]!r}; expected a finite number.")
    return float(value)


@pytest.fixture(scope="session")
def reported(submission, hidden):
    """The learner's slices on the hidden predictions, as (slice, row mask) pairs; or the Miss to raise."""
    try:
        slices = submission.find_slices(hidden, timeout=60)
        if not isinstance(slices, list) or not all(isinstance(s, dict) and KEYS <= set(s) for s in slices):
            raise Miss(f"find_slices() must return a list of dicts with keys {sorted(KEYS)}.")
        if not slices:
            raise Miss("find_slices() found no slice on the hidden predictions, where several are clearly worse.")
        return [(s, mask(hidden, s["definition"])) for s in slices]
    except Miss as miss:
        return miss


def slices_of(reported):
    if isinstance(reported, Miss):
        raise reported
    return reported


@criterion(id="draw_only_errors_reproducibly", points=15, title="The draw: n misclassified rows, reproducible from the seed",
           hint="Keep only the rows where predicted != type_1 before sampling, and pass `random_state=seed`: the same "
                "seed must give the same rows, another seed another draw.",
           lesson=f"{LESSON}#8. Error analysis and slices")
def test_draw_only_errors_reproducibly(submission, hidden):
    draws = [submission.draw_misclassifications(hidden, 50, seed) for seed in (11, 11, 12)]
    for draw in draws:
        if not isinstance(draw, pd.DataFrame) or not {"name", "correct"} <= set(draw.columns):
            raise Miss("draw_misclassifications() must return rows of the predictions frame (a DataFrame).")
        if len(draw) != 50:
            raise Miss(f"Asked for 50 misclassifications, got {len(draw)} rows.")
        if draw["correct"].astype(bool).any():
            raise Miss(f"The draw holds {int(draw['correct'].astype(bool).sum())} correctly classified rows.")
        if not set(draw["name"]) <= set(hidden.loc[~hidden["correct"], "name"]):
            raise Miss("The draw holds rows that are not misclassified rows of the frame it was given.")
    if list(draws[0]["name"]) != list(draws[1]["name"]):
        raise Miss("Two draws with the same seed returned different rows.")
    if set(draws[0]["name"]) == set(draws[2]["name"]):
        raise Miss("Seeds 11 and 12 returned the same rows: the draw ignores the seed.")


@criterion(id="categories_discriminate", points=10, title="One category per error, at least three categories",
           hint="categorise() returns one label per row, in row order, from a taxonomy with several categories: a "
                "single bucket ('misclassified') says nothing about what to fix.",
           lesson=f"{LESSON}#8. Error analysis and slices")
def test_categories_discriminate(submission, hidden):
    errors = hidden[~hidden["correct"]].head(60)
    labels = submission.categorise(errors)
    if not isinstance(labels, list) or len(labels) != len(errors) or not all(isinstance(x, str) and x for x in labels):
        raise Miss(f"categorise() must return a list of {len(errors)} non-empty strings, one per row.")
    if len(set(labels)) < 3:
        raise Miss(f"categorise() used {len(set(labels))} categories on 60 errors; use at least three.")
    if submission.categorise(errors) != labels:
        raise Miss("categorise() gave different labels for the same rows twice.")


@criterion(id="slice_numbers_recomputed", points=20, title="Support, error rate and lift are true on the data",
           hint="For the rows the definition matches: support is their count, error_rate the share of them "
                "misclassified (not the slice's share of all errors), lift the error rate over the overall rate.",
           lesson=f"{LESSON}#8. Error analysis and slices")
def test_slice_numbers_recomputed(reported, hidden):
    overall = 1 - hidden["correct"].mean()
    for s, rows in slices_of(reported):
        support = int(rows.sum())
        if support == 0:
            raise Miss(f"Slice {str(s['name'])[:40]!r} matches no rows.")
        rate = 1 - hidden.loc[rows, "correct"].mean()
        for key, want in (("support", support), ("error_rate", rate), ("lift", rate / overall)):
            got = number(s[key], f"{key} of slice {str(s['name'])[:40]!r}")
            if abs(got - want) > 1e-6 * max(1, abs(want)):
                raise Miss(f"Slice {str(s['name'])[:40]!r}: {key} is {got:.4f}; recomputed it is {want:.4f}.")


@criterion(id="intervals_are_95_percent", points=15, title="Each interval is a 95 % interval of the error rate",
           hint="A 95 % interval spans about ±1.96 standard errors (Wilson, Clopper-Pearson, normal or bootstrap "
                "percentiles): ±1 standard error is a 68 % interval, far too narrow for a claim.",
           lesson=f"{LESSON}#6. Confidence intervals")
def test_intervals_are_95_percent(reported, hidden):
    for s, rows in slices_of(reported):
        n = int(rows.sum())
        k = int((~hidden.loc[rows, "correct"].astype(bool)).sum())
        low, high = number(s["ci_low"], "ci_low"), number(s["ci_high"], "ci_high")
        rate = k / n
        if not low - 1e-9 <= rate <= high + 1e-9:
            raise Miss(f"Slice {str(s['name'])[:40]!r}: the interval [{low:.3f}, {high:.3f}] does not contain "
                       f"the error rate {rate:.3f}.")
        w_low, w_high = wilson(k, n)
        if not 0.7 <= (high - low) / (w_high - w_low) <= 1.4:
            raise Miss(f"Slice {str(s['name'])[:40]!r} ({n} rows): the interval [{low:.3f}, {high:.3f}] is not "
                       f"about as wide as a 95 % interval ([{w_low:.3f}, {w_high:.3f}] by Wilson).")


@criterion(id="no_overclaim", points=20, title="No slice is claimed on too few rows or inside the noise",
           hint=f"A high error rate on a handful of species is an anecdote: report a slice only with support >= "
                f"MIN_SUPPORT ({MIN_SUPPORT}) and its interval's lower end above the overall error rate.",
           lesson=f"{LESSON}#8. Error analysis and slices")
def test_no_overclaim(reported, hidden):
    overall = 1 - hidden["correct"].mean()
    for s, rows in slices_of(reported):
        if int(rows.sum()) < MIN_SUPPORT:
            raise Miss(f"Slice {str(s['name'])[:40]!r} has {int(rows.sum())} rows, fewer than MIN_SUPPORT.")
        if number(s["ci_low"], "ci_low") <= overall:
            raise Miss(f"Slice {str(s['name'])[:40]!r}: its interval starts at {s['ci_low']:.3f}, not above the overall "
                       f"error rate {overall:.3f}, so it is not a pattern you can claim.")


def clear_slices(hidden: pd.DataFrame) -> list[tuple[str, pd.Series, float]]:
    wrong = ~hidden["correct"].astype(bool)
    overall = wrong.mean()
    out = []
    for column in SLICE_COLUMNS:
        for value in hidden[column].dropna().unique():
            rows = hidden[column] == value
            n, k = int(rows.sum()), int(wrong[rows].sum())
            if n >= MIN_SUPPORT and wilson(k, n)[0] > overall + CLEAR_MARGIN:
                out.append((f"{column} = {value}", rows, k / n / overall))
    return sorted(out, key=lambda t: -t[2])[:MUST_FIND]


@criterion(id="top_slices_found", points=20, title="The slices with the largest clear lift are among yours",
           hint="Scan every attribute in SLICE_COLUMNS (true type, secondary type, generation, forms, dual type, "
                "high base stats), not only the one you expect: the worst slices are often where nobody looked.",
           lesson=f"{LESSON}#8. Error analysis and slices")
def test_top_slices_found(reported, hidden):
    mine = [rows for _, rows in slices_of(reported)]
    for _name, rows, lift in clear_slices(hidden):
        overlap = max(((r & rows).sum() / (r | rows).sum() for r in mine), default=0.0)
        if overlap < MATCH:
            raise Miss(f"On the hidden predictions, a slice with lift {lift:.1f} and a clearly higher error rate "
                       f"is missing from your slices.")
