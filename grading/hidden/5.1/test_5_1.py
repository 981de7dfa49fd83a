"""Hidden checks of exercise 5.1: the learner's app, served by uvicorn, answered over real HTTP.

Each app runs in the learner process's sandbox on a Unix socket (grading.served); the
artifacts it loads are written by these tests into the learner's working directory.
"""

from __future__ import annotations

import functools
import json
import shutil
from contextlib import ExitStack
from pathlib import Path

import coursedata
import pytest
from coursedata.type_service import example_cards, save_model, train_type_model

from grading.criteria import criterion
from grading.served import fuzz, send, serve
from grading.testing import Miss

LESSON = "05_inference_service.py#2. A prediction service with FastAPI"
MAX_BATCH = 64


@functools.cache
def reference_model():
    return train_type_model(coursedata.load_cards())


def write_artifacts(root: Path) -> dict[str, str]:
    """good; missing (no folder); corrupt (weights edited after hashing); broken (weights one feature short)."""
    model = reference_model()
    good = save_model(model, root / "good")
    corrupt = root / "corrupt"
    shutil.copytree(good, corrupt, dirs_exist_ok=True)
    weights = json.loads((corrupt / "weights.json").read_text())
    weights["intercept"][0] += 1.0
    (corrupt / "weights.json").write_text(json.dumps(weights))
    short = type(model)(model.classes, model.species, model.features[:-1], model.coef[:, :-1], model.intercept,
                        model.mean[:-1], model.scale[:-1], model.manifest)
    broken = save_model(short, root / "broken")
    return {"good": str(good), "missing": str(root / "missing"), "corrupt": str(corrupt), "broken": str(broken)}


@pytest.fixture(scope="module")
def apps(submission):
    """One served app per artifact; a value is an httpx client, or the Miss that says why it is not there."""
    artifacts = write_artifacts(submission._session.workdir / "models")
    with ExitStack() as stack:
        served = {}
        for name, folder in artifacts.items():
            try:
                served[name] = stack.enter_context(serve(submission, "create_app", folder))
            except Exception as exc:  # noqa: BLE001 - Miss or LearnerError: the test reports it
                served[name] = exc
        yield served


def client(apps, name: str):
    got = apps[name]
    if isinstance(got, BaseException):
        from grading.learner import LearnerError

        if isinstance(got, LearnerError):
            raise Miss(f"create_app(<{name} model>) failed: {got.explain()[:300]}")
        raise got
    return got


def cards(n: int, seed: int) -> list[dict]:
    return example_cards(n, seed=1_000 + seed)


def body(answer) -> object:
    try:
        return answer.json()
    except ValueError:
        raise Miss(f"{answer.request.method} {answer.request.url.path} answered {answer.status_code} with a body that is not JSON") from None


def predictions(answer, n: int) -> list[dict]:
    if answer.status_code != 200:
        raise Miss(f"POST /predict with {n} valid cards answered {answer.status_code}, expected 200")
    data = body(answer)
    preds = data.get("predictions") if isinstance(data, dict) else None
    if not isinstance(preds, list) or len(preds) != n or not all(isinstance(p, dict) for p in preds):
        raise Miss(f"the 200 answer must hold `predictions`, one object per card ({n}); got {str(data)[:200]}")
    for key in ("request_id", "model_version"):
        if not isinstance(data.get(key), str) or not data.get(key):
            raise Miss(f"the 200 answer must hold a non-empty string `{key}`")
    return preds


def field_named(answer, field: str) -> bool:
    data = body(answer)
    detail = data.get("detail") if isinstance(data, dict) else None
    return isinstance(detail, list) and any(
        isinstance(e, dict) and isinstance(e.get("loc"), list) and e["loc"] and e["loc"][-1] == field for e in detail)


@criterion(points=15, title="Serves the model's predictions over HTTP",
           hint="Answer 200 with one prediction per card, in order: the most probable class of `model.predict_proba(model.matrix(cards))` and its probability.",
           lesson=LESSON)
def test_serves_predictions(apps):
    c = client(apps, "good")
    batch = cards(20, 1)
    preds = predictions(send(c, "POST", "/predict", json={"cards": batch}), 20)
    model = reference_model()
    p = model.predict_proba(model.matrix(batch))
    for got, row in zip(preds, p, strict=True):
        best = int(row.argmax())
        if got.get("card_type") != model.classes[best]:
            raise Miss(f"a card predicted {got.get('card_type')!r}; the model says {model.classes[best]!r}")
        conf = got.get("confidence")
        if not isinstance(conf, (int, float)) or abs(conf - row[best]) > 1e-6:
            raise Miss(f"`confidence` must be the probability of the predicted class ({row[best]:.4f}); got {conf!r}")
        if not isinstance(got.get("warnings"), list):
            raise Miss("each prediction needs a `warnings` list (empty when all is well)")
    ready = send(c, "GET", "/ready")
    assert ready.status_code == 200, f"/ready answered {ready.status_code} with a good model"


@criterion(points=15, title="Schema violations: 422 naming the field",
           hint="Declare every field with its type and range in a pydantic model (`Field(ge=10, le=400)` …) so a missing field, a wrong type or an out-of-range value is a 422 whose `detail[].loc` names it.",
           lesson=LESSON)
