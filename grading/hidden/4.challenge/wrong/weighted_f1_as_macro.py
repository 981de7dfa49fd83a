# expect-fail: card_numbers_match
# why: reports the support-weighted F1 as macro F1, so the common types hide the weak rare ones

@app.function
def measure(evaluation: pd.DataFrame, preds: pd.DataFrame) -> dict:
    truth = evaluation[TARGET].to_numpy()
    return {"accuracy": round(float(metrics.accuracy_score(truth, preds["predicted"])), 3),
            "macro_f1": round(float(metrics.f1_score(truth, preds["predicted"], average="weighted")), 3)}
