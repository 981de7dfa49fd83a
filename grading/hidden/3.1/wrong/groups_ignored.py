# expect-fail: groups_never_split
# why: shuffles rows, not groups: copies of the same card land on both sides and the model recognises them


@app.function
def group_kfold_indices(groups: pd.Series, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    return kfold_indices(len(groups), k, seed)
