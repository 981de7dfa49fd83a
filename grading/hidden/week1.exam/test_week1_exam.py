"""Hidden checks of exam 1 (customer churn).

Validation: the same kinds of issues are planted again into the customers' true table (another
seed, so other rows and values) and the findings are scored kind by kind; the true table
itself must raise no alarm. EDA: the insights are recomputed on a resample of the true table
and judged against the planted drivers. Features: the grader's fixed model on 8,000 freshly
generated customers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from coursedata import churn, hidden_params, loaders
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from grading.criteria import criterion
from grading.testing import Miss, caught, unwrap

M1 = "modules/01_data_engineering/01_data_engineering.py"
M2 = "modules/02_eda_and_features/02_eda_and_features.py"
QUALITY = f"{M1}#Data quality checks"
CONTRACT = f"{M1}#Schemas as contracts"
CORRELATION = f"{M2}#Confounding: the third variable"
EDA = f"{M2}#1 · EDA that ends in decisions"
FEATURES = f"{M2}#Scaling and transformations"
LEAKAGE = f"{M2}#6 · Leakage"

REPLANT_SEED = 20_260_716
ISSUES = ("missing_value", "duplicate_row", "out_of_range", "inconsistent_category",
          "wrong_dtype", "impossible_date", "inconsistent_value")
# Readings the task's table allows for a cell planted as the key's kind.
ALSO_RIGHT = {"inconsistent_value": {"out_of_range"}, "wrong_dtype": {"inconsistent_category"}}
MIN_RECALL = 0.95
MIN_KIND_RIGHT = 0.9
INSIGHT_KEYS = ("columns", "kind", "segment", "churn_rate_in", "churn_rate_out", "n_rows", "action", "sentence")
OPS = ("==", "!=", "<", "<=", ">", ">=")
NOT_AT_PREDICTION_TIME = ["churned", "cancel_reason", "nps_score"]
RAW_COLUMNS = ["tenure_months", "monthly_fee", "age", "logins_30d", "days_since_last_login", "orders_90d",
               "late_deliveries_90d", "support_tickets_90d", "payment_failures_12m", "autorenew"]
SAME_DRIVER = {"signup_date": "tenure_months"}


# ---- hidden data -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def truth() -> dict:
    return loaders.load_churn_truth()


@pytest.fixture(scope="session")
def clean_text() -> pd.DataFrame:
    return pd.read_csv(loaders.hidden_path("exams/churn_clean.csv"), dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="session")
def replanted(clean_text) -> tuple[pd.DataFrame, pd.DataFrame]:
    return churn.make_dirty(clean_text, REPLANT_SEED)


@pytest.fixture(scope="session")
def resample() -> pd.DataFrame:
    return loaders.load_churn_clean().sample(frac=0.85, random_state=REPLANT_SEED).reset_index(drop=True)


@pytest.fixture(scope="session")
def fresh() -> tuple[pd.DataFrame, np.ndarray]:
    """8,000 customers nobody has seen, and each one's true churn logit."""
    params = dict(hidden_params.get("churn"), seed=REPLANT_SEED)
    frame, _ = churn.generate(params)
    frame = churn.typed(frame)
    terms = churn.terms({c: frame[c].to_numpy() for c in frame.columns})
    logit = sum(coef * terms[name] for name, coef in params["drivers"].items())
    return frame, np.asarray(logit)


# ---- part 1: validation ------------------------------------------------------------------

def findings(result, n_rows: int) -> pd.DataFrame:
    if not isinstance(result, list):
        raise Miss(f"validate_churn() must return a list of findings; it returned {type(result).__name__}.")
    for f in result[:50_000]:
        if not (isinstance(f, dict) and {"row", "column", "issue"} <= set(f)):
            raise Miss(f'Each finding must be a dict with "row", "column" and "issue"; got {str(f)[:80]!r}.')
        if f["issue"] not in ISSUES:
            raise Miss(f'"issue" must be one of ISSUES; got {str(f["issue"])[:40]!r}.')
        if not isinstance(f["row"], int | np.integer) or isinstance(f["row"], bool) or not 0 <= f["row"] < n_rows:
            raise Miss(f'"row" must be the row\'s index label in raw (0 to {n_rows - 1}); got {str(f["row"])[:20]!r}.')
    frame = pd.DataFrame(result, columns=["row", "column", "issue"])
    frame["column"] = frame["column"].astype(str)
    return frame


