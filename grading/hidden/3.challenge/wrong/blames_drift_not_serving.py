# expect-fail: found_preprocessing_mismatch, no_imaginary_causes
# why: sees bad predictions on this week's vintage batch and calls it drift, without comparing the inputs the service builds


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
        {"cause": "train_test_contamination",
         "evidence": "500 sale_ids of the test set are also in the training history (a quarter of the test set "
                     "was appended to it), so the test score is not an estimate for new sales."},
        {"cause": "data_drift",
         "evidence": "This week's batch is all vintage cards while the history is mostly modern, so the model "
                     "faces a distribution it was not trained on."},
    ]
