# expect-fail: no_sklearn_splitters
# why: hands the splitting to scikit-learn's KFold / StratifiedKFold / GroupKFold instead of writing it
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold


@app.function
def kfold_indices(n_rows: int, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    return [(t.tolist(), v.tolist()) for t, v in KFold(k, shuffle=True, random_state=seed).split(np.zeros(n_rows))]


@app.function
def stratified_kfold_indices(y: pd.Series, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    splitter = StratifiedKFold(k, shuffle=True, random_state=seed)
    return [(t.tolist(), v.tolist()) for t, v in splitter.split(np.zeros(len(y)), y)]


@app.function
def group_kfold_indices(groups: pd.Series, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    splitter = GroupKFold(k, shuffle=True, random_state=seed)
    return [(t.tolist(), v.tolist()) for t, v in splitter.split(np.zeros(len(groups)), groups=groups)]
