# expect-fail: queue_metric_fits, queue_value_recomputed
# why: scores the ranking of the whole list with ROC AUC when only the top `capacity` rows are reviewed

@app.function
def review_queue_metric(data: pd.DataFrame, capacity: int) -> dict:
    return {"metric": "roc_auc", "value": float(metrics.roc_auc_score(data["y_true"], data["score"]))}
