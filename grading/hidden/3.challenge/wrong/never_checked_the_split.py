# expect-fail: found_contamination
# why: trusts the given train/test split and never looks for test sales inside the training history


@app.function
def diagnosis() -> list[dict]:
    """One entry per cause found: {"cause": a key of CAUSES, "evidence": what you measured}."""
    return [
        {"cause": "misleading_metric",
         "evidence": "Accuracy 77 % equals the share of low-value sales: predicting 'not high value' for everything "
                     "scores the same; balanced accuracy is 0.50 and recall of high-value sales is 0."},
        {"cause": "underfitting",
         "evidence": "With C=1e-4 the training balanced accuracy is also 0.50: the model cannot even fit its own "
                     "training rows; with C=1 it reaches about 0.9 on validation."},
        {"cause": "preprocessing_mismatch",
         "evidence": "The scoring service refits a StandardScaler on each batch instead of reusing the training "
                     "scaler: the same listing gets different inputs in a vintage batch, and the predictions change."},
    ]
