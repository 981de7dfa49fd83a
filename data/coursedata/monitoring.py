"""Simulated production traffic of the card type service, in daily windows, with planted drift.

Rows are resampled from the real card sales (`cards.csv`): the reference is what the
model was trained and validated on; each production day is a fresh sample whose size
varies like real traffic (60 to 4,000 requests). A change point plants one
of the drifts real services meet:

- "sudden":       a new set lands: bigger cards (card_hp +30) and more V/VMAX mechanics at once
- "gradual":      prices creep up, a few per cent more every day (collectors' market heating up)
- "single":       only the model's confidence drops (a degraded upstream feature)
- "unit":         price_usd arrives in cents (an upstream unit change)
- "new_category": a mechanic the model never saw ("TERA") appears on 12 % of cards
- None:           no change, only the benign shift every real stream has (slightly newer cards)

    reference = reference_window(seed)
    stream = daily_stream(seed, days=30, change="unit", start=14)   # one frame, `day` column
"""

from __future__ import annotations

import functools

import numpy as np

NUMERIC = ["card_hp", "retreat_cost", "price_usd", "confidence"]
CATEGORICAL = ["mechanic", "rarity", "predicted_type"]
COLUMNS = [*NUMERIC, *CATEGORICAL]
CHANGES = ["sudden", "gradual", "single", "unit", "new_category"]


@functools.cache
def _pool():
    """Every sale as a monitoring row: the features the service logs and its prediction."""
    from .loaders import load_cards

    cards = load_cards()
    rng = np.random.default_rng(20_250_101)
    # Predictions as the service logged them: right ~93 % of the time, confident when right.
    right = rng.random(len(cards)) < 0.93
    types = cards["card_type"].to_numpy()
    predicted = np.where(right, types, rng.permutation(types))
    confidence = np.where(right, rng.beta(12, 1.2, len(cards)), rng.beta(3, 3, len(cards)))
    out = cards[["card_hp", "retreat_cost", "price_usd", "mechanic", "rarity"]].copy()
    out["confidence"] = confidence.round(4)
    out["predicted_type"] = predicted
    out["card_hp"] = out["card_hp"].astype(float)
    out["retreat_cost"] = out["retreat_cost"].astype(float)
    return out[COLUMNS].reset_index(drop=True)


def reference_window(seed: int = 0, n: int = 5_000):
    """The training-time reference sample."""
    pool = _pool()
    return pool.iloc[np.random.default_rng(seed).integers(0, len(pool), n)].reset_index(drop=True)


def daily_stream(seed: int, days: int = 30, change: str | None = None, start: int = 15):
    """`days` daily windows (column `day`, 0-based), with `change` from day `start` on."""
    import pandas as pd

    if change is not None and change not in CHANGES:
        raise ValueError(f"change must be one of {CHANGES} or None")
    pool = _pool()
    rng = np.random.default_rng(seed)
    frames = []
    for day in range(days):
        n = int(np.exp(rng.uniform(np.log(60), np.log(4_000))))  # quiet Sundays, busy launches
        window = pool.iloc[rng.integers(0, len(pool), n)].reset_index(drop=True)
        window["card_hp"] += 1.0  # benign: the catalogue's newest cards are a little bigger
        if change is not None and day >= start:
            _plant(window, change, day - start, rng)
        window.insert(0, "day", day)
        frames.append(window)
    return pd.concat(frames, ignore_index=True)


def _plant(window, change: str, since: int, rng) -> None:
    n = len(window)
    if change == "sudden":
        window["card_hp"] += 30.0
        flip = rng.random(n) < 0.25
        window.loc[flip, "mechanic"] = rng.choice(["V", "VMAX"], flip.sum())
    elif change == "gradual":
        window["price_usd"] *= 1.0 + 0.06 * (since + 1)
    elif change == "single":
        window["confidence"] = (window["confidence"] * 0.8).round(4)
    elif change == "unit":
        window["price_usd"] *= 100.0
    elif change == "new_category":
        flip = rng.random(n) < 0.12
        window.loc[flip, "mechanic"] = "TERA"
