# expect-fail: preprocessing_inside_the_fold
# why: fits the preprocessing once on all rows before the loop, so it has learned every validation fold


@app.function
def cross_validate(model_name: str, X: pd.DataFrame, y: pd.Series, folds: list, preprocess_name: str | None = None) -> dict:
    if preprocess_name is not None:
        X = pd.DataFrame(PREPROCESSORS[preprocess_name]().fit_transform(X))
    scores = []
    for train, validation in folds:
        model = MODELS[model_name]().fit(X.iloc[list(train)], y.iloc[list(train)])
        scores.append(float(model.score(X.iloc[list(validation)], y.iloc[list(validation)])))
    return {"fold_scores": scores, "mean": float(np.mean(scores)), "std": float(np.std(scores))}
