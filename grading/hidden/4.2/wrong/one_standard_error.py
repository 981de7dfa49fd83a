# expect-fail: intervals_are_95_percent
# why: takes plus or minus one standard error as the interval, a 68 % interval presented as a claim

@app.function
def find_slices(predictions: pd.DataFrame) -> list[dict]:
    wrong = ~predictions["correct"].astype(bool)
    overall = wrong.mean()
    found = []
    for column in SLICE_COLUMNS:
        for value in predictions[column].dropna().unique():
            rows = predictions[column] == value
            n, k = int(rows.sum()), int(wrong[rows].sum())
            rate = k / n
            se = np.sqrt(rate * (1 - rate) / n)
            if n < MIN_SUPPORT or rate - se <= overall:
                continue
            plain = value.item() if hasattr(value, "item") else value
            found.append({"name": f"{column} = {plain}", "definition": {column: plain}, "support": n,
                          "error_rate": rate, "lift": rate / overall,
                          "ci_low": float(rate - se), "ci_high": float(rate + se)})
    return found
