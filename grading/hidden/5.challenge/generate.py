"""Challenge 5's evidence bundles and their hidden truth, generated from the course data with fixed seeds.

    uv run python grading/hidden/5.challenge/generate.py [OUT]

writes one folder per alert under OUT (default modules/05_inference_service/incidents/) and the
truth beside this file (truth.json: planted cause, onset, the lines and metrics that prove it,
the decoys, the business impact). Every request of every minute is simulated: a species drawn
from `coursedata.load_species()`, the payload its client sends, the features the deployed
service (type-service 2.4.0, `featurize_as_deployed` in the notebook) computes from it, and the
Module 4 classifier's real prediction on those features. Metrics aggregate all requests; the
request log keeps a 1-in-LOG_EVERY sample of all requests, errors included, as a sampled log does.
tests/test_module5.py regenerates the bundles and compares them byte for byte.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "modules" / "05_inference_service" / "incidents"
TRUTH = Path(__file__).resolve().parent / "truth.json"
SEED = 515
LOG_EVERY = 150
MINUTES = 360
SLOW_MS = 1000


def classifier():
    from coursedata.type_classifier import FEATURES, TYPES, fit_type_classifier

    return fit_type_classifier().model, FEATURES, TYPES


# -- what each client sends --------------------------------------------------------

def payload(row: pd.Series, fmt: str, card_id: str) -> dict:
    """v1: flat n_moves_<type> (types with 0 moves left out); v2: moves grouped; v5: flat, height in cm."""
    from coursedata.species import STATS
    from coursedata.type_classifier import TYPES

    body: dict = {"card_id": card_id, **{s: int(row[s]) for s in STATS}}
    moves = {t: int(row[f"n_moves_{t}"]) for t in TYPES if int(row[f"n_moves_{t}"]) > 0}
    if fmt == "v5":
        body["height_cm"] = round(float(row["height_m"]) * 100)
    else:
        body["height_m"] = float(row["height_m"])
    body["weight_kg"] = float(row["weight_kg"])
    if fmt == "v2":
        body["moves"] = moves
    else:
        body.update({f"n_moves_{t}": n for t, n in moves.items()})
    return body


# -- the three incidents -----------------------------------------------------------

CLIENTS = {"web": ("web", "4.12.0", "v1"), "app_v4": ("app", "4.9.1", "v1"), "catalog_api": ("catalog-api", "2.9.3", "v1")}

SCENARIOS = {
    "latency": {
        "start": "2026-11-10T10:00", "onset": "2026-11-10T13:02", "end": None,
        "cause": "resource_limits", "rates": {"web": 95, "app_v4": 80, "catalog_api": 125},
        "alert": {"name": "TypeServiceLatencyHigh", "fired_at": "2026-11-10T13:09:00Z", "expr": "latency_p95_ms > 500 for 5m",
                  "summary": "API latency of type-service went from about 50 ms to about 2000 ms",
                  "paged": "on-call ML engineer"},
        "business": {"value_lost_per_slow_request_usd": 0.04,
                     "definition": "A request answered in more than 1000 ms, or not at all (504), loses its page view: "
                                   "the shop measured 0.04 USD of lost margin per such request (metrics.csv: requests_over_1s)."},
        "deploys": [
            ("2026-11-10T09:40:12Z", "deploy", "service=pricing-api version=7.3.0 by=pricing-team note=\"new currency table\""),
            ("2026-11-10T11:30:04Z", "deploy", "model=type-clf version=1.0.1 service=type-service by=ml-pipeline note=\"weekly retrain on 2026-11-09 data; test accuracy 0.871 -> 0.874, same features\""),
            ("2026-11-10T12:15:30Z", "change", "dashboard=type-service-overview by=ana note=\"added confidence panel\""),
            ("2026-11-10T13:02:11Z", "change", "platform-config #482 service=type-service by=platform-bot note=\"right-size pods (Q4 cost review): resources cpu 1/2 -> 250m/250m\" rollout=complete"),
            ("2026-11-10T13:09:00Z", "alert", "TypeServiceLatencyHigh firing (latency_p95_ms > 500 for 5m)"),
            ("2026-11-10T13:20:41Z", "deploy", "service=search-api version=12.0.4 by=search-team note=\"typo fix\""),
        ],
        "cause_deploys": [3], "decoy_deploys": [1],
        "diff": ["--- a/services/type-service/deploy.yaml  (before platform-config #482)",
                 "+++ b/services/type-service/deploy.yaml  (after, live since 2026-11-10T13:02Z)",
                 "@@ -1,16 +1,16 @@",
                 " service: type-service",
                 " replicas: 2",
                 " workers_per_replica: 2",
                 " resources:",
                 "   requests:",
                 "-    cpu: \"1\"",
                 "+    cpu: 250m",
                 "     memory: 512Mi",
                 "   limits:",
                 "-    cpu: \"2\"",
                 "+    cpu: 250m",
                 "     memory: 1Gi",
                 " alerts:",
                 "   latency_p95_ms: 500",
                 "   confidence_p50_min: 0.6",
                 " model: type-clf@1.0.1"],
        "cause_diff": [9, 10, 13, 14],
        "config": {"service": "type-service", "replicas": 2, "workers_per_replica": 2,
                   "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"cpu": "250m", "memory": "1Gi"}},
                   "alerts": {"latency_p95_ms": 500, "confidence_p50_min": 0.6}, "model": "type-clf@1.0.1"},
        "proof_metrics": ["cpu_throttled_ratio", "cpu_usage_cores"],
    },
    "low_confidence": {
        "start": "2026-11-17T07:00", "onset": "2026-11-17T09:12", "end": "2026-11-17T11:40",
        "cause": "upstream_schema_change", "rates": {"web": 60, "app_v4": 45, "catalog_api": 195},
        "alert": {"name": "TypeServiceConfidenceLow", "fired_at": "2026-11-17T09:20:00Z", "expr": "confidence_p50 < 0.6 for 5m",
                  "summary": "Prediction confidence all below 0.6 (it is usually above 0.8)", "paged": "on-call ML engineer"},
        "business": {"manual_review_cost_per_affected_request_usd": 0.11,
                     "definition": "A card whose prediction came from wrong inputs is imported with a wrong or doubtful "
                                   "type and costs 0.11 USD of manual review; count the requests whose inputs were wrong."},
        "deploys": [
            ("2026-11-17T08:40:55Z", "deploy", "service=type-service version=2.4.0 by=ml-platform note=\"PR #311: accept app 5 payloads (height_cm)\""),
            ("2026-11-17T09:12:40Z", "deploy", "service=catalog-api version=3.0.0 by=catalog-team note=\"card payloads v2: move counts grouped under moves{}\""),
            ("2026-11-17T09:20:00Z", "alert", "TypeServiceConfidenceLow firing (confidence_p50 < 0.6 for 5m)"),
            ("2026-11-17T10:00:00Z", "maintenance", "feature-store reindex 10:00-10:20 (read-only, no client impact expected)"),
            ("2026-11-17T11:40:02Z", "rollback", "service=catalog-api version=2.9.3 by=catalog-team note=\"rolled back while type-service investigates\""),
            ("2026-11-17T12:05:19Z", "deploy", "service=pricing-api version=7.3.1 by=pricing-team note=\"rounding fix\""),
        ],
        "cause_deploys": [1], "decoy_deploys": [0, 3],
        "diff": ["--- catalog-api 2.9.3: body of POST type-service /predict",
                 "+++ catalog-api 3.0.0: body of POST type-service /predict (payload v2)",
                 "@@ -1,12 +1,9 @@",
                 " {",
                 "   \"card_id\": \"sv4-017\",",
                 "   \"hp\": 60, \"attack\": 62, \"defense\": 63,",
                 "   \"special_attack\": 80, \"special_defense\": 80, \"speed\": 60,",
                 "   \"height_m\": 1.0,",
                 "   \"weight_kg\": 13.0,",
                 "-  \"n_moves_grass\": 22,",
                 "-  \"n_moves_normal\": 43,",
                 "-  \"n_moves_poison\": 5,",
                 "-  \"n_moves_psychic\": 4",
                 "+  \"moves\": {\"grass\": 22, \"normal\": 43, \"poison\": 5, \"psychic\": 4}",
                 " }"],
        "cause_diff": [10, 11, 12, 13, 14],
        "proof_metrics": ["feature_mean_n_moves_total"],
    },
    "all_fire": {
        "start": "2026-11-24T06:00", "onset": "2026-11-24T07:30", "end": None,
        "cause": "unit_change", "rates": {"web": 95, "app_v4": 80, "catalog_api": 125},
        "alert": {"name": "support ticket #88412", "fired_at": "2026-11-24T10:47:00Z", "expr": None,
                  "summary": "A user reports: \"all my cards are classified as Fire type\" (app 5.0.0, Android)",
                  "paged": "support escalated to the ML team"},
        "business": {"value_lost_per_affected_request_usd": 0.35,
                     "definition": "A scan answered with a type from wrong inputs loses 0.35 USD (refunds, support time, "
                                   "churned collectors); count the requests whose inputs were wrong."},
        "deploys": [
            ("2026-11-24T06:55:10Z", "release", "catalog: set \"Scorching Embers\" live (42 new cards, 31 of them fire type)"),
            ("2026-11-24T07:30:00Z", "release", "client=app version=5.0.0 rollout=100% by=mobile-team note=\"new card scanner; profile sends height_cm\""),
            ("2026-11-24T08:45:33Z", "change", "service=type-service replicas 2 -> 3 by=autoscaler"),
            ("2026-11-24T10:47:00Z", "ticket", "#88412 \"all my cards are classified as Fire type\" app=5.0.0"),
            ("2026-11-24T11:02:12Z", "deploy", "service=search-api version=12.1.0 by=search-team note=\"new ranking\""),
        ],
        "cause_deploys": [1], "decoy_deploys": [0],
        "diff": ["--- a/type_service/features.py  (type-service 2.3.2)",
                 "+++ b/type_service/features.py  (type-service 2.4.0, PR #311 \"accept app 5 payloads\", live since 2026-11-17)",
                 "@@ -14,9 +14,9 @@ def featurize(payload: dict) -> dict[str, float]:",
                 "     row = {s: float(payload[s]) for s in STATS}",
                 "     row[\"base_stat_total\"] = float(sum(row[s] for s in STATS))",
                 "-    row[\"height_m\"] = float(payload[\"height_m\"])",
                 "+    row[\"height_m\"] = float(payload.get(\"height_m\", payload.get(\"height_cm\")))  # app 5 sends height_cm",
                 "     row[\"weight_kg\"] = float(payload[\"weight_kg\"])",
                 "     for t in TYPES:",
                 "         row[f\"n_moves_{t}\"] = float(payload.get(f\"n_moves_{t}\", 0))  # types it cannot learn are left out",
                 "     return row"],
        "cause_diff": [6, 7],
        "proof_metrics": ["feature_mean_height_m"],
    },
}


def minute_index(scenario: dict, stamp: str | None) -> int:
    if stamp is None:
        return MINUTES
    return int((pd.Timestamp(stamp) - pd.Timestamp(scenario["start"])) / pd.Timedelta(minutes=1))


def simulate(name: str, scenario: dict, species: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per request: minute, client, version, format, species row, latency parts, features, prediction."""
    onset, end = minute_index(scenario, scenario["onset"]), minute_index(scenario, scenario["end"])
    shape = 1 + 0.15 * np.sin(np.linspace(0, np.pi, MINUTES))
    rows = []
    for minute in range(MINUTES):
        for client, rate in scenario["rates"].items():
            n = int(rng.poisson(rate * shape[minute]))
            label, version, fmt = CLIENTS[client]
            if name == "low_confidence" and client == "catalog_api" and onset <= minute < end:
                version, fmt = "3.0.0", "v2"
            if name == "all_fire" and client == "app_v4" and minute >= onset:
                adoption = min(0.6, 0.15 + 0.45 * (minute - onset) / 240)
                upgraded = rng.random(n) < adoption
                rows += [(minute, "app", "5.0.0", "v5")] * int(upgraded.sum())
                n -= int(upgraded.sum())
            rows += [(minute, label, version, fmt)] * n
    frame = pd.DataFrame(rows, columns=["minute", "client", "client_version", "format"])
    frame["species_row"] = rng.integers(0, len(species), len(frame))
    frame["second"] = rng.uniform(0, 60, len(frame))
    frame = frame.sort_values(["minute", "second"], kind="stable").reset_index(drop=True)
    n = len(frame)
    inference = rng.lognormal(np.log(4.0), 0.3, n)
    queue = rng.exponential(2.0, n)
    overhead = rng.normal(42, 4, n).clip(25)
    cpu = 0.9 * shape[frame["minute"]] + rng.normal(0, 0.05, n)
    throttled = rng.uniform(0, 0.02, n)
    if name == "latency":
        after = frame["minute"].to_numpy() >= onset
        inference = np.where(after, inference * 6, inference)
        queue = np.where(after, rng.lognormal(np.log(1900), 0.8, n), queue)
        cpu = np.where(after, rng.uniform(0.24, 0.25, n), cpu)
        throttled = np.where(after, rng.uniform(0.62, 0.8, n), throttled)
    latency = overhead + queue + inference
    frame["status"] = np.where(latency > 5000, 504, 200)
    frame["latency_ms"] = np.minimum(latency, 5000.0)
    frame["queue_ms"], frame["inference_ms"] = queue, inference
    frame["cpu_cores"], frame["cpu_throttled"] = cpu, throttled
    return frame