@pytest.fixture(scope="session")
def on_replanted(submission, replanted):
    dirty, _ = replanted
    return caught(lambda: findings(submission.validate_churn(dirty, timeout=60), len(dirty)))


@pytest.fixture(scope="session")
def on_clean(submission, clean_text):
    return caught(lambda: findings(submission.validate_churn(clean_text, timeout=60), len(clean_text)))


def recall(found: pd.DataFrame, planted: pd.DataFrame, kind: str) -> tuple[float, float]:
    """(share of the kind's planted cells found, share found with an acceptable issue)."""
    cells = planted[planted["issue"] == kind]
    if kind == "duplicate_row":
        hit = cells["row"].isin(found.loc[found["issue"] == "duplicate_row", "row"])
        return float(hit.mean()), float(hit.mean())
    issue_at = dict(zip(zip(found["row"], found["column"], strict=True), found["issue"], strict=True))
    got = [issue_at.get(key) for key in zip(cells["row"], cells["column"], strict=True)]
    right = {kind} | ALSO_RIGHT.get(kind, set())
    return float(np.mean([g is not None for g in got])), float(np.mean([g in right for g in got]))


def check_recall(on_replanted, replanted, kinds: tuple[str, ...]) -> None:
    found = unwrap(on_replanted)
    _, planted = replanted
    for kind in kinds:
        share, _ = recall(found, planted, kind)
        if share < MIN_RECALL:
            raise Miss(f"On a table with the same kinds of problems planted in other rows, your findings cover "
                       f"{share:.0%} of the {kind.replace('_', ' ')} cells (at least {MIN_RECALL:.0%} needed).")


@criterion(id="finds_missing_and_duplicates", points=6, title="Finds empty required cells and re-sent rows",
           hint="Every column except avg_order_value, nps_score and cancel_reason must be filled; an exact copy "
                "of an earlier row is a re-sent record. Check the table as it arrived: dropping empties or "
                "duplicates before validating hides the evidence.", lesson=QUALITY)
def test_finds_missing_and_duplicates(on_replanted, replanted):
    check_recall(on_replanted, replanted, ("missing_value", "duplicate_row"))


@criterion(id="finds_out_of_range", points=6, title="Finds numbers outside the data card's ranges",
           hint="Placeholders such as age 0 or 999, a negative fee, a login 99,999 days ago all parse as numbers: "
                "compare each value with the column's range, not only its type.", lesson=CONTRACT)
def test_finds_out_of_range(on_replanted, replanted):
    check_recall(on_replanted, replanted, ("out_of_range",))


@criterion(id="finds_inconsistent_categories", points=6, title="Finds categories spelt another way",
           hint="`USA`, `Basic` and `PAYPAL` are not the codes the data card allows. Check against the allowed "
                "list; lower-casing or mapping them away silently is cleaning, not validating.", lesson=CONTRACT)
def test_finds_inconsistent_categories(on_replanted, replanted):
    check_recall(on_replanted, replanted, ("inconsistent_category",))


@criterion(id="finds_wrong_dtypes", points=6, title="Finds values of the wrong type",
           hint="Converting with errors='coerce' or astype(float) either turns `$19.99` into NaN (then it looks "
                "missing) or turns `34.0` into a fine age. Check the text itself: an integer column holds digits "
                "only, a number has no currency sign or comma, a boolean is True or False.", lesson=QUALITY)
def test_finds_wrong_dtypes(on_replanted, replanted):
    check_recall(on_replanted, replanted, ("wrong_dtype",))


@criterion(id="finds_impossible_dates", points=5, title="Finds impossible signup dates",
           hint="A date can parse and still be impossible: before the 2020-06-01 launch or after the snapshot. "
                "And 2023-02-30 must fail parsing, not roll over to March.", lesson=CONTRACT)
def test_finds_impossible_dates(on_replanted, replanted):
    check_recall(on_replanted, replanted, ("impossible_date",))


