# A valid alternative: k-fold deals a permutation round-robin (perm[i::k]); stratified sorts by
# (class, random key) and deals the whole order; grouped folds shuffle the groups and fill folds in turn
# by a running row quota; cross_validate copies prototypes with sklearn.base.clone.
from sklearn.base import clone


@app.function
def kfold_indices(n_rows: int, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    perm = np.random.default_rng(seed).permutation(n_rows).tolist()
    out = []
    for i in range(k):
        validation = set(perm[i::k])
        out.append(([p for p in range(n_rows) if p not in validation], sorted(validation)))
    return out


@app.function
def stratified_kfold_indices(y: pd.Series, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    keys = np.random.default_rng(seed).random(len(y))
    order = sorted(range(len(y)), key=lambda p: (str(y.iloc[p]), keys[p]))
    fold_of = {p: i % k for i, p in enumerate(order)}
    return [([p for p in range(len(y)) if fold_of[p] != f], [p for p in range(len(y)) if fold_of[p] == f])
            for f in range(k)]


@app.function
def group_kfold_indices(groups: pd.Series, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    rows_of: dict[str, list[int]] = {}
    for position, key in enumerate(groups.astype(str)):
        rows_of.setdefault(key, []).append(position)
    keys = sorted(rows_of, key=lambda g: (-len(rows_of[g]), g))
    rng = np.random.default_rng(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    for key in keys:
        smallest = min(range(k), key=lambda f: (len(folds[f]), rng.random()))
        folds[smallest] += rows_of[key]
    everyone = set(range(len(groups)))
    return [(sorted(everyone - set(f)), sorted(f)) for f in folds]


@app.function
def cross_validate(model_name: str, X: pd.DataFrame, y: pd.Series, folds: list, preprocess_name: str | None = None) -> dict:
    prototype = MODELS[model_name]()
    scores = []
    for train, validation in folds:
        X_train, X_val = X.iloc[list(train)], X.iloc[list(validation)]
        if preprocess_name:
            step = PREPROCESSORS[preprocess_name]()
            X_train = step.fit_transform(X_train)
            X_val = step.transform(X_val)
        model = clone(prototype, safe=False) if hasattr(prototype, "get_params") else MODELS[model_name]()
        model.fit(X_train, y.iloc[list(train)])
        scores.append(float(model.score(X_val, y.iloc[list(validation)])))
    return {"fold_scores": scores, "mean": sum(scores) / len(scores), "std": float(np.std(scores, ddof=1))}
