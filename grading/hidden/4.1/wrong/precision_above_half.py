# expect-fail: queue_value_recomputed
# why: computes precision over every listing scored above 0.5 instead of the capacity's top rows

@app.function
def review_queue_metric(data: pd.DataFrame, capacity: int) -> dict:
    flagged = data[data["score"] > 0.5]
    return {"metric": "precision_at_k", "value": float(flagged["y_true"].mean())}