@criterion(id="finds_inconsistent_tenure", points=5, title="Finds tenure that contradicts the signup date",
           hint="Each cell can be valid alone and the row still be wrong: tenure_months must equal the whole "
                "months of 30.44 days from signup_date to 2025-06-30. Checks across columns belong in the schema "
                "too (a DataFrame-level pandera Check).", lesson=CONTRACT)
def test_finds_inconsistent_tenure(on_replanted, replanted):
    check_recall(on_replanted, replanted, ("inconsistent_value",))


@criterion(id="names_the_issue", points=4, title="Names each problem's kind right",
           hint="A finding is only useful if it says what is wrong: `$19.99` is a wrong type, not a missing value; "
                "`Basic` is an inconsistent category, not a wrong type. Classify before you coerce.", lesson=QUALITY)
def test_names_the_issue(on_replanted, replanted):
    found = unwrap(on_replanted)
    _, planted = replanted
    for kind in ISSUES:
        share, right = recall(found, planted, kind)
        if share and right / share < MIN_KIND_RIGHT:
            raise Miss(f"Of the {kind.replace('_', ' ')} cells you found on a hidden table, only {right / share:.0%} "
                       f"carry an issue the task's table allows for them.")


@criterion(id="quiet_on_the_true_table", points=6, title="No alarm on the customers' true table",
           hint="A validator that cries wolf gets switched off. Check only what the data card forbids: optional "
                "columns may be empty, rare values are not wrong, and a row check must not fire when the cells "
                "it compares are already reported on their own.", lesson=QUALITY)
def test_quiet_on_the_true_table(on_clean):
    found = unwrap(on_clean)
    if len(found):
        top = found["issue"].value_counts().index[0]
        raise Miss(f"On the customers' true table (nothing planted) your validator reported {len(found)} finding(s), "
                   f"mostly {top.replace('_', ' ')}.")


@criterion(id="few_false_alarms", points=4, title="Few false alarms among the planted problems",
           hint="One finding per cell: a cross-column check must skip rows whose cells are already reported "
                "(an impossible signup date is not also a wrong tenure), and only later copies are duplicates.",
           lesson=QUALITY)
def test_few_false_alarms(on_replanted, replanted):
    found = unwrap(on_replanted)
    _, planted = replanted
    dup_rows = set(planted.loc[planted["issue"] == "duplicate_row", "row"])
    cells = set(zip(planted["row"], planted["column"].fillna(""), strict=True))
    false = [key for key in zip(found["row"], found["column"], strict=True)
             if key not in cells and key[0] not in dup_rows]
    if len(false) > 0.02 * len(planted):
        raise Miss(f"{len(false)} of your findings on a hidden table point at cells nothing was planted in "
                   f"(at most {int(0.02 * len(planted))} allowed).")


# ---- part 2: EDA insights ----------------------------------------------------------------

def insight_report(result, customers: pd.DataFrame) -> dict:
    if not isinstance(result, dict) or not isinstance(result.get("insights"), list) \
            or not isinstance(result.get("leaks"), list):
        raise Miss('eda_insights() must return {"insights": [...], "leaks": [...]}.')
    for i in result["insights"]:
        if not isinstance(i, dict) or not set(INSIGHT_KEYS) <= set(i):
            raise Miss(f"Each insight needs the keys {list(INSIGHT_KEYS)}; got {str(i)[:100]!r}.")
        seg = i["segment"]
        if not (isinstance(seg, dict) and {"column", "op", "value"} <= set(seg) and seg["op"] in OPS
                and seg["column"] in customers.columns):
            raise Miss(f'An insight\'s "segment" must be {{"column", "op", "value"}} with a column of the table and '
                       f"op in OPS; got {str(seg)[:100]!r}.")
        if not isinstance(i["columns"], list) or seg["column"] not in i["columns"]:
            raise Miss('An insight\'s "columns" must be a list that includes its segment\'s column.')
        if i["kind"] not in ("driver", "symptom"):
            raise Miss(f'An insight\'s "kind" is "driver" or "symptom"; got {str(i["kind"])[:30]!r}.')
        for key in ("churn_rate_in", "churn_rate_out"):
            if not isinstance(i[key], int | float) or isinstance(i[key], bool):
                raise Miss(f'"{key}" must be a number.')
        if not isinstance(i["n_rows"], int) or isinstance(i["n_rows"], bool):
            raise Miss('"n_rows" must be an integer.')
        for key in ("action", "sentence"):
            if not isinstance(i[key], str) or len(i[key].split()) < 4:
                raise Miss(f'Each insight needs an "{key}" in words (a few words at least).')
    return result


