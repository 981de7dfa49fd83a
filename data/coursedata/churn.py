"""Week 1 exam: customer churn of "PokeVault", a card-collector subscription service.

Synthetic, seeded. One row per customer at the snapshot date; `churned` = cancelled in
the following 90 days. The planted drivers and their strengths are instructor-only
(params.json "churn"): this code knows the candidate terms, not which ones matter.
The public file carries planted quality issues; the clean file and all ground truth
(drivers, issues) are hidden.
"""

import numpy as np

from . import hidden_params
from .planting import Planter
from .vocab import CARD_TYPES

SNAPSHOT = "2025-06-30"
LAUNCH = "2020-06-01"
PLANS = ["basic", "collector", "master"]
PLAN_FEE = {"basic": 9.99, "collector": 19.99, "master": 39.99}
ANNUAL_FACTOR = 0.85  # annual billing: 15 % off the monthly price
COUNTRIES = ["US", "GB", "DE", "FR", "JP", "CA", "AU", "ES", "IT"]
PAYMENT_METHODS = ["card", "paypal", "bank_transfer"]
REFERRALS = ["search", "social", "friend", "ads", "event"]
CANCEL_REASONS = ["price", "not_using", "delivery_problems", "payment_issue", "competitor"]
DAYS_PER_MONTH = 30.44
COLUMNS = [
    "customer_id", "signup_date", "tenure_months", "plan", "billing_cycle", "monthly_fee",
    "country", "age", "payment_method", "autorenew", "logins_30d", "days_since_last_login",
    "orders_90d", "avg_order_value", "late_deliveries_90d", "support_tickets_90d",
    "payment_failures_12m", "referral_source", "favorite_type", "nps_score", "cancel_reason",
    "churned",
]


def fee(plan, cycle):
    return np.round(np.vectorize(PLAN_FEE.get)(plan) * np.where(cycle == "annual", ANNUAL_FACTOR, 1.0), 2)


def terms(d: dict) -> dict:
    """Every candidate term of the churn logit; params.json says which ones count."""
    return {
        "log1p_days_since_last_login": np.log1p(d["days_since_last_login"]),
        "support_tickets_90d": d["support_tickets_90d"].astype(float),
        "payment_failures_12m": d["payment_failures_12m"].astype(float),
        "autorenew": d["autorenew"].astype(float),
        "tenure_years": d["tenure_months"] / 12,
        "annual_billing": (d["billing_cycle"] == "annual").astype(float),
        "late_deliveries_90d": d["late_deliveries_90d"].astype(float),
        "age": d["age"].astype(float),
        "logins_30d": d["logins_30d"].astype(float),
        "orders_90d": d["orders_90d"].astype(float),
        "master_plan": (d["plan"] == "master").astype(float),
    }


def _intercept(logit, rate):
    """Intercept giving the wanted churn rate (bisection: deterministic)."""
    lo, hi = -20.0, 20.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.mean(1 / (1 + np.exp(-(logit + mid)))) < rate else (lo, mid)
    return round((lo + hi) / 2, 6)


def _choice(rng, values, p, n):
    return np.asarray(values, dtype=object)[np.minimum(np.searchsorted(np.cumsum(p), rng.random(n), side="right"), len(values) - 1)]


def generate(params: dict):
    """(clean frame, truth dict)."""
    import pandas as pd

    rng = np.random.default_rng(params["seed"])
    n = params["rows"]
    launch, snap = np.datetime64(LAUNCH), np.datetime64(SNAPSHOT)
    signup = launch + (rng.random(n) ** 0.8 * ((snap - np.timedelta64(90, "D")) - launch).astype(int)).astype(int)
    tenure = np.floor((snap - signup).astype(int) / DAYS_PER_MONTH).astype(int)
    plan = _choice(rng, PLANS, [0.55, 0.33, 0.12], n)
    cycle = np.where(rng.random(n) < np.where(plan == "master", 0.45, 0.22), "annual", "monthly").astype(object)
    engagement = rng.normal(0, 1, n)
    orders = rng.poisson(np.exp(0.3 + 0.4 * engagement + 0.3 * np.searchsorted(PLANS, plan)))
    late = rng.binomial(orders, 0.08)
    method = _choice(rng, PAYMENT_METHODS, [0.6, 0.3, 0.1], n)
    d = {
        "customer_id": np.array([f"CU{i:05d}" for i in range(1, n + 1)], dtype=object),
        "signup_date": np.datetime_as_string(signup).astype(object),
        "tenure_months": tenure,
        "plan": plan, "billing_cycle": cycle, "monthly_fee": fee(plan, cycle),
        "country": _choice(rng, COUNTRIES, [0.38, 0.12, 0.1, 0.08, 0.1, 0.07, 0.06, 0.05, 0.04], n),
        "age": np.clip(np.round(rng.normal(34, 11, n)), 18, 80).astype(int),
        "payment_method": method,
        "autorenew": rng.random(n) < np.where(cycle == "annual", 0.85, 0.65),
        "logins_30d": rng.poisson(np.exp(1.6 + 0.7 * engagement)),
        "days_since_last_login": np.clip(np.round(np.exp(2.0 - 0.9 * engagement + rng.normal(0, 0.6, n))), 0, 365).astype(int),
        "orders_90d": orders,
        "avg_order_value": np.where(orders > 0, np.round(np.exp(np.log(25) + 0.3 * np.searchsorted(PLANS, plan) + rng.normal(0, 0.5, n)), 2), np.nan),
        "late_deliveries_90d": late,
        "support_tickets_90d": rng.poisson(0.3 + 0.9 * late),
        "payment_failures_12m": rng.poisson(np.vectorize({"card": 0.25, "paypal": 0.15, "bank_transfer": 0.5}.get)(method)),
        "referral_source": _choice(rng, REFERRALS, [0.3, 0.25, 0.2, 0.15, 0.1], n),
        "favorite_type": _choice(rng, CARD_TYPES, np.full(len(CARD_TYPES), 1 / len(CARD_TYPES)), n),
    }
    t = terms(d)
    logit = sum(coef * t[name] for name, coef in sorted(params["drivers"].items()))
    b0 = _intercept(logit, params["churn_rate"])
    p = 1 / (1 + np.exp(-(logit + b0)))
    churned = (rng.random(n) < p).astype(int)
    answered = rng.random(n) < 0.55
    nps = np.clip(np.round(7 + 1.0 * engagement - 0.8 * d["support_tickets_90d"] - 1.5 * churned * rng.random(n) + rng.normal(0, 1.5, n)), 0, 10)
    d["nps_score"] = np.where(answered, nps, np.nan)
    # Recorded by the cancellation flow, so only churners have one: a label leak.
    reason = _choice(rng, CANCEL_REASONS, [0.3, 0.3, 0.15, 0.15, 0.1], n)
    reason = np.where(d["payment_failures_12m"] >= 2, "payment_issue", reason)
    reason = np.where(d["late_deliveries_90d"] >= 2, "delivery_problems", reason)
    d["cancel_reason"] = np.where(churned == 1, reason, None)
    d["churned"] = churned
    df = pd.DataFrame(d)[COLUMNS]
    truth = {
        "snapshot_date": SNAPSHOT, "rows": n, "churn_rate": round(float(churned.mean()), 4),
        "intercept": b0, "drivers": params["drivers"],
        "driver_columns": params["driver_columns"],
        "indirect_drivers": params["indirect_drivers"],
        "correlated_not_causal": params["correlated_not_causal"],
        "no_relation": sorted(set(COLUMNS) - {"customer_id", "churned", "cancel_reason"}
                              - set(params["driver_columns"]) - set(params["indirect_drivers"])
                              - set(params["correlated_not_causal"])),
        "leakage": ["cancel_reason"],
        "note": "logit = intercept + sum(coef * term); terms are defined in coursedata.churn.terms",
    }
    return df, truth


