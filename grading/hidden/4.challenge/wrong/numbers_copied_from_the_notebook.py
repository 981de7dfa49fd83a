# expect-fail: card_numbers_match, failure_slices_are_real
# why: types the numbers measured once on the notebook's split into the card instead of computing them

@app.function
def measure(evaluation: pd.DataFrame, preds: pd.DataFrame) -> dict:
    return {"accuracy": 0.756, "macro_f1": 0.727}


@app.function
def failure_slices(evaluation: pd.DataFrame, preds: pd.DataFrame) -> list[dict]:
    return [{"definition": {"is_form": True}, "support": 86, "error_rate": 0.349},
            {"definition": {"high_bst": True}, "support": 54, "error_rate": 0.407}]
