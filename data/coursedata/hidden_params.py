"""Instructor-only generation parameters (seeds, planted drivers, hidden drop specs).

They live in grading/hidden/data/params.json, which the learner release leaves out: the
generator code is public, but without these numbers it cannot rebuild what graders know.
"""

import json
from functools import cache

from .paths import HIDDEN_DIR

PARAMS = HIDDEN_DIR / "params.json"
MANIFEST_NAME = "grading/hidden/data/params.json"


@cache
def load() -> dict | None:
    """The parameters, or None in a learner release."""
    if not PARAMS.exists():
        return None
    return json.loads(PARAMS.read_text(encoding="utf-8"))


def get(key: str):
    params = load()
    if params is None:
        raise FileNotFoundError(f"{PARAMS} is instructor-only and absent from the learner release.")
    return params[key]
