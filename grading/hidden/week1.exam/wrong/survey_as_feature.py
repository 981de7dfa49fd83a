# expect-fail: features_leak_nothing, features_beat_raw_columns
# why: uses the NPS survey as a feature, though it is answered after the snapshot and unknown at prediction time
@app.function
def churn_features(customers: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "log_days_since_login": np.log1p(customers["days_since_last_login"].astype(float)),
            "autorenew": customers["autorenew"].astype(float),
            "annual_billing": (customers["billing_cycle"] == "annual").astype(float),
            "nps_score": customers["nps_score"].astype(float),
        },
        index=customers.index,
    )
