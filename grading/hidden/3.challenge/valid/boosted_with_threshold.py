# A valid alternative: gradient boosting with its probability threshold set at the training prevalence,
# and the cleaning done with a merge indicator.


@app.function
def clean_training_rows(history: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
    marked = history.merge(test[["sale_id"]].drop_duplicates(), on="sale_id", how="left", indicator=True)
    return history[(marked["_merge"] == "left_only").to_numpy()].reset_index(drop=True)


@app.function
def fixed_predict(history: pd.DataFrame, batch: pd.DataFrame) -> list[int]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(max_iter=150, random_state=0).fit(history[FEATURES], history[TARGET])
    threshold = float(history[TARGET].mean())
    return (model.predict_proba(batch[FEATURES])[:, 1] >= threshold).astype(int).tolist()
