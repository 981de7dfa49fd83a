# expect-fail: three_true_drivers
# why: reports the loudest correlations (a survey score, the plan) as symptoms and only two real drivers
@app.function
def eda_insights(customers: pd.DataFrame) -> dict:
    churned = customers["churned"].astype(float)

    def insight(column, op, value, kind, action, sentence):
        mask = {"==": customers[column] == value, "<": customers[column] < value,
                ">": customers[column] > value}[op].fillna(False).astype(bool)
        return {"columns": [column], "kind": kind, "segment": {"column": column, "op": op, "value": value},
                "churn_rate_in": float(churned[mask].mean()), "churn_rate_out": float(churned[~mask].mean()),
                "n_rows": int(mask.sum()), "action": action, "sentence": sentence}

    return {
        "insights": [
            insight("nps_score", "<", 6, "symptom", "watch NPS as an early warning",
                    "Detractors churn more often, but the survey comes after the snapshot."),
            insight("plan", "==", "basic", "symptom", "no action: the plan follows the billing cycle",
                    "Basic customers churn more, but not once billing cycle is known."),
            insight("autorenew", "==", False, "driver", "nudge customers to switch autorenew on",
                    "Customers without autorenew churn about twice as often."),
            insight("days_since_last_login", ">", 14, "driver", "send a win-back message after two weeks",
                    "Login recency is the strongest driver."),
        ],
        "leaks": ["cancel_reason"],
    }
