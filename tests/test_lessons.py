"""Every lesson reference resolves: each criterion's `lesson` ("<lesson file>#<heading>") names a
lesson notebook and a heading in it (grading.lessons), for hidden and visible criteria of every
item, so a renamed section cannot leave a hint pointing nowhere. New modules are held to it
from their first test."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from grading.catalog import Course
from grading.lessons import unresolved

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT)
# Items being built (planned, with hidden tests already) are held to it too; a planned item's
# module may not have its lesson notebook yet.
GRADED = [item for item in COURSE.items.values()
          if item.kind != "quiz" and (item.status == "ready" or any((ROOT / item.hidden_dir).glob("test_*.py")))]


def _import(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pytest fixtures look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def _criteria(module) -> list[tuple[str, dict]]:
    return [(name, fn.criterion) for name, fn in vars(module).items()
            if name.startswith("test_") and isinstance(getattr(fn, "criterion", None), dict)]


def _references(item) -> list[tuple[str, str]]:
    """(where, lesson reference) of the item's own default and of each of its criteria."""
    found = [(f"{item.id} (course.toml)", COURSE.lesson_for(item))] if item.status == "ready" else []
    hidden = ROOT / item.hidden_dir
    for path in sorted(hidden.glob("test_*.py")):
        module = _import(path, f"lessons_{item.id.replace('.', '_')}_{path.stem}")
        found += [(f"{item.id} hidden {name}", c["lesson"]) for name, c in _criteria(module)]
    notebook = ROOT / item.path
    if notebook.is_file() and notebook.suffix == ".py" and item.status == "ready":
        module = _import(notebook, f"lessons_nb_{item.id.replace('.', '_')}")
        found += [(f"{item.id} visible {name}", c["lesson"]) for name, c in _criteria(module)]
    return [(where, ref) for where, ref in found if ref]


@pytest.mark.parametrize("item", GRADED, ids=lambda item: item.id)
def test_every_lesson_reference_resolves(item):
    problems = [f"{where}: {why}" for where, ref in _references(item) if (why := unresolved(ref, ROOT))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("item", [i for i in GRADED if any((ROOT / i.hidden_dir).glob("test_*.py"))], ids=lambda item: item.id)
def test_every_hidden_criterion_names_a_section(item):
    """A hint's "reread" points at a section, not at a whole notebook."""
    hidden = ROOT / item.hidden_dir
    vague = []
    for path in sorted(hidden.glob("test_*.py")):
        module = _import(path, f"sections_{item.id.replace('.', '_')}_{path.stem}")
        vague += [f"{name}: {c['lesson']!r}" for name, c in _criteria(module) if "#" not in (c["lesson"] or "")]
    assert not vague, "hidden criteria without a lesson section:\n" + "\n".join(vague)
