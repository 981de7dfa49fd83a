# expect-fail: test_serves_predictions
# why: maps the argmax to coursedata's CARD_TYPES order instead of model.classes, the order the model was trained in
from coursedata.vocab import CARD_TYPES


@app.function
def create_app(model_dir: str) -> FastAPI:
    """The card type service: health, readiness, validated batch prediction, graceful errors."""
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
            predictions.append(Prediction(card_type=CARD_TYPES[best], confidence=float(row[best]), warnings=warnings))
        return PredictResponse(request_id=request_id, model_version=model.manifest["model_version"], predictions=predictions)

    return api
