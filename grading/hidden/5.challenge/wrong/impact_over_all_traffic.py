# expect-fail: latency_impact, confidence_impact, fire_impact
# why: prices every request of the incident window, not only the affected ones: off by the share of the traffic that was hit

@app.function
def diagnosis() -> dict[str, dict]:
    """Per alert: cause, evidence_lines, metric_windows and impact_usd."""
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
            "impact_usd": affected("latency", "requests", "2026-11-10T13:02") * 0.04,
        },
        "low_confidence": {
            "cause": "upstream_schema_change",
            "evidence_lines": ["deploys.log:2", "config.diff:14", *(f"requests.jsonl:{i}" for i in nested)],
            "metric_windows": [{"metric": "feature_mean_n_moves_total", "start": "2026-11-17T08:50", "end": "2026-11-17T09:40"}],
            "impact_usd": affected("low_confidence", "requests", "2026-11-17T09:12", "2026-11-17T11:40") * 0.11,
        },
        "all_fire": {
            "cause": "unit_change",
            "evidence_lines": ["deploys.log:2", "config.diff:7", *(f"requests.jsonl:{i}" for i in wrong_height)],
            "metric_windows": [{"metric": "feature_mean_height_m", "start": "2026-11-24T07:00", "end": "2026-11-24T09:00"}],
            "impact_usd": affected("all_fire", "requests", "2026-11-24T07:30") * 0.35,
        },
    }
