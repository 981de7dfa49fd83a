# expect-fail: kfold_partitions_the_rows
# why: cuts folds of n // k rows and gives the whole remainder to the last fold, so fold sizes differ by up to k - 1


@app.function
def kfold_indices(n_rows: int, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    order = np.random.default_rng(seed).permutation(n_rows)
    size = n_rows // k
    folds = [order[i * size:(i + 1) * size] for i in range(k - 1)] + [order[(k - 1) * size:]]
    return [(sorted(np.setdiff1d(order, fold).tolist()), sorted(fold.tolist())) for fold in folds]
