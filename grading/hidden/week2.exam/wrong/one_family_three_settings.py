# expect-fail: three_families_same_folds
# why: compares three settings of one logistic regression and calls it three models
@app.function
def compare_models(applications: pd.DataFrame) -> dict:
    folds = time_folds(applications)
    X = credit_features(applications).to_numpy(dtype=float)
    y = applications[LABEL].to_numpy()
    results = []
    for c in (0.1, 1.0, 10.0):
        scores = []
        for fold in folds:
            model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=1000))
            model.fit(X[fold["train"]], y[fold["train"]])
            scores.append(float(average_precision_score(y[fold["valid"]], model.predict_proba(X[fold["valid"]])[:, 1])))
        results.append({"family": "logistic_regression", "pr_auc": scores})
    return {"folds": folds, "results": results}
