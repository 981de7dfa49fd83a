import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    import pandera.pandas as pa
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from grading.criteria import criterion
    from grading.visible import visible_tests

    SNAPSHOT = pd.Timestamp("2025-06-30")  # the day the table was taken
    LAUNCH = pd.Timestamp("2020-06-01")  # the day the service launched
    DAYS_PER_MONTH = 30.44  # tenure_months = whole months of DAYS_PER_MONTH days from signup to SNAPSHOT
    PLAN_FEE = {"basic": 9.99, "collector": 19.99, "master": 39.99}  # monthly price; annual billing is 15 % off
    OPTIONAL_COLUMNS = ("avg_order_value", "nps_score", "cancel_reason")  # the only columns that may be empty
    ISSUES = ("missing_value", "duplicate_row", "out_of_range", "inconsistent_category",
              "wrong_dtype", "impossible_date", "inconsistent_value")
    KINDS = ("driver", "symptom")  # an insight's kind: a cause to act on, or a sign to watch
    OPS = ("==", "!=", "<", "<=", ">", ">=")
    # Not known when a prediction is made: churn_features never receives them.
    NOT_AT_PREDICTION_TIME = ("churned", "cancel_reason", "nps_score")
    # The fixed model of part 3 and the columns it gets when you engineer nothing.
    RAW_COLUMNS = ("tenure_months", "monthly_fee", "age", "logins_30d", "days_since_last_login", "orders_90d",
                   "late_deliveries_90d", "support_tickets_90d", "payment_failures_12m", "autorenew")
    REQUIRED_AUC_GAIN = 0.01


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Practical exam 1 · Customer churn (90 minutes)

    **Start the clock first:** `uv run course exam start week1.exam`, then commit the file it
    writes. The report shows how long you took against the 90 minutes. Going over is reported,
    not punished: this is your own check of whether weeks 1 and 2 stuck.

    **The situation.** PokeVault, a subscription service for card collectors, hands you a new
    table: one row per customer at the 2025-06-30 snapshot, `churned` = 1 if the customer
    cancelled within the following 90 days (`data/datacards/churn.md` describes every column).
    The table came straight from three systems and was never checked. You have never seen it.
    Deliver three things, each as a function the grader calls on data you have not seen.

    Facts about the business you need (they are not in the table):

    - The service launched on 2020-06-01. `tenure_months` is the number of whole months of
      30.44 days from `signup_date` to the snapshot.
    - Prices: basic \$9.99, collector \$19.99, master \$39.99 a month; billed annually, 15 % off
      (`monthly_fee` is rounded to cents).
    - `cancel_reason` is filled in by the cancellation flow.
    - `nps_score` comes from a survey sent *after* the snapshot, during the same 90 days as
      `churned`; 45 % never answer.
    - Numbers are whole numbers where the data card says so (`34.0` is not an age), booleans
      are `True` / `False`, countries ISO codes (`US`), categories lower case.
    """)
    return


@app.cell
def _():
    # The table as it arrived: every cell is text. Parts 2 and 3 clean it with your clean_churn.
    raw = coursedata.load_churn()
    mo.vstack([mo.md(f"**The data:** {len(raw):,} rows, {raw.shape[1]} columns, every cell read as text."), raw])
    return (raw,)


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Part 1 · A validation pipeline

    Write `churn_schema()`, a **pandera** schema of the typed table written by you (not the
    course's own `coursedata.schemas`), and `validate_churn(raw)`, which checks the table as it
    arrived (every cell text, `coursedata.load_churn()`) and returns one finding per bad cell:

    ```python
    [{"row": 17, "column": "age", "issue": "out_of_range"}, ...]
    ```

    `row` is the row's index label in `raw`, `issue` one of `ISSUES`:

    | issue | meaning |
    |---|---|
    | `missing_value` | an empty cell in a column that must be filled (only `OPTIONAL_COLUMNS` may be empty) |
    | `duplicate_row` | an exact copy of an earlier row: report the later copy (any column name) |
    | `out_of_range` | a number outside the data card's range (an age of 999, a negative fee) |
    | `inconsistent_category` | a category spelt another way (`USA`, `Basic`, `PAYPAL`) |
    | `wrong_dtype` | a value that is not of the column's type (`$19.99`, `19,99`, `yes`, `34.0`) |
    | `impossible_date` | a `signup_date` that is not a real date, or lies before launch or after the snapshot |
    | `inconsistent_value` | a `tenure_months` that contradicts `signup_date` |

    One finding per cell: a cell that is already wrong in itself is not also reported by a
    check across columns. The grader plants the same kinds of problems into the customers'
    true table again (other rows, other values) and scores each kind separately: how many you
    find (at least 95 %), with the right `issue`, and your false alarms, on that table and on
    the true table with nothing planted (a validator that cries wolf gets switched off).

    Also write `clean_churn(raw)`: the table your analysis uses, with the data card's dtypes
    (dates as datetimes, `autorenew` bool, counts int), no duplicate customers, no broken cells.
    Dropping a broken row is fine; dropping most of the table is not.
    """)
    return


