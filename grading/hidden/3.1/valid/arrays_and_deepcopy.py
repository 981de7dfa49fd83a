# A valid alternative: folds as tuples of NumPy arrays, the permutation cut at computed boundaries,
# and a fresh model as a deep copy of a prototype built once (an unfitted copy carries no state).
import copy


@app.function
def kfold_indices(n_rows: int, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    perm = np.random.default_rng(seed + 1000).permutation(n_rows)
    bounds = [round(i * n_rows / k) for i in range(k + 1)]
    out = []
    for i in range(k):
        mask = np.zeros(n_rows, dtype=bool)
        mask[perm[bounds[i]:bounds[i + 1]]] = True
        out.append((np.flatnonzero(~mask), np.flatnonzero(mask)))
    return out


@app.function
def cross_validate(model_name: str, X: pd.DataFrame, y: pd.Series, folds: list, preprocess_name: str | None = None) -> dict:
    prototype = MODELS[model_name]()
    scores = []
    for train, validation in folds:
        X_train, X_val = X.iloc[np.asarray(train)], X.iloc[np.asarray(validation)]
        if preprocess_name is not None:
            step = PREPROCESSORS[preprocess_name]().fit(X_train)
            X_train, X_val = step.transform(X_train), step.transform(X_val)
        model = copy.deepcopy(prototype).fit(X_train, y.iloc[np.asarray(train)])
        scores.append(model.score(X_val, y.iloc[np.asarray(validation)]))
    return {"fold_scores": [float(s) for s in scores], "mean": float(np.mean(scores)), "std": float(np.std(scores))}
