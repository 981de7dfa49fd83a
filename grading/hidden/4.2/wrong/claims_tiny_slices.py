# expect-fail: no_overclaim
# why: reports every slice with a high error rate, however few species it holds and however wide its interval

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
            if rate <= 1.2 * overall:
                continue
            centre = (rate + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
            half = Z95 * np.sqrt(rate * (1 - rate) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
            plain = value.item() if hasattr(value, "item") else value
            found.append({"name": f"{column} = {plain}", "definition": {column: plain}, "support": n,
                          "error_rate": rate, "lift": rate / overall,
                          "ci_low": float(centre - half), "ci_high": float(centre + half)})
    return found
