"""The price process of the card sales is instructor-only: the learner release holds no term or
coefficient of it (grading/hidden/data/card_price.py), and everything a learner runs still works
without it (the committed tables, `load_big`, `course data verify`)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_course

ROOT = Path(__file__).resolve().parent.parent
PROCESS = ROOT / "grading" / "hidden" / "data" / "card_price.py"
pytestmark = pytest.mark.skipif(not PROCESS.is_file(), reason="instructor-only price process absent (release)")


def _process():
    spec = importlib.util.spec_from_file_location("test_card_price", PROCESS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tells() -> list[tuple[str, object]]:
    """(what, finder) for each coefficient of the price process: a finder says whether a text holds it.

    A coefficient is a number next to its term's name (`"popularity_x_rarity": 0.12`), a list or
    dict of them, or the popularity formula: term names alone are also column and feature names
    (`first_edition`, `grade_10`) and say nothing about the numbers."""
    process = _process()
    found = []
    for key, value in process.PRICE.items():
        if isinstance(value, list):
            literal = ", ".join(map(str, value))
            found.append((f"{key} {literal}", lambda text, t=literal: t in text))
        elif isinstance(value, dict):
            literal = ", ".join(f'"{k}": {v}' for k, v in list(value.items())[:2])
            found.append((f"{key} {literal}", lambda text, t=literal: t in text))
        elif key != "intercept":
            pattern = re.compile(rf"[\"']{re.escape(key)}[\"']\s*:\s*(-?[\d.]+)")
            found.append((f"{key}: {value}", lambda text, p=pattern, v=value: any(float(x) == v for x in p.findall(text))))
    found.append(("intercept np.log(0.30)", lambda text: "np.log(0.30)" in text))
    found.append(("popularity 1.6 * iconic", lambda text: "1.6 * iconic" in text))
    first = ", ".join(f'"{n}"' for n in ("pikachu", "charizard", "mewtwo"))
    found.append((f"ICONIC {first}", lambda text, t=first: t in text))
    return found


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "template"
    proc = run_course("release", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_the_tells_are_real():
    """Each tell is found in the price process today (else the release check below proves nothing)."""
    text = PROCESS.read_text(encoding="utf-8")
    missing = [what for what, holds in tells() if not holds(text)]
    assert len(tells()) >= 20 and not missing, missing


def test_release_holds_no_price_coefficient(release_dir):
    assert not (release_dir / "grading" / "hidden").exists()
    leaks = []
    for path in sorted(release_dir.rglob("*")):
        if not path.is_file() or path.suffix not in {".py", ".md", ".json", ".toml", ".yaml", ".yml", ".txt", ".csv"}:
            continue
        if path.stat().st_size > 5_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        leaks += [f"{path.relative_to(release_dir)}: {what}" for what, holds in tells() if holds(text)]
    assert not leaks, "\n".join(leaks[:20])


def test_release_runs_without_the_price_process(release_dir):
    env = {**os.environ, "PYTHONPATH": f"{release_dir}:{release_dir / 'data'}"}
    code = (
        "import coursedata\n"
        "from coursedata import cards\n"
        "try:\n"
        "    cards.generate(10)\n"
        "except FileNotFoundError as e:\n"
        "    print('generate: instructor-only', 'absent from the learner release' in str(e))\n"
        "big = cards.resample(3_000)\n"
        "print('resample', len(big), big['sale_id'].is_unique, list(big.columns) == list(coursedata.load_cards().columns))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=release_dir, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "generate: instructor-only True" in proc.stdout and "resample 3000 True True" in proc.stdout, proc.stdout
    verify = subprocess.run([sys.executable, "-m", "grading.cli", "data", "verify"], cwd=release_dir, env=env,
                            capture_output=True, text=True, timeout=900)
    assert verify.returncode == 0, verify.stdout[-3000:] + verify.stderr[-2000:]
    assert "instructor-only parameters absent" in verify.stdout, verify.stdout[-2000:]
