# expect-fail: test_identical_predictions
# why: caches predictions by species alone, so two different cards of one species get the first one's answer


@app.function
def create_app(model_dir: str) -> FastAPI:
    """The card type service with the slow service's answers, fast."""
    import uuid

    from coursedata.vocab import MECHANICS

    model = load_model(model_dir)  # once, not per request
    known = set(model.species)
    cache = {}
    api = FastAPI(title="Card type service (fast)")

    @api.post("/predict")
    def predict(body: PredictRequest) -> dict:
        cards = [c.model_dump() for c in body.cards]
        # Features straight from the dicts into one matrix; one matrix product for the whole batch.
        for card in cards:
            if card["species"] not in cache:
                cache[card["species"]] = model.predict_proba(model.matrix([card]))[0]
        probabilities = np.array([cache[card["species"]] for card in cards])
        best = probabilities.argmax(axis=1)
        predictions = []
        for i, card in enumerate(cards):
            warnings = [f"species {card['species']!r} was not seen in training"] if card["species"] not in known else []
            if card["mechanic"] not in MECHANICS:
                warnings.append(f"mechanic {card['mechanic']!r} was not seen in training")
            predictions.append({"card_type": model.classes[best[i]], "confidence": float(probabilities[i, best[i]]),
                                "warnings": warnings})
        return {"request_id": uuid.uuid4().hex[:16], "model_version": model.manifest.get("model_version"),
                "predictions": predictions}

    return api
