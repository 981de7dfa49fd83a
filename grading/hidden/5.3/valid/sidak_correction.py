# why: Šidák's correction instead of Bonferroni (exact for independent tests, very slightly less strict)

@app.function
def monitor(reference: pd.DataFrame, stream: pd.DataFrame) -> list[dict]:
    """One verdict per day, with the Šidák level over all column-days."""
    days = sorted(int(d) for d in stream["day"].unique())
    tests = (len(NUMERIC) + len(CATEGORICAL)) * len(days)
    level = 1 - (1 - ALPHA) ** (1 / tests)
    found = {d: [] for d in days}
    for day in days:
        window = stream[stream["day"] == day]
        for column in NUMERIC:
            ref, today = reference[column].to_numpy(float), window[column].to_numpy(float)
            edges = np.unique(np.quantile(ref, np.linspace(0, 1, 11)[1:-1]))
            expected = np.histogram(ref, bins=[-np.inf, *edges, np.inf])[0] / len(ref)
            share = np.histogram(today, bins=[-np.inf, *edges, np.inf])[0] / len(today)
            if stats.ks_2samp(ref, today).pvalue < level and psi(expected, share) >= PSI_MIN:
                found[day].append(column)
        for column in CATEGORICAL:
            known = sorted(reference[column].astype(str).unique())
            ref_share = reference[column].astype(str).value_counts().reindex(known, fill_value=0)
            ref_share = np.append(ref_share.to_numpy(float), 0.0) + 0.5
            ref_share /= ref_share.sum()
            values = window[column].astype(str)
            counts = np.append(values.value_counts().reindex(known, fill_value=0).to_numpy(float), (~values.isin(known)).sum())
            if (stats.chisquare(counts, ref_share * counts.sum()).pvalue < level
                    and psi(ref_share, counts / counts.sum()) >= PSI_MIN):
                found[day].append(column)
    out, run = [], 0
    for day in days:
        run = run + 1 if found[day] else 0
        out.append({"day": day, "alarm": bool(found[day]), "drifted": found[day], "retrain": run >= PERSIST})
    return out
