# expect-fail: kfold_partitions_the_rows
# why: draws each validation fold at random with replacement (like a bootstrap), so rows repeat and some are never validated


@app.function
def kfold_indices(n_rows: int, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    rng = np.random.default_rng(seed)
    folds = []
    for _ in range(k):
        validation = sorted(set(rng.integers(0, n_rows, size=n_rows // k).tolist()))
        folds.append(([p for p in range(n_rows) if p not in validation], validation))
    return folds
