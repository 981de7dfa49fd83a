"""The price process of the card sales (instructor-only: the learner release leaves it out).

`coursedata.cards.generate` loads this file by path. Price, in natural-log dollars: every
term is a real collector intuition, and the noise is heavy-tailed (Student t, df 3) plus rare
auction frenzies. Owners send valuable copies to grading (the `grading_*` terms): selection
the learner must notice. Changing a number here changes every generated table: rebuild with
`uv run python -m coursedata.build` and commit data/MANIFEST. Documented for instructors in
`card_price.md` beside this file.
"""

import numpy as np

# Widely loved species get a popularity bonus (the course's assumption, not a survey);
# latent popularity enters the price, the catalog's rarities and how often a card is sold.
ICONIC = {
    "pikachu", "charizard", "mewtwo", "mew", "eevee", "umbreon", "espeon", "sylveon",
    "vaporeon", "jolteon", "flareon", "leafeon", "glaceon", "gengar", "lugia", "ho-oh",
    "rayquaza", "gyarados", "blastoise", "venusaur", "snorlax", "dragonite", "lucario",
    "greninja", "garchomp", "giratina-altered", "arceus", "mimikyu-disguised", "bulbasaur",
    "squirtle", "charmander", "psyduck", "jigglypuff", "magikarp", "ditto", "lapras",
    "tyranitar", "celebi", "suicune",
}

PRICE = {
    "intercept": np.log(0.30),           # an ungraded near-mint modern common
    "rarity": [0.0, 0.25, 1.0, 2.0, 2.8, 3.4],  # by RARITIES order
    "popularity": 0.9,                   # per unit of latent species popularity
    "popularity_x_rarity": 0.12,         # chase cards: popular AND rare
    "age_per_year": 0.05,                # years between release and sale
    "wotc_era": 0.8,                     # Wizards of the Coast vintage premium
    "first_edition": 0.9,
    "condition": [-1.9, -1.3, -0.8, -0.35, 0.0, 0.15],  # by CONDITIONS order (ungraded)
    "grade_slope": 0.28,                 # per grade point above 8
    "grade_9_5_plus": 0.5,
    "grade_10": 0.8,
    "grade_10_x_wotc": 0.8,              # a vintage gem mint is a different market
    "company": {"PSA": 0.1, "BGS": 0.05, "CGC": -0.1, "ungraded": 0.0},
    "print_run_log": -0.25,              # per ln(print run / 100,000)
    "language": {"en": 0.0, "ja": 0.05, "de": -0.35, "fr": -0.35, "it": -0.35,
                 "es": -0.35, "ko": -0.4, "zh": -0.5},
    "trend_per_year": 0.07,              # market drift since SALES_START
    "december": 0.06,                    # holiday demand
    "auction_house": 0.15,
    "noise_scale": 0.30,                 # times a Student t (3 d.o.f.) clipped to +-8
    "frenzy_rate": 0.005,                # bidding wars: price times 3 to 10
    # Who sends a copy to grading: odds exp(slope * (ln value - ln pivot)), at most max_share graded.
    "grading_slope": 1.1,
    "grading_pivot_usd": 40,
    "grading_max_share": 0.85,
}


def log_price(c: dict) -> np.ndarray:
    """Expected ln(price) without noise; `c` holds numpy arrays named as in the table."""
    p = PRICE
    rarity = c["rarity_idx"]
    graded = c["grading_company"] != "ungraded"
    grade = np.nan_to_num(c["grade"], nan=0.0)
    out = (
        p["intercept"]
        + np.take(p["rarity"], rarity)
        + p["popularity"] * c["popularity"]
        + p["popularity_x_rarity"] * c["popularity"] * rarity
        + p["age_per_year"] * c["age_years"]
        + p["wotc_era"] * c["wotc"]
        + p["first_edition"] * c["first_edition"]
        + p["print_run_log"] * np.log(c["print_run"] / 100_000)
        + np.vectorize(p["language"].get, otypes=[float])(c["language"])
        + p["trend_per_year"] * c["years_since_start"]
        + p["december"] * c["december"]
        + p["auction_house"] * (c["marketplace"] == "auction_house")
    )
    graded_part = (
        p["grade_slope"] * (grade - 8)
        + p["grade_9_5_plus"] * (grade >= 9.5)
        + (p["grade_10"] + p["grade_10_x_wotc"] * c["wotc"]) * (grade == 10)
        + np.vectorize(p["company"].get, otypes=[float])(c["grading_company"])
    )
    ungraded_part = np.take(p["condition"], c["condition_idx"])
    return out + np.where(graded, graded_part, ungraded_part)


def popularity(pool, rng) -> np.ndarray:
    """Latent species popularity (mean about 0): iconic, Kanto nostalgia, legendaries."""
    iconic = np.array([r["name"] in ICONIC or r["base_species"] in ICONIC for r in pool])
    kanto = np.array([r["base_gen"] == 1 for r in pool])
    strong = np.array([r["base_stat_total"] >= 580 for r in pool])
    return 1.6 * iconic + 0.5 * kanto + 0.5 * strong - 0.45 + rng.normal(0, 0.4, len(pool))
