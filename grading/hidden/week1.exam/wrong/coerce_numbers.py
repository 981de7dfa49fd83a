# expect-fail: finds_wrong_dtypes, names_the_issue
# why: converts with pd.to_numeric(errors='coerce'): '34.0' becomes a valid age and '$19.99' a missing value
@app.function
def validate_churn(raw: pd.DataFrame) -> list[dict]:
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
            value = pd.to_numeric(text, errors="coerce")
            ok = value.notna() | text.isna()
        elif column in decimals:
            value = pd.to_numeric(text, errors="coerce")
            ok = value.notna() | text.isna()
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
        flag(text.notna() & ~ok, column, "missing_value")  # unreadable numbers count as missing
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
