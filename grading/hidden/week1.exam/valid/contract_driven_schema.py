# A valid alternative: the pandera schema is generated from the course contract's fields (ranges and allowed
# values as the data card points to them), with the cross-column rule as a separate wide check.
from coursedata import contract


@app.function
def churn_schema() -> pa.DataFrameSchema:
    columns = {}
    for field in contract.CHURN:
        checks = []
        if field.allowed is not None:
            checks.append(pa.Check.isin([float(v) for v in field.allowed] if field.kind == "bool" else list(field.allowed)))
        if field.lo is not None:
            lo, hi = field.lo, field.hi
            if field.kind == "date":
                lo, hi = pd.Timestamp(lo), pd.Timestamp(hi)
            checks.append(pa.Check.in_range(lo, hi))
        if field.regex is not None:
            checks.append(pa.Check.str_matches(field.regex))
        dtype = {"str": object, "date": "datetime64[ns]"}.get(field.kind, float)
        columns[field.name] = pa.Column(dtype, checks, nullable=True)
    if "autorenew" in columns and not columns["autorenew"].checks:
        columns["autorenew"] = pa.Column(float, pa.Check.isin([0.0, 1.0]), nullable=True)

    def tenure_matches_signup(df: pd.DataFrame) -> pd.Series:
        ok_date = df["signup_date"].between(LAUNCH, SNAPSHOT)
        months = np.floor((SNAPSHOT - df["signup_date"]).dt.days / DAYS_PER_MONTH)
        return ~ok_date | df["tenure_months"].isna() | (df["tenure_months"] == months)

    return pa.DataFrameSchema(columns, checks=[pa.Check(tenure_matches_signup, name="tenure_matches_signup")],
                              strict=True)
