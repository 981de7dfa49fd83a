"""Hidden checks of challenge 5: per alert, the planted cause (truth.json, written by generate.py beside this
file, never in the notebook), evidence that shows the cause itself and no unrelated change, a metric window
over the minute the cause began, the business impact within 5 %; the configuration fix restores capacity
without touching an alert; the fixed predict path gives the true-feature predictions for every client's
payload format, and leaves the payloads that were served right exactly as they were.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from coursedata.paths import REPO_DIR

from grading.criteria import criterion
from grading.testing import Miss, unwrap

TRUTH = json.loads((Path(__file__).resolve().parent / "truth.json").read_text())
INCIDENTS = REPO_DIR / "modules" / "05_inference_service" / "incidents"
ALERTS = ["latency", "low_confidence", "all_fire"]
FILES = ["alert.json", "deploys.log", "config.diff", "requests.jsonl", "metrics.csv", "payloads.json", "business.json"]
VOCABULARY = {"resource_limits", "traffic_spike", "slow_dependency", "model_regression", "corrupted_artifact",
              "upstream_schema_change", "unit_change", "data_drift"}
TOLERANCE, SLACK_MINUTES, MAX_WINDOW_MINUTES = 0.05, 3, 240
CAPACITY_BEFORE = 2 * 2.0  # replicas x CPU limit before platform-config #482

LOGS = "05_inference_service.py#4. Logs and metrics"
DRIFT = "05_inference_service.py#5. Drift over daily windows"
LATENCY = "05_inference_service.py#3. Where inference time goes"
ROLLOUTS = "05_inference_service.py#Rollouts and rollbacks"
PITFALLS = "05_inference_service.py#Common pitfalls"


@pytest.fixture(scope="module")
def claimed(submission):
    """{alert: entry} from the learner's diagnosis, or the Miss explaining its shape."""
    shape = ('diagnosis() must return {"latency": {...}, "low_confidence": {...}, "all_fire": {...}}, each with '
             '"cause", "evidence_lines", "metric_windows" and "impact_usd"')
    try:
        found = submission.diagnosis()
        if not isinstance(found, dict):
            raise Miss(f"{shape}; it returned {str(found)[:60]!r}.")
        return found
    except Miss as miss:
        return miss


def entry(claimed, alert: str) -> dict:
    found = unwrap(claimed)
    got = found.get(alert)
    if not isinstance(got, dict):
        raise Miss(f'Your diagnosis has no entry for "{alert}".')
    return got


def line_text(alert: str, reference: object) -> str | None:
    if not isinstance(reference, str):
        return None
    name, _, number = reference.partition(":")
    path = INCIDENTS / alert / name
    if name not in FILES or not number.isdigit() or not path.exists():
        return None
    lines = path.read_text().splitlines()
    return lines[int(number) - 1] if 1 <= int(number) <= len(lines) else None


def check_cause(claimed, alert: str) -> None:
    cause = entry(claimed, alert).get("cause")
    if cause not in VOCABULARY:
        raise Miss(f"{alert}: {str(cause)[:40]!r} is not a key of CAUSES.")
    if cause != TRUTH[alert]["cause"]:
        raise Miss(f"{alert}: the evidence does not support {cause!r} as the root cause.")


def minute(text: object) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(str(text))
    except (ValueError, TypeError):
        return None


def check_evidence(claimed, alert: str) -> None:
    got, truth = entry(claimed, alert), TRUTH[alert]
    lines = got.get("evidence_lines")
    if not isinstance(lines, list | tuple) or not lines:
        raise Miss(f'{alert}: "evidence_lines" must be a list of "file:line" references.')
    missing = [str(r)[:40] for r in lines if line_text(alert, r) is None]
    if missing:
        raise Miss(f"{alert}: no such line in the bundle: {', '.join(missing[:3])} (use \"file:line\", 1-based).")
    decoys = [r for r in lines if r in truth["decoy_lines"]]
    if decoys:
        raise Miss(f"{alert}: you cite {', '.join(decoys)}: {line_text(alert, decoys[0])[:90]!r}, a change that has "
                   "nothing to do with this alert (compare the metrics before and after it).")
    if not set(lines) & set(truth["proof_lines"]):
        raise Miss(f"{alert}: none of the lines you cite shows the cause itself (the change that introduced it, or a "
                   "request whose logged fields show the mechanism); lines showing the symptom prove nothing.")
    windows = got.get("metric_windows")
    if not isinstance(windows, list | tuple) or not windows:
        raise Miss(f'{alert}: "metric_windows" must list at least one {{"metric", "start", "end"}} window.')
    onset = pd.Timestamp(truth["onset"])
    good = []
    for window in windows:
        if not isinstance(window, dict):
            continue
        start, end = minute(window.get("start")), minute(window.get("end"))
        if window.get("metric") not in truth["proof_metrics"] or start is None or end is None:
            continue
        slack = pd.Timedelta(minutes=SLACK_MINUTES)
        if start - slack <= onset <= end + slack and end - start <= pd.Timedelta(minutes=MAX_WINDOW_MINUTES):
            good.append(window)
    if not good:
        named = sorted({str(w.get("metric"))[:40] for w in windows if isinstance(w, dict)})
        raise Miss(f"{alert}: no metric window shows the cause changing: the metric must move because of the cause "
                   f"(not be the alerting symptom), and the window must contain the minute it began and last at most "
                   f"{MAX_WINDOW_MINUTES} minutes (you gave {', '.join(named) or 'none'}).")


