# expect-fail: numbers_are_the_datas
# why: types the rates seen in one run into the report instead of computing them from the table passed in
@app.function
def eda_insights(customers: pd.DataFrame) -> dict:
    def insight(column, op, value, rate_in, rate_out, n, action, sentence):
        return {"columns": [column], "kind": "driver", "segment": {"column": column, "op": op, "value": value},
                "churn_rate_in": rate_in, "churn_rate_out": rate_out, "n_rows": n, "action": action,
                "sentence": sentence}

    return {
        "insights": [
            insight("days_since_last_login", ">", 14, 0.3405, 0.1482, 2012,
                    "send a win-back message after two weeks without a login",
                    "Login recency is the strongest driver in my analysis of the table."),
            insight("autorenew", "==", False, 0.3287, 0.1457, 2215, "nudge customers to switch autorenew on",
                    "Customers without autorenew churn about twice as often."),
            insight("billing_cycle", "==", "monthly", 0.2274, 0.1206, 5518, "promote annual billing at renewal",
                    "Monthly payers churn more than annual ones."),
        ],
        "leaks": ["cancel_reason"],
    }