@app.function
def churn_schema() -> pa.DataFrameSchema:
    """The typed churn table's contract, as a pandera schema."""
    ### BEGIN SOLUTION
    def count(hi: int) -> pa.Column:
        return pa.Column(float, pa.Check.in_range(0, hi), nullable=True)

    def tenure_matches_signup(df: pd.DataFrame) -> pd.Series:
        months = ((SNAPSHOT - df["signup_date"]).dt.days / DAYS_PER_MONTH) // 1
        # A signup date that is wrong in itself is reported by its own check, not here as well.
        unknown = df["tenure_months"].isna() | ~df["signup_date"].between(LAUNCH, SNAPSHOT)
        return (df["tenure_months"] == months) | unknown

    return pa.DataFrameSchema(
        {
            "customer_id": pa.Column(str, pa.Check.str_matches(r"CU\d{5}"), nullable=True),
            "signup_date": pa.Column("datetime64[ns]", pa.Check.in_range(LAUNCH, SNAPSHOT), nullable=True),
            "tenure_months": count(61),
            "plan": pa.Column(str, pa.Check.isin(list(PLAN_FEE)), nullable=True),
            "billing_cycle": pa.Column(str, pa.Check.isin(["monthly", "annual"]), nullable=True),
            "monthly_fee": pa.Column(float, pa.Check.in_range(1.0, 50.0), nullable=True),
            "country": pa.Column(str, pa.Check.isin(["US", "GB", "DE", "FR", "JP", "CA", "AU", "ES", "IT"]), nullable=True),
            "age": pa.Column(float, pa.Check.in_range(18, 100), nullable=True),
            "payment_method": pa.Column(str, pa.Check.isin(["card", "paypal", "bank_transfer"]), nullable=True),
            "autorenew": pa.Column(float, pa.Check.isin([0.0, 1.0]), nullable=True),
            "logins_30d": count(1000),
            "days_since_last_login": count(365),
            "orders_90d": count(500),
            "avg_order_value": pa.Column(float, pa.Check.in_range(0.01, 10_000.0), nullable=True),
            "late_deliveries_90d": count(500),
            "support_tickets_90d": count(500),
            "payment_failures_12m": count(100),
            "referral_source": pa.Column(str, pa.Check.isin(["search", "social", "friend", "ads", "event"]), nullable=True),
            "favorite_type": pa.Column(str, nullable=True),
            "nps_score": pa.Column(float, pa.Check.in_range(0, 10), nullable=True),
            "cancel_reason": pa.Column(str, nullable=True),
            "churned": pa.Column(float, pa.Check.isin([0.0, 1.0]), nullable=True),
        },
        checks=[pa.Check(tenure_matches_signup, name="tenure_matches_signup")],
        strict=True,
        coerce=False,
    )
    ### END SOLUTION


