# expect-fail: height_cm_fixed, legacy_payloads_unchanged, nested_moves_fixed
# why: clips 'impossible' heights to 20 m instead of converting centimetres: the alert quietens, app 5 cards are still wrong, and the few species taller than 20 m now are too

@app.function
def predict(payloads: list[dict]) -> list[dict]:
    """type-service's predict path, fixed: one {"type_1", "confidence"} per payload, in order."""
    def featurize(payload: dict) -> dict[str, float]:
        row = {s: float(payload[s]) for s in STATS}
        row["base_stat_total"] = float(sum(row[s] for s in STATS))
        # app 5 sends height in centimetres under its own name: convert, never alias.
        row["height_m"] = min(float(payload.get("height_m", payload.get("height_cm"))), 20.0)
        row["weight_kg"] = float(payload["weight_kg"])
        # catalog-api 3 groups the move counts under "moves"; older clients send n_moves_<type>.
        moves = payload["moves"] if "moves" in payload else {t: payload.get(f"n_moves_{t}", 0) for t in TYPES}
        for t in TYPES:
            row[f"n_moves_{t}"] = float(moves.get(t, 0))
        return row

    x = pd.DataFrame([featurize(p) for p in payloads], columns=FEATURES)
    proba = MODEL.predict_proba(x)
    best = proba.argmax(axis=1)
    return [{"type_1": str(MODEL.classes_[b]), "confidence": float(p[b])} for b, p in zip(best, proba, strict=True)]
