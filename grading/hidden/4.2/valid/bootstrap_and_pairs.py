# A valid alternative: percentile-bootstrap intervals, lists of values, and pairs of attributes too.
import itertools


@app.function
def find_slices(predictions: pd.DataFrame) -> list[dict]:
    rng = np.random.default_rng(0)
    wrong = (~predictions["correct"].astype(bool)).to_numpy()
    overall = wrong.mean()
    candidates = []
    for column in SLICE_COLUMNS:
        for value in predictions[column].dropna().unique():
            plain = value.item() if hasattr(value, "item") else value
            candidates.append({column: plain})
    for a, b in itertools.combinations(["is_form", "dual_type", "high_bst"], 2):
        candidates.append({a: True, b: True})
    candidates.append({"generation": [8, 9]})
    found = []
    for definition in candidates:
        rows = np.ones(len(predictions), dtype=bool)
        for column, value in definition.items():
            rows &= predictions[column].isin(value if isinstance(value, list) else [value]).to_numpy()
        n = int(rows.sum())
        if n < MIN_SUPPORT:
            continue
        errs = wrong[rows]
        boot = rng.choice(errs, size=(4000, n), replace=True).mean(axis=1)
        low, high = np.percentile(boot, [2.5, 97.5])
        if low <= overall:
            continue
        found.append({"name": " & ".join(f"{c}={v}" for c, v in definition.items()), "definition": definition,
                      "support": n, "error_rate": float(errs.mean()), "lift": float(errs.mean() / overall),
                      "ci_low": float(low), "ci_high": float(high)})
    return found
