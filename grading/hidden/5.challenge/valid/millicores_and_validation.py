# A valid alternative: the CPU limit restored in millicores; the predict path validates each payload with pydantic
# (a payload it cannot read would be an error, never a silent zero) and normalises every client format first;
# the evidence cites deploy lines only, with a throttling window of several hours and impacts rounded to dollars.

from pydantic import BaseModel, Field


@app.function
def diagnosis() -> dict[str, dict]:
    def requests_in(alert: str, column: str, start: str, end: str = "9999") -> int:
        metrics = read_bundle(alert)["metrics"]
        return int(metrics.loc[metrics["minute"].between(start, end, inclusive="left"), column].sum())

    return {
        "latency": {"cause": "resource_limits", "evidence_lines": ["deploys.log:4"],
                    "metric_windows": [{"metric": "cpu_throttled_ratio", "start": "2026-11-10T10:00", "end": "2026-11-10T13:59"}],
                    "impact_usd": round(requests_in("latency", "requests_over_1s", "2026-11-10T13:02") * 0.04)},
        "low_confidence": {"cause": "upstream_schema_change", "evidence_lines": ["deploys.log:2", "deploys.log:5"],
                           "metric_windows": [{"metric": "feature_mean_n_moves_total", "start": "2026-11-17T09:15", "end": "2026-11-17T09:30"}],
                           "impact_usd": round(requests_in("low_confidence", "requests_catalog_api", "2026-11-17T09:12", "2026-11-17T11:40") * 0.11)},
        "all_fire": {"cause": "unit_change", "evidence_lines": ["deploys.log:2", "deploys.log:4"],
                     "metric_windows": [{"metric": "feature_mean_height_m", "start": "2026-11-24T07:27", "end": "2026-11-24T07:29"}],
                     "impact_usd": round(requests_in("all_fire", "requests_app_v5", "2026-11-24T07:30") * 0.35)},
    }


@app.function
def config_fix() -> dict:
    return {"resources.limits.cpu": "2000m"}


@app.function
def predict(payloads: list[dict]) -> list[dict]:
    class Card(BaseModel):
        hp: int
        attack: int
        defense: int
        special_attack: int
        special_defense: int
        speed: int
        height_m: float = Field(gt=0)  # some species are 100 m tall: no upper bound
        weight_kg: float
        moves: dict[str, int]

    def normalised(payload: dict) -> Card:
        body = dict(payload)
        if "height_cm" in body:
            body["height_m"] = body.pop("height_cm") / 100
        if "moves" not in body:
            body["moves"] = {k.removeprefix("n_moves_"): v for k, v in body.items() if k.startswith("n_moves_")}
        return Card.model_validate(body)

    cards = [normalised(p) for p in payloads]
    x = pd.DataFrame([{**{s: getattr(c, s) for s in STATS}, "base_stat_total": sum(getattr(c, s) for s in STATS),
                       "height_m": c.height_m, "weight_kg": c.weight_kg,
                       **{f"n_moves_{t}": c.moves.get(t, 0) for t in TYPES}} for c in cards], columns=FEATURES).astype(float)
    proba = MODEL.predict_proba(x)
    return [{"type_1": str(MODEL.classes_[i]), "confidence": float(p[i])} for i, p in zip(proba.argmax(axis=1), proba, strict=True)]
