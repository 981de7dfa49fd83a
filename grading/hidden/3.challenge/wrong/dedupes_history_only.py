# expect-fail: contamination_removed
# why: drops repeated sale_ids within the history but never compares with the test set

@app.function
def clean_training_rows(history: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
    """The history without any sale that is also in the test set."""
    return history.drop_duplicates("sale_id").reset_index(drop=True)
