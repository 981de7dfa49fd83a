# expect-fail: models.compared
# why: a comparison of two families is not a comparison of three: the brief asks for 3+ families against the baseline
# file: cardprice/models.py
def candidates() -> dict:
    from sklearn.linear_model import Ridge
    from xgboost import XGBRegressor

    def pipe(model):
        return Pipeline([("features", make_preprocessor()), ("model", model)])

    return {
        "ridge": pipe(Ridge(alpha=1.0)),
        "xgboost": pipe(XGBRegressor(n_estimators=300, learning_rate=0.08, max_depth=5, subsample=0.8,
                                     colsample_bytree=0.8, min_child_weight=3, tree_method="hist", n_jobs=1,
                                     random_state=SEED)),
    }
