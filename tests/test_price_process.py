"""The price process of the card sales is instructor-only: the learner release holds no term or
coefficient of it (grading/hidden/data/card_price.py), and everything a learner runs still works
without it (the committed tables, `load_big`, `course data verify`)."""

from __future__ import annotations

import importlib.util
import os
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


def tells() -> list[str]:
    """Strings only the price process contains: its term names and its coefficient lists."""
    process = _process()
    names = [k for k in process.PRICE if "_" in k]  # "popularity_x_rarity", "grade_10_x_wotc", ...
    lists = [", ".join(map(str, v)) for v in process.PRICE.values() if isinstance(v, list)]
    iconic = sorted(process.ICONIC)
    return [*names, *lists, "1.6 * iconic", ", ".join(f'"{n}"' for n in iconic[:3])]


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "template"
    proc = run_course("release", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_the_tells_are_real():
    """Each tell is found in the source today (else the release check below proves nothing)."""
    text = PROCESS.read_text(encoding="utf-8")
    missing = [t for t in tells() if t not in text and t.replace('"', "'") not in text]
    assert len(tells()) >= 12 and not missing[:-1], missing  # the last one is formatted, not literal


def test_release_holds_no_price_coefficient(release_dir):
    assert not (release_dir / "grading" / "hidden").exists()
    leaks = []
    for path in sorted(release_dir.rglob("*")):
        if not path.is_file() or path.suffix not in {".py", ".md", ".json", ".toml", ".yaml", ".yml", ".txt", ".csv"}:
            continue
        if path.stat().st_size > 5_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        leaks += [f"{path.relative_to(release_dir)}: {t!r}" for t in tells() if t in text]
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
