"""The grader's own validator for 1.1, used to check what a learner's break_data plants.

Its rules are read from the course's one contract, `coursedata.contract.CARDS`, exactly as the
exercise's setup cell reads them: no second copy of a bound or a vocabulary.
"""

import pandas as pd
import pytest
from coursedata import contract

KEY = next(f.name for f in contract.CARDS if f.unique)
OPTIONAL = tuple(f.name for f in contract.CARDS if f.nullable)
RANGES = {f.name: (f.lo, f.hi) for f in contract.CARDS if f.kind in ("int", "float") and f.lo is not None}
CATEGORIES = {f.name: f.allowed for f in contract.CARDS if f.allowed}
DATES = {f.name: (pd.Timestamp(f.lo), pd.Timestamp(f.hi)) for f in contract.CARDS if f.kind == "date"}


def validate(cards: pd.DataFrame) -> list[dict]:
    out = []

    def report(check, column, bad):
        if bool(bad.fillna(False).any()):
            out.append({"check": check, "column": column})

    for column in cards.columns:
        if column not in OPTIONAL:
            values = cards[column]
            blank = values.astype("string").str.strip().eq("") if not pd.api.types.is_numeric_dtype(values) else False
            report("missing", column, values.isna() | blank)
    report("duplicate", KEY, cards[KEY].duplicated())
    for column, (low, high) in RANGES.items():
        numbers = pd.to_numeric(cards[column], errors="coerce")
        report("out_of_range", column, (numbers < low) | (numbers > high) | (numbers.isna() & cards[column].notna()))
    for column, allowed in CATEGORIES.items():
        report("bad_category", column, cards[column].notna() & ~cards[column].isin(allowed))
    sold = pd.to_datetime(cards["sale_date"], errors="coerce")
    released = pd.to_datetime(cards["release_date"], errors="coerce")
    for column, dates in (("sale_date", sold), ("release_date", released)):
        first, last = DATES[column]
        report("bad_date", column, (dates < first) | (dates > last) | (dates.isna() & cards[column].notna()))
    report("bad_date", "sale_date", sold < released)
    return out


@pytest.fixture(scope="session")
def reference_validate():
    return validate
