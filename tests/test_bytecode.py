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
