# expect-fail: fresh_model_per_fold
# why: builds the model once before the loop and refits it per fold; a stateful model remembers earlier folds


@app.function
def cross_validate(model_name: str, X: pd.DataFrame, y: pd.Series, folds: list, preprocess_name: str | None = None) -> dict:
    model = MODELS[model_name]()
    step = PREPROCESSORS[preprocess_name]() if preprocess_name else None
    scores = []
    for train, validation in folds:
        X_train, X_val = X.iloc[list(train)], X.iloc[list(validation)]
        if step is not None:
            step.fit(X_train)
            X_train, X_val = step.transform(X_train), step.transform(X_val)
        model.fit(X_train, y.iloc[list(train)])
        scores.append(float(model.score(X_val, y.iloc[list(validation)])))
    return {"fold_scores": scores, "mean": float(np.mean(scores)), "std": float(np.std(scores))}
