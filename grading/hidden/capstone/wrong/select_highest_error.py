# expect-fail: models.selected, evaluation.holdout
# why: sorting an error as if it were a score (higher is better): the worst validated candidate is shipped
# file: cardprice/train.py
def select(results: pd.DataFrame) -> str:
    candidates = results[results["model"] != "baseline"]
    return str(candidates.sort_values("rmse_log", ascending=False).iloc[0]["model"])
