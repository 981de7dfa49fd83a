# A valid alternative: average precision of the dragon scores; top-k by nlargest; MAE by hand.

@app.function
def dragon_alert_metric(data: pd.DataFrame) -> dict:
    return {"metric": "average_precision", "value": float(metrics.average_precision_score(data["y_true"], data["score"]))}


@app.function
def review_queue_metric(data: pd.DataFrame, capacity: int) -> dict:
    top = data.nlargest(capacity, "score", keep="first")
    return {"metric": "precision_at_k", "value": float(top["y_true"].sum() / capacity)}


@app.function
def price_display_metric(data: pd.DataFrame) -> dict:
    return {"metric": "mae", "value": float((data["y_true"] - data["y_pred"]).abs().mean())}
