# expect-fail: evaluation.analysis
# why: an RMSE on dollars called "RMSE of ln price": the few dear cards decide it, the metric no longer fits heavy tails
# file: cardprice/metrics.py
def rmse_log(y_true, y_pred) -> float:
    return float(np.sqrt(np.mean((np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)) ** 2)))
