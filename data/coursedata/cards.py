"""The Pokémon card sales table, the course's main data.

One row is one recorded sale of one physical card: a catalog card (set, number, species,
rarity, ...) plus what is true of that copy (language, 1st edition, condition, grade) and of
the sale (date, marketplace, price). `generate(n_rows, seed)` is fully vectorised.

The price process (its terms and coefficients, and how owners choose which copies to grade)
is instructor-only: `grading/hidden/data/card_price.py`, which the learner release leaves out.
Discovering what drives prices is the learner's job (Module 2). Without it, `generate` raises;
the committed tables and `load_big` (a resample of the committed sales) need nothing hidden.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from . import catalog as cat
from .paths import GENERATED_DIR, HIDDEN_DIR
from .vocab import CONDITIONS, LANGUAGES, MARKETPLACES, RARITIES

SEED = 20240601
CATALOG_SEED = SEED
N_ROWS = 20_000  # the committed table
SALES_START, SALES_END = "2023-01-01", "2025-06-30"

COLUMNS = [
    "sale_id", "sale_date", "marketplace", "set_code", "set_name", "release_date",
    "card_number", "card_name", "species", "species_id", "card_type", "rarity", "mechanic",
    "card_hp", "attacks", "retreat_cost", "print_run", "language", "first_edition", "condition",
    "grading_company", "grade", "price_usd",
]

# Conditions of ungraded copies: modern cards are mostly pack-fresh, vintage ones played.
CONDITION_MIX = {"vintage": [0.05, 0.10, 0.20, 0.30, 0.30, 0.05],
                 "modern": [0.02, 0.03, 0.08, 0.17, 0.55, 0.15]}
LANGUAGE_MIX = {"vintage": [0.78, 0.12, 0.03, 0.03, 0.02, 0.02, 0.0, 0.0],
                "modern": [0.60, 0.20, 0.05, 0.05, 0.03, 0.03, 0.02, 0.02]}
COMPANY_MIX = [0.6, 0.2, 0.2]  # PSA, BGS, CGC


def _days(iso) -> np.ndarray:
    return np.asarray(iso, dtype="datetime64[D]").astype(np.int64)


def _grade(rng, company, vintage):
    """Professional grades: PSA in whole points, BGS and CGC in half points."""
    quality = np.where(vintage, rng.normal(7.3, 1.5, len(company)), rng.normal(8.9, 1.0, len(company)))
    step = np.where(company == "PSA", 1.0, 0.5)
    return np.clip(np.round(quality / step) * step, 1.0, 10.0)


def _condition_from_grade(grade):
    # PSA's scale in words: 9+ mint, 7+ near mint, 5+ excellent/lightly played, ...
    idx = np.searchsorted([2.0, 3.0, 5.0, 7.0, 9.0], grade, side="right")
    return np.asarray(CONDITIONS, dtype=object)[idx]


def price_process():
    """The instructor-only price process: a module with `PRICE` and `log_price(c)`."""
    return _load_price_process()


@cache
def _load_price_process():
    import importlib.util

    path = HIDDEN_DIR / "card_price.py"
    if not path.is_file():
        raise FileNotFoundError(f"{path} (the price process) is instructor-only and absent from the learner "
                                "release: the committed tables are there, and load_big() resamples them.")
    spec = importlib.util.spec_from_file_location("coursedata_card_price", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Market:
    """Knobs of the sales process; data drops turn them to plant drift."""

    window: tuple = (SALES_START, SALES_END)
    language_mix: dict = field(default_factory=lambda: LANGUAGE_MIX)
    condition_mix: dict = field(default_factory=lambda: CONDITION_MIX)
    grading_boost: float = 1.0  # multiplies the odds that an owner grades a copy
    price_shift: float = 0.0  # a market-wide shock, in ln(price)
    vintage_boost: float = 1.0  # multiplies how often WotC cards come up for sale


def generate(n_rows: int = N_ROWS, seed: int = SEED, market: Market = Market()):
    """The card sales table as a pandas DataFrame with the loader's dtypes."""
    import pandas as pd

    from .loaders import typed_cards

    table = _generate_arrays(n_rows, seed, market)
    return typed_cards(pd.DataFrame(table, columns=COLUMNS))


