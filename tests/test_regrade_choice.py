"""`course regrade` without ids grades what the learner changed, the capstone folder included."""

from pathlib import Path

from grading.regrade import _untouched


def _folder(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


SCAFFOLD = {"cardprice/model.py": "def train():\n    raise NotImplementedError\n", "docs/runbook.md": "# Runbook\n"}


def test_an_untouched_scaffold_is_not_regraded_even_after_training(tmp_path: Path):
    stub = _folder(tmp_path / "release", SCAFFOLD)
    mine = _folder(tmp_path / "mine", {**SCAFFOLD, "models/model.json": "{}", "cardprice/__pycache__/x.pyc": "b"})
    assert _untouched(stub, mine)  # what training and Python write is not the learner's work


def test_a_changed_or_added_file_is_regraded(tmp_path: Path):
    stub = _folder(tmp_path / "release", SCAFFOLD)
    edited = _folder(tmp_path / "edited", {**SCAFFOLD, "cardprice/model.py": "def train():\n    return 1\n"})
    added = _folder(tmp_path / "added", {**SCAFFOLD, "tests/test_data.py": "def test_x():\n    pass\n"})
    assert not _untouched(stub, edited) and not _untouched(stub, added)


def test_a_file_item_is_compared_byte_for_byte(tmp_path: Path):
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("x = 2\n", encoding="utf-8")
    assert _untouched(tmp_path / "a.py", tmp_path / "b.py") and not _untouched(tmp_path / "a.py", tmp_path / "c.py")
    assert not _untouched(tmp_path / "a.py", tmp_path / "missing")
