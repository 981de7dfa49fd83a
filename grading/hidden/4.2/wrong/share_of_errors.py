# expect-fail: slice_numbers_recomputed
# why: reports the slice's share of all errors as its error rate, which grows with slice size, not with failure

@app.function
def find_slices(predictions: pd.DataFrame) -> list[dict]:
    wrong = ~predictions["correct"].astype(bool)
    overall = wrong.mean()
    found = []
    for column in SLICE_COLUMNS:
        for value in predictions[column].dropna().unique():
            rows = predictions[column] == value
            n, k = int(rows.sum()), int(wrong[rows].sum())
            if n < MIN_SUPPORT:
                continue
            true_rate = k / n
            half = Z95 * np.sqrt(true_rate * (1 - true_rate) / n)
            if true_rate - half <= overall:
                continue
            share = k / wrong.sum()
            plain = value.item() if hasattr(value, "item") else value
            found.append({"name": f"{column} = {plain}", "definition": {column: plain}, "support": n,
                          "error_rate": share, "lift": share / overall,
                          "ci_low": float(true_rate - half), "ci_high": float(true_rate + half)})
    return found
