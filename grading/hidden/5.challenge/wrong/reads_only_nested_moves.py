# expect-fail: legacy_payloads_unchanged, height_cm_fixed
# why: switches the service to catalog-api 3's nested moves and breaks every client that still sends flat n_moves_<type>

@app.function
def predict(payloads: list[dict]) -> list[dict]:
    """type-service's predict path, fixed: one {"type_1", "confidence"} per payload, in order."""
    def featurize(payload: dict) -> dict[str, float]:
        row = {s: float(payload[s]) for s in STATS}
        row["base_stat_total"] = float(sum(row[s] for s in STATS))
        # app 5 sends height in centimetres under its own name: convert, never alias.
        row["height_m"] = float(payload["height_m"]) if "height_m" in payload else float(payload["height_cm"]) / 100
        row["weight_kg"] = float(payload["weight_kg"])
        # catalog-api 3 groups the move counts under "moves"; older clients send n_moves_<type>.
        moves = payload.get("moves", {})
        for t in TYPES:
            row[f"n_moves_{t}"] = float(moves.get(t, 0))
        return row

    x = pd.DataFrame([featurize(p) for p in payloads], columns=FEATURES)
    proba = MODEL.predict_proba(x)
    best = proba.argmax(axis=1)
    return [{"type_1": str(MODEL.classes_[b]), "confidence": float(p[b])} for b, p in zip(best, proba, strict=True)]
