"""Module 1 challenge: "New Pokémon Data Drop" files and their ground truth.

A drop is a fresh batch of card sales made by the same process with some knobs turned
(`cards.Market`: drift), then transformed as text: quality problems planted, columns
retyped, added, removed and renamed (schema change). Each drop has a spec (a JSON-able
dict). The public drop's spec is below; the hidden drops' specs are instructor-only
(grading/hidden/data/params.json). The truth file records the spec, the rows touched
by each planted problem, and the measured PSI of every shared column against the cards.
"""

import numpy as np

from . import cards
from .drift import compare

PUBLIC_SPEC = {
    "name": "new_drop",
    "rows": 3000,
    "seed": 2025_07,
    "market": {
        "window": ["2025-07-01", "2025-09-30"],
        # Japanese cards boom: their share among modern sales doubles.
        "language_mix": {"vintage": [0.50, 0.40, 0.03, 0.03, 0.02, 0.02, 0.0, 0.0],
                         "modern": [0.36, 0.50, 0.03, 0.03, 0.02, 0.02, 0.02, 0.02]},
        "grading_boost": 6.0,  # a grading boom: owners send far more copies to PSA & co
        "price_shift": 0.4,  # prices up about half: small next to their spread, so PSI misses it
    },
    "drift": ["language", "grading_company", "price_usd"],
    "schema": {
        "renamed": {"card_hp": "hp", "condition": "card_condition"},
        "retyped": {"sale_date": "datetime_utc", "first_edition": "int01"},
        "added": ["seller_rating", "listing_title", "shipping_usd"],
        "removed": ["print_run", "attacks"],
    },
    "quality": {},
}
LANGUAGE_NAMES = {"en": "English", "ja": "Japanese", "de": "German", "fr": "French",
                  "it": "Italian", "es": "Spanish", "ko": "Korean", "zh": "Chinese"}
# Identifiers and the calendar always "drift"; free text has too many values for PSI.
NOT_COMPARED = {"sale_id", "sale_date", "card_number", "card_name", "species", "attacks", "set_name"}


def _retype(df, column, how, rng):
    """Text -> text conversions a new upstream system might make."""
    v = df[column]
    if how == "datetime_utc":
        minutes = rng.integers(0, 24 * 60, len(df))
        return v + "T" + [f"{m // 60:02d}:{m % 60:02d}:00Z" for m in minutes]
    if how == "int01":
        return v.map({"True": "1", "False": "0"})
    if how == "usd_to_eur":
        return (v.astype(float) * 0.92).round(2).astype(str)
    if how == "grade_text":  # "PSA 9", "BGS 9.5"; needs grading_company
        grade = v.fillna("").str.replace(r"\.0$", "", regex=True)
        return (df["grading_company"] + " " + grade).where(df["grading_company"] != "ungraded", "ungraded")
    if how == "language_names":
        return v.map(LANGUAGE_NAMES)
    raise ValueError(f"unknown retype {how!r}")


def _added(df, column, rng):
    n = len(df)
    if column == "seller_rating":
        return np.clip(rng.normal(4.6, 0.4, n), 1, 5).round(1).astype(str)
    if column == "listing_title":
        return df["card_name"] + " " + df["card_number"] + " " + df["set_name"]
    if column == "shipping_usd":
        return rng.choice(["0.0", "0.99", "1.5", "4.99", "12.0"], n)
    if column == "marketplace_fee_usd":
        return (df["price_usd"].astype(float) * 0.13).round(2).astype(str)
    raise ValueError(f"unknown added column {column!r}")


def _plant_quality(df, quality, rng, truth):
    """Planted problems, on contract column names; each records the sale_ids it touched."""
    for rule in quality.get("unit_change", []):
        rows = df.index[df[rule["where_column"]] == rule["where_value"]]
        df.loc[rows, rule["column"]] = (df.loc[rows, rule["column"]].astype(float) * rule["factor"]).round(2).astype(str)
        truth.append({"issue": "unit_change", "column": rule["column"], "detail": rule["detail"],
                      "sale_ids": df.loc[rows, "sale_id"].tolist()})
    for rule in quality.get("new_category", []):
        mask = (df[rule["column"]] == rule["from"]) & df["set_code"].isin(rule["set_codes"])
        rows = df.index[mask]
        df.loc[rows, rule["column"]] = rule["to"]
        truth.append({"issue": "new_category", "column": rule["column"],
                      "detail": f"{rule['from']!r} relabelled {rule['to']!r} in {', '.join(rule['set_codes'])}",
                      "sale_ids": df.loc[rows, "sale_id"].tolist()})
    for column, share in sorted(quality.get("nulls", {}).items()):
        rows = np.sort(rng.choice(len(df), size=round(share * len(df)), replace=False))
        df.loc[df.index[rows], column] = None
        truth.append({"issue": "missing_values", "column": column, "detail": f"{share:.0%} emptied",
                      "sale_ids": df["sale_id"].iloc[rows].tolist()})
    share = quality.get("duplicates", 0)
    if share:
        copies = np.sort(rng.choice(len(df), size=round(share * len(df)), replace=False))
        # Each copy lands a little after its original, as a re-sent batch would.
        pos = np.concatenate([np.arange(len(df), dtype=float), copies + rng.uniform(0.1, 40, len(copies))])
        order = np.concatenate([np.arange(len(df)), copies])[np.argsort(pos, kind="stable")]
        ids = df["sale_id"].iloc[copies].tolist()
        df = df.iloc[order]
        truth.append({"issue": "duplicate_rows", "column": "", "detail": f"{len(copies)} exact copies",
                      "sale_ids": ids})
    return df.reset_index(drop=True)


def build(spec: dict, reference):
    """(drop text frame, truth dict) from a spec and the reference (clean cards) frame."""
    from .text import as_text

    market = cards.Market(**{k: tuple(v) if k == "window" else v for k, v in spec["market"].items()})
    fresh = cards.generate(spec["rows"], spec["seed"], market)
    rng = np.random.default_rng([spec["seed"], 3])
    stats = {c: compare(reference[c], fresh[c]) for c in reference.columns if c not in NOT_COMPARED}
    df = as_text(fresh)
    quality = []
    df = _plant_quality(df, spec.get("quality", {}), rng, quality)
    schema = spec.get("schema", {})
    for column in schema.get("added", []):  # computed from contract values, so first
        df[column] = _added(df, column, rng)
    for column, how in sorted(schema.get("retyped", {}).items()):
        df[column] = _retype(df, column, how, rng)
    for column, how in sorted(schema.get("recoded", {}).items()):
        df[column] = _retype(df, column, how, rng)
    df = df.drop(columns=schema.get("removed", []))
    df = df.rename(columns=schema.get("renamed", {}))
    truth = {
        "name": spec["name"], "rows": len(df), "spec": spec, "quality": quality,
        "drift_vs_cards": stats,
        "drifted": sorted(spec.get("drift", [])),
        "moved": sorted(c for c, v in stats.items() if v["psi"] > 0.1 or v.get("ks_pvalue", 1) < 0.001),
        "note": "drift_vs_cards compares the drop, before its schema change and planted problems, "
                "with data/cards.csv: PSI for every column, KS statistic and p-value for numbers. "
                "`drifted` lists the columns whose process was changed on purpose; `moved` the "
                "columns that measurably moved (PSI > 0.1 or KS p < 0.001), knock-on effects included",
    }
    return df, truth
