# expect-fail: config_restores_capacity
# why: raises the alert's threshold above the new latency: the page stops, users still wait two seconds

@app.function
def config_fix() -> dict:
    return {"alerts.latency_p95_ms": 3000}
