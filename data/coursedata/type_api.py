"""The course's reference inference service for the card type classifier (Module 5, capstone).

    app = create_app(model_dir)                 # FastAPI: /health /ready /predict /metrics
    app = create_app(model_dir, naive=True)     # the same answers, built the slow way

The naive path does what notebook code carried into production does: it loads the model
for every request, builds a pandas DataFrame for the rows, and loops in Python per row and
per class. The default path loads once, featurises straight into a NumPy matrix and
predicts the batch with one matrix product. Both give the same predictions.

Every request writes one JSON log line (logger "type_service") and updates Prometheus
metrics in the app's own registry, served at /metrics in the Prometheus text format.
"""

from __future__ import annotations

import json
import logging
import math
import time
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from .type_service import ModelUnavailable, TypeModel, load_model
from .vocab import MECHANICS

MAX_BATCH = 64
log = logging.getLogger("type_service")


class Card(BaseModel):
    species: str = Field(min_length=1, max_length=40)
    card_hp: int = Field(ge=10, le=400)
    attacks: str = Field(max_length=300)
    retreat_cost: int = Field(ge=0, le=5)
    mechanic: str = Field(min_length=1, max_length=20)


class PredictRequest(BaseModel):
    cards: list[Card] = Field(min_length=1)


class Prediction(BaseModel):
    card_type: str
    confidence: float = Field(ge=0, le=1)
    warnings: list[str]


class PredictResponse(BaseModel):
    request_id: str
    model_version: str
    predictions: list[Prediction]


class Error(BaseModel):
    error: str
    message: str
    request_id: str | None = None


def naive_predict(model_dir: str, cards: list[dict]) -> list[tuple[str, float]]:
    """Notebook code in production: load per request, a DataFrame per batch, Python loops per row and class."""
    import pandas as pd

    model = load_model(model_dir)
    frame = pd.DataFrame(cards)
    out = []
    for _, row in frame.iterrows():
        x = model.matrix([row.to_dict()])[0]
        scores = []
        for k in range(len(model.classes)):
            z = model.intercept[k]
            for j in range(len(x)):
                z += (x[j] - model.mean[j]) / model.scale[j] * model.coef[k, j]
            scores.append(z)
        top = max(scores)
        weights = [math.exp(s - top) for s in scores]
        best = max(range(len(weights)), key=weights.__getitem__)
        out.append((model.classes[best], weights[best] / sum(weights)))
    return out


def fast_predict(model: TypeModel, cards: list[dict]) -> list[tuple[str, float]]:
    probabilities = model.predict_proba(model.matrix(cards))
    best = probabilities.argmax(axis=1)
    return [(model.classes[b], float(probabilities[i, b])) for i, b in enumerate(best)]


def _metrics():
    from prometheus_client import CollectorRegistry, Counter, Histogram

    registry = CollectorRegistry()
    return registry, {
        "requests": Counter("predict_requests", "Prediction requests by outcome", ["status"], registry=registry),
        "latency": Histogram("predict_latency_seconds", "Time to answer /predict", registry=registry,
                             buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)),
        "confidence": Histogram("prediction_confidence", "Confidence of each prediction", registry=registry,
                                buckets=(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)),
        "types": Counter("predicted_type", "Predictions by card type", ["card_type"], registry=registry),
    }


def create_app(model_dir: str, naive: bool = False) -> FastAPI:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    try:
        model, reason = load_model(model_dir), None
    except ModelUnavailable as exc:
        model, reason = None, str(exc)
    registry, metric = _metrics()
    api = FastAPI(title="Card type service")
    api.state.model = model

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        metric["requests"].labels(status="422").inc()
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": errors})

    @api.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @api.get("/ready")
    def ready() -> JSONResponse:
        if model is None:
            return JSONResponse(status_code=503, content={"ready": False, "reason": reason})
        return JSONResponse(content={"ready": True, "model_version": model.manifest.get("model_version")})

    @api.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @api.post("/predict", response_model=PredictResponse,
              responses={413: {"model": Error}, 500: {"model": Error}, 503: {"model": Error}})
    def predict(body: PredictRequest) -> PredictResponse | JSONResponse:
        started, request_id = time.perf_counter(), uuid.uuid4().hex[:16]

        def answer(status: int, content: dict) -> JSONResponse:
            metric["requests"].labels(status=str(status)).inc()
            log.info(json.dumps({"event": "predict", "request_id": request_id, "status": status, "rows": len(body.cards),
                                 "latency_ms": round(1000 * (time.perf_counter() - started), 3)}))
            return JSONResponse(status_code=status, content=content)

        if len(body.cards) > MAX_BATCH:
            return answer(413, {"error": "batch_too_large", "request_id": request_id,
                                "message": f"at most {MAX_BATCH} cards per request"})
        if model is None:
            return answer(503, {"error": "model_unavailable", "message": reason, "request_id": request_id})
        cards = [c.model_dump() for c in body.cards]
        try:
            results = naive_predict(model_dir, cards) if naive else fast_predict(model, cards)
        except Exception:
            log.exception("prediction failed request_id=%s", request_id)
            return answer(500, {"error": "internal_error", "request_id": request_id, "message": "quote the request id"})
        known = set(model.species)
        predictions = []
        for card, (card_type, confidence) in zip(cards, results, strict=True):
            warnings = [f"species {card['species']!r} was not seen in training"] if card["species"] not in known else []
            if card["mechanic"] not in MECHANICS:
                warnings.append(f"mechanic {card['mechanic']!r} was not seen in training")
            predictions.append({"card_type": card_type, "confidence": confidence, "warnings": warnings})
            metric["confidence"].observe(confidence)
            metric["types"].labels(card_type=card_type).inc()
        latency = time.perf_counter() - started
        metric["latency"].observe(latency)
        metric["requests"].labels(status="200").inc()
        log.info(json.dumps({"event": "predict", "request_id": request_id, "status": 200, "rows": len(cards),
                             "model_version": model.manifest.get("model_version"),
                             "types": [p["card_type"] for p in predictions],
                             "min_confidence": round(min(p["confidence"] for p in predictions), 4),
                             "latency_ms": round(1000 * latency, 3)}))
        return JSONResponse(content={"request_id": request_id, "model_version": model.manifest.get("model_version"),
                                     "predictions": predictions})

    return api


def create_slow_app(model_dir: str) -> FastAPI:
    """The service as first shipped: correct, and about 100× slower than it needs to be (exercise 5.2)."""
    return create_app(model_dir, naive=True)
