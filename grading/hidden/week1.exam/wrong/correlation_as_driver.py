# expect-fail: no_false_drivers
# why: calls logins and orders drivers because they correlate with churn, though they only travel with login recency
@app.function
def eda_insights(customers: pd.DataFrame) -> dict:
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
            insight("logins_30d", "<", 3, "run a re-engagement campaign for customers who log in rarely",
                    "Customers with fewer than three logins a month churn far more: logins are the engagement signal."),
            insight("orders_90d", "==", 0, "send a first-order coupon to customers without orders",
                    "Customers who ordered nothing in 90 days churn more often than those who ordered."),
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
