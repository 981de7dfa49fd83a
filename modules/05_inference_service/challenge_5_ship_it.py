import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import json

    import altair as alt
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.paths import REPO_DIR
    from coursedata.species import STATS
    from coursedata.type_classifier import FEATURES, TYPES, fit_type_classifier

    from grading.criteria import criterion
    from grading.visible import visible_tests

    INCIDENTS = REPO_DIR / "modules" / "05_inference_service" / "incidents"
    ALERTS = ["latency", "low_confidence", "all_fire"]
    FILES = ["alert.json", "deploys.log", "config.diff", "requests.jsonl", "metrics.csv", "payloads.json", "business.json"]
    # The diagnosis vocabulary: name each root cause with one of these keys.
    CAUSES = {
        "resource_limits": "the service gets less CPU or memory than its load needs (a limit lowered, too few "
                           "replicas): requests wait for a CPU",
        "traffic_spike": "more requests arrive than the service was sized for",
        "slow_dependency": "something the service calls (a database, a feature store) became slow or unavailable",
        "model_regression": "a newly deployed model version predicts worse, or more slowly, than the one before",
        "corrupted_artifact": "the model file served is not the one that was validated (truncated, wrong version)",
        "upstream_schema_change": "a client changed the shape of its payload and the service reads it wrong",
        "unit_change": "a value arrives in another unit than the model was trained on",
        "data_drift": "the cards people send really changed: valid inputs, a different population",
    }
    MODEL = fit_type_classifier().model  # Module 4's type classifier, the one type-service 2.4.0 serves
    IMPACT_TOLERANCE = 0.05  # your impact estimate must be within 5 % of the true figure
    MAX_WINDOW_MINUTES = 240


    def read_bundle(alert: str) -> dict:
        """The evidence of one alert: alert, deploys and diff (lists of lines), requests and metrics (DataFrames), ..."""
        folder = INCIDENTS / alert
        bundle = {
            "alert": json.loads((folder / "alert.json").read_text()),
            "deploys": (folder / "deploys.log").read_text().splitlines(),
            "diff": (folder / "config.diff").read_text().splitlines(),
            "requests": pd.DataFrame([json.loads(line) for line in (folder / "requests.jsonl").read_text().splitlines()]),
            "metrics": pd.read_csv(folder / "metrics.csv"),
            "payloads": json.loads((folder / "payloads.json").read_text()),
            "business": json.loads((folder / "business.json").read_text()),
        }
        bundle["requests"].index += 1  # so a row's index is its line number in requests.jsonl
        if (folder / "config.json").exists():
            bundle["config"] = json.loads((folder / "config.json").read_text())
        return bundle


    def cited_line(alert: str, reference: str) -> str | None:
        """The text of "file:line" (1-based) in an alert's bundle, or None if there is no such line."""
        name, _, number = reference.partition(":")
        path = INCIDENTS / alert / name
        if name not in FILES or not number.isdigit() or not path.exists():
            return None
        lines = path.read_text().splitlines()
        return lines[int(number) - 1] if 1 <= int(number) <= len(lines) else None


    def featurize_as_deployed(payload: dict) -> dict[str, float]:
        """type-service 2.4.0, type_service/features.py: one card payload to the classifier's FEATURES."""
        row = {s: float(payload[s]) for s in STATS}
        row["base_stat_total"] = float(sum(row[s] for s in STATS))
        row["height_m"] = float(payload.get("height_m", payload.get("height_cm")))  # app 5 sends height_cm
        row["weight_kg"] = float(payload["weight_kg"])
        for t in TYPES:
            row[f"n_moves_{t}"] = float(payload.get(f"n_moves_{t}", 0))  # types it cannot learn are left out
        return row


    def predict_as_deployed(payloads: list[dict]) -> list[dict]:
        """type-service 2.4.0's predict path: one {"type_1", "confidence"} per payload, in order."""
        x = pd.DataFrame([featurize_as_deployed(p) for p in payloads], columns=FEATURES)
        proba = MODEL.predict_proba(x)
        best = proba.argmax(axis=1)
        return [{"type_1": str(MODEL.classes_[b]), "confidence": float(p[b])} for b, p in zip(best, proba, strict=True)]


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Checkpoint challenge 5 · Production incident simulation

    **Why this matters.** Models in production rarely fail with an exception. They fail as a
    number on a dashboard that moved, a page at night, a support ticket in capital letters.
    What separates a good on-call engineer from a frantic one is method: read the alert, find
    *when* it started, line the deploys and changes up against that minute, and prove the cause
    with the line or the metric that shows the mechanism, not just the symptom. Then fix it,
    make it impossible next time, and say what it cost.

    **You are on call for `type-service`**, which serves Module 4's Pokémon type classifier
    (`coursedata.type_classifier`: base stats, height, weight and move counts in, primary
    type out) to three clients: the web shop, the mobile app and the catalogue importer.
    This week three alerts reached you. Each has an evidence bundle in
    `modules/05_inference_service/incidents/<alert>/`:

    | file | what it holds |
    |---|---|
    | `alert.json` | what fired, when, and the rule |
    | `deploys.log` | every deploy, config change, release and maintenance of the day, one per line |
    | `config.diff` | the most recent change to the service's deployment, a client payload, or its code |
    | `requests.jsonl` | the service's JSON request log (a 1-in-150 sample of all requests): latency parts, client, versions, prediction, the features it computed |
    | `metrics.csv` | one row per minute: traffic per client, latency, CPU, confidence, feature means, prediction shares |
    | `payloads.json` | sample request bodies as each client sends them |
    | `business.json` | what one affected request costs, and which requests count as affected |

    `read_bundle(alert)` loads one (the request log's index is its line number). The code the
    service runs today is in the setup cell: `featurize_as_deployed` and `predict_as_deployed`.
    Name every cause with a key of `CAUSES`. Several bundles hold a change that happened close
    to the alert and has nothing to do with it: that is what real deploy logs look like.

    **Deliver**

    1. `diagnosis()`: a dict with one entry per alert (`"latency"`, `"low_confidence"`,
       `"all_fire"`), each `{"cause": <a key of CAUSES>, "evidence_lines": ["file:line", ...],
       "metric_windows": [{"metric": <a column of metrics.csv>, "start": "YYYY-MM-DDTHH:MM",
       "end": "YYYY-MM-DDTHH:MM"}], "impact_usd": <float>}`.
       - `evidence_lines` cite lines of that alert's bundle (`deploys.log:4`,
         `config.diff:12`, `requests.jsonl:233`, 1-based). At least one must show **the cause
         itself**: the change that introduced it, or a request whose logged fields show the
         mechanism. A line that shows only the symptom (a slow or doubtful answer) proves
         nothing, and citing a change that has nothing to do with the alert is wrong.
       - `metric_windows`: at least one window of a metric that shows the cause changing (not
         the alerting metric itself): the window contains the minute the change began (within
         3 minutes) and is at most 240 minutes long.
       - `impact_usd`: the cost from `business.json`, counting only the affected requests (the
         right clients, from the minute the cause began to the minute it ended, or to the end
         of the bundle if it is still going on). Within 5 % of the true figure.
    2. `config_fix()`: the deployment settings to change where a cause is in the
       configuration, as `{"dotted.key": new value}` against the latency bundle's
       `config.json` (e.g. `{"replicas": 3}`). It must bring the service back to the capacity
       it had before the incident. Changing an alert's threshold does not fix anything.
    3. `predict(payloads)`: the service's predict path, fixed where a cause is in its code:
       for any payload a client sends today (see `payloads.json` in every bundle), the same
       `{"type_1", "confidence"}` the classifier gives on the card's true features, in order;
       payloads that were served correctly must stay exactly as they are.
    4. `PREVENTION_LATENCY`, `PREVENTION_LOW_CONFIDENCE`, `PREVENTION_ALL_FIRE` (a mentor reads
       them): per alert, what would have caught it before users did, and what makes it
       impossible next time (a test, a check, a monitor, a process), concretely.

    Check your work with `uv run course check 5.challenge`.
    """)
    return


@app.cell
def _():
    alert_choice = mo.ui.dropdown(options=ALERTS, value="latency", label="Alert")
    alert_choice
    return (alert_choice,)


@app.cell
def _(alert_choice):
    shown = read_bundle(alert_choice.value)
    metric_choice = mo.ui.dropdown(
        options=[c for c in shown["metrics"].columns if c != "minute"], value="latency_p50_ms", label="Metric")
    mo.vstack([
        mo.md(f"**{shown['alert']['name']}** fired {shown['alert']['fired_at']}: {shown['alert']['summary']}"),
        mo.md("```text\n" + "\n".join(f"{i:>2}  {line}" for i, line in enumerate(shown["deploys"], 1)) + "\n```"),
        metric_choice,
    ])
    return metric_choice, shown


@app.cell
def _(metric_choice, shown):
    _series = shown["metrics"][["minute", metric_choice.value]].assign(minute=lambda f: pd.to_datetime(f["minute"]))
    alt.Chart(_series).mark_line().encode(
        x=alt.X("minute:T", title=None), y=alt.Y(f"{metric_choice.value}:Q")).properties(width=640, height=220)
    return


@app.function
def diagnosis() -> dict[str, dict]:
    """Per alert: cause, evidence_lines, metric_windows and impact_usd."""
    ### BEGIN SOLUTION
    def affected(alert: str, column: str, start: str, end: str | None = None) -> int:
        metrics = read_bundle(alert)["metrics"]
        window = metrics[(metrics["minute"] >= start) & ((metrics["minute"] < end) if end else True)]
        return int(window[column].sum())

    fire_requests = read_bundle("all_fire")["requests"]
    wrong_height = fire_requests[fire_requests["client_version"] == "5.0.0"].index[:3]
    confidence_requests = read_bundle("low_confidence")["requests"]
    nested = confidence_requests[confidence_requests["client_version"] == "3.0.0"].index[:3]
    return {
        "latency": {
            "cause": "resource_limits",
            "evidence_lines": ["deploys.log:4", "config.diff:13", "config.diff:14"],
            "metric_windows": [{"metric": "cpu_throttled_ratio", "start": "2026-11-10T12:45", "end": "2026-11-10T13:30"}],
            "impact_usd": affected("latency", "requests_over_1s", "2026-11-10T13:02") * 0.04,
        },
        "low_confidence": {
            "cause": "upstream_schema_change",
            "evidence_lines": ["deploys.log:2", "config.diff:14", *(f"requests.jsonl:{i}" for i in nested)],
            "metric_windows": [{"metric": "feature_mean_n_moves_total", "start": "2026-11-17T08:50", "end": "2026-11-17T09:40"}],
            "impact_usd": affected("low_confidence", "requests_catalog_api", "2026-11-17T09:12", "2026-11-17T11:40") * 0.11,
        },
        "all_fire": {
            "cause": "unit_change",
            "evidence_lines": ["deploys.log:2", "config.diff:7", *(f"requests.jsonl:{i}" for i in wrong_height)],
            "metric_windows": [{"metric": "feature_mean_height_m", "start": "2026-11-24T07:00", "end": "2026-11-24T09:00"}],
            "impact_usd": affected("all_fire", "requests_app_v5", "2026-11-24T07:30") * 0.35,
        },
    }
    ### END SOLUTION


@app.function
def config_fix() -> dict:
    """Deployment settings to change, as {"dotted.key": value} (latency bundle's config.json)."""
    ### BEGIN SOLUTION
    return {"resources.limits.cpu": "2", "resources.requests.cpu": "1"}
    ### END SOLUTION


@app.function
def predict(payloads: list[dict]) -> list[dict]:
    """type-service's predict path, fixed: one {"type_1", "confidence"} per payload, in order."""
    ### BEGIN SOLUTION
    def featurize(payload: dict) -> dict[str, float]:
        row = {s: float(payload[s]) for s in STATS}
        row["base_stat_total"] = float(sum(row[s] for s in STATS))
        # app 5 sends height in centimetres under its own name: convert, never alias.
        row["height_m"] = float(payload["height_m"]) if "height_m" in payload else float(payload["height_cm"]) / 100
        row["weight_kg"] = float(payload["weight_kg"])
        # catalog-api 3 groups the move counts under "moves"; older clients send n_moves_<type>.
        moves = payload["moves"] if "moves" in payload else {t: payload.get(f"n_moves_{t}", 0) for t in TYPES}
        for t in TYPES:
            row[f"n_moves_{t}"] = float(moves.get(t, 0))
        return row

    x = pd.DataFrame([featurize(p) for p in payloads], columns=FEATURES)
    proba = MODEL.predict_proba(x)
    best = proba.argmax(axis=1)
    return [{"type_1": str(MODEL.classes_[b]), "confidence": float(p[b])} for b, p in zip(best, proba, strict=True)]
    ### END SOLUTION


@app.cell
def _():
    _rows = []
    for _alert in ALERTS:
        _bodies = [p["body"] for p in read_bundle(_alert)["payloads"]]
        for _p, _before, _after in zip(read_bundle(_alert)["payloads"], predict_as_deployed(_bodies), predict(_bodies), strict=True):
            _rows.append({"alert": _alert, "client": f"{_p['client']} {_p['client_version']}",
                          "deployed": f"{_before['type_1']} ({_before['confidence']:.2f})",
                          "yours": f"{_after['type_1']} ({_after['confidence']:.2f})"})
    mo.vstack([mo.md("**The sample payloads, through the deployed path and through yours:**"), mo.ui.table(pd.DataFrame(_rows), selection=None)])
    return


@app.cell
def _():
    _found = diagnosis()
    mo.md("**Your diagnosis:** " + "; ".join(
        f"{a}: `{_found[a]['cause']}`, {_found[a]['impact_usd']:,.0f} USD" for a in ALERTS if a in _found))
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Prevention (a mentor reads these)

    One answer per alert, at least 25 words each: what would have caught it before a user or
    a pager did (a test in CI, a contract check, a canary, a monitor on an input), and what
    change to the process makes it impossible next time. Be concrete: name the check and
    where it runs.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    PREVENTION_LATENCY = """Resource changes to a serving deployment go through the same canary as code: one pod with
    the new limits takes 5 % of traffic while p95 latency and cpu throttling are compared with the others, and the
    rollout stops on its own if they diverge. A load test at the expected peak runs against the proposed limits
    in CI, and an alert on cpu_throttled_ratio above 0.2 pages before latency does."""
    PREVENTION_LOW_CONFIDENCE = """The service must reject a payload it cannot read instead of filling missing fields
    with zeros: a pydantic model with the move counts required answers 422, so catalog-api 3.0 would have failed in
    its own staging run. A contract test with each client's example payloads runs in both repositories' CI, and a
    monitor on the input features (mean move count per client) catches any silent default within minutes."""
    PREVENTION_ALL_FIRE = """Never alias fields with different units: the service converts height_cm explicitly, and a
    range check (height between 0.1 and 20 m) rejects impossible values with a 422. App releases are staged (1 %,
    10 %, 100 %) with a per-client-version monitor of feature means and prediction shares, so one client version
    predicting fire three times as often as the others stops the rollout before a user writes in."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="A diagnosis for every alert, in the vocabulary",
           hint="Return one entry per alert with a cause from CAUSES and at least one cited line and window.")
def test_diagnosis_shape():
    found = diagnosis()
    assert set(found) == set(ALERTS), f"one entry per alert: {ALERTS}"
    for alert, entry in found.items():
        assert entry["cause"] in CAUSES, f"{alert}: {entry['cause']!r} is not a key of CAUSES"
        assert entry["evidence_lines"] and entry["metric_windows"], f"{alert}: cite lines and metric windows"
        assert float(entry["impact_usd"]) > 0, f"{alert}: estimate the impact in USD"


@app.function
@criterion(points=5, title="Every cited line and metric exists in its bundle",
           hint="Cite lines as \"file:line\" with 1-based line numbers, and metrics by their metrics.csv column.")
def test_citations_exist():
    for alert, entry in diagnosis().items():
        for reference in entry["evidence_lines"]:
            assert cited_line(alert, reference) is not None, f"{alert}: no line {reference!r} in its bundle"
        columns = set(read_bundle(alert)["metrics"].columns)
        for window in entry["metric_windows"]:
            assert window["metric"] in columns, f"{alert}: no metric {window['metric']!r} in metrics.csv"
            assert window["start"] <= window["end"], f"{alert}: a window ends before it starts"


@app.function
@criterion(points=5, title="Payloads that were served right still are",
           hint="Change only what was wrong: the web shop's payloads must get exactly the predictions they got.")
def test_web_payloads_unchanged():
    bodies = [p["body"] for p in read_bundle("latency")["payloads"] if p["client"] == "web"]
    got, deployed = predict(bodies), predict_as_deployed(bodies)
    assert [g["type_1"] for g in got] == [d["type_1"] for d in deployed]
    assert np.allclose([g["confidence"] for g in got], [d["confidence"] for d in deployed], rtol=0, atol=1e-9)


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_diagnosis_shape,
        test_citations_exist,
        test_web_payloads_unchanged,
        item="5.challenge",
    )
    return


if __name__ == "__main__":
    app.run()
