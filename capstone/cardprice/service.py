"""The inference service: the UI at /, the JSON API under /api, health, readiness, metrics.

    uv run capstone serve --host 127.0.0.1 --port 8000

Every error is a JSON body {"error": code, "message": text, ...} with the right status; a
request never sees a traceback. Each request is one JSON log line on stderr, and
Prometheus metrics are at /metrics (what the runbook's alerts are written on).
"""

import json
import logging
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Literal

from coursedata.vocab import CONDITIONS, GRADING_COMPANIES, LANGUAGES, MARKETPLACES
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import PACKAGE_DIR
from .features import WOTC_LAST_RELEASE
from .predict import MODEL_PATH, Predictor, sale_row

MAX_BODY_BYTES = 16_384
FIRST_SALE, LAST_SALE = date(2023, 1, 1), date(2026, 12, 31)  # the dates the cards contract allows
log = logging.getLogger("cardprice.service")


class CardQuery(BaseModel):
    """One card to price: which printed card, what copy, sold where and when."""

    model_config = ConfigDict(extra="forbid")

    set_code: str = Field(min_length=1, max_length=8, examples=["BS"])
    card_number: str = Field(pattern=r"^\d{3}/\d{3}$", examples=["004/102"])
    language: Literal[tuple(LANGUAGES)] = "en"
    first_edition: bool = False
    condition: Literal[tuple(CONDITIONS)] = "near_mint"
    grading_company: Literal[tuple(GRADING_COMPANIES)] = "ungraded"
    grade: float | None = Field(default=None, ge=1, le=10, multiple_of=0.5)
    marketplace: Literal[tuple(MARKETPLACES)] = "ebay"
    sale_date: date | None = Field(default=None, description="defaults to today")

    @model_validator(mode="after")
    def consistent(self):
        """Rules across fields, each with a message that says how to fix the request."""
        ### BEGIN SOLUTION
        graded = self.grading_company != "ungraded"
        if graded and self.grade is None:
            raise ValueError(f"a {self.grading_company}-graded copy needs its grade (1 to 10)")
        if not graded and self.grade is not None:
            raise ValueError("grade is only for graded copies: set grading_company, or leave grade out")
        if self.grading_company == "PSA" and self.grade is not None and self.grade != int(self.grade):
            raise ValueError("PSA grades in whole points (e.g. 9, not 9.5)")
        day = self.sale_date or date.today()
        if not FIRST_SALE <= day <= LAST_SALE:
            raise ValueError(f"sale_date must be between {FIRST_SALE} and {LAST_SALE}")
        return self
        ### END SOLUTION


class Prediction(BaseModel):
    price_usd: float = Field(description="predicted sale price (the median of the predicted distribution)")
    low_usd: float = Field(description="lower end of the 80 % range")
    high_usd: float = Field(description="upper end of the 80 % range")
    model_version: str
    card_name: str
    set_name: str


class Problem(BaseModel):
    error: str
    message: str
    detail: list[dict] | None = None
    request_id: str | None = None


def _json_log(**fields) -> None:
    log.info(json.dumps({"ts": round(time.time(), 3), **fields}, default=str))


def _metrics(registry: CollectorRegistry) -> dict:
    return {
        "requests": Counter("cardprice_requests_total", "HTTP requests", ["path", "status"], registry=registry),
        "latency": Histogram("cardprice_request_seconds", "request latency", ["path"], registry=registry,
                             buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)),
        "price": Histogram("cardprice_predicted_price_usd", "predicted prices (drift of outputs)", registry=registry,
                           buckets=(0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000)),
        "inputs": Counter("cardprice_inputs_total", "categorical inputs seen (drift of inputs)",
                          ["field", "value"], registry=registry),
        "errors": Counter("cardprice_errors_total", "error responses by code", ["error"], registry=registry),
    }


