# expect-fail: cost_function_recomputed, threshold_near_optimal
# why: charges the false-positive cost to missed positives and vice versa

@app.function
def expected_cost(y_true, score, threshold: float, costs: dict) -> float:
    y = np.asarray(y_true).astype(int)
    tagged = np.asarray(score, dtype=float) >= threshold
    false_pos = np.sum(tagged & (y == 0))
    false_neg = np.sum(~tagged & (y == 1))
    return float((false_pos * costs["false_negative"] + false_neg * costs["false_positive"]) / len(y))