def _variants(column, value, rng):
    if column == "country":
        return rng.choice({"US": ["USA", "us", "United States", "U.S."], "GB": ["UK", "gb", "United Kingdom"],
                           "DE": ["Germany", "de", "DEU"], "FR": ["France", "fr"], "JP": ["Japan", "jp", "JPN"],
                           "CA": ["Canada", "ca"], "AU": ["Australia", "au"], "ES": ["Spain", "es"],
                           "IT": ["Italy", "it"]}[value])
    return rng.choice([value.title(), value.upper()])


def _out_of_range(column, v, rng) -> str:
    if column == "age":
        return str(rng.choice(["0", "-1", "150", "999"]))
    if column == "monthly_fee":
        return "-" + v
    if column == "days_since_last_login":
        return str(rng.choice(["-5", "99999"]))
    return "-" + str(rng.integers(1, 9))


def _wrong_dtype(column, v, rng) -> str:
    if column == "monthly_fee":
        return str(rng.choice([f"${v}", v.replace(".", ","), f"{v} USD"]))
    if column == "autorenew":
        return str(rng.choice({"True": ["yes", "Y", "1"], "False": ["no", "N", "0"]}[v]))
    return v + ".0"


def make_dirty(clean, seed: int):
    """(dirty text frame, issues frame): the file learners get for the exam."""
    from .text import as_text

    rng = np.random.default_rng([seed, 1])
    p = Planter(as_text(clean), rng, "customer_id")
    for _ in range(160):
        p.cell(p.row(), str(rng.choice(["age", "payment_method", "country", "plan", "monthly_fee"])), None, "missing_value")
    for _ in range(120):
        i = p.row()
        column = str(rng.choice(["age", "monthly_fee", "days_since_last_login", "logins_30d"]))
        p.cell(i, column, _out_of_range(column, p.df.at[i, column], rng), "out_of_range")
    for _ in range(150):
        i = p.row()
        column = str(rng.choice(["country", "plan", "payment_method"]))
        p.cell(i, column, str(_variants(column, p.df.at[i, column], rng)), "inconsistent_category")
    for _ in range(100):
        i = p.row()
        column = str(rng.choice(["monthly_fee", "autorenew", "age"]))
        p.cell(i, column, _wrong_dtype(column, p.df.at[i, column], rng), "wrong_dtype")
    for _ in range(60):
        i = p.row()
        p.cell(i, "signup_date", str(rng.choice(["2026-02-14", "2019-11-30", "2023-02-30", "2024-06-31", "2030-01-01"])), "impossible_date")
    for _ in range(60):
        i = p.row()
        p.cell(i, "tenure_months", str(int(p.df.at[i, "tenure_months"]) + int(rng.choice([12, 24]))), "inconsistent_value")
    return p.finish(n_duplicates=90)


def build():
    """(dirty frame, issues frame, clean frame, truth) from the hidden parameters."""
    params = hidden_params.get("churn")
    clean, truth = generate(params)
    dirty, issues = make_dirty(clean, params["seed"])
    truth["issue_counts"] = {k: int(v) for k, v in sorted(issues["issue"].value_counts().items())}
    return dirty, issues, clean, truth


def typed(df):
    """Contract dtypes for the clean churn table (the dirty one is read as text)."""
    import pandas as pd

    df = df.copy()
    df["signup_date"] = pd.to_datetime(df["signup_date"], format="%Y-%m-%d")
    if pd.api.types.is_string_dtype(df["autorenew"]):
        df["autorenew"] = df["autorenew"].map({"True": True, "False": False})
    df["autorenew"] = df["autorenew"].astype(bool)
    return df