def create_app(model_path: Path = MODEL_PATH) -> FastAPI:
    app = FastAPI(title="Card price predictor", version="1.0",
                  description="Predicts the sale price of a Pokémon card copy, with an 80 % range.")
    app.state.predictor = Predictor.load(model_path)
    app.state.registry = CollectorRegistry()
    m = _metrics(app.state.registry)

    def problem(status: int, error: str, message: str, request: Request, detail=None) -> JSONResponse:
        m["errors"].labels(error).inc()
        body = Problem(error=error, message=message, detail=detail, request_id=request.state.request_id)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=status)

    @app.middleware("http")
    async def observe(request: Request, call_next):
        request.state.request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        started = time.perf_counter()
        size = request.headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > MAX_BODY_BYTES):
            response = problem(413, "body_too_large", f"request bodies are limited to {MAX_BODY_BYTES} bytes", request)
        else:
            response = await call_next(request)
        elapsed = time.perf_counter() - started
        route = request.scope.get("route")
        path = route.path if route is not None else "unmatched"  # bounded label values
        m["requests"].labels(path, str(response.status_code)).inc()
        m["latency"].labels(path).observe(elapsed)
        response.headers["x-request-id"] = request.state.request_id
        _json_log(event="request", request_id=request.state.request_id, method=request.method, path=path,
                  status=response.status_code, ms=round(elapsed * 1000, 2),
                  model_version=getattr(app.state.predictor, "version", None))
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        ### BEGIN SOLUTION
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem(400, "invalid_json", "the request body is not valid JSON", request)
        detail = [{"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body",
                   "message": str(e.get("msg", "")).removeprefix("Value error, ")} for e in errors]
        message = "; ".join(f"{d['field']}: {d['message']}" if d["field"] != "body" else d["message"] for d in detail)
        return problem(422, "invalid_request", message, request, detail)
        ### END SOLUTION

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        ### BEGIN SOLUTION
        log.exception("unhandled error, request %s", request.state.request_id)
        return problem(500, "internal_error", "something went wrong on our side; quote the request_id", request)
        ### END SOLUTION

    @app.get("/health", tags=["operations"])
    def health() -> dict:
        """Liveness: the process is up (says nothing about the model)."""
        return {"status": "ok"}

    @app.get("/ready", tags=["operations"], responses={503: {"model": Problem}})
    def ready(request: Request):
        """Readiness: a model is loaded and can answer. 503 until `capstone train` has run."""
        predictor = app.state.predictor
        if predictor is None:
            return problem(503, "model_not_ready", "no model yet: run `uv run capstone train`, then restart", request)
        return {"ready": True, "model_version": predictor.version}

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(app.state.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/api/model", tags=["model"])
    def model_info(request: Request):
        """The loaded model's version, training window and cross-validation results."""
        if app.state.predictor is None:
            return problem(503, "model_not_ready", "no model yet: run `uv run capstone train`", request)
        return app.state.predictor.metadata

    @app.get("/api/cards", tags=["model"])
    def cards(request: Request, q: str = Query("", max_length=60), limit: int = Query(20, ge=1, le=100)):
        """Known cards matching `q` (name, set or number), for the UI's picker."""
        if app.state.predictor is None:
            return problem(503, "model_not_ready", "no model yet: run `uv run capstone train`", request)
        return app.state.predictor.search(q, limit)

    @app.post("/api/predict", tags=["model"], response_model=Prediction,
              responses={400: {"model": Problem}, 404: {"model": Problem}, 413: {"model": Problem},
                         422: {"model": Problem}, 503: {"model": Problem}})
    def predict(query: CardQuery, request: Request):
        """Price one copy of a card. Errors: 400 bad JSON, 404 unknown card, 413 body too large,
        422 invalid or inconsistent fields, 503 no model loaded."""
        ### BEGIN SOLUTION
        predictor = app.state.predictor
        if predictor is None:
            return problem(503, "model_not_ready", "no model yet: run `uv run capstone train`", request)
        card = predictor.card(query.set_code, query.card_number)
        if card is None:
            # A person reads this (the UI shows it as it is); a program has the error code and /api/cards.
            return problem(404, "unknown_card", f"We know no card {query.set_code} {query.card_number}. Type part "
                           "of its name (for example Charizard) and pick it from the suggestions.", request)
        if query.first_edition and card["release_date"] > WOTC_LAST_RELEASE:
            return problem(422, "invalid_request", f"first_edition: {card['set_name']} was never printed in "
                           "1st Edition (only Wizards of the Coast sets, 1999-2003, were)", request)
        copy = query.model_dump(exclude={"set_code", "card_number", "sale_date"})
        result = predictor.predict([sale_row(card, copy, query.sale_date or date.today())])[0]
        m["price"].observe(result["price_usd"])
        for field in ("language", "condition", "grading_company", "marketplace"):
            m["inputs"].labels(field, getattr(query, field)).inc()
        m["inputs"].labels("rarity", card["rarity"]).inc()
        return Prediction(**result, model_version=predictor.version, card_name=card["card_name"],
                          set_name=card["set_name"])
        ### END SOLUTION

    @app.get("/", include_in_schema=False)
    def ui() -> FileResponse:
        return FileResponse(PACKAGE_DIR / "static" / "index.html")

    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    return app