@app.function
def validate_churn(raw: pd.DataFrame) -> list[dict]:
    """One finding {"row", "column", "issue"} per bad cell of the text table `raw`."""
    ### BEGIN SOLUTION
    integers = {"tenure_months", "age", "logins_30d", "days_since_last_login", "orders_90d", "late_deliveries_90d",
                "support_tickets_90d", "payment_failures_12m", "churned"}
    decimals = {"monthly_fee", "avg_order_value", "nps_score"}
    findings: dict[tuple[int, str], str] = {}

    def flag(mask: pd.Series, column: str, issue: str) -> None:
        for row in mask.index[mask.fillna(False).astype(bool)]:
            findings.setdefault((int(row), column), issue)

    flag(raw.duplicated(keep="first"), "customer_id", "duplicate_row")
    rows = raw[~raw.duplicated(keep="first")]

    typed = {}
    for column in rows.columns:
        text = rows[column]
        if column not in OPTIONAL_COLUMNS:
            flag(text.isna(), column, "missing_value")
        if column in integers:
            ok = text.str.fullmatch(r"-?\d+").fillna(False).astype(bool)
            value = pd.to_numeric(text.where(ok), errors="coerce")
        elif column in decimals:
            ok = text.str.fullmatch(r"-?\d+(\.\d+)?").fillna(False).astype(bool)
            value = pd.to_numeric(text.where(ok), errors="coerce")
        elif column == "autorenew":
            ok = text.isin(["True", "False"])
            value = text.where(ok).map({"True": 1.0, "False": 0.0})
        elif column == "signup_date":
            value = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[ns]")
            ok = value.notna()
            flag(text.notna() & ~ok, column, "impossible_date")
            typed[column] = value
            continue
        else:
            typed[column] = text.astype(object).where(text.notna(), None)
            continue
        flag(text.notna() & ~ok, column, "wrong_dtype")
        typed[column] = value.astype(float)
    frame = pd.DataFrame(typed, index=rows.index)

    try:
        churn_schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        issue_of = {"in_range": "out_of_range", "isin": "inconsistent_category", "str_matches": "wrong_dtype"}
        for case in cases.itertuples():
            check = str(case.check)
            if case.index is None or pd.isna(case.index):
                continue
            if check == "tenure_matches_signup":
                findings.setdefault((int(case.index), "tenure_months"), "inconsistent_value")
            elif check.partition("(")[0] in issue_of:
                issue = issue_of[check.partition("(")[0]]
                if case.column == "signup_date":
                    issue = "impossible_date"
                findings.setdefault((int(case.index), str(case.column)), issue)
    return [{"row": row, "column": column, "issue": issue} for (row, column), issue in sorted(findings.items())]
    ### END SOLUTION


@app.function
def clean_churn(raw: pd.DataFrame) -> pd.DataFrame:
    """The analysis table: typed like the data card, without duplicates or broken cells."""
    ### BEGIN SOLUTION
    bad_rows = {f["row"] for f in validate_churn(raw)}
    kept = raw.loc[[i for i in raw.index if i not in bad_rows]].copy()
    kept["signup_date"] = pd.to_datetime(kept["signup_date"], format="%Y-%m-%d")
    kept["autorenew"] = kept["autorenew"].map({"True": True, "False": False}).astype(bool)
    for column in ("tenure_months", "age", "logins_30d", "days_since_last_login", "orders_90d",
                   "late_deliveries_90d", "support_tickets_90d", "payment_failures_12m", "churned"):
        kept[column] = kept[column].astype("int64")
    for column in ("monthly_fee", "avg_order_value", "nps_score"):
        kept[column] = kept[column].astype("float64")
    return kept.reset_index(drop=True)
    ### END SOLUTION


@app.cell
def _(raw):
    findings = validate_churn(raw)
    mo.vstack([
        mo.md(f"`validate_churn`: {len(findings):,} findings in {len(raw):,} rows, by issue and column."),
        pd.DataFrame(findings, columns=["row", "column", "issue"]).value_counts(["issue", "column"]).rename("cells").reset_index(),
    ])
    return