def features_and_predictions(frame: pd.DataFrame, species: pd.DataFrame) -> pd.DataFrame:
    model, features, types = classifier()
    x = species.iloc[frame["species_row"].to_numpy()][features].reset_index(drop=True).astype(float)
    moves = [f"n_moves_{t}" for t in types]
    x.loc[(frame["format"] == "v2").to_numpy(), moves] = 0.0  # 2.4.0 reads n_moves_<type>, absent in v2: zero
    v5 = (frame["format"] == "v5").to_numpy()
    x.loc[v5, "height_m"] = np.round(x.loc[v5, "height_m"] * 100)  # 2.4.0 takes height_cm as height_m
    proba = model.predict_proba(x[features])
    frame = frame.copy()
    frame["predicted"] = np.asarray(model.classes_)[proba.argmax(axis=1)]
    frame["confidence"] = proba.max(axis=1)
    frame["f_height_m"], frame["f_weight_kg"] = x["height_m"].to_numpy(), x["weight_kg"].to_numpy()
    frame["f_n_moves_total"] = x[moves].sum(axis=1).to_numpy()
    frame["f_base_stat_total"] = x["base_stat_total"].to_numpy()
    frame.loc[frame["status"] != 200, ["predicted", "confidence"]] = [None, np.nan]
    return frame