def check_impact(claimed, alert: str) -> None:
    value = entry(claimed, alert).get("impact_usd")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Miss(f'{alert}: "impact_usd" must be a number of US dollars.')
    true = TRUTH[alert]["impact_usd"]
    if abs(value - true) > TOLERANCE * true:
        raise Miss(f"{alert}: your impact estimate {value:,.0f} USD is more than {TOLERANCE:.0%} away from the figure the "
                   "evidence gives: count only the affected requests (which clients, which minutes) and price them "
                   "with business.json.")


@criterion(id="latency_cause", points=8, title="Latency: the root cause, not the symptom",
           hint="Latency jumped at 13:02, not when the new model was deployed at 11:30 (nothing moved then). The "
                "model's own inference time barely changed while queueing time exploded and the CPU was throttled: "
                "the service waits for a CPU. Look for the change made at that minute.", lesson=LATENCY)
def test_latency_cause(claimed):
    check_cause(claimed, "latency")


@criterion(id="latency_evidence", points=8, title="Latency: evidence that shows the cause",
           hint="Cite the change itself (the deploy log line and the config.diff lines of the CPU limit) and a "
                "metric that moves because of it (CPU throttling, CPU used), not slow requests or the latency curve, "
                "which only restate the alert.", lesson=LOGS)
def test_latency_evidence(claimed):
    check_evidence(claimed, "latency")


@criterion(id="latency_impact", points=6, title="Latency: business impact within 5 %",
           hint="Only requests answered in more than 1 s (requests_over_1s) lost their page view, from the minute the "
                "change went live to the end of the bundle; price them with business.json.", lesson=LOGS)
def test_latency_impact(claimed):
    check_impact(claimed, "latency")


@criterion(id="confidence_cause", points=8, title="Low confidence: the root cause",
           hint="Confidence fell at 09:12 for one client only: split the request log by client and version, and "
                "compare the features the service computed (n_moves_total) with that client's payloads before and "
                "after. Valid cards did not change; the shape of the payload did.", lesson=DRIFT)
def test_confidence_cause(claimed):
    check_cause(claimed, "low_confidence")


@criterion(id="confidence_evidence", points=8, title="Low confidence: evidence that shows the cause",
           hint="Cite the change (the client's deploy line, the payload diff) or requests whose logged features show "
                "the zeroed move counts, and the feature metric that dropped at that minute; a low-confidence "
                "request and the confidence curve show only the alert. The service deploy at 08:40 changed nothing.",
           lesson=LOGS)
def test_confidence_evidence(claimed):
    check_evidence(claimed, "low_confidence")


@criterion(id="confidence_impact", points=6, title="Low confidence: business impact within 5 %",
           hint="Only the catalogue importer's requests had wrong inputs, and only from its 3.0.0 deploy until its "
                "rollback at 11:40: count requests_catalog_api in that window.", lesson=LOGS)
def test_confidence_impact(claimed):
    check_impact(claimed, "low_confidence")


@criterion(id="fire_cause", points=8, title="All Fire: the root cause",
           hint="A new card set with fire cards would raise the share of fire predictions for every client. Split "
                "by client version: only app 5.0.0 requests are predicted fire, and their logged height_m is about "
                "a hundred times the others'. Compare its payloads with the code that reads them.", lesson=DRIFT)
def test_fire_cause(claimed):
    check_cause(claimed, "all_fire")


@criterion(id="fire_evidence", points=8, title="All Fire: evidence that shows the cause",
           hint="Cite the release line of app 5.0.0, the code line that reads height_cm as height_m, or app 5 "
                "requests with heights of hundreds of metres, and the height feature's mean over the minute it "
                "jumped; the Scorching Embers set is a coincidence.", lesson=LOGS)
def test_fire_evidence(claimed):
    check_evidence(claimed, "all_fire")


@criterion(id="fire_impact", points=6, title="All Fire: business impact within 5 %",
           hint="Only app 5.0.0's requests had wrong inputs: count requests_app_v5 from its release to the end of "
                "the bundle, not all traffic.", lesson=LOGS)
def test_fire_impact(claimed):
    check_impact(claimed, "all_fire")


def cores(value: object) -> float | None:
    text = str(value).strip()
    try:
        return float(text[:-1]) / 1000 if text.endswith("m") else float(text)
    except ValueError:
        return None


