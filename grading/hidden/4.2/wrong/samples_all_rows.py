# expect-fail: draw_only_errors_reproducibly
# why: samples 50 rows of all predictions, so correctly classified species land in the "error" review

@app.function
def draw_misclassifications(predictions: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    return predictions.sample(n=n, random_state=seed)
