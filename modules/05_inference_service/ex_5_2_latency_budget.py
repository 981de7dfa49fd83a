import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import statistics
    import tempfile
    import time
    import warnings
    from pathlib import Path

    import coursedata
    import marimo as mo
    import numpy as np
    from coursedata.type_api import MAX_BATCH, Card, PredictRequest, create_slow_app, naive_predict
    from coursedata.type_service import example_cards, load_model, save_model, train_type_model
    from fastapi import FastAPI
    # starlette warns (on stderr, once per process) that its TestClient should use httpx2, a package this
    # course does not install; the warning is about starlette's packaging, not about your code.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The hidden tests send batches of this many cards, like the card shop's nightly re-pricing.
    BATCH = 48
    # The budget: your p95 below this share of the slow service's median (100 ms of 500 ms) ...
    TAIL_SHARE = 0.2
    # ... and your median at least this many times faster, measured in the same run.
    SPEEDUP = 5


    def course_model_dir() -> str:
        folder = Path(tempfile.gettempdir()) / "course-type-model"
        if not (folder / "manifest.json").exists():
            save_model(train_type_model(coursedata.load_cards()), folder)
        return str(folder)


    def median_ms(client: TestClient, body: dict, repeats: int = 5) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            client.post("/predict", json=body)
            times.append(time.perf_counter() - start)
        return 1000 * statistics.median(times)


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 5.2 · Optimize inference latency: reduce from 500 ms to < 100 ms

    **Why this matters.** The card shop re-prices its catalogue overnight and asks the type
    service about 48 cards per request; the product page asks about one card while a person
    waits. The service as first shipped (`create_slow_app`, in `coursedata/type_api.py`) is
    correct, and slow for the reasons real services are slow: notebook code pasted into an
    endpoint. Find them by measuring, not guessing.

    **Your task**: write `create_app(model_dir)`, the same service made fast: `POST /predict`
    with `{"cards": [...]}` (the `PredictRequest` model; at most `MAX_BATCH` cards) answers
    200 with `{"request_id", "model_version", "predictions": [{"card_type", "confidence",
    "warnings"}]}` exactly as the slow app does. The rules:

    1. **Identical predictions**: the same `card_type` and the same `confidence` (to 1e-9) as
       the slow service, for every card, in order. No rounding, no `float32`, no shortcut that
       changes an answer.
    2. **Fast**: the hidden tests serve both apps with uvicorn and send them the same batches
       of `BATCH` cards, interleaved. Your median must be at least `SPEEDUP` times faster than
       the slow service's median, and your p95 below `TAIL_SHARE` of it (100 ms when the slow
       service takes its 500 ms). Both are ratios measured in the same run, so a busy machine
       does not fail you; when the timings are too noisy to decide, the grader says so.

    Check your work with `uv run course check 5.2`.
    """)
    return


@app.cell
def _():
    model_dir = course_model_dir()
    body = {"cards": example_cards(BATCH, seed=1)}
    slow_ms = median_ms(TestClient(create_slow_app(model_dir)), body, repeats=3)
    mo.md(f"The slow service, measured now (in-process, {BATCH} cards): **{slow_ms:.0f} ms** median of 3.")
    return body, model_dir, slow_ms


@app.function
def create_app(model_dir: str) -> FastAPI:
    """The card type service with the slow service's answers, fast."""
    ### BEGIN SOLUTION
    import uuid

    from coursedata.vocab import MECHANICS

    model = load_model(model_dir)  # once, not per request
    known = set(model.species)
    api = FastAPI(title="Card type service (fast)")

    @api.post("/predict")
    def predict(body: PredictRequest) -> dict:
        cards = [c.model_dump() for c in body.cards]
        # Features straight from the dicts into one matrix; one matrix product for the whole batch.
        probabilities = model.predict_proba(model.matrix(cards))
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
    ### END SOLUTION


@app.cell
def _(body, model_dir, slow_ms):
    fast_ms = median_ms(TestClient(getattr(create_app, "__wrapped__", create_app)(model_dir)), body)
    mo.md(f"Yours: **{fast_ms:.1f} ms**, {slow_ms / fast_ms:.0f}× faster.")
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `WHERE_THE_TIME_WENT`: list the causes of the slow service's latency you found, with
       how much each cost (measured), in order.
    2. `LATENCY_TRADEOFFS`: "Training takes 1 hour. Inference must complete in < 100 ms. How
       do you approach this?" Explain to the engineering team what you would trade (batching
       vs latency, model size vs accuracy, p50 vs p99) and why.

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    WHERE_THE_TIME_WENT = """Almost all of it was the Python loops: every row scored class by class and feature by
    feature, about 11 x 1000 multiply-adds in the interpreter per card, a few milliseconds each, so 48 cards cost
    hundreds of milliseconds. Loading and hashing the JSON model in every request cost a few milliseconds, the
    pandas DataFrame and iterrows a few more. One matrix product over the batch replaces all the loops."""
    LATENCY_TRADEOFFS = """Training time does not matter for serving; only the predict path does. I would measure the
    p99 of the full request, then keep the model in memory, vectorise featurisation, batch where the caller can wait,
    and only then shrink the model if it still does not fit, checking how much accuracy a smaller model costs.
    Batching raises throughput but adds waiting time; the budget is for the slowest requests, not the average."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="Same predictions as the slow service", hint="Keep float64 and the same arithmetic: one matrix product gives the same answers.")
def test_same_predictions():
    model_dir = course_model_dir()
    body = {"cards": example_cards(8, seed=2)}
    slow = TestClient(create_slow_app(model_dir)).post("/predict", json=body).json()["predictions"]
    fast = TestClient(getattr(create_app, "__wrapped__", create_app)(model_dir)).post("/predict", json=body).json()["predictions"]
    assert [p["card_type"] for p in fast] == [p["card_type"] for p in slow]
    assert np.allclose([p["confidence"] for p in fast], [p["confidence"] for p in slow], rtol=0, atol=1e-9)


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_same_predictions,
        item="5.2",
    )
    return


if __name__ == "__main__":
    app.run()
