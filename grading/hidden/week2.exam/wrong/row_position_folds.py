# expect-fail: folds_respect_time
# why: cuts the folds by row position, assuming the rows arrive sorted by date
@app.function
def time_folds(applications: pd.DataFrame) -> list[dict]:
    n = len(applications)
    cuts = [n // 4, n // 2, 3 * n // 4, n]
    return [{"train": list(range(start)), "valid": list(range(start, stop))}
            for start, stop in itertools.pairwise(cuts)]
