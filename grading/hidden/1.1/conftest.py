"""The grader's own validator for 1.1, used to check what a learner's break_data plants."""

import pandas as pd
import pytest
from coursedata.vocab import CARD_TYPES, CONDITIONS, GRADING_COMPANIES, LANGUAGES, MARKETPLACES, RARITIES

RANGES = {"price_usd": (0.01, 500_000.0), "card_hp": (30, 340), "retreat_cost": (0, 4), "grade": (1.0, 10.0),
          "print_run": (1, 50_000_000)}
CATEGORIES = {"rarity": RARITIES, "condition": CONDITIONS, "grading_company": GRADING_COMPANIES,
              "language": LANGUAGES, "marketplace": MARKETPLACES, "card_type": CARD_TYPES}
FIRST_RELEASE, LAST_SALE = pd.Timestamp("1996-10-20"), pd.Timestamp("2025-06-30")


def validate(cards: pd.DataFrame) -> list[dict]:
    out = []

    def report(check, column, bad):
        if bool(bad.fillna(False).any()):
            out.append({"check": check, "column": column})

    for column in cards.columns:
        if column != "grade":
            values = cards[column]
            blank = values.astype("string").str.strip().eq("") if not pd.api.types.is_numeric_dtype(values) else False
            report("missing", column, values.isna() | blank)
    report("duplicate", "sale_id", cards["sale_id"].duplicated())
    for column, (low, high) in RANGES.items():
        numbers = pd.to_numeric(cards[column], errors="coerce")
        report("out_of_range", column, (numbers < low) | (numbers > high) | (numbers.isna() & cards[column].notna()))
    for column, allowed in CATEGORIES.items():
        report("bad_category", column, cards[column].notna() & ~cards[column].isin(allowed))
    sold = pd.to_datetime(cards["sale_date"], errors="coerce")
    released = pd.to_datetime(cards["release_date"], errors="coerce")
    for column, dates in (("sale_date", sold), ("release_date", released)):
        report("bad_date", column, (dates < FIRST_RELEASE) | (dates > LAST_SALE) | (dates.isna() & cards[column].notna()))
    report("bad_date", "sale_date", sold < released)
    return out


@pytest.fixture(scope="session")
def reference_validate():
    return validate
