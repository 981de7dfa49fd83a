# A valid alternative: groupby per attribute, exact Clopper-Pearson intervals from scipy, keyword categories.
from scipy.stats import beta


@app.function
def categorise(errors: pd.DataFrame) -> list[str]:
    labels = []
    for second, predicted, confidence in zip(errors["type_2"], errors["predicted"], errors["confidence"], strict=True):
        if predicted == second:
            labels.append("secondary type")
        elif confidence >= 0.6:
            labels.append("confidently wrong")
        else:
            labels.append("hesitant")
    return labels


@app.function
def find_slices(predictions: pd.DataFrame) -> list[dict]:
    frame = predictions.assign(wrong=~predictions["correct"].astype(bool))
    overall = frame["wrong"].mean()
    out = []
    for column in SLICE_COLUMNS:
        stats = frame.groupby(column)["wrong"].agg(["sum", "count"])
        for value, (k_raw, n_raw) in stats.iterrows():
            k, n = int(k_raw), int(n_raw)
            if n < MIN_SUPPORT:
                continue
            low = beta.ppf(0.025, k, n - k + 1) if k > 0 else 0.0
            high = beta.ppf(0.975, k + 1, n - k) if k < n else 1.0
            if low > overall:
                plain = value.item() if hasattr(value, "item") else value
                out.append({"name": f"{column}: {plain}", "definition": {column: plain}, "support": n,
                            "error_rate": k / n, "lift": k / n / overall, "ci_low": float(low), "ci_high": float(high)})
    return out