def _generate_arrays(n_rows: int, seed: int, market: Market) -> dict:
    catalog, _ = cat.build(CATALOG_SEED)  # one world of printed cards; seeds vary the sales
    col = {k: np.array([c[k] for c in catalog], dtype=object if isinstance(catalog[0][k], str) else None)
           for k in catalog[0]}
    rng = np.random.default_rng([seed, 2])
    rarity_idx_cat = np.array([RARITIES.index(r) for r in col["rarity"]])
    release = _days(col["release_date"].astype(str))
    start, end = _days(market.window[0]), _days(market.window[1])
    # Popular and modern cards change hands more often.
    weight = np.exp(0.6 * col["popularity"] + 0.5 * (release > _days("2016-01-01")))
    weight = weight * np.where(col["era"] == "WotC", market.vintage_boost, 1.0)
    pick = rng.choice(len(catalog), size=n_rows, p=weight / weight.sum())
    take = {k: v[pick] for k, v in col.items()}
    first_day = np.maximum(release[pick], start)
    sale_day = first_day + (rng.random(n_rows) * (end - first_day + 1)).astype(np.int64)
    vintage = take["era"] == "WotC"
    modern_mix, vintage_mix = (np.cumsum(market.language_mix[k]) for k in ("modern", "vintage"))
    u = rng.random(n_rows)
    lang_idx = np.where(vintage, np.searchsorted(vintage_mix, u, side="right"),
                        np.searchsorted(modern_mix, u, side="right"))
    language = np.asarray(LANGUAGES, dtype=object)[np.minimum(lang_idx, len(LANGUAGES) - 1)]
    europe = np.isin(language, ["de", "fr", "it", "es"])
    market_p = np.where(europe[:, None], [0.35, 0.05, 0.55, 0.05], [0.50, 0.38, 0.05, 0.07])
    market_idx = (rng.random(n_rows)[:, None] > np.cumsum(market_p, axis=1)).sum(axis=1)
    marketplace = np.asarray(MARKETPLACES, dtype=object)[np.minimum(market_idx, 3)]
    first_edition = take["first_edition_possible"].astype(bool) & (rng.random(n_rows) < 0.25)
    cond_u = rng.random(n_rows)
    cond_idx = np.where(vintage, np.searchsorted(np.cumsum(market.condition_mix["vintage"]), cond_u, side="right"),
                        np.searchsorted(np.cumsum(market.condition_mix["modern"]), cond_u, side="right"))
    cond_idx = np.minimum(cond_idx, len(CONDITIONS) - 1)
    sale_dates = sale_day.astype("datetime64[D]")
    c = {
        "rarity_idx": rarity_idx_cat[pick], "popularity": take["popularity"],
        "age_years": (sale_day - release[pick]) / 365.25, "wotc": vintage.astype(float),
        "first_edition": first_edition.astype(float), "print_run": take["print_run"],
        "language": language, "years_since_start": (sale_day - _days(SALES_START)) / 365.25,
        "december": (sale_dates.astype("datetime64[M]").astype(int) % 12 == 11).astype(float),
        "marketplace": marketplace, "condition_idx": cond_idx,
        "grading_company": np.full(n_rows, "ungraded", dtype=object), "grade": np.full(n_rows, np.nan),
    }
    # Owners send valuable copies to grading: selection the learner must notice.
    process = price_process()
    p = process.PRICE
    value = process.log_price(c)
    odds = market.grading_boost * np.exp(p["grading_slope"] * (value - np.log(p["grading_pivot_usd"])))
    graded = rng.random(n_rows) < p["grading_max_share"] * odds / (1 + odds)
    company = np.asarray(["PSA", "BGS", "CGC"], dtype=object)[
        np.minimum(np.searchsorted(np.cumsum(COMPANY_MIX), rng.random(n_rows), side="right"), 2)]
    company = np.where(graded, company, "ungraded")
    grade = np.where(graded, _grade(rng, company, vintage), np.nan)
    condition = np.where(graded, _condition_from_grade(np.nan_to_num(grade, nan=1)),
                         np.asarray(CONDITIONS, dtype=object)[cond_idx])
    c.update(grading_company=company, grade=grade, condition_idx=_condition_index(condition))
    # Clipped so one draw cannot move a price more than about 11-fold.
    noise = p["noise_scale"] * np.clip(rng.standard_t(3, n_rows), -8, 8)
    frenzy = np.where(rng.random(n_rows) < p["frenzy_rate"], rng.uniform(np.log(3), np.log(10), n_rows), 0.0)
    price = np.maximum(np.round(np.exp(process.log_price(c) + market.price_shift + noise + frenzy), 2), 0.1)
    # Stable order: by sale day, then catalog position, then a random tiebreak.
    order = np.lexsort((rng.random(n_rows), pick, sale_day))
    table = {
        "sale_id": np.char.add("S", np.char.zfill(np.arange(1, n_rows + 1).astype(str), 7)).astype(object),
        "sale_date": np.datetime_as_string(sale_dates[order]).astype(object),
        "marketplace": marketplace[order],
        "set_code": take["set_code"][order], "set_name": take["set_name"][order],
        "release_date": take["release_date"][order], "card_number": take["card_number"][order],
        "card_name": take["card_name"][order], "species": take["species"][order],
        "species_id": take["species_id"][order], "card_type": take["card_type"][order],
        "rarity": take["rarity"][order], "mechanic": take["mechanic"][order],
        "card_hp": take["hp"][order], "attacks": take["attacks"][order],
        "retreat_cost": take["retreat_cost"][order], "print_run": take["print_run"][order],
        "language": language[order], "first_edition": first_edition[order],
        "condition": condition[order], "grading_company": company[order],
        "grade": grade[order], "price_usd": price[order],
    }
    return table


def _condition_index(condition: np.ndarray) -> np.ndarray:
    lookup = {c: i for i, c in enumerate(CONDITIONS)}
    return np.vectorize(lookup.get, otypes=[int])(condition)


def generated_path(n_rows: int, seed: int = SEED) -> Path:
    return GENERATED_DIR / f"cards_resampled_{n_rows}_{seed}.parquet"


def resample(n_rows: int, seed: int = SEED):
    """`n_rows` sales drawn with replacement from the committed table, in sale-date order, with fresh
    sale ids: the same columns, types and distributions, at any size, from public data only."""
    import pandas as pd

    from .loaders import load_cards

    cards = load_cards()
    pick = np.sort(np.random.default_rng([seed, 3]).integers(0, len(cards), n_rows))
    big = cards.iloc[pick].reset_index(drop=True)
    big["sale_id"] = pd.Series(np.char.add("S", np.char.zfill(np.arange(1, n_rows + 1).astype(str), 7)),
                               dtype=big["sale_id"].dtype)
    return big


def load_big(n_rows: int = 1_000_000, seed: int = SEED, *, refresh: bool = False):
    """The big table for performance lessons (a resample of the committed sales), cached as Parquet
    under data/generated/."""
    import pandas as pd

    from .loaders import typed_cards

    path = generated_path(n_rows, seed)
    if refresh or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        resample(n_rows, seed).to_parquet(tmp, index=False)
        tmp.replace(path)  # atomic: a killed run never leaves half a cache
    return typed_cards(pd.read_parquet(path))
