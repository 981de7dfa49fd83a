"""Every code block of every cheat sheet runs against the versions in uv.lock and prints exactly
the output its page shows (docs/hooks/snippets.py)."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHEETS = sorted(p for p in (ROOT / "docs" / "cheatsheets").glob("*.md") if p.name != "index.md")
REQUIRED = {"dataframes", "pandera", "sklearn", "metrics", "xgboost", "fastapi", "marimo"}


@functools.cache
def snippets():
    spec = importlib.util.spec_from_file_location("cheatsheet_snippets", ROOT / "docs" / "hooks" / "snippets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_promised_cheat_sheets_exist():
    assert REQUIRED <= {p.stem for p in SHEETS}


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.stem)
def test_every_block_runs_and_prints_what_the_page_shows(sheet):
    ran = snippets().check_page(sheet)
    print(f"{sheet.stem}: {ran} blocks executed")
    assert ran >= 5


def test_the_checker_rejects_a_page_whose_output_is_stale(tmp_path):
    page = tmp_path / "stale.md"
    page.write_text('```python\nprint(6 * 7)\n```\n```text title="Output"\n41\n```\n')
    with pytest.raises(AssertionError, match="the block printed\n42"):
        snippets().check_page(page)
    page.write_text("```python\nprint(6 * 7)\n```\n")
    with pytest.raises(AssertionError, match="printed\n42"):
        snippets().check_page(page)  # a block without an output block must print nothing
