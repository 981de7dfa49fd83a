# expect-fail: few_false_alarms
# why: the tenure check also fires where the signup date is already reported, so one broken cell raises two alarms
@app.function
def churn_schema() -> pa.DataFrameSchema:
    def count(hi: int) -> pa.Column:
        return pa.Column(float, pa.Check.in_range(0, hi), nullable=True)

    def tenure_matches_signup(df: pd.DataFrame) -> pd.Series:
        months = ((SNAPSHOT - df["signup_date"]).dt.days / DAYS_PER_MONTH) // 1
        # A signup date that is wrong in itself is reported by its own check, not here as well.
        unknown = df["tenure_months"].isna() | df["signup_date"].isna()
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
