"""The environment is byte-compiled once per set of installed distributions (grading/bytecode.py)."""

from __future__ import annotations

import importlib.util

from grading.bytecode import ensure_compiled


def test_compiles_once_and_again_when_a_distribution_is_added(tmp_path):
    site, marker = tmp_path / "site-packages", tmp_path / "marker"
    (site / "pkg").mkdir(parents=True)
    (site / "pkg" / "mod.py").write_text("X = 1\n")
    (site / "pkg-1.0.dist-info").mkdir()
    said = []

    assert ensure_compiled(said.append, site=site, marker=marker)
    assert (site / "pkg" / importlib.util.cache_from_source("mod.py")).is_file()
    assert said == ["byte-compiling the environment once (the next commands start faster)"]
    assert not ensure_compiled(said.append, site=site, marker=marker)
    (site / "other-2.0.dist-info").mkdir()
    assert ensure_compiled(said.append, site=site, marker=marker)


def test_a_read_only_environment_is_left_as_it_is(tmp_path):
    site = tmp_path / "site-packages"
    site.mkdir()
    assert not ensure_compiled(site=site, marker=tmp_path / "no-such-folder" / "marker")


def test_the_course_packages_are_compiled_where_stale_and_hidden_tests_are_left_to_pytest():
    from pathlib import Path

    import grading
    from grading.bytecode import compile_own

    root = Path(grading.__file__).parent
    engine = root / importlib.util.cache_from_source("engine.py")
    engine.unlink(missing_ok=True)
    compile_own()
    assert engine.is_file()
    assert engine.stat().st_mtime >= (root / "engine.py").stat().st_mtime
    plain = [p for p in (root / "hidden").rglob("*.pyc") if "-pytest-" not in p.name]  # pytest's own are fine
    assert not plain
