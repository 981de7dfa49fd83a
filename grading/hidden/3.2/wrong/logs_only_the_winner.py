# expect-fail: every_model_logged_to_mlflow
# why: tracks only the chosen model, so nobody can see what it was compared with, on which folds and data

@app.function
def compare_models(dev: pd.DataFrame, test: pd.DataFrame, tracking_uri: str) -> dict:
    """Compare the four candidates on the same grouped folds, log each to MLflow, choose by the spread rule."""
    from sklearn.model_selection import GroupKFold

    splitter = GroupKFold(n_splits=5, shuffle=True, random_state=0)
    folds = [(train, val) for train, val in splitter.split(dev, groups=dev["card_key"])]
    validation_ids = [dev["sale_id"].iloc[val].tolist() for _, val in folds]
    digest, version = folds_digest(validation_ids), data_version(dev)
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(EXPERIMENT)
    models = {}
    for name, build in CANDIDATES.items():
        scores = []
        for train, val in folds:
            model = build().fit(dev[FEATURES].iloc[train], dev[TARGET].iloc[train])
            scores.append(float(model.score(dev[FEATURES].iloc[val], dev[TARGET].iloc[val])))
        models[name] = {"fold_scores": scores, "mean": float(np.mean(scores)), "std": float(np.std(scores))}
    best = max(models, key=lambda n: models[n]["mean"])
    spread = models[best]["std"]
    within = [n for n in SIMPLEST_FIRST if models[n]["mean"] >= models[best]["mean"] - spread]
    chosen = within[0]
    final = CANDIDATES[chosen]().fit(dev[FEATURES], dev[TARGET])
    with mlflow.start_run(run_name=chosen):
        mlflow.log_params({"model": chosen, "folds_digest": digest, "data_version": version})
        mlflow.log_metrics({"cv_mean": models[chosen]["mean"], "cv_std": models[chosen]["std"]})
    return {
        "models": models,
        "chosen": chosen,
        "reason": {"best_by_mean": best, "spread": spread, "within_spread": within},
        "test_score": float(final.score(test[FEATURES], test[TARGET])),
        "folds": validation_ids,
    }
