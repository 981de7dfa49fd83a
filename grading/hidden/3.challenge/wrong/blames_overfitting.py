# expect-fail: found_underfitting, no_imaginary_causes
# why: reads 'poor on new data' as overfitting without comparing with the (equally poor) training score

@app.function
def diagnosis() -> list[dict]:
    """One entry per cause found: {"cause": a key of CAUSES, "evidence": what you measured}."""
    return [
        {"cause": "misleading_metric",
         "evidence": "Accuracy 77 % equals the share of low-value sales: predicting 'not high value' for everything "
                     "scores the same; balanced accuracy is 0.50 and recall of high-value sales is 0."},
        {"cause": "overfitting",
         "evidence": "The model does badly on new sales, so it must have memorised the training sales; we should "
                     "regularise even more."},
        {"cause": "train_test_contamination",
         "evidence": "500 sale_ids of the test set are also in the training history (a quarter of the test set "
                     "was appended to it), so the test score is not an estimate for new sales."},
        {"cause": "preprocessing_mismatch",
         "evidence": "The scoring service refits a StandardScaler on each batch instead of reusing the training "
                     "scaler: the same listing gets different inputs in a vintage batch, and the predictions change."},
    ]
