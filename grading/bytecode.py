"""Byte-compile the course's environment once, whatever the installer and the shell did.

The learner process never writes bytecode (`grading.sandbox.clean_env`), and many containers
set PYTHONDONTWRITEBYTECODE=1, so an environment installed without compiling would parse the
source of pandas, marimo and scikit-learn on every check (`import pandas, marimo`: 5.9 s
instead of 2.1 s). uv can compile at install (`compile-bytecode`), but with that setting
uv (0.5.5 to 0.13 at least, astral-sh/uv#12202) recompiles all of site-packages on every
`uv run`, 0.6 s added to each command. So the `course` command compiles once, when the set
of installed distributions changes, and remembers it in a marker file. The course's own
packages (installed editable, so outside site-packages) are compiled on every command: the
compiler skips each module whose bytecode is newer than its source, a few milliseconds.
"""

from __future__ import annotations

import compileall
import hashlib
import re
import sys
import sysconfig
import tomllib
from collections.abc import Callable
from pathlib import Path

MARKER = ".course-bytecode"
ROOT = Path(__file__).resolve().parent.parent  # the checkout, for an editable install


def _site() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


def _stamp(site: Path) -> str:
    names = sorted(p.name for p in site.glob("*.dist-info"))
    return hashlib.sha256("\n".join([sys.version, *names]).encode()).hexdigest()


def _own_sources(root: Path) -> list[Path]:
    """The packages pyproject.toml builds, where they are source: none in an installed wheel."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        listed = project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return []
    return [root / p for p in listed if (root / p).is_dir()]


def compile_own(root: Path = ROOT) -> None:
    """Byte-compile the course's own source where it is out of date; never fails a command.
    Hidden tests are left to pytest, which compiles them itself with assertion rewriting."""
    hidden = re.compile(re.escape(str(root / "grading" / "hidden")))
    for folder in _own_sources(root):
        try:
            compileall.compile_dir(folder, quiet=2, workers=1, legacy=False, rx=hidden)
        except (OSError, ValueError):
            pass


def ensure_compiled(announce: Callable[[str], None] = lambda _: None, site: Path | None = None,
                    marker: Path | None = None) -> bool:
    """Compile site-packages unless the marker says this set of distributions is compiled.
    Returns whether it compiled. Never fails a command: a read-only environment stays as it is."""
    site = site or _site()
    marker = marker or Path(sys.prefix) / MARKER
    stamp = _stamp(site)
    try:
        if marker.read_text() == stamp:
            return False
    except OSError:
        pass
    announce("byte-compiling the environment once (the next commands start faster)")
    try:
        compileall.compile_dir(site, quiet=2, workers=0, legacy=False)
        marker.write_text(stamp)
    except (OSError, ValueError):
        return False
    return True
