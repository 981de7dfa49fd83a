# expect-fail: three_families_same_folds
# why: compares three settings of one logistic regression and calls it three models
@app.function
def candidate_models() -> dict:
    return {f"logistic_regression_C{c}": make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=1000))
            for c in (0.1, 1.0, 10.0)}
