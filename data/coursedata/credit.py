"""Week 2 exam: credit risk for "PokeCredit", a lender that finances collectors' purchases.

Synthetic, seeded, imbalanced (about 3 % defaults). One row per approved loan
application; `defaulted` = missed three payments within 12 months. The true risk terms
and their weights are instructor-only (params.json "credit"). The last 20 % of
applications by date form the hidden out-of-time holdout.

Costs for threshold tuning (public, part of the exam brief): approving a loan that
defaults loses COSTS["false_negative"] on average; declining a loan that would have been
repaid loses the margin COSTS["false_positive"]. With calibrated probabilities the
cost-minimising threshold is fp / (fp + fn), about 0.07, far from 0.5.
"""

import numpy as np

from . import hidden_params

COSTS = {"false_negative": 2000.0, "false_positive": 150.0}  # USD per loan
PURPOSES = ["card_purchase", "grading_fees", "inventory", "debt_consolidation", "other"]
HOME = ["rent", "mortgage", "own"]
TERMS = [12, 24, 36, 48]
COLUMNS = [
    "application_id", "application_date", "age", "annual_income", "employment_years",
    "home_ownership", "loan_purpose", "loan_amount", "term_months", "interest_rate",
    "debt_to_income", "revolving_utilization", "credit_history_years", "open_accounts",
    "delinquencies_2y", "inquiries_6m", "defaulted",
]
HOLDOUT_SHARE = 0.2


def expected_cost(y_true, y_pred) -> float:
    """Total cost in USD of decisions y_pred (1 = predicted default = decline)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    fn = np.sum((y_true == 1) & (y_pred == 0))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    return float(fn * COSTS["false_negative"] + fp * COSTS["false_positive"])


def terms(d: dict) -> dict:
    """Every candidate term of the default logit; params.json says which ones count."""
    return {
        "debt_to_income": d["debt_to_income"],
        "revolving_utilization": d["revolving_utilization"],
        "delinquencies_2y": d["delinquencies_2y"].astype(float),
        "inquiries_6m": d["inquiries_6m"].astype(float),
        "log_income": np.log(d["annual_income"]),
        "credit_history_years": d["credit_history_years"],
        "loan_to_income": d["loan_amount"] / d["annual_income"],
        "inventory_purpose": (d["loan_purpose"] == "inventory").astype(float),
        "employment_years": d["employment_years"],
        "age": d["age"].astype(float),
        "open_accounts": d["open_accounts"].astype(float),
        "renter": (d["home_ownership"] == "rent").astype(float),
    }


def _choice(rng, values, p, n):
    idx = np.minimum(np.searchsorted(np.cumsum(p), rng.random(n), side="right"), len(values) - 1)
    return np.asarray(values, dtype=object)[idx]


def generate(params: dict):
    """(all applications frame sorted by date, truth dict)."""
    import pandas as pd

    from .churn import _intercept

    rng = np.random.default_rng(params["seed"])
    n = params["rows"]
    start = np.datetime64("2022-01-01")
    day = np.sort((rng.random(n) * 1096).astype(int))
    age = np.clip(np.round(rng.normal(38, 11, n)), 21, 75).astype(int)
    income = np.round(np.exp(rng.normal(np.log(52_000), 0.5, n)), -2)
    history = np.round(np.clip(age - 18 - rng.exponential(4, n), 0.5, None), 1)
    purpose = _choice(rng, PURPOSES, [0.35, 0.1, 0.15, 0.3, 0.1], n)
    amount = np.round(np.clip(np.exp(rng.normal(np.log(5000), 0.6, n)) * np.where(purpose == "inventory", 2, 1), 500, 40_000), -2)
    d = {
        "application_id": np.array([f"AP{i:06d}" for i in range(1, n + 1)], dtype=object),
        "application_date": np.datetime_as_string(start + day.astype("timedelta64[D]")).astype(object),
        "age": age,
        "annual_income": income,
        "employment_years": np.round(np.clip(rng.exponential(6, n), 0, age - 18), 1),
        "home_ownership": _choice(rng, HOME, [0.45, 0.4, 0.15], n),
        "loan_purpose": purpose,
        "loan_amount": amount,
        "term_months": _choice(rng, TERMS, [0.2, 0.35, 0.3, 0.15], n).astype(int),
        "debt_to_income": np.round(np.clip(rng.beta(2, 6, n), 0, 0.65), 3),
        "revolving_utilization": np.round(np.clip(rng.beta(2, 3, n) * 1.1, 0, 1.2), 3),
        "credit_history_years": history,
        "open_accounts": rng.poisson(6, n),
        "delinquencies_2y": rng.poisson(0.25, n),
        "inquiries_6m": rng.poisson(0.8, n),
    }
    # The lender's own pricing sees part of the risk: a legitimate, strong feature.
    score = 3 * d["debt_to_income"] + 0.5 * d["delinquencies_2y"] - 0.03 * history + rng.normal(0, 0.4, n)
    d["interest_rate"] = np.round(np.clip(9 + 4 * score, 5, 29.9), 2)
    t = terms(d)
    logit = sum(coef * t[name] for name, coef in sorted(params["drivers"].items()))
    b0 = _intercept(logit, params["default_rate"])
    d["defaulted"] = (rng.random(n) < 1 / (1 + np.exp(-(logit + b0)))).astype(int)
    df = pd.DataFrame(d)[COLUMNS]
    truth = {
        "rows": n, "default_rate": round(float(d["defaulted"].mean()), 4), "intercept": b0,
        "drivers": params["drivers"], "costs": COSTS,
        "cost_optimal_threshold": round(COSTS["false_positive"] / sum(COSTS.values()), 4),
        "holdout": f"last {HOLDOUT_SHARE:.0%} of applications by date (out of time)",
        "note": "logit = intercept + sum(coef * term); terms are defined in coursedata.credit.terms",
    }
    return df, truth


def build():
    """(train frame, holdout frame, truth) from the hidden parameters."""
    df, truth = generate(hidden_params.get("credit"))
    cut = round(len(df) * (1 - HOLDOUT_SHARE))
    train, holdout = df.iloc[:cut].reset_index(drop=True), df.iloc[cut:].reset_index(drop=True)
    truth.update(train_rows=len(train), holdout_rows=len(holdout),
                 train_default_rate=round(float(train["defaulted"].mean()), 4),
                 holdout_default_rate=round(float(holdout["defaulted"].mean()), 4))
    return train, holdout, truth


def typed(df):
    import pandas as pd

    df = df.copy()
    df["application_date"] = pd.to_datetime(df["application_date"], format="%Y-%m-%d")
    return df
