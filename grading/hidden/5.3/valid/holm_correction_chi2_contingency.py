# why: Holm's step-down correction over all column-days (uniformly more powerful than Bonferroni) and scipy's chi2_contingency


@app.function
def monitor(reference: pd.DataFrame, stream: pd.DataFrame) -> list[dict]:
    """One verdict per day: which columns drifted from the reference, and whether to retrain."""
    days = sorted(int(d) for d in stream["day"].unique())
    level = ALPHA / ((len(NUMERIC) + len(CATEGORICAL)) * len(days))  # Bonferroni over columns × days
    rows = {int(d): idx for d, idx in stream.groupby("day").indices.items()}
    found: dict[int, list[str]] = {d: [] for d in days}
    tests = []
    for column in NUMERIC:
        ref, values = reference[column].to_numpy(float), stream[column].to_numpy(float)
        edges = np.unique(np.quantile(ref, np.linspace(0, 1, 11)[1:-1]))
        expected = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1) / len(ref)
        for day, idx in rows.items():
            today = values[idx]
            share = np.bincount(np.searchsorted(edges, today, side="right"), minlength=len(edges) + 1) / len(today)
            tests.append((stats.ks_2samp(ref, today).pvalue, day, column, psi(expected, share) >= PSI_MIN))
    for column in CATEGORICAL:
        categories = {c: i for i, c in enumerate(sorted(reference[column].astype(str).unique()))}
        other = len(categories)
        ref_codes = reference[column].astype(str).map(categories).to_numpy(int)
        # Half a count of smoothing: an "other" bucket the reference never filled is not a division by zero.
        expected = (np.bincount(ref_codes, minlength=other + 1) + 0.5) / (len(ref_codes) + 0.5 * (other + 1))
        codes = stream[column].astype(str).map(categories).fillna(other).to_numpy(int)
        for day, idx in rows.items():
            counts = np.bincount(codes[idx], minlength=other + 1)
            ref_counts = np.bincount(ref_codes, minlength=other + 1)
            table = np.vstack([ref_counts, counts])
            table = table[:, table.sum(axis=0) > 0]
            p = stats.chi2_contingency(table).pvalue if table.shape[1] > 1 else 1.0
            tests.append((p, day, column, psi(expected, counts / counts.sum()) >= PSI_MIN))
    m = len(tests)
    for rank, (p, day, column, large) in enumerate(sorted(tests, key=lambda t: t[0])):
        if p >= ALPHA / (m - rank):
            break  # Holm: stop at the first hypothesis that is not rejected
        if large:
            found[day].append(column)
    for columns in found.values():
        columns.sort(key=[*NUMERIC, *CATEGORICAL].index)
    verdicts, run = [], 0
    for day in days:
        run = run + 1 if found[day] else 0
        verdicts.append({"day": day, "alarm": bool(found[day]), "drifted": found[day], "retrain": run >= PERSIST})
    return verdicts
