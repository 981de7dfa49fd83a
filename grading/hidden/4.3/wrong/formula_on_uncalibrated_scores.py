# expect-fail: threshold_near_optimal
# why: applies c_fp / (c_fp + c_fn), valid for calibrated probabilities, to a class-weighted tagger's inflated scores

@app.function
def choose_threshold(validation: pd.DataFrame, costs: dict) -> float:
    return costs["false_positive"] / (costs["false_positive"] + costs["false_negative"])
