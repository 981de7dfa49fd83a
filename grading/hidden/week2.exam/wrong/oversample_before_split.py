# expect-fail: no_skill_without_signal
# why: oversamples the defaulters of the whole table before splitting, so copies of validation defaulters train the model
@app.function
def compare_models(applications: pd.DataFrame) -> dict:
    folds = time_folds(applications)
    X = credit_features(applications).to_numpy(dtype=float)
    y = applications[LABEL].to_numpy()
    # Balance the classes first (as imblearn's fit_resample does: the new rows are appended at the end).
    copies = np.repeat(np.flatnonzero(y == 1), 10)
    X_all, y_all = np.vstack([X, X[copies]]), np.concatenate([y, y[copies]])
    extra = list(range(len(y), len(y_all)))
    models = {"logistic_regression": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
              "decision_tree": DecisionTreeClassifier(random_state=0),
              "gradient_boosting": HistGradientBoostingClassifier(max_iter=60, early_stopping=False, random_state=0)}
    results = []
    for family, model in models.items():
        scores = []
        for fold in folds:
            train = fold["train"] + extra
            model.fit(X_all[train], y_all[train])
            scores.append(float(average_precision_score(y[fold["valid"]], model.predict_proba(X[fold["valid"]])[:, 1])))
        results.append({"family": family, "pr_auc": scores})
    return {"folds": folds, "results": results}