def metrics(frame: pd.DataFrame, scenario: dict, types: list[str]) -> pd.DataFrame:
    start = pd.Timestamp(scenario["start"])
    g = frame.groupby("minute")
    ok = frame[frame["status"] == 200].groupby("minute")
    clients = frame["client"] + np.where(frame["client_version"] == "5.0.0", "_v5", np.where(frame["client"] == "app", "_v4", ""))
    by_client = frame.assign(c=clients.str.replace("-", "_")).groupby(["minute", "c"]).size().unstack(fill_value=0)
    out = pd.DataFrame({"minute": [(start + pd.Timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%M") for m in range(MINUTES)]})
    out["requests"] = g.size().reindex(range(MINUTES), fill_value=0).to_numpy()
    for c in sorted(by_client.columns):
        out[f"requests_{c}"] = by_client[c].reindex(range(MINUTES), fill_value=0).to_numpy()
    out["latency_p50_ms"] = g["latency_ms"].median().round(1).to_numpy()
    out["latency_p95_ms"] = g["latency_ms"].quantile(0.95).round(1).to_numpy()
    out["requests_over_1s"] = g["latency_ms"].apply(lambda s: int((s > SLOW_MS).sum())).to_numpy()
    out["error_rate"] = g["status"].apply(lambda s: float((s != 200).mean())).round(4).to_numpy()
    out["queue_ms_p50"] = g["queue_ms"].median().round(1).to_numpy()
    out["inference_ms_p50"] = g["inference_ms"].median().round(2).to_numpy()
    out["cpu_usage_cores"] = g["cpu_cores"].mean().round(3).to_numpy()
    out["cpu_throttled_ratio"] = g["cpu_throttled"].mean().round(3).to_numpy()
    out["confidence_p50"] = ok["confidence"].median().round(3).to_numpy()
    out["confidence_p10"] = ok["confidence"].quantile(0.10).round(3).to_numpy()
    out["feature_mean_height_m"] = ok["f_height_m"].mean().round(2).to_numpy()
    out["feature_mean_weight_kg"] = ok["f_weight_kg"].mean().round(1).to_numpy()
    out["feature_mean_n_moves_total"] = ok["f_n_moves_total"].mean().round(1).to_numpy()
    shares = frame[frame["status"] == 200].groupby(["minute", "predicted"]).size().unstack(fill_value=0)
    shares = shares.reindex(columns=types, fill_value=0)
    shares = shares.div(shares.sum(axis=1), axis=0).round(3)
    for t in types:
        out[f"prediction_share_{t}"] = shares[t].to_numpy()
    return out


def log_lines(frame: pd.DataFrame, scenario: dict, rng: np.random.Generator) -> tuple[list[str], pd.DataFrame]:
    start = pd.Timestamp(scenario["start"])
    keep = rng.random(len(frame)) < 1 / LOG_EVERY
    logged = frame[keep].reset_index(drop=True)
    lines = []
    for _, r in logged.iterrows():
        ts = start + pd.Timedelta(minutes=int(r["minute"])) + pd.Timedelta(seconds=float(r["second"]))
        entry = {"ts": ts.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                 "level": "INFO" if r["status"] == 200 else "ERROR",
                 "event": "predict" if r["status"] == 200 else "predict_timeout",
                 "request_id": f"{rng.integers(0, 2**48):012x}",
                 "client": r["client"], "client_version": r["client_version"],
                 "service_version": "2.4.0" if ts >= pd.Timestamp("2026-11-17T08:40:55") else "2.3.2",
                 "model_version": "type-clf-1.0.1" if ts >= pd.Timestamp("2026-11-10T11:30:04") else "type-clf-1.0.0",
                 "status": int(r["status"]),
                 "latency_ms": round(float(r["latency_ms"]), 1), "queue_ms": round(float(r["queue_ms"]), 1),
                 "inference_ms": round(float(r["inference_ms"]), 2)}
        if r["status"] == 200:
            entry |= {"predicted": r["predicted"], "confidence": round(float(r["confidence"]), 4),
                      "features": {"base_stat_total": float(r["f_base_stat_total"]), "height_m": float(r["f_height_m"]),
                                   "weight_kg": float(r["f_weight_kg"]), "n_moves_total": float(r["f_n_moves_total"])}}
        else:
            entry["error"] = "request exceeded the 5 s gateway timeout"
        lines.append(json.dumps(entry))
    return lines, logged


def sample_payloads(scenario: dict, name: str, species: pd.DataFrame, rng: np.random.Generator) -> list[dict]:
    onset = pd.Timestamp(scenario["onset"])
    kinds = [("web", "4.12.0", "v1", onset - pd.Timedelta(minutes=40)), ("app", "4.9.1", "v1", onset + pd.Timedelta(minutes=20)),
             ("catalog-api", "2.9.3", "v1", onset - pd.Timedelta(minutes=30))]
    if name == "low_confidence":
        kinds.append(("catalog-api", "3.0.0", "v2", onset + pd.Timedelta(minutes=15)))
    if name == "all_fire":
        kinds.append(("app", "5.0.0", "v5", onset + pd.Timedelta(minutes=50)))
    out = []
    for client, version, fmt, at in kinds:
        for k in range(2):
            row = species.iloc[int(rng.integers(0, len(species)))]
            out.append({"received_at": (at + pd.Timedelta(seconds=37 * k)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "client": client, "client_version": version,
                        "body": payload(row, fmt, f"c{int(rng.integers(10**5, 10**6))}")})
    return out


def build(out: Path = OUT, truth_path: Path = TRUTH) -> dict:
    import coursedata

    species = coursedata.load_species()
    _, _, types = classifier()
    truth: dict = {}
    for k, (name, scenario) in enumerate(SCENARIOS.items()):
        rng = np.random.default_rng(SEED + k)
        frame = features_and_predictions(simulate(name, scenario, species, rng), species)
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        series = metrics(frame, scenario, types)
        series.to_csv(folder / "metrics.csv", index=False)
        lines, logged = log_lines(frame, scenario, rng)
        (folder / "requests.jsonl").write_text("\n".join(lines) + "\n")
        deploys = [f"{ts} {kind:<11} {text}" for ts, kind, text in scenario["deploys"]]
        (folder / "deploys.log").write_text("\n".join(deploys) + "\n")
        (folder / "config.diff").write_text("\n".join(scenario["diff"]) + "\n")
        (folder / "payloads.json").write_text(json.dumps(sample_payloads(scenario, name, species, rng), indent=1) + "\n")
        (folder / "alert.json").write_text(json.dumps(scenario["alert"], indent=1) + "\n")
        (folder / "business.json").write_text(json.dumps(scenario["business"], indent=1) + "\n")
        if "config" in scenario:
            (folder / "config.json").write_text(json.dumps(scenario["config"], indent=1) + "\n")

        onset, end = minute_index(scenario, scenario["onset"]), minute_index(scenario, scenario["end"])
        window = series.iloc[onset:end]
        if name == "latency":
            affected, value = int(window["requests_over_1s"].sum()), scenario["business"]["value_lost_per_slow_request_usd"]
        elif name == "low_confidence":
            affected = int(window["requests_catalog_api"].sum())
            value = scenario["business"]["manual_review_cost_per_affected_request_usd"]
        else:
            affected, value = int(window["requests_app_v5"].sum()), scenario["business"]["value_lost_per_affected_request_usd"]
        # Request lines that show the mechanism: the requests whose inputs were wrong.
        mechanism = logged.index[logged["format"].isin(["v2", "v5"]).to_numpy()].tolist()
        truth[name] = {
            "cause": scenario["cause"], "onset": scenario["onset"], "end": series["minute"].iloc[end - 1],
            "proof_lines": sorted([f"deploys.log:{i + 1}" for i in scenario["cause_deploys"]]
                                  + [f"config.diff:{i}" for i in scenario["cause_diff"]]
                                  + [f"requests.jsonl:{i + 1}" for i in mechanism]),
            "decoy_lines": [f"deploys.log:{i + 1}" for i in scenario["decoy_deploys"]],
            "proof_metrics": scenario["proof_metrics"],
            "affected_requests": affected, "impact_usd": round(affected * value, 2),
        }
        for line in scenario["cause_diff"]:
            assert scenario["diff"][line - 1][0] in "+-", (name, line)
    truth_path.write_text(json.dumps(truth, indent=1) + "\n")
    return truth


if __name__ == "__main__":
    print(json.dumps({k: {kk: v for kk, v in t.items() if kk != "proof_lines"} for k, t in
                      build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT).items()}, indent=1))
