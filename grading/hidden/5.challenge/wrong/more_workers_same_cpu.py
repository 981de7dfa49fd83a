# expect-fail: config_restores_capacity
# why: adds workers to pods that still get a quarter of a CPU: more processes queue for the same throttled CPU

@app.function
def config_fix() -> dict:
    return {"workers_per_replica": 8}
