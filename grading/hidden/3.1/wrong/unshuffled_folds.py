# expect-fail: kfold_is_shuffled_and_seeded
# why: splits 0..n-1 in order, ignoring the seed: on date-ordered data every fold is a block of time


@app.function
def kfold_indices(n_rows: int, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    positions = np.arange(n_rows)
    return [(np.setdiff1d(positions, fold).tolist(), fold.tolist()) for fold in np.array_split(positions, k)]
