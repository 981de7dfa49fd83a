# A valid alternative: other true drivers (tenure, the delivery problems behind support tickets, the payment
# method behind payment failures), symptoms reported as symptoms, a second leak named, and binned features.
@app.function
def eda_insights(customers: pd.DataFrame) -> dict:
    y = customers["churned"].to_numpy(dtype=float)

    def share(mask: np.ndarray) -> tuple[float, float, int]:
        return float(y[mask].mean()), float(y[~mask].mean()), int(mask.sum())

    def insight(kind: str, column: str, op: str, value, mask, action: str, sentence: str) -> dict:
        rate_in, rate_out, n = share(np.asarray(mask, dtype=bool))
        return {"columns": [column], "kind": kind, "segment": {"column": column, "op": op, "value": value},
                "churn_rate_in": rate_in, "churn_rate_out": rate_out, "n_rows": n, "action": action,
                "sentence": sentence}

    return {
        "insights": [
            insight("driver", "tenure_months", "<", 12, customers["tenure_months"] < 12,
                    "onboard new customers for their first year", "First-year customers leave more often."),
            insight("driver", "late_deliveries_90d", ">=", 1, customers["late_deliveries_90d"] >= 1,
                    "fix the carrier for late parcels", "Late parcels lead to tickets and tickets to churn."),
            insight("driver", "payment_method", "==", "bank_transfer", customers["payment_method"] == "bank_transfer",
                    "move bank-transfer payers to cards", "Bank transfers fail, and failed payments end subscriptions."),
            insight("symptom", "logins_30d", "<=", 2, customers["logins_30d"] <= 2,
                    "watch as an early warning only", "Few logins go with long absences; no effect of their own."),
        ],
        "leaks": ["cancel_reason", "nps_score"],
    }


@app.function
def churn_features(customers: pd.DataFrame) -> pd.DataFrame:
    days = customers["days_since_last_login"].astype(float)
    edges = [0, 3, 7, 14, 30, 60, 120, 10_000]
    recency = pd.get_dummies(pd.cut(days, edges, right=False), prefix="recency", dtype=float)
    recency.columns = [f"recency_{i}" for i in range(len(recency.columns))]
    methods = {m: (customers["payment_method"] == m).astype(float) for m in ("card", "paypal", "bank_transfer")}
    return pd.concat(
        [
            recency,
            pd.DataFrame(methods, index=customers.index),
            pd.DataFrame({
                "tickets": customers["support_tickets_90d"].astype(float),
                "late": customers["late_deliveries_90d"].astype(float),
                "failures": customers["payment_failures_12m"].astype(float),
                "no_autorenew": (~customers["autorenew"].astype(bool)).astype(float),
                "monthly": (customers["billing_cycle"] == "monthly").astype(float),
                "tenure": customers["tenure_months"].astype(float),
            }, index=customers.index),
        ],
        axis=1,
    )
