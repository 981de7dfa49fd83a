"""The capstone in the learner release: a scaffold that runs and guides, with nothing of the reference in it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from grading.release import BEGIN, END
from tests.capstone_live import served
from tests.conftest import ROOT, run_course

NOTEBOOKS = sorted((ROOT / "capstone" / "notebooks").glob("*.py"))


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "template"
    proc = run_course("release", str(out), timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


def in_release(release_dir: Path) -> dict[str, str]:
    """The release's own cardprice, grading and coursedata win over the source's."""
    return {**os.environ, "PYTHONPATH": f"{release_dir / 'capstone'}:{release_dir}:{release_dir / 'data'}"}


def solution_lines(text: str) -> list[str]:
    """The substantial lines found only inside solution blocks: what must never reach a learner."""
    inside_lines, outside_lines, inside = [], set(), False
    for line in text.splitlines():
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif inside and len(line.strip()) >= 24:
            inside_lines.append(line.strip())
        elif not inside:
            outside_lines.add(line.strip())
    return [line for line in inside_lines if line not in outside_lines]


def test_no_solution_reference_figure_or_hidden_data_leaks(release_dir):
    sources = [p for p in (ROOT / "capstone").rglob("*") if p.is_file() and BEGIN.encode() in p.read_bytes()]
    assert len(sources) >= 15, "the reference should mark its solutions in code, notebooks, tests and docs"
    for source in sources:
        rel = source.relative_to(ROOT)
        released = (release_dir / rel).read_text(encoding="utf-8")
        assert BEGIN not in released and END not in released, rel
        leaked = [line for line in solution_lines(source.read_text(encoding="utf-8")) if line in released]
        assert not leaked, f"{rel} leaks reference lines: {leaked[:3]}"
    assert not (release_dir / "grading" / "hidden").exists()
    assert not (release_dir / "capstone" / "models").exists() and not (release_dir / "capstone" / "mlflow.db").exists()
    holdout = ROOT / "grading" / "hidden" / "capstone" / "holdout.csv"
    hidden_digest = hashlib.sha256(holdout.read_bytes()).hexdigest()
    first_rows = holdout.read_text(encoding="utf-8").splitlines()[1:4]
    for path in release_dir.rglob("*"):
        if path.is_file() and path.stat().st_size < 5_000_000:
            data = path.read_bytes()
            assert hashlib.sha256(data).hexdigest() != hidden_digest, path
            assert not any(row.encode() in data for row in first_rows), f"{path} holds hidden holdout rows"


def test_scaffold_serve_starts_and_says_no_model_yet(release_dir):
    with served(release_dir, env=in_release(release_dir), wait_ready=False) as url:
        ready = httpx.get(f"{url}/ready", timeout=10)
        assert ready.status_code == 503 and "no model yet" in ready.json()["message"]
        assert httpx.get(f"{url}/health", timeout=10).status_code == 200
        assert "Predict price" in httpx.get(f"{url}/", timeout=10).text


def test_scaffold_notebooks_and_slides_pass_marimo_check(release_dir):
    paths = [str(release_dir / p.relative_to(ROOT)) for p in NOTEBOOKS] + [str(release_dir / "capstone" / "slides.py")]
    assert len(paths) == 6
    proc = subprocess.run([sys.executable, "-m", "marimo", "check", *paths], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_scaffold_is_ruff_clean(release_dir):
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "capstone"], cwd=release_dir,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout


def test_scaffold_train_and_tests_fail_saying_what_to_build(release_dir):
    env = in_release(release_dir)
    train = subprocess.run([sys.executable, "-m", "cardprice.cli", "train", "--no-tracking"], cwd=release_dir, env=env,
                           capture_output=True, text=True, timeout=300)
    assert train.returncode == 1 and "Capstone: implement validate_sales()" in train.stderr, train.stderr[-2000:]
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "capstone/tests"],
                           cwd=release_dir, env=env, capture_output=True, text=True, timeout=300)
    out = tests.stdout
    assert tests.returncode == 1, out[-3000:]
    for message in ["Capstone: implement validate_sales()", "Capstone: implement corrupted_copy()",
                    "run `uv run capstone train` first"]:
        assert message in out, f"{message!r} missing from the scaffold's test output:\n{out[-3000:]}"


def test_scaffold_documents_keep_their_structure_and_prompts(release_dir):
    for doc, headings in {
        "model_card.md": ["## Intended use", "## Training data", "## Metrics and why", "## Evaluation", "## Serving performance",
                          "## Error analysis", "## Uncertainty", "## Limitations and risks"],
        "runbook.md": ["## Start", "## Stop", "## Health", "## Rollback", "## Retraining", "## Alerts and what to do"],
    }.items():
        text = (release_dir / "capstone" / "docs" / doc).read_text(encoding="utf-8")
        assert all(h in text for h in headings), doc
        assert text.count("TODO: your work goes here") == len(headings) + (1 if doc == "model_card.md" else 0)
    slides = (release_dir / "capstone" / "slides.py").read_text(encoding="utf-8")
    assert slides.count('= ""  # TODO') == 10
