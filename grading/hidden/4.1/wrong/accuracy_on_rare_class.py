# expect-fail: dragon_metric_fits, dragon_value_recomputed
# why: reports accuracy on a 5 % class, where a model that never alerts scores 95 %

@app.function
def dragon_alert_metric(data: pd.DataFrame) -> dict:
    return {"metric": "accuracy", "value": float(metrics.accuracy_score(data["y_true"], data["y_pred"]))}
