"""A real `capstone serve` process and a real headless Chromium, for the capstone's tests and benchmark."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(root: Path, *, env: dict | None = None, wait_ready: bool = True, timeout: float = 120):
    """`capstone serve` on a free loopback port in `root`; yields the base URL; stops its process group."""
    port = free_port()
    # The service logs a line per request: to a file, never an unread pipe (a full pipe blocks the server).
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "cardprice.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=root, env=env or os.environ.copy(), stdout=subprocess.DEVNULL,
                            stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"capstone serve exited {proc.returncode}: {log.read().decode()[-2000:]}")
            try:
                status = httpx.get(f"{url}/ready", timeout=2).status_code
                if status == 200 or not wait_ready:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"capstone serve did not become ready within {timeout} s")
            time.sleep(0.25)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@contextlib.contextmanager
def chromium_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def predict_in_ui(page, url: str, card: str, timeout_ms: float = 30_000) -> float:
    """Open the UI, enter `card`, submit; seconds from navigation to a price on screen."""
    started = time.perf_counter()
    page.goto(url + "/")
    page.wait_for_function("document.getElementById('language').options.length > 0", timeout=timeout_ms)
    page.fill("#card", card)
    page.click("#predict")
    page.wait_for_selector("#result:not([hidden]) #price", timeout=timeout_ms)
    return time.perf_counter() - started
