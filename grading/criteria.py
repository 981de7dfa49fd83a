"""The `criterion` decorator: a scored check, declared next to the test it scores.

Deliberately import-free (no pytest), so notebooks can use it on their visible tests
without slowing their import:

    @app.function
    @criterion(points=5, title="Finds a duplicated sale", hint="...", lesson="...")
    def test_finds_duplicated_sale(): ...

Hidden tests use it the same way. Fields: id (defaults to the test name), points,
title, hint (written for the misconception the test catches), lesson, required (the item
cannot pass while a required criterion fails; hidden criteria are required by default,
visible ones are not).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def criterion(
    *, points: float = 1, title: str = "", hint: str = "", lesson: str | None = None, id: str = "", required: bool | None = None
) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        fn.criterion = {"id": id, "points": points, "title": title, "hint": hint, "lesson": lesson, "required": required}  # type: ignore[attr-defined]
        return fn

    return mark


def default_title(test_name: str) -> str:
    """The criterion title when a test declares none: `test_finds_dupes` → "Finds dupes"."""
    return test_name.removeprefix("test_").replace("_", " ").capitalize()
