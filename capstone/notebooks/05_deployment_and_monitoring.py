import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import time
    import warnings

    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from cardprice import data, monitor
    from cardprice.predict import MODEL_PATH
    from cardprice.service import create_app
    with warnings.catch_warnings():  # starlette's notice about its httpx backend is not for the learner
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Capstone 5 · Deployment and monitoring

    **Module 5 in practice.** The model is served by `cardprice/service.py`
    (`uv run capstone serve`): the UI at `/`, the API under `/api`, `/health` (alive),
    `/ready` (a model is loaded), `/metrics` (Prometheus). This notebook calls the same app
    in process, checks its error contract, measures its latency, and rehearses the drift
    check the runbook's alert is built on.

    **Your job:** implement the request rules (`CardQuery.consistent`), the error handlers
    and the `predict` endpoint in `cardprice/service.py`, `psi` in `cardprice/monitor.py`,
    and write the monitoring plan below. Run `uv run capstone train` first.
    """)
    return


@app.cell
def _():
    # Without a model the service still starts and says so: the cells below then explain what to do.
    client = TestClient(create_app()) if MODEL_PATH.exists() else None
    no_model = mo.md("**No model yet**: run `uv run capstone train`, then rerun this notebook.")
    mo.md(f"`GET /ready` → `{client.get('/ready').json()}`") if client else no_model
    return client, no_model


@app.cell
def _(client, no_model):
    card = {"set_code": "BS", "card_number": "004/102"}


    def contract_table():
        cases = {
            "valid raw copy": card,
            "valid PSA 9": {**card, "grading_company": "PSA", "grade": 9},
            "missing field": {"set_code": "BS"},
            "grade without a grading company": {**card, "grade": 9},
            "PSA half grade": {**card, "grading_company": "PSA", "grade": 9.5},
            "unknown card": {"set_code": "ZZ", "card_number": "001/001"},
            "unexpected field": {**card, "colour": "red"},
        }
        rows = []
        for name, body in cases.items():
            response = client.post("/api/predict", json=body)
            answer = response.json()
            rows.append({"case": name, "status": response.status_code,
                         "answer": answer.get("message") or f"${answer['price_usd']} ({answer['low_usd']}-{answer['high_usd']})"})
        bad_json = client.post("/api/predict", content=b"{not json", headers={"content-type": "application/json"})
        rows.append({"case": "malformed JSON", "status": bad_json.status_code, "answer": bad_json.json()["message"]})
        contract = pd.DataFrame(rows)
        assert (contract["status"] < 500).all(), contract
        return contract


    no_model if client is None else contract_table()
    return (card,)


@app.cell
def _(card, client, no_model):
    def latency():
        for _ in range(20):  # warm-up: first calls pay for lazy imports and caches
            client.post("/api/predict", json=card)
        timings = []
        for _ in range(300):
            started = time.perf_counter()
            client.post("/api/predict", json=card)
            timings.append(time.perf_counter() - started)
        ms = 1000 * np.array(timings)
        return mo.md(f"""
        ## Latency, in process

        300 sequential requests through the app (no network): p50 **{np.percentile(ms, 50):.1f} ms**,
        p95 **{np.percentile(ms, 95):.1f} ms**, p99 **{np.percentile(ms, 99):.1f} ms**. The figures over real
        HTTP under concurrent load are in the model card, from `bench/capstone.py`.
        """)


    no_model if client is None else latency()
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Rehearse the drift alert

    The course's data drop (`data/drops/new_drop.csv`, Module 1) arrived from a new
    supplier. Treat it as a week of live traffic: how different is its input mix from the
    training sales? Move the slider to blend the drop into training-like traffic and watch
    where the PSI crosses the alert line.
    """)
    return


@app.cell
def _():
    share = mo.ui.slider(0, 100, value=100, step=10, label="share of traffic from the new supplier (%)")
    share
    return (share,)


@app.cell
def _(share):
    training = data.load_sales()
    drop = coursedata.load_drop().rename(columns={"card_condition": "condition"})
    n = 3_000
    k = round(n * share.value / 100)
    live = pd.concat([drop.sample(k, replace=True, random_state=0)[monitor.MONITORED],
                      training.sample(n - k, random_state=1)[monitor.MONITORED]])
    report = monitor.drift_report(training, live)
    report.round(3)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    MONITORING_PLAN = (
        "Page on: readiness failing for 2 minutes, 5xx above 1 % of requests over 5 minutes, p99 latency above "
        "250 ms over 10 minutes (all from /metrics). Ticket, not page: PSI above 0.2 on any monitored input "
        "over a day of traffic, or the median predicted price moving more than 25 % week on week. Weekly: "
        "join realised sale prices back to predictions and recompute RMSE of ln price and the 80 % range's "
        "coverage; retrain when RMSE is 15 % worse than the model card's figure or coverage leaves 70-90 %. "
        "Retraining is `uv run capstone train` on the refreshed sales, compared with the serving model on the "
        "newest month before it replaces it; rollback is restarting on the previous model file."
    )
    ### END SOLUTION
    return (MONITORING_PLAN,)


@app.cell
def _(MONITORING_PLAN):
    mo.md(f"""
    **Monitoring plan.** {MONITORING_PLAN or '_(write yours above)_'}
    """)
    return


if __name__ == "__main__":
    app.run()
