# A valid alternative: other defensible metrics (F1, recall@k, RMSE), computed by hand with numpy.

@app.function
def dragon_alert_metric(data: pd.DataFrame) -> dict:
    y, p = data["y_true"].to_numpy(), data["y_pred"].to_numpy()
    tp = int(((y == 1) & (p == 1)).sum())
    fp = int(((y == 0) & (p == 1)).sum())
    fn = int(((y == 1) & (p == 0)).sum())
    return {"metric": "f1", "value": 2 * tp / (2 * tp + fp + fn) if tp else 0.0}


@app.function
def review_queue_metric(data: pd.DataFrame, capacity: int) -> dict:
    order = np.argsort(-data["score"].to_numpy(), kind="stable")[:capacity]
    y = data["y_true"].to_numpy()
    return {"metric": "recall_at_k", "value": float(y[order].sum() / y.sum())}


@app.function
def price_display_metric(data: pd.DataFrame) -> dict:
    error = data["y_true"].to_numpy() - data["y_pred"].to_numpy()
    return {"metric": "rmse", "value": float(np.sqrt(np.mean(error ** 2)))}
