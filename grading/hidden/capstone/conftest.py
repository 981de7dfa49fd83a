"""Shared fixtures of the capstone's hidden checks.

`submission` is the probe notebook (probe.py) loaded in the sandboxed learner process on a
copy of the learner's capstone folder (grading/capstone_item.py). The hidden data never
reach the learner's repository: the out-of-time holdout's *inputs* go to the learner's model
to be priced, its prices stay here; corrupted sales are planted here, from holdout rows,
with a seed of ours.
"""

from __future__ import annotations

from pathlib import Path

import coursedata
import numpy as np
import pandas as pd
import pytest

from grading.capstone_item import cached_training
from grading.learner import LearnerError

TARGET = "price_usd"
TRAIN_CPU = 420  # CPU seconds for one `train()`: the reference needs about 25
CALL_CPU = 120
SEED = 20260718


def by_date(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["sale_date", "sale_id"], kind="stable").reset_index(drop=True)


@pytest.fixture(scope="session")
def capstone_dir(submission) -> Path:
    return Path(submission._session.submission).parent


@pytest.fixture(scope="session")
def public() -> pd.DataFrame:
    return by_date(coursedata.load_cards())


@pytest.fixture(scope="session")
def holdout() -> pd.DataFrame:
    return by_date(coursedata.load_capstone_holdout())


def corrupt(clean: pd.DataFrame, seed: int = SEED) -> dict[str, pd.DataFrame]:
    """One copy per planted issue kind, at rows chosen by our seed (not the learner's tests' rows)."""
    rng = np.random.default_rng(seed)

    def row(mask=None) -> int:
        candidates = np.flatnonzero(np.ones(len(clean), bool) if mask is None else np.asarray(mask))
        return int(rng.choice(candidates))

    out = {}
    bad = clean.copy()
    bad.loc[row(), TARGET] = -float(rng.integers(1, 50))
    out["a negative price"] = bad
    bad = clean.copy()
    bad.loc[row(), TARGET] = np.nan
    out["a missing price"] = bad
    out["a duplicated sale"] = pd.concat([clean, clean.iloc[[row()]]], ignore_index=True)
    bad = clean.copy()
    bad.loc[row(clean["grading_company"] != "ungraded"), "grade"] = 12.0
    out["a grade out of range"] = bad
    bad = clean.copy()
    bad.loc[row(), "rarity"] = "Ultra Shiny"
    out["an unknown rarity"] = bad
    out["a missing column"] = clean.drop(columns=["grading_company"])
    bad = clean.copy()
    i = row()
    bad.loc[i, "sale_date"] = bad.loc[i, "release_date"] - pd.Timedelta(days=int(rng.integers(10, 400)))
    out["a sale before its card's release"] = bad
    bad = clean.copy()
    bad.loc[row(), "language"] = "xx"
    out["an unknown language"] = bad
    return out


@pytest.fixture(scope="session")
def clean_hidden(holdout) -> pd.DataFrame:
    return holdout.head(2_000).reset_index(drop=True)


@pytest.fixture(scope="session")
def corrupted(clean_hidden) -> dict[str, pd.DataFrame]:
    return corrupt(clean_hidden)


def _cheapest_family(metadata: dict) -> str | None:
    rows = [r for r in metadata.get("cross_validation", []) if isinstance(r, dict) and r.get("model") != "baseline"]
    rows = [r for r in rows if isinstance(r.get("model"), str)]
    if not rows:
        return None
    return min(rows, key=lambda r: float(r.get("fit_seconds", 0) or 0))["model"]


def run_training(submission, public: pd.DataFrame, holdout: pd.DataFrame) -> dict:
    """Everything that trains: each value is the answer, or the LearnerError that stopped it."""
    out: dict = {}

    def step(name, call):
        try:
            out[name] = call()
        except LearnerError as exc:
            out[name] = exc

    inputs = holdout.drop(columns=[TARGET])
    step("first", lambda: submission.train_first(timeout=TRAIN_CPU))
    first = out["first"]
    if isinstance(first, dict):
        step("runs", lambda: submission.tracked_runs(timeout=CALL_CPU))
        step("holdout_first", lambda: submission.served_prices("first", inputs, timeout=CALL_CPU))
        step("skew", lambda: submission.skew(public.tail(300).reset_index(drop=True), timeout=CALL_CPU))
        step("second", lambda: submission.train_second(str(first.get("model")), timeout=TRAIN_CPU))
        if isinstance(out["second"], dict):
            step("holdout_second", lambda: submission.served_prices("second", inputs, timeout=CALL_CPU))
        family = _cheapest_family(first)
        if family is not None:
            step("canary", lambda: submission.canary(family, timeout=TRAIN_CPU))
    step("folds", lambda: submission.folds(len(public), timeout=CALL_CPU))
    return out


@pytest.fixture(scope="session")
def training(submission, capstone_dir, public, holdout) -> dict:
    return cached_training(capstone_dir, lambda: run_training(submission, public, holdout))
