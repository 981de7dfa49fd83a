# expect-fail: price_metric_fits, price_value_recomputed
# why: a percentage error on prices of a few cents is dominated by the cheapest cards

@app.function
def price_display_metric(data: pd.DataFrame) -> dict:
    value = metrics.mean_absolute_percentage_error(data["y_true"], data["y_pred"])
    return {"metric": "mape", "value": float(value)}
