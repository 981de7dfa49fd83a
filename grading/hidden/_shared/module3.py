"""What Module 3's hidden tests (3.2, 3.3, 3.challenge) share: the notebooks' numeric table of
card sales, rebuilt here so the grader never runs the learner's copy of it
(tests/test_module3.py keeps each item's table equal to its notebook's)."""

from __future__ import annotations

import pandas as pd
from coursedata.vocab import CONDITIONS, LANGUAGES, RARITIES

FEATURES = ["rarity", "condition", "grade", "first_edition", "language", "age_years", "card_hp",
            "retreat_cost", "release_year", "species_id"]


def numeric_sales(cards: pd.DataFrame, target: str, price_at_least: float, *, card_key: bool = False) -> pd.DataFrame:
    """One row per sale: its id (and card, for grouped folds), the numeric features, and
    `target` = 1 where the sale fetched at least `price_at_least` dollars."""
    ids = {"sale_id": cards["sale_id"]}
    if card_key:
        ids["card_key"] = cards["set_code"] + " " + cards["card_number"]
    return pd.DataFrame({
        **ids,
        "rarity": cards["rarity"].map(RARITIES.index),
        "condition": cards["condition"].map(CONDITIONS.index),
        "grade": cards["grade"].fillna(0.0),
        "first_edition": cards["first_edition"].astype(int),
        "language": cards["language"].map(LANGUAGES.index),
        "age_years": (cards["sale_date"] - cards["release_date"]).dt.days / 365.25,
        "card_hp": cards["card_hp"],
        "retreat_cost": cards["retreat_cost"],
        "release_year": cards["release_date"].dt.year,
        "species_id": cards["species_id"],
        target: (cards["price_usd"] >= price_at_least).astype(int),
    }).reset_index(drop=True)
