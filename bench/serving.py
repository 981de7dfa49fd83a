"""The reference inference service under real HTTP load: naive and optimised, side by side.

    uv run python bench/serving.py [--seconds 10] [--rate 200]

Starts each service (`coursedata.type_api.create_app`, naive=True / False) with uvicorn,
one worker, on 127.0.0.1, and drives it with real load generators (installed with apt-get
when missing): `hey -q RATE -c 1` (one-card POST /predict at a fixed rate) gives p50 and p99
at that rate, and `wrk -c 8` at saturation gives the most requests per second. One run
measures both services, so their figures share the machine's state.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import coursedata
from coursedata.type_service import example_cards, save_model, train_type_model


def ensure(tool: str, package: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", package], check=True, capture_output=True)
    return shutil.which(tool) or sys.exit(f"{tool} could not be installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(model_dir: Path, naive: bool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    code = (f"import uvicorn; from coursedata.type_api import create_app; "
            f"uvicorn.run(create_app({str(model_dir)!r}, naive={naive}), host='127.0.0.1', port={port}, "
            f"log_level='warning', access_log=False)")
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("the service did not start")


def saturation(wrk: str, url: str, body: Path, seconds: int) -> float:
    script = body.with_suffix(".lua")
    script.write_text(f'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[{body.read_text()}]]\n')
    out = subprocess.run([wrk, "-t1", "-c8", f"-d{seconds}s", "-s", str(script), f"{url}/predict"],
                         capture_output=True, text=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(match.group(1)) if match else float("nan")


def at_rate(hey: str, url: str, body: Path, seconds: int, rate: int) -> dict:
    out = subprocess.run([hey, "-z", f"{seconds}s", "-q", str(rate), "-c", "1", "-m", "POST", "-T", "application/json",
                          "-D", str(body), f"{url}/predict"], capture_output=True, text=True).stdout
    def pct(p: str) -> float:
        m = re.search(rf"{p}% in ([\d.]+) secs", out)
        return 1000 * float(m.group(1)) if m else float("nan")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {"p50_ms": pct("50"), "p99_ms": pct("99"), "achieved_rps": float(rps.group(1)) if rps else float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rate", type=int, default=200)
    args = parser.parse_args()
    wrk, hey = ensure("wrk", "wrk"), ensure("hey", "hey")
    work = Path(tempfile.mkdtemp(prefix="bench-serving-"))
    model_dir = save_model(train_type_model(coursedata.load_cards()), work / "model")
    body = work / "one_card.json"
    body.write_text(json.dumps({"cards": example_cards(1, seed=42)}))
    rows = []
    for naive in (True, False):
        proc, url = start(model_dir, naive)
        try:
            fixed = at_rate(hey, url, body, args.seconds, args.rate)
            rows.append({"service": "naive" if naive else "optimised", **fixed,
                         "saturation_rps": saturation(wrk, url, body, args.seconds)})
        finally:
            proc.kill()
            proc.wait()
    print(f"one-card POST /predict, one uvicorn worker, {args.seconds} s per measurement, load at {args.rate} req/s:")
    print(f"{'service':<10} {'p50 ms':>8} {'p99 ms':>8} {'req/s @rate':>12} {'req/s max':>10}")
    for r in rows:
        print(f"{r['service']:<10} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['achieved_rps']:>12.0f} {r['saturation_rps']:>10.0f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
