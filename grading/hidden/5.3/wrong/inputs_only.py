# expect-fail: test_detects_single_column
# why: monitors only the input features, so a model whose confidence collapses raises no alarm


@app.function
def monitor(reference: pd.DataFrame, stream: pd.DataFrame) -> list[dict]:
    """One verdict per day: which columns drifted from the reference, and whether to retrain."""
    days = sorted(int(d) for d in stream["day"].unique())
    level = ALPHA / ((len(NUMERIC) + len(CATEGORICAL)) * len(days))  # Bonferroni over columns × days
    rows = {int(d): idx for d, idx in stream.groupby("day").indices.items()}
    found: dict[int, list[str]] = {d: [] for d in days}
    for column in [c for c in NUMERIC if c != "confidence"]:
        ref, values = reference[column].to_numpy(float), stream[column].to_numpy(float)
        edges = np.unique(np.quantile(ref, np.linspace(0, 1, 11)[1:-1]))
        expected = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1) / len(ref)
        for day, idx in rows.items():
            today = values[idx]
            share = np.bincount(np.searchsorted(edges, today, side="right"), minlength=len(edges) + 1) / len(today)
            if stats.ks_2samp(ref, today).pvalue < level and psi(expected, share) >= PSI_MIN:
                found[day].append(column)
    for column in [c for c in CATEGORICAL if c != "predicted_type"]:
        categories = {c: i for i, c in enumerate(sorted(reference[column].astype(str).unique()))}
        other = len(categories)
        ref_codes = reference[column].astype(str).map(categories).to_numpy(int)
        # Half a count of smoothing: an "other" bucket the reference never filled is not a division by zero.
        expected = (np.bincount(ref_codes, minlength=other + 1) + 0.5) / (len(ref_codes) + 0.5 * (other + 1))
        codes = stream[column].astype(str).map(categories).fillna(other).to_numpy(int)
        for day, idx in rows.items():
            counts = np.bincount(codes[idx], minlength=other + 1)
            significant = stats.chisquare(counts, expected * counts.sum()).pvalue < level
            if significant and psi(expected, counts / counts.sum()) >= PSI_MIN:
                found[day].append(column)
    verdicts, run = [], 0
    for day in days:
        run = run + 1 if found[day] else 0
        verdicts.append({"day": day, "alarm": bool(found[day]), "drifted": found[day], "retrain": run >= PERSIST})
    return verdicts
