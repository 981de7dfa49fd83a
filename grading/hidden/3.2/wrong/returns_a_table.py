# expect-fail: comparison_as_data
# why: returns the comparison as a pandas table of scores, not the plain data the task asks for (the choice and its reason are lost)


@app.function
def compare_models(dev: pd.DataFrame, test: pd.DataFrame, tracking_uri: str) -> dict:
    from sklearn.model_selection import GroupKFold, cross_val_score

    folds = list(GroupKFold(n_splits=5, shuffle=True, random_state=0).split(dev, groups=dev["card_key"]))
    scores = {name: cross_val_score(build(), dev[FEATURES], dev[TARGET], cv=folds) for name, build in CANDIDATES.items()}
    return pd.DataFrame({name: {"mean": s.mean(), "std": s.std()} for name, s in scores.items()}).T
