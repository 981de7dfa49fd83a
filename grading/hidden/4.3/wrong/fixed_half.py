# expect-fail: threshold_near_optimal
# why: keeps the default 0.5 whatever the costs and the scores

@app.function
def choose_threshold(validation: pd.DataFrame, costs: dict) -> float:
    return 0.5
