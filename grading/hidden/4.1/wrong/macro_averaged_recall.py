# expect-fail: dragon_value_recomputed
# why: averages recall over both classes, so the easy non-dragon class hides the missed dragons

@app.function
def dragon_alert_metric(data: pd.DataFrame) -> dict:
    value = metrics.recall_score(data["y_true"], data["y_pred"], average="macro")
    return {"metric": "recall", "value": float(value)}
