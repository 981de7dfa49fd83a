# A valid alternative: expanding-window folds that validate on each calendar quarter of the last year, and a
# boosted-tree comparison with other settings; the shipped model and card are the reference's.
@app.function
def time_folds(applications: pd.DataFrame) -> list[dict]:
    dates = pd.to_datetime(applications["application_date"])
    quarters = dates.dt.to_period("Q")
    last_four = sorted(quarters.unique())[-4:]
    return [{"train": np.flatnonzero((quarters < q).to_numpy()).tolist(),
             "valid": np.flatnonzero((quarters == q).to_numpy()).tolist()} for q in last_four]


@app.function
def candidate_models() -> dict:
    return {
        "gradient_boosting": HistGradientBoostingClassifier(max_iter=40, learning_rate=0.1, max_depth=3,
                                                            early_stopping=False, random_state=1),
        "logistic_regression": make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=1000)),
        "decision_tree": DecisionTreeClassifier(max_depth=4, min_samples_leaf=200, random_state=1),
    }