@criterion(id="config_restores_capacity", points=8, title="The configuration fix restores capacity",
           hint="Give the service back the CPU it had (replicas x CPU limit at least 4 cores, as before #482): raise "
                "the CPU limit or the replicas. More workers on the same quarter of a CPU only queue more; raising "
                "an alert's threshold silences the page and leaves users waiting.", lesson=ROLLOUTS)
def test_config_restores_capacity(submission):
    fix = submission.config_fix()
    if not isinstance(fix, dict) or not all(isinstance(k, str) for k in fix):
        raise Miss('config_fix() must return {"dotted.key": value}, e.g. {"replicas": 3}.')
    silenced = sorted(k for k in fix if k.startswith("alerts"))
    if silenced:
        raise Miss(f"You change {', '.join(silenced)}: that silences the alert, it does not fix the service.")
    config = json.loads((INCIDENTS / "latency" / "config.json").read_text())
    for key, value in fix.items():
        node, *path = key.split(".")
        target = config
        for part in [node, *path][:-1]:
            if not isinstance(target.get(part), dict):
                raise Miss(f"{key!r} is not a setting of config.json.")
            target = target[part]
        if [node, *path][-1] not in target:
            raise Miss(f"{key!r} is not a setting of config.json.")
        target[[node, *path][-1]] = value
    limit, replicas = cores(config["resources"]["limits"]["cpu"]), config["replicas"]
    if limit is None or isinstance(replicas, bool) or not isinstance(replicas, int):
        raise Miss("After your fix, resources.limits.cpu must be a CPU quantity (\"2\", \"1500m\") and replicas an integer.")
    if replicas * limit < 0.9 * CAPACITY_BEFORE:
        raise Miss(f"After your fix the service has {replicas} x {limit:g} = {replicas * limit:g} CPU cores; it had "
                   f"{CAPACITY_BEFORE:g} before the incident and needs about 1.8 at this traffic.")


# -- the predict path ----------------------------------------------------------------

@pytest.fixture(scope="module")
def cards():
    """Held-out species (Module 4's test split), with the classifier's predictions on their true features."""
    from coursedata.type_classifier import FEATURES, fit_type_classifier

    model, _, test = fit_type_classifier()
    rows = test.sample(n=60, random_state=55).reset_index(drop=True)
    proba = model.predict_proba(rows[FEATURES])
    truth = [{"type_1": str(model.classes_[i]), "confidence": float(p[i])} for i, p in zip(proba.argmax(axis=1), proba, strict=True)]
    return rows, truth


def payloads(rows: pd.DataFrame, fmt: str) -> list[dict]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("challenge5_generate", Path(__file__).resolve().parent / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return [generate.payload(row, fmt, f"h{i:04d}") for i, row in rows.iterrows()]


def check_predictions(submission, cards, fmt: str, what: str) -> None:
    rows, truth = cards
    got = submission.predict(payloads(rows, fmt), timeout=60)
    if not isinstance(got, list) or len(got) != len(truth) or not all(isinstance(g, dict) for g in got):
        raise Miss(f"predict() must return one {{\"type_1\", \"confidence\"}} per payload ({len(truth)}) for {what}.")
    types = [g.get("type_1") for g in got]
    wrong = sum(t != e["type_1"] for t, e in zip(types, truth, strict=True))
    try:
        confidences = np.array([float(g.get("confidence")) for g in got])
    except (TypeError, ValueError):
        raise Miss(f'predict(): every "confidence" must be a number ({what}).') from None
    off = int(np.sum(~np.isclose(confidences, [e["confidence"] for e in truth], rtol=0, atol=1e-9)))
    if wrong or off:
        raise Miss(f"For {len(truth)} {what}, {wrong} predicted types and {off} confidences differ from the classifier's "
                   "answers on the cards' true features.")


@criterion(id="legacy_payloads_unchanged", points=6, title="Payloads that were served right are served the same",
           hint="Web, app 4 and catalog-api 2 payloads (flat n_moves_<type>, height_m) were never wrong: fix only the "
                "formats that were, and never change the confidence the model gives.", lesson=PITFALLS)
def test_legacy_payloads_unchanged(submission, cards):
    check_predictions(submission, cards, "v1", "flat payloads (web, app 4, catalog-api 2)")


@criterion(id="nested_moves_fixed", points=10, title="catalog-api 3 payloads (moves grouped) are read right",
           hint="Read the move counts where catalog-api 3.0 puts them (payload[\"moves\"]); a missing field must never "
                "become a silent zero. Inflating the confidence hides the alert and keeps the wrong answers.",
           lesson=PITFALLS)
def test_nested_moves_fixed(submission, cards):
    check_predictions(submission, cards, "v2", "catalog-api 3 payloads")


@criterion(id="height_cm_fixed", points=10, title="App 5 payloads (height in cm) are read right",
           hint="Convert height_cm to metres (divide by 100) instead of aliasing it to height_m; clipping the value "
                "to a plausible range hides the bug and still gives wrong answers.", lesson=PITFALLS)
def test_height_cm_fixed(submission, cards):
    check_predictions(submission, cards, "v5", "app 5 payloads")
