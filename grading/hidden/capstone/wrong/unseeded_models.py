# expect-fail: data.reproducible
# why: models with random parts (subsampling, bootstraps) left unseeded: every training gives another model
# file: cardprice/models.py
def candidates() -> dict:
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import Ridge
    from xgboost import XGBRegressor

    def pipe(model):
        return Pipeline([("features", make_preprocessor()), ("model", model)])

    seed = int(np.random.default_rng().integers(2**31))  # "random" each time: nothing repeats
    return {
        "ridge": pipe(Ridge(alpha=1.0)),
        "random_forest": pipe(RandomForestRegressor(n_estimators=100, min_samples_leaf=3, max_features=0.5,
                                                    n_jobs=1, random_state=seed)),
        "xgboost": pipe(XGBRegressor(n_estimators=300, learning_rate=0.08, max_depth=5, subsample=0.8,
                                     colsample_bytree=0.8, min_child_weight=3, tree_method="hist", n_jobs=1,
                                     random_state=seed)),
    }
