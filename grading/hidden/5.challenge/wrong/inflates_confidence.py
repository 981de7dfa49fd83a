# expect-fail: legacy_payloads_unchanged, nested_moves_fixed, height_cm_fixed
# why: 'fixes' the low-confidence alert by sharpening the probabilities, which silences the alert and keeps every wrong input

@app.function
def predict(payloads: list[dict]) -> list[dict]:
    x = pd.DataFrame([featurize_as_deployed(p) for p in payloads], columns=FEATURES)
    proba = MODEL.predict_proba(x) ** 4  # a temperature: confident answers again
    proba = proba / proba.sum(axis=1, keepdims=True)
    best = proba.argmax(axis=1)
    return [{"type_1": str(MODEL.classes_[b]), "confidence": float(p[b])} for b, p in zip(best, proba, strict=True)]