def test_schema_violations_name_the_field(apps):
    c = client(apps, "good")
    base = cards(1, 2)[0]
    cases = [("card_hp", None), ("retreat_cost", "lots"), ("card_hp", -5), ("card_hp", 9_999), ("retreat_cost", 9),
             ("species", ""), ("attacks", "Tackle {C} 10 | " * 40)]
    for field, value in cases:
        card = dict(base)
        if value is None:
            del card[field]
        else:
            card[field] = value
        answer = send(c, "POST", "/predict", json={"cards": [card]})
        what = f"a card with {field} missing" if value is None else f"a card with {field}={str(value)[:20]!r}"
        if answer.status_code != 422:
            raise Miss(f"{what} was answered {answer.status_code}, expected 422")
        if not field_named(answer, field):
            raise Miss(f"the 422 for {what} must name the field: a `detail` entry whose `loc` ends in {field!r}")
    empty = send(c, "POST", "/predict", json={"cards": []})
    if empty.status_code != 422:
        raise Miss(f"an empty list of cards was answered {empty.status_code}, expected 422")


@criterion(points=10, title="Malformed JSON is the caller's error, not a 500",
           hint="A body that is not JSON must be answered 400 or 422 with a JSON body; never let the parser's exception reach the server.",
           lesson=LESSON)
def test_malformed_json(apps):
    c = client(apps, "good")
    for raw in (b'{"cards": [', b"cards=1", b'{"cards": [{"species": "pikachu",}]}'):
        answer = send(c, "POST", "/predict", content=raw, headers={"content-type": "application/json"})
        if answer.status_code not in (400, 422):
            raise Miss(f"a malformed JSON body was answered {answer.status_code}, expected 400 or 422")
        body(answer)


@criterion(points=10, title="A category never seen in training is a warning, not an error",
           hint="New species and mechanics arrive with every set: predict from the rest of the card (unknown flags all zero) and say so in `warnings`, naming the value.",
           lesson=LESSON)
def test_unseen_category(apps):
    c = client(apps, "good")
    batch = cards(3, 3)
    batch[0]["species"] = "glimmora-2031"
    batch[2]["mechanic"] = "TERA-X"
    preds = predictions(send(c, "POST", "/predict", json={"cards": batch}), 3)
    for got, value in ((preds[0], "glimmora-2031"), (preds[2], "TERA-X")):
        if not any(value in str(w) for w in got.get("warnings", [])):
            raise Miss(f"a card with the unseen value {value!r} must get a warning containing it")
    if preds[1].get("warnings"):
        raise Miss("a card with only known values must have no warnings")
    model = reference_model()
    expected = model.classes[int(model.predict_proba(model.matrix(batch[:1]))[0].argmax())]
    if preds[0].get("card_type") != expected:
        raise Miss("the card with an unseen species must still be predicted by the model from the rest of the card")


@criterion(points=10, title="A batch over the limit is a 413",
           hint="A list longer than MAX_BATCH is well-formed but too large: answer 413 (a pydantic `max_length` would give 422).",
           lesson=LESSON)
def test_batch_over_limit(apps):
    c = client(apps, "good")
    batch = cards(MAX_BATCH + 1, 4)
    predictions(send(c, "POST", "/predict", json={"cards": batch[:MAX_BATCH]}), MAX_BATCH)
    answer = send(c, "POST", "/predict", json={"cards": batch})
    if answer.status_code != 413:
        raise Miss(f"{MAX_BATCH + 1} cards were answered {answer.status_code}, expected 413")
    body(answer)


@criterion(points=15, title="No model: alive, not ready, 503",
           hint="create_app must not raise when the artifact is missing or fails its hash check: /health 200, /ready 503, /predict 503.",
           lesson=LESSON)
def test_model_unavailable(apps):
    for name in ("missing", "corrupt"):
        c = client(apps, name)
        for method, path, expected in (("GET", "/health", 200), ("GET", "/ready", 503), ("POST", "/predict", 503)):
            answer = send(c, method, path, json={"cards": cards(2, 5)} if method == "POST" else None)
            if answer.status_code != expected:
                raise Miss(f"with a {name} model artifact, {method} {path} answered {answer.status_code}, expected {expected}")
            body(answer)


@criterion(points=10, title="Internal failure: 500 with a request id, no traceback",
           hint="Catch exceptions around the prediction, log them with a request id, and answer 500 with that id; never the traceback or the exception text.",
           lesson=LESSON)
def test_internal_failure(apps):
    c = client(apps, "broken")
    answer = send(c, "POST", "/predict", json={"cards": cards(2, 6)})
    if answer.status_code == 503 and send(c, "GET", "/ready").status_code == 503:
        return  # the app checked its model at startup and reports itself not ready: allowed
    if answer.status_code != 500:
        raise Miss(f"when the model raises inside prediction, POST /predict answered {answer.status_code}, expected 500")
    data = body(answer)
    text = answer.text
    if not isinstance(data, dict) or not isinstance(data.get("request_id"), str) or not data["request_id"]:
        raise Miss("the 500 answer must hold a non-empty `request_id` to quote in a bug report")
    for leak in ("Traceback", "File \"", "matmul", "ValueError", "shapes", "mismatch"):
        if leak in text:
            raise Miss(f"the 500 answer shows internals ({leak!r}): log them, answer only the request id")


@criterion(points=15, title="Survives schemathesis: no server error, every answer matches the schema",
           hint="Fuzzing sends what your schema allows: every answer must be declared (`responses=` with a model per status) and match; nothing may answer 500.",
           lesson=LESSON)
def test_fuzzed_by_schemathesis(apps):
    c = client(apps, "good")
    problems = fuzz(c, examples=30)
    if problems:
        raise Miss("; ".join(problems[:3]))
