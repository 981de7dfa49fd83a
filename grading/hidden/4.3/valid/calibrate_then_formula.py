# A valid alternative: calibrate the scores on validation (isotonic), then apply c_fp / (c_fp + c_fn);
# the sklearn comparison uses greater_is_better=False and a confusion matrix.
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import confusion_matrix


@app.function
def choose_threshold(validation: pd.DataFrame, costs: dict) -> float:
    scores = np.sort(validation["score"].to_numpy())
    calibrated = IsotonicRegression(out_of_bounds="clip").fit(validation["score"], validation["y_true"]).predict(scores)
    target = costs["false_positive"] / (costs["false_positive"] + costs["false_negative"])
    above = np.flatnonzero(calibrated >= target)
    return float(scores[above[0]]) if len(above) else float("inf")


@app.function
def sklearn_threshold(train: pd.DataFrame, costs: dict) -> float:
    def total_cost(y_true, y_pred):
        _tn, fp, fn, _tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
        return (fp * costs["false_positive"] + fn * costs["false_negative"]) / len(y_true)

    tagger = make_model().set_params(logisticregression__class_weight="balanced")
    tuned = TunedThresholdClassifierCV(tagger, scoring=make_scorer(total_cost, greater_is_better=False), cv=5)
    return float(tuned.fit(train[FEATURES], (train[TARGET] == TAG).astype(int)).best_threshold_)
