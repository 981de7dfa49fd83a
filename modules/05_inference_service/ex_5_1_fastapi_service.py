import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import json
    import logging
    import tempfile
    import uuid
    import warnings
    from pathlib import Path
    from typing import Annotated

    import coursedata
    import marimo as mo
    from coursedata.type_service import ModelUnavailable, example_cards, load_model, save_model, train_type_model
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    # starlette warns (on stderr, once per process) that its TestClient should use httpx2, a package this
    # course does not install; the warning is about starlette's packaging, not about your code.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient
    from pydantic import BaseModel, Field

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # At most this many cards in one request; more is answered 413.
    MAX_BATCH = 64
    log = logging.getLogger("type_service")


    def course_model_dir() -> str:
        """Train the card type classifier once and save it (safe JSON artifact) to a temp folder."""
        folder = Path(tempfile.gettempdir()) / "course-type-model"
        if not (folder / "manifest.json").exists():
            save_model(train_type_model(coursedata.load_cards()), folder)
        return str(folder)


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 5.1 · Build an API that handles 5 different error cases gracefully

    **Why this matters.** In a notebook, bad input raises and you fix it. In production, bad
    input arrives all day from clients you do not control, and the model file can be missing
    on a fresh node. A service that answers `500 Internal Server Error` with a traceback to a
    typo in a request has made the user's mistake your outage, leaked your internals, and
    paged you at night. A good service tells the caller *what* was wrong and *which field*,
    keeps serving the other requests, says honestly when it cannot serve (503, so the load
    balancer sends traffic elsewhere), and never shows its stack.

    **Your task**: write `create_app(model_dir)`, an app factory returning a FastAPI app that
    serves the card type classifier (`coursedata.type_service`, trained in Module 4's spirit:
    it reads what is printed on a card and predicts its energy type). `load_model(model_dir)`
    loads the artifact and raises `ModelUnavailable` if it is missing or does not match its
    manifest's sha256. `model.predict_proba(model.matrix(cards))` gives one row of class
    probabilities per card dict, columns in `model.classes` order. The rules:

    1. `GET /health` answers 200 whenever the process runs (liveness). `GET /ready` answers
       200 `{"ready": true, "model_version": ...}` when the model is loaded, and 503
       `{"ready": false, "reason": ...}` when it is not (readiness). `create_app` must not
       raise when the model is unavailable: the app starts and says so.
    2. `POST /predict` takes `{"cards": [card, ...]}`, each card with `species` (text, 1–40
       characters), `card_hp` (integer 10–400), `attacks` (text, at most 300 characters),
       `retreat_cost` (integer 0–5) and `mechanic` (text, 1–20 characters). It answers 200
       `{"request_id": str, "model_version": str, "predictions": [{"card_type": str,
       "confidence": float, "warnings": [str]}]}`, one prediction per card in order;
       `card_type` is the most probable class, `confidence` its probability.
    3. **Malformed JSON** is answered 400 or 422 with a JSON body, never 500.
    4. **Schema violations** (a missing field, a wrong type, a value out of range, an empty
       list of cards) are answered 422 with field-level messages: a `detail` list whose
       entries have a `loc` ending in the offending field (FastAPI's default format).
    5. **A category never seen in training** (a species or mechanic the model does not know:
       new sets bring new ones every quarter) is not an error: answer 200 with the
       prediction, and a warning in that card's `warnings` that contains the unknown value.
       (`model.species` lists the known species; `coursedata.vocab.MECHANICS` the mechanics.)
    6. **A batch over the limit**: more than `MAX_BATCH` cards is answered **413** (payload
       too large), not 422: the request is well-formed, just too big to serve in time.
    7. **The model unavailable**: `POST /predict` answers 503 with a JSON body.
    8. **An internal failure** (anything raising inside your prediction code): 500 with a
       JSON body holding a `request_id` (also logged), and no traceback or exception text.
       If your app checks its model at startup and reports itself not ready instead, 503 is
       fine too.
    9. Your OpenAPI schema is your contract: declare every status code `/predict` can answer
       (FastAPI's `responses=` with a model for each), and every response must match it.

    The hidden tests start your app as a real uvicorn server, send it real HTTP requests, and
    fuzz it with [schemathesis](https://schemathesis.readthedocs.io): generated requests from
    your own OpenAPI schema; zero server errors allowed and every response must validate.
    Check your work with `uv run course check 5.1`.
    """)
    return


@app.function
def create_app(model_dir: str) -> FastAPI:
    """The card type service: health, readiness, validated batch prediction, graceful errors."""
    ### BEGIN SOLUTION
    from coursedata.vocab import MECHANICS

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

    class Ready(BaseModel):
        ready: bool
        model_version: str | None = None
        reason: str | None = None

    try:
        model, reason = load_model(model_dir), None
    except ModelUnavailable as exc:
        model, reason = None, str(exc)

    api = FastAPI(title="Card type service")

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": errors})

    @api.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @api.get("/ready", response_model=Ready, responses={503: {"model": Ready}})
    def ready() -> JSONResponse:
        if model is None:
            return JSONResponse(status_code=503, content={"ready": False, "reason": reason})
        return JSONResponse(content={"ready": True, "model_version": model.manifest["model_version"]})

    @api.post("/predict", response_model=PredictResponse,
              responses={413: {"model": Error}, 500: {"model": Error}, 503: {"model": Error}})
    def predict(body: PredictRequest) -> PredictResponse | JSONResponse:
        request_id = uuid.uuid4().hex
        if len(body.cards) > MAX_BATCH:
            return JSONResponse(status_code=413, content={"error": "batch_too_large", "request_id": request_id,
                                                          "message": f"at most {MAX_BATCH} cards per request; got {len(body.cards)}"})
        if model is None:
            return JSONResponse(status_code=503, content={"error": "model_unavailable", "message": reason, "request_id": request_id})
        cards = [c.model_dump() for c in body.cards]
        try:
            probabilities = model.predict_proba(model.matrix(cards))
        except Exception:
            log.exception("prediction failed request_id=%s", request_id)
            return JSONResponse(status_code=500, content={"error": "internal_error", "request_id": request_id,
                                                          "message": "the prediction failed; quote the request id when you report it"})
        known = set(model.species)
        predictions = []
        for card, row in zip(cards, probabilities, strict=True):
            warnings = []
            if card["species"] not in known:
                warnings.append(f"species {card['species']!r} was not seen in training: predicted from the rest of the card")
            if card["mechanic"] not in MECHANICS:
                warnings.append(f"mechanic {card['mechanic']!r} was not seen in training")
            best = int(row.argmax())
            predictions.append(Prediction(card_type=model.classes[best], confidence=float(row[best]), warnings=warnings))
        return PredictResponse(request_id=request_id, model_version=model.manifest["model_version"], predictions=predictions)

    return api
    ### END SOLUTION


@app.cell
def _():
    model_dir = course_model_dir()
    client = TestClient(create_app(model_dir))
    sample = example_cards(3, seed=1)
    answer = client.post("/predict", json={"cards": sample})
    mo.md(f"""
    Three real cards through your app (in-process, with FastAPI's `TestClient`):
    status **{answer.status_code}**

    ```json
    {json.dumps(answer.json(), indent=2)[:1500]}
    ```
    """)
    return (model_dir,)


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `WHO_IS_RESPONSIBLE`: "Malformed input crashes your API. Who is responsible, you or
       the user?" Answer for this service, and say what each status code you chose tells the
       caller to do next (fix the request, retry later, report a bug).
    2. `READY_VERSUS_HEALTHY`: why does the service have both `/health` and `/ready`, and
       what would go wrong in a rolling deploy behind a load balancer with only one of them?

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    WHO_IS_RESPONSIBLE = """The user is responsible for sending a valid request, but I am responsible for the crash: a
    service must never let a client's mistake become a 500. 400/422 with the field says fix your request and do not
    retry; 413 says split the batch; 503 says we cannot serve now, retry later or elsewhere; 500 with a request id says
    the bug is ours, report it with that id and we can find the log line."""
    READY_VERSUS_HEALTHY = """Health says the process is alive, so do not restart it; readiness says it can serve
    traffic now. A new pod still loading its model, or one whose artifact failed its hash check, is healthy but not
    ready. With only a health check the balancer sends traffic to pods that answer 503 or crash; with only readiness a
    pod that lost its model is restarted forever instead of being kept out of rotation while someone looks."""
    ### END SOLUTION
    return


@app.function
def client_for(model_dir: str) -> TestClient:
    """An in-process client for `create_app(model_dir)` (the grader serves it for real, over HTTP)."""
    factory = getattr(create_app, "__wrapped__", create_app)  # the grader wraps graded functions
    client = TestClient(factory(model_dir))
    client.__enter__()  # runs the app's startup (lifespan), as uvicorn does
    return client


@app.function
@criterion(points=5, title="Predicts three real cards", hint="POST /predict answers 200 with one prediction per card.")
def test_predicts_three_cards():
    client = client_for(course_model_dir())
    answer = client.post("/predict", json={"cards": example_cards(3, seed=2)})
    assert answer.status_code == 200
    assert len(answer.json()["predictions"]) == 3


@app.function
@criterion(points=5, title="A missing field is a 422 that names it", hint="Declare the card's fields in a pydantic model; FastAPI answers 422 with `loc`.")
def test_missing_field_is_named():
    client = client_for(course_model_dir())
    card = example_cards(1, seed=3)[0]
    del card["card_hp"]
    answer = client.post("/predict", json={"cards": [card]})
    assert answer.status_code == 422
    assert any(entry["loc"][-1] == "card_hp" for entry in answer.json()["detail"])


@app.function
@criterion(points=5, title="Starts without a model and says it is not ready", hint="Catch ModelUnavailable in create_app; /ready answers 503.")
def test_not_ready_without_model():
    client = client_for(str(Path(tempfile.gettempdir()) / "no-such-model"))
    assert client.get("/health").status_code == 200
    assert client.get("/ready").status_code == 503


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_predicts_three_cards,
        test_missing_field_is_named,
        test_not_ready_without_model,
        item="5.1",
    )
    return


if __name__ == "__main__":
    app.run()
