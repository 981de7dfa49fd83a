# expect-fail: folds_measure_something
# why: validates on every month of the last year: each fold holds about 15 defaults, too few for PR AUC to mean anything
@app.function
def time_folds(applications: pd.DataFrame) -> list[dict]:
    months = pd.to_datetime(applications["application_date"]).dt.to_period("M")
    last_year = sorted(months.unique())[-12:]
    return [{"train": np.flatnonzero((months < m).to_numpy()).tolist(),
             "valid": np.flatnonzero((months == m).to_numpy()).tolist()} for m in last_year]
