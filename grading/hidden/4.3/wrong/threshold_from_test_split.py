# expect-fail: report_tuned_on_validation
# why: picks the threshold on the test split, so the reported test cost is an in-sample number

@app.function
def threshold_report(validation: pd.DataFrame, test: pd.DataFrame, costs: dict) -> dict:
    threshold = choose_threshold(test, costs)
    return {
        "threshold": threshold,
        "test_cost": expected_cost(test["y_true"], test["score"], threshold, costs),
        "test_cost_at_half": expected_cost(test["y_true"], test["score"], 0.5, costs),
    }
