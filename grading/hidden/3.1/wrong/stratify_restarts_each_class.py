# expect-fail: stratified_keeps_class_proportions
# why: deals every class starting again at fold 0, so each class is even but the first folds get one extra row per class


@app.function
def stratified_kfold_indices(y: pd.Series, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    rng = np.random.default_rng(seed)
    labels = np.asarray(y)
    folds = [[] for _ in range(k)]
    for label in sorted(set(labels.tolist()), key=str):
        for i, position in enumerate(rng.permutation(np.flatnonzero(labels == label)).tolist()):
            folds[i % k].append(position)
    everyone = set(range(len(labels)))
    return [(sorted(everyone - set(fold)), sorted(fold)) for fold in folds]
