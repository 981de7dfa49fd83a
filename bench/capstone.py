"""The capstone reference system's figures, from one script.

    uv run python bench/capstone.py [--requests 2000] [--concurrency 8]

1. Holdout error: each model family, fitted on all public sales, scored on the hidden
   out-of-time holdout (sales after the public window): MAE in dollars, median absolute
   percentage error, RMSE of ln price, and the shipped model's 80 % range coverage.
2. Service: a real `capstone serve` on loopback under `hey` (POST /api/predict):
   p50/p99 latency and requests per second.
3. UI: headless Chromium (Playwright) from navigation to the first price on screen.

Needs the trained model (`uv run capstone train`), `hey` (apt-get install hey) and
/usr/bin/chromium. Writes capstone/models/bench.json (git-ignored) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import coursedata  # noqa: E402
import joblib  # noqa: E402
import numpy as np  # noqa: E402
from cardprice import MODEL_DIR, data, evaluate, features, metrics  # noqa: E402
from cardprice.predict import MODEL_PATH  # noqa: E402

from tests.capstone_live import chromium_page, predict_in_ui, served  # noqa: E402

QUERY = {"set_code": "BS", "card_number": "004/102", "grading_company": "PSA", "grade": 9, "sale_date": "2025-08-01"}


def holdout_figures() -> dict:
    sales, holdout = data.load_sales(), coursedata.load_capstone_holdout()
    out = {"holdout_rows": len(holdout), "holdout_window": [str(holdout["sale_date"].min().date()),
                                                            str(holdout["sale_date"].max().date())], "models": {}}
    for name in ["baseline", "ridge", "random_forest", "xgboost"]:
        started = time.process_time()
        out["models"][name], _ = evaluate.fit_and_score(name, sales, holdout)
        out["models"][name]["cpu_seconds"] = round(time.process_time() - started, 1)
    bundle = joblib.load(MODEL_PATH)
    log_pred = bundle["pipeline"].predict(features.build_features(holdout))
    low, high = bundle["metadata"]["interval"]["log_quantiles"]
    price = np.exp(log_pred)
    out["shipped"] = {"version": bundle["metadata"]["version"], **metrics.all_metrics(holdout[data.TARGET], price),
                      "coverage_80": metrics.interval_coverage(holdout[data.TARGET], price * np.exp(low),
                                                               price * np.exp(high))}
    return out


def load_figures(url: str, requests: int, concurrency: int) -> dict:
    if shutil.which("hey") is None:
        raise SystemExit("hey is not installed: apt-get install hey")
    body = json.dumps(QUERY)
    subprocess.run(["hey", "-n", "200", "-c", "2", "-m", "POST", "-T", "application/json", "-d", body,
                    f"{url}/api/predict"], capture_output=True, check=True)  # warm-up
    server = _server_process(url)
    cpu_before = sum(server.cpu_times()[:2])
    proc = subprocess.run(["hey", "-n", str(requests), "-c", str(concurrency), "-m", "POST", "-T", "application/json",
                           "-d", body, f"{url}/api/predict"], capture_output=True, text=True, check=True)
    cpu_ms = 1000 * (sum(server.cpu_times()[:2]) - cpu_before) / requests
    text = proc.stdout
    status = dict(re.findall(r"\[(\d{3})\]\s+(\d+) responses", text))
    return {"requests": requests, "concurrency": concurrency,
            "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            "p50_ms": 1000 * float(re.search(r"50%+ in ([\d.]+) secs", text).group(1)),
            "p99_ms": 1000 * float(re.search(r"99%+ in ([\d.]+) secs", text).group(1)),
            "server_cpu_ms_per_request": cpu_ms, "status_counts": {k: int(v) for k, v in status.items()}}


def _server_process(url: str):
    """The process listening on the service's port: its CPU time per request does not depend on the neighbours."""
    import psutil

    port = int(url.rsplit(":", 1)[1])
    for conn in psutil.net_connections("tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN:
            return psutil.Process(conn.pid)
    raise RuntimeError(f"no process listens on port {port}")


def ui_figures(url: str, runs: int = 5) -> dict:
    times = []
    with chromium_page() as page:
        for _ in range(runs):
            times.append(predict_in_ui(page, url, "BS 004/102"))
            page.goto("about:blank")
    return {"runs": runs, "median_seconds": statistics.median(times), "max_seconds": max(times),
            "first_run_seconds": times[0]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    if not MODEL_PATH.exists():
        raise SystemExit("no trained model: run `uv run capstone train` first")
    load = subprocess.run(["cat", "/proc/loadavg"], capture_output=True, text=True).stdout.split()[:3]
    figures = {"load_average_at_start": load, "holdout": holdout_figures()}
    h = figures["holdout"]
    print(f"hidden holdout: {h['holdout_rows']} sales, {h['holdout_window'][0]} .. {h['holdout_window'][1]}")
    print(f"{'model':<16}{'MAE $':>10}{'median APE':>12}{'RMSE ln':>10}{'fit CPU s':>11}")
    for name, m in h["models"].items():
        print(f"{name:<16}{m['mae_usd']:>10.2f}{m['median_ape']:>11.1%}{m['rmse_log']:>10.3f}{m['cpu_seconds']:>11.1f}")
    s = h["shipped"]
    print(f"shipped {s['version']}: RMSE ln {s['rmse_log']:.3f}, MAE ${s['mae_usd']:.2f}, median APE "
          f"{s['median_ape']:.1%}, 80 % range covers {s['coverage_80']:.1%}", flush=True)
    with served(ROOT) as url:
        figures["service"] = v = load_figures(url, args.requests, args.concurrency)
        print(f"service under hey -n {v['requests']} -c {v['concurrency']}: p50 {v['p50_ms']:.1f} ms, "
              f"p99 {v['p99_ms']:.1f} ms, {v['requests_per_second']:.0f} req/s, server CPU "
              f"{v['server_cpu_ms_per_request']:.1f} ms/request, statuses {v['status_counts']}",
              flush=True)
        figures["ui"] = u = ui_figures(url)
        print(f"UI time to first prediction (headless Chromium, {u['runs']} runs): median "
              f"{u['median_seconds']:.2f} s, max {u['max_seconds']:.2f} s")
    (MODEL_DIR / "bench.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"load average at start: {' '.join(load)} (2 cores, shared)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
