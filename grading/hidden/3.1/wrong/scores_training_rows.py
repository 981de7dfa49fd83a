# expect-fail: scores_each_fold
# why: scores each fold's model on the rows it was fitted on, which measures memory, not prediction


@app.function
def cross_validate(model_name: str, X: pd.DataFrame, y: pd.Series, folds: list, preprocess_name: str | None = None) -> dict:
    scores = []
    for train, validation in folds:
        X_train, y_train = X.iloc[list(train)], y.iloc[list(train)]
        if preprocess_name is not None:
            X_train = PREPROCESSORS[preprocess_name]().fit_transform(X_train)
        model = MODELS[model_name]().fit(X_train, y_train)
        scores.append(float(model.score(X_train, y_train)))
    return {"fold_scores": scores, "mean": float(np.mean(scores)), "std": float(np.std(scores))}
