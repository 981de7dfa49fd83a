# expect-fail: found_misleading_metric
# why: takes 77 % accuracy at face value, never comparing it with the always-'no' baseline

@app.function
def diagnosis() -> list[dict]:
    """One entry per cause found: {"cause": a key of CAUSES, "evidence": what you measured}."""
    return [
        {"cause": "underfitting",
         "evidence": "With C=1e-4 the training balanced accuracy is also 0.50: the model cannot even fit its own "
                     "training rows; with C=1 it reaches about 0.9 on validation."},
        {"cause": "train_test_contamination",
         "evidence": "500 sale_ids of the test set are also in the training history (a quarter of the test set "
                     "was appended to it), so the test score is not an estimate for new sales."},
        {"cause": "preprocessing_mismatch",
         "evidence": "The scoring service refits a StandardScaler on each batch instead of reusing the training "
                     "scaler: the same listing gets different inputs in a vintage batch, and the predictions change."},
    ]
