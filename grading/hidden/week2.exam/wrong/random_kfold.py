# expect-fail: folds_respect_time
# why: validates with stratified random K-fold on time-ordered loans, so every fold trains on the future
from sklearn.model_selection import StratifiedKFold


@app.function
def time_folds(applications: pd.DataFrame) -> list[dict]:
    splitter = StratifiedKFold(n_splits=4, shuffle=True, random_state=0)
    return [{"train": train.tolist(), "valid": valid.tolist()}
            for train, valid in splitter.split(applications, applications[LABEL])]
