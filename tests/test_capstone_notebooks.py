"""The five reference notebooks and the slides run headless, each within 90 s of CPU time.

CPU seconds, not wall time: on a shared machine wall time measures the neighbours.
"""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from tests.conftest import ROOT

NOTEBOOKS = [*sorted((ROOT / "capstone" / "notebooks").glob("*.py")), ROOT / "capstone" / "slides.py"]
CPU_BUDGET = 90.0


@pytest.fixture(scope="module", autouse=True)
def trained_model():
    from cardprice.predict import MODEL_PATH

    if not MODEL_PATH.exists():
        from cardprice.train import train

        train(track=False, log=lambda _: None)


def test_there_are_five_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS[:5]] == ["01", "02", "03", "04", "05"]


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_headless_within_budget(notebook):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, str(notebook)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert cpu <= CPU_BUDGET, f"{notebook.name} used {cpu:.0f} s of CPU (budget {CPU_BUDGET:.0f} s)"