@app.cell
def _(raw):
    _customers = clean_churn(raw)
    mo.vstack([mo.md(f"`clean_churn`: {len(_customers):,} of {len(raw):,} rows kept."), _customers.head(10)])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Part 2 · EDA that drives decisions

    The retention team asks: *what makes customers leave, and what should we do about it?*
    Write `eda_insights(customers)`. It receives a clean, typed table like the one
    `clean_churn` returns and returns

    ```python
    {
        "insights": [
            {
                "columns": ["autorenew"],        # the column(s) the insight is about
                "kind": "driver",               # one of KINDS: "driver" (a cause the business can act on)
                                                # or "symptom" (moves with churn but is not a lever)
                "segment": {"column": "autorenew", "op": "==", "value": False},   # op in OPS
                "churn_rate_in": 0.27,          # churn rate of the customers in the segment
                "churn_rate_out": 0.12,         # ... and of everyone else
                "n_rows": 2900,                 # customers in the segment
                "action": "offer a discount for switching autorenew on",
                "sentence": "One sentence for your mentor: what you found, how sure you are, and why.",
            },
            ...
        ],
        "leaks": ["..."],                      # columns that give away the answer: never an insight
    }
    ```

    The grader recomputes every number on the table it passes (another sample of the
    customers, without the planted problems): rates to within 0.005 and `n_rows` exactly, so compute them, do not type
    them. At least three insights must be **true drivers**, each about a different column, each
    moving churn by at least 5 points (`|churn_rate_in - churn_rate_out| >= 0.05`).

    A "driver" is a claim about cause: the business will spend money on it. Before you call a
    column a driver, check that its link with churn survives holding the other candidates
    fixed (for example its coefficient in a logistic regression on standardised columns next
    to the others, or its effect within strata of a stronger column). A column that only
    travels with a real cause (or is a consequence of leaving) is at most a "symptom". Calling
    such a column a driver costs points; so does offering a leak as an insight.
    """)
    return


@app.function
def eda_insights(customers: pd.DataFrame) -> dict:
    """Insights about churn as structured data, every number computed on `customers`."""
    ### BEGIN SOLUTION
    churned = customers["churned"].astype(float)

    def insight(column: str, op: str, value, action: str, sentence: str) -> dict:
        values = customers[column]
        operand = pd.Timestamp(value) if pd.api.types.is_datetime64_any_dtype(values) else value
        mask = {"==": values == operand, "!=": values != operand, "<": values < operand, "<=": values <= operand,
                ">": values > operand, ">=": values >= operand}[op].fillna(False).astype(bool)
        return {
            "columns": [column], "kind": "driver", "segment": {"column": column, "op": op, "value": value},
            "churn_rate_in": round(float(churned[mask].mean()), 4),
            "churn_rate_out": round(float(churned[~mask].mean()), 4),
            "n_rows": int(mask.sum()), "action": action, "sentence": sentence,
        }

    return {
        "insights": [
            insight("days_since_last_login", ">", 14, "send a win-back message after two weeks without a login",
                    "Login recency is the strongest single driver and it keeps its weight next to logins and orders, "
                    "which lose theirs once recency is in the model: they are shadows of the same engagement."),
            insight("autorenew", "==", False, "nudge customers to switch autorenew on, e.g. with a small credit",
                    "Customers without autorenew churn about twice as often, and the gap holds within each billing cycle."),
            insight("support_tickets_90d", ">=", 2, "route customers with a second ticket to a senior agent",
                    "Support load drives churn on its own; late deliveries act through it, so fixing delivery helps too."),
            insight("payment_failures_12m", ">=", 1, "retry failed payments and offer a card update flow",
                    "Payment failures raise churn even after controlling for payment method, which acts through them."),
            insight("billing_cycle", "==", "monthly", "promote annual billing at renewal",
                    "Monthly payers churn more than annual ones on the same plan; the plan itself adds nothing once "
                    "billing cycle is known."),
        ],
        "leaks": ["cancel_reason"],
    }
    ### END SOLUTION


@app.cell
def _(raw):
    report = eda_insights(clean_churn(raw))
    pd.DataFrame(report["insights"])[["columns", "kind", "churn_rate_in", "churn_rate_out", "n_rows", "action"]]
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Part 3 · Features that beat the raw columns

    Write `churn_features(customers)`: numeric features, one row per customer with the input's
    index (no NaN required: the model imputes medians). The model is fixed, `fixed_model()`:
    median imputation, standard scaling, logistic regression. The grader trains it on your
    features of customers you have never seen and compares 5-fold cross-validated ROC AUC with
    the same model on `RAW_COLUMNS` (`autorenew` as 0/1):

    > AUC with your features ≥ AUC with the raw columns + **0.01**.

    Your function receives the customers **without** `NOT_AT_PREDICTION_TIME` (`churned`,
    `cancel_reason`, `nps_score`): at prediction time nobody knows them. A feature that needs
    them fails; a score above what the customers' own columns can explain is a leak.
    """)
    return


@app.function
def fixed_model():
    """The model the grader trains on your features."""
    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=1000))


@app.function
def raw_features(customers: pd.DataFrame) -> pd.DataFrame:
    """The baseline: RAW_COLUMNS as numbers."""
    return customers[list(RAW_COLUMNS)].astype(float)


@app.function
def churn_features(customers: pd.DataFrame) -> pd.DataFrame:
    """Numeric features per customer, from the columns known at prediction time."""
    ### BEGIN SOLUTION
    return pd.DataFrame(
        {
            "log_days_since_login": np.log1p(customers["days_since_last_login"].astype(float)),
            "support_tickets_90d": customers["support_tickets_90d"].astype(float),
            "payment_failures_12m": customers["payment_failures_12m"].astype(float),
            "autorenew": customers["autorenew"].astype(float),
            "tenure_years": customers["tenure_months"].astype(float) / 12,
            "annual_billing": (customers["billing_cycle"] == "annual").astype(float),
        },
        index=customers.index,
    )
    ### END SOLUTION


