"""Module 5: served apps (grading.served) start, answer over a Unix socket and leave nothing
behind, even when the app forks, binds ports or never stops; the lesson and exercises hold
their cheap invariants. `course verify 5.1 5.2 5.3` is the full proof (minutes)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from grading.learner import LearnerError, LearnerSession
from grading.served import fuzz, send, serve
from grading.testing import Submission

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "modules" / "05_inference_service"
LESSON = MODULE / "05_inference_service.py"

APP = '''import marimo

app = marimo.App()

with app.setup:
    import os
    import socket
    import subprocess
    import sys
    import time

    from fastapi import FastAPI


@app.function
def create_app(kind: str):
    api = FastAPI()
    if kind == "not an app":
        return 42
    if kind == "hostile":
        # A child in its own session that never stops, a bound TCP port, a thread that sleeps forever.
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"], start_new_session=True)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        api.state.listener = listener

    @api.get("/hello")
    def hello(name: str = "world") -> dict:
        if kind == "crashy" and name == "boom":
            raise RuntimeError("boom")
        return {"hello": name}

    if kind == "crashy":

        @api.get("/divide")
        def divide(by: int) -> dict:
            return {"result": 1 / by if by != 7 else 1 / 0}

    return api
'''


def descendants() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


@pytest.fixture
def session(tmp_path):
    path = tmp_path / "served_app.py"
    path.write_text(APP)
    before = descendants()
    with LearnerSession(path, budget=60) as s:
        yield s
    time.sleep(0.2)
    assert descendants() <= before, "a learner process outlived its session"


def test_served_app_answers_over_a_unix_socket_and_stops(session):
    with serve(Submission(session), "create_app", "plain") as client:
        assert send(client, "GET", "/hello", params={"name": "ada"}).json() == {"hello": "ada"}
        sockets = list(session.workdir.glob("app-*.sock"))
        assert len(sockets) == 1
    probe = socket.socket(socket.AF_UNIX)
    with pytest.raises(OSError):
        probe.connect(str(sockets[0]))  # nothing listening once the block is left
    probe.close()


def test_hostile_app_leaves_nothing_behind(session):
    with serve(Submission(session), "create_app", "hostile") as client:
        assert send(client, "GET", "/hello").status_code == 200
    session.close()
    time.sleep(0.2)
    sleepers = [p for p in psutil.process_iter(["cmdline"]) if "time.sleep(3600)" in " ".join(p.info["cmdline"] or [])
                and p.pid in descendants()]
    assert not sleepers


def test_a_factory_that_returns_no_app_is_the_learners_error(session):
    with pytest.raises(LearnerError, match="ASGI app"), serve(Submission(session), "create_app", "not an app"):
        pass


def test_fuzz_finds_a_server_error(session):
    with serve(Submission(session), "create_app", "crashy") as client:
        problems = fuzz(client, examples=30)
        assert any("/divide" in p and "not_a_server_error" in p for p in problems), problems
        assert send(client, "GET", "/hello", params={"name": "boom"}).status_code == 500


def test_a_starved_server_keeps_its_idle_connections(tmp_path, monkeypatch):
    """With uvicorn's default keep-alive (5 s), a served app starved of CPU closed an expired idle connection
    while the grader's next request was already in it: a ReadError, "did it crash?", in the loaded full run of
    2026-12-01 (test_fuzz_finds_a_server_error). Served apps keep idle connections for their whole life."""
    import signal
    import threading

    import httpx
    from fastapi import FastAPI

    from grading.served import _listening, start_server, stop_server

    api = FastAPI()

    @api.get("/hello")
    def hello() -> dict:
        return {"hello": "world"}

    monkeypatch.chdir(tmp_path)
    info = start_server(api, ())
    try:
        while not _listening(Path(info["socket"])):
            time.sleep(0.05)
        with httpx.Client(transport=httpx.HTTPTransport(uds=info["socket"]), base_url="http://app", timeout=30) as client:
            assert client.get("/hello").status_code == 200
            os.kill(info["pid"], signal.SIGSTOP)  # no CPU for the server, as on a saturated machine
            time.sleep(4.8)  # past uvicorn's default keep-alive (5 s from its answer), within httpx's (5 s from the read)
            threading.Timer(0.3, os.kill, (info["pid"], signal.SIGCONT)).start()
            assert client.get("/hello").status_code == 200  # on the same, idle connection
    finally:
        os.kill(info["pid"], signal.SIGCONT)
        stop_server(info["pid"])


def test_every_hidden_lesson_reference_resolves():
    headings = {m.group(1).strip() for m in re.finditer(r"^\s*#{1,3} (.+)$", LESSON.read_text(), re.MULTILINE)}
    refs = set()
    for test in (ROOT / "grading" / "hidden").glob("5.*/test_*.py"):
        refs |= set(re.findall(r'05_inference_service\.py#([^"]+)"', test.read_text()))
    assert refs and refs <= headings, refs - headings


@pytest.mark.slow
def test_lesson_runs_headless_and_frees_its_ports():
    proc = subprocess.run([sys.executable, str(LESSON)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]


@pytest.mark.slow
def test_incident_bundles_are_reproducible(tmp_path):
    """Challenge 5's evidence bundles and hidden truth are rebuilt byte for byte from the seeds and the course data."""
    import importlib.util

    hidden = ROOT / "grading" / "hidden" / "5.challenge"
    spec = importlib.util.spec_from_file_location("challenge5_generate", hidden / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.build(tmp_path / "incidents", tmp_path / "truth.json")
    committed = MODULE / "incidents"
    built = sorted(p.relative_to(tmp_path / "incidents") for p in (tmp_path / "incidents").rglob("*") if p.is_file())
    assert built == sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    for rel in built:
        assert (tmp_path / "incidents" / rel).read_bytes() == (committed / rel).read_bytes(), rel
    assert (tmp_path / "truth.json").read_bytes() == (hidden / "truth.json").read_bytes()


def test_incident_logs_show_what_the_deployed_code_computes():
    """The features logged in the all_fire and low_confidence bundles are what the notebook's
    featurize_as_deployed computes from those clients' sample payloads (the generator simulates that code)."""
    import json

    from coursedata.type_classifier import TYPES

    sys.path.insert(0, str(MODULE))
    try:
        import challenge_5_ship_it as notebook
    finally:
        sys.path.remove(str(MODULE))
    for alert, version in (("low_confidence", "3.0.0"), ("all_fire", "5.0.0")):
        samples = [p for p in json.loads((MODULE / "incidents" / alert / "payloads.json").read_text()) if p["client_version"] == version]
        assert samples
        for sample in samples:
            row = notebook.featurize_as_deployed(sample["body"])
            if version == "3.0.0":
                assert sum(row[f"n_moves_{t}"] for t in TYPES) == 0
            else:
                assert row["height_m"] == sample["body"]["height_cm"]
