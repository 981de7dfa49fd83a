# expect-fail: failure_slices_are_real
# why: names the type with the worst error rate as a failure mode, though only a handful of species have it

@app.function
def failure_slices(evaluation: pd.DataFrame, preds: pd.DataFrame) -> list[dict]:
    frame = evaluation.reset_index(drop=True).assign(wrong=preds["predicted"].to_numpy() != evaluation[TARGET].to_numpy())
    rates = frame.groupby("type_1")["wrong"].agg(["mean", "size"]).sort_values("mean", ascending=False)
    worst = rates.index[0]
    return [{"definition": {"type_1": worst}, "support": int(rates.loc[worst, "size"]),
             "error_rate": round(float(rates.loc[worst, "mean"]), 3)}]