def segment_mask(customers: pd.DataFrame, seg: dict) -> pd.Series:
    values = customers[seg["column"]]
    operand = seg["value"]
    try:
        if pd.api.types.is_datetime64_any_dtype(values):
            operand = pd.Timestamp(operand)
        mask = {"==": values == operand, "!=": values != operand, "<": values < operand, "<=": values <= operand,
                ">": values > operand, ">=": values >= operand}[seg["op"]]
    except (TypeError, ValueError):
        raise Miss(f"The segment {str(seg)[:80]!r} cannot be compared with the column's values.") from None
    return mask.fillna(False).astype(bool)


def recomputed(customers: pd.DataFrame, insight: dict) -> tuple[float, float, int]:
    mask = segment_mask(customers, insight["segment"])
    churned = customers["churned"].astype(float)
    return float(churned[mask].mean()), float(churned[~mask].mean()), int(mask.sum())


@pytest.fixture(scope="session")
def insights(submission, resample):
    return caught(lambda: insight_report(submission.eda_insights(resample, timeout=60), resample))


def drivers_claimed(report: dict) -> list[dict]:
    return [i for i in report["insights"] if i["kind"] == "driver"]


@criterion(id="numbers_are_the_datas", points=7, title="Every number is what the data says",
           hint="The grader passes another table and recomputes each rate and count: compute them from "
                "`customers` inside the function, never type numbers you saw in your own run.", lesson=EDA)
def test_numbers_are_the_datas(insights, resample):
    report = unwrap(insights)
    if not report["insights"]:
        raise Miss("eda_insights() returned no insights.")
    for i in report["insights"]:
        rate_in, rate_out, n = recomputed(resample, i)
        if n != i["n_rows"] or not (abs(rate_in - i["churn_rate_in"]) <= 0.005 and abs(rate_out - i["churn_rate_out"]) <= 0.005):
            raise Miss(f"For the segment {str(i['segment'])[:80]}, on the grader's table: {n} rows, churn "
                       f"{rate_in:.3f} in and {rate_out:.3f} out; your function said {i['n_rows']}, "
                       f"{i['churn_rate_in']}, {i['churn_rate_out']}.")


@criterion(id="three_true_drivers", points=15, title="At least three true drivers, each moving churn 5+ points",
           hint="Drivers are causes a business can act on. Rank candidates by how churn changes along them, then "
                "keep those whose effect survives next to the others; each must move churn by 5 points or more.",
           lesson=EDA)
def test_three_true_drivers(insights, resample, truth):
    report = unwrap(insights)
    causes = set(truth["driver_columns"]) | set(truth["indirect_drivers"])
    earned = set()
    for i in drivers_claimed(report):
        column = i["segment"]["column"]
        rate_in, rate_out, _ = recomputed(resample, i)
        if column in causes and abs(rate_in - rate_out) >= 0.05:
            earned.add(SAME_DRIVER.get(column, column))
    if len(earned) < 3:
        raise Miss(f"{len(earned)} of your driver insights are about a true driver and move churn by at least "
                   f"5 points on the grader's table (signup date and tenure count as one); 3 are needed.")


@criterion(id="no_false_drivers", points=8, title="No correlation sold as a cause",
           hint="A column that travels with a real cause (logins and orders move with login recency, the plan "
                "with billing cycle) or follows from leaving (a survey answered after the snapshot) correlates "
                "with churn but is no lever. Check whether its effect survives holding the stronger candidates "
                "fixed; if not, call it a symptom.", lesson=CORRELATION)