@app.cell
def _(raw):
    _customers = clean_churn(raw)
    _known = _customers.drop(columns=list(NOT_AT_PREDICTION_TIME))
    _folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    _scores = {
        name: cross_val_score(fixed_model(), features(_known), _customers["churned"], cv=_folds, scoring="roc_auc").mean()
        for name, features in (("raw columns", raw_features), ("your features", churn_features))
    }
    mo.md(" · ".join(f"{k}: ROC AUC {v:.3f}" for k, v in _scores.items()))
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## For your mentor (read, not scored by keywords)

    1. `DATA_OWNER_NOTE`: what you would tell the owners of the three source systems, in the
       order you would fix it, and which problem would have hurt a model most.
    2. `NEXT_STEPS`: the one experiment you would run next to check your strongest driver is
       a cause (not only a correlation), and what result would change your recommendation.

    At least 25 words each.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    DATA_OWNER_NOTE = """Billing first: monthly fees arrive as text with currency signs and decimal commas, and
    some fees are negative, which would corrupt any revenue or price feature. Then the CRM: country and plan
    spellings vary, ages of 0 or 999 are placeholders, signup dates include impossible and future days, and
    tenure disagrees with signup on some rows. Finally the export re-sends about ninety rows twice."""
    NEXT_STEPS = """I would test whether reminding inactive customers changes churn: a randomised win-back email
    for customers two weeks past their last login, with a holdout group. If the treated group churns no less,
    login recency is a symptom of losing interest rather than a lever, and I would move budget to autorenew."""
    ### END SOLUTION
    return


@app.function
@criterion(points=2, title="Finds every kind of issue in the public table",
           hint="Check each column against the data card: required cells, types, ranges, categories, dates, and "
                "tenure against signup date.")
def test_finds_every_kind_of_issue():
    found = {f["issue"] for f in validate_churn(coursedata.load_churn())}
    assert found == set(ISSUES), f"no findings of kind {sorted(set(ISSUES) - found)}"


@app.function
@criterion(points=2, title="Reports the 90 re-sent rows once each",
           hint="pandas' duplicated(keep='first') marks the later copies only.")
def test_reports_the_duplicates():
    findings = validate_churn(coursedata.load_churn())
    assert sum(f["issue"] == "duplicate_row" for f in findings) == 90


@app.function
@criterion(points=2, title="The clean table has unique customers and the data card's dtypes",
           hint="Drop the re-sent rows and the broken cells' rows, then convert each column to its type.")
def test_clean_table():
    customers = clean_churn(coursedata.load_churn())
    assert customers["customer_id"].is_unique and len(customers) > 7_000
    assert pd.api.types.is_datetime64_any_dtype(customers["signup_date"])
    assert customers["autorenew"].dtype == bool


@app.function
@criterion(points=2, title="Three insights of kind driver, numbers computed",
           hint="Each insight needs every field of the example; compute the rates from the table you are given.")
def test_three_driver_insights():
    customers = clean_churn(coursedata.load_churn())
    report = eda_insights(customers)
    strong = [i for i in report["insights"]
              if i["kind"] == "driver" and abs(i["churn_rate_in"] - i["churn_rate_out"]) >= 0.05]
    assert len({i["segment"]["column"] for i in strong}) >= 3


@app.function
@criterion(points=2, title="Features beat the raw columns on this table",
           hint="Look at how churn changes along each driver: a straight line in the raw value is not always the "
                "right shape for a linear model.")
def test_features_beat_raw_columns():
    customers = clean_churn(coursedata.load_churn())
    known = customers.drop(columns=list(NOT_AT_PREDICTION_TIME))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    auc = {f: cross_val_score(fixed_model(), f(known), customers["churned"], cv=folds, scoring="roc_auc").mean()
           for f in (raw_features, churn_features)}
    assert auc[churn_features] >= auc[raw_features] + REQUIRED_AUC_GAIN


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_finds_every_kind_of_issue,
        test_reports_the_duplicates,
        test_clean_table,
        test_three_driver_insights,
        test_features_beat_raw_columns,
        item="week1.exam",
    )
    return


if __name__ == "__main__":
    app.run()
