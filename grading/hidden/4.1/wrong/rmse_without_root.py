# expect-fail: price_value_recomputed
# why: reports the mean squared error (squared dollars) under the name RMSE

@app.function
def price_display_metric(data: pd.DataFrame) -> dict:
    value = metrics.mean_squared_error(data["y_true"], data["y_pred"])
    return {"metric": "rmse", "value": float(value)}
