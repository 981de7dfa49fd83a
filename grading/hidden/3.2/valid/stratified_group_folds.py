# A valid alternative: StratifiedGroupKFold (cards kept together, classes balanced) and per-fold metrics
# logged as steps of one metric.


@app.function
def compare_models(dev: pd.DataFrame, test: pd.DataFrame, tracking_uri: str) -> dict:
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=7)
    folds = list(splitter.split(dev[FEATURES], dev[TARGET], groups=dev["card_key"]))
    ids = [dev["sale_id"].iloc[v].tolist() for _, v in folds]
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(EXPERIMENT)
    models = {}
    for name, build in CANDIDATES.items():
        with mlflow.start_run(run_name=f"candidate-{name}"):
            mlflow.log_param("model", name)
            mlflow.log_param("folds_digest", folds_digest(ids))
            mlflow.log_param("data_version", data_version(dev))
            scores = []
            for step, (train, val) in enumerate(folds):
                fitted = build().fit(dev[FEATURES].iloc[train], dev[TARGET].iloc[train])
                scores.append(float((fitted.predict(dev[FEATURES].iloc[val]) == dev[TARGET].iloc[val]).mean()))
                mlflow.log_metric("fold_accuracy", scores[-1], step=step)
            models[name] = {"fold_scores": scores, "mean": float(np.mean(scores)), "std": float(np.std(scores))}
            mlflow.log_metric("cv_mean", models[name]["mean"])
            mlflow.log_metric("cv_std", models[name]["std"])
    best = max(models, key=lambda n: models[n]["mean"])
    within = [n for n in SIMPLEST_FIRST if models[n]["mean"] >= models[best]["mean"] - models[best]["std"]]
    final = CANDIDATES[within[0]]().fit(dev[FEATURES], dev[TARGET])
    return {"models": models, "chosen": within[0],
            "reason": {"best_by_mean": best, "spread": models[best]["std"], "within_spread": within},
            "test_score": float(final.score(test[FEATURES], test[TARGET])), "folds": ids}