def test_no_false_drivers(insights, truth):
    report = unwrap(insights)
    not_causes = set(truth["correlated_not_causal"]) | set(truth["no_relation"]) | set(truth["leakage"])
    wrong = [i for i in drivers_claimed(report) if not_causes & ({i["segment"]["column"]} | set(map(str, i["columns"])))]
    if wrong:
        raise Miss(f"{len(wrong)} of your driver insights name a column that is not a cause of churn.")


@criterion(id="leak_recognised", points=5, title="The label leak is named, never offered as an insight",
           hint="A column written by the cancellation flow is only filled for customers who already left: it "
                "predicts churn perfectly and explains nothing. List it in \"leaks\" and keep it out of insights.",
           lesson=LEAKAGE)
def test_leak_recognised(insights, truth):
    report = unwrap(insights)
    leak = truth["leakage"][0]
    if leak not in report["leaks"]:
        raise Miss('A column in this table gives the answer away; your "leaks" does not list it.')
    if any(leak in ({i["segment"]["column"]} | set(map(str, i["columns"]))) for i in report["insights"]):
        raise Miss('A column you list as a leak is also used in an insight.')


# ---- part 3: features --------------------------------------------------------------------

def fixed_model():
    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=1000))


def cv_auc(features: pd.DataFrame, y: pd.Series) -> float:
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=REPLANT_SEED)
    return float(cross_val_score(fixed_model(), features, y, cv=folds, scoring="roc_auc").mean())


def feature_frame(result, index: pd.Index) -> pd.DataFrame:
    if isinstance(result, pd.Series):
        result = result.to_frame()
    if not isinstance(result, pd.DataFrame) or result.shape[1] == 0:
        raise Miss(f"churn_features() must return a DataFrame of features; it returned {type(result).__name__}.")
    if len(result) != len(index) or not result.index.equals(index):
        raise Miss(f"churn_features() must return one row per customer with the input's index "
                   f"(got {len(result)} rows for {len(index)}).")
    bad = [str(c) for c in result.columns
           if not (pd.api.types.is_numeric_dtype(result[c]) or pd.api.types.is_bool_dtype(result[c]))]
    if bad:
        raise Miss(f"Every feature must be numeric; not numeric: {', '.join(bad[:5])}.")
    values = result.astype("float64")
    if np.isinf(values.to_numpy()).any():
        raise Miss("A feature holds infinity: the model cannot use it (NaN is fine, it is imputed).")
    return values


@pytest.fixture(scope="session")
def feature_scores(submission, fresh):
    customers, logit = fresh

    def score():
        known = customers.drop(columns=NOT_AT_PREDICTION_TIME)
        features = feature_frame(submission.churn_features(known, timeout=60), known.index)
        y = customers["churned"]
        return {"yours": cv_auc(features, y), "raw": cv_auc(customers[RAW_COLUMNS].astype(float), y),
                "ceiling": float(roc_auc_score(y, logit))}

    return caught(score)


@criterion(id="features_beat_raw_columns", points=15, title="Features beat the raw columns on fresh customers",
           hint="The model is linear: it can only weigh a column along a straight line. Give it each driver in "
                "the shape churn follows (recency on a log scale, a flag for the billing cycle, tenure in years), "
                "and leave out columns that only add noise.", lesson=FEATURES)
def test_features_beat_raw_columns(feature_scores):
    s = unwrap(feature_scores)
    if s["yours"] < s["raw"] + 0.01:
        raise Miss(f"On 8,000 fresh customers the fixed model scored ROC AUC {s['yours']:.3f} with your features "
                   f"and {s['raw']:.3f} with the raw columns; you need at least {s['raw'] + 0.01:.3f}.")


@criterion(id="features_leak_nothing", points=8, title="Features use only what is known at prediction time",
           hint="A feature built from the cancellation flow, the churn label or the after-the-fact survey scores "
                "wonderfully in a notebook and is unavailable for a customer who has not left yet.", lesson=LEAKAGE)
def test_features_leak_nothing(feature_scores):
    s = unwrap(feature_scores)
    if s["yours"] > s["ceiling"] + 0.01:
        raise Miss(f"Your features score ROC AUC {s['yours']:.3f}, more than the customers' own columns can "
                   f"explain ({s['ceiling']:.3f}): something in them knows the answer.")
