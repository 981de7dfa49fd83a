# expect-fail: test_fast
# why: loads the model once but keeps the per-row, per-class Python loops, where nearly all the time goes
import math


@app.function
def create_app(model_dir: str) -> FastAPI:
    """The card type service with the slow service's answers, fast."""
    import uuid

    from coursedata.vocab import MECHANICS

    model = load_model(model_dir)  # once, not per request
    known = set(model.species)
    api = FastAPI(title="Card type service (fast)")

    @api.post("/predict")
    def predict(body: PredictRequest) -> dict:
        cards = [c.model_dump() for c in body.cards]
        # Features straight from the dicts into one matrix; one matrix product for the whole batch.
        x = model.matrix(cards)
        rows = []
        for r in range(len(cards)):
            scores = []
            for k in range(len(model.classes)):
                z = model.intercept[k]
                for j in range(x.shape[1]):
                    z += (x[r, j] - model.mean[j]) / model.scale[j] * model.coef[k, j]
                scores.append(z)
            top = max(scores)
            weights = [math.exp(s - top) for s in scores]
            rows.append([w / sum(weights) for w in weights])
        probabilities = np.array(rows)
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
