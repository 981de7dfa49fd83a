"""Regenerate every committed dataset, in place or into another folder, and the MANIFEST.

    uv run python -m coursedata.build            # rewrite data files + data/MANIFEST
    uv run python -m coursedata.build --out DIR  # write DIR/data and DIR/hidden, print hashes
    uv run python -m coursedata.build --check    # same as coursedata.verify

Each output is (area, relative path, producer); producers return a DataFrame (written as
CSV) or a dict/list (written as JSON). Outputs are built in dependency order by the
producers themselves (cached generators), so the list order is just the file order.
"""

import hashlib
import sys
from pathlib import Path

from . import files
from .paths import CAPSTONE_HIDDEN_DIR, DATA_DIR, HIDDEN_DIR, MANIFEST, REPO_DIR

AREAS = {"data": DATA_DIR, "hidden": HIDDEN_DIR, "capstone": CAPSTONE_HIDDEN_DIR}


def outputs() -> list[tuple[str, str, object, bool]]:
    from . import artifacts as a

    return a.OUTPUTS


def write(obj, path: Path) -> None:
    if isinstance(obj, (dict, list)):
        files.write_json(obj, path)
    else:
        files.write_csv(obj, path)


def build(roots: dict[str, Path], *, log=print) -> tuple[dict[str, Path], list[str]]:
    """Write every output under roots[area]; return ({manifest name: path}, skipped names).

    Outputs that need the instructor-only parameters are skipped when those are absent.
    """
    from . import hidden_params

    have_params = hidden_params.load() is not None
    written, skipped = {}, []
    for area, rel, producer, needs_params in outputs():
        name = manifest_name(area, rel)
        if needs_params and not have_params:
            skipped.append(name)
            continue
        path = roots[area] / rel
        write(producer(), path)
        written[name] = path
        log(f"  wrote {name}")
    return written, skipped


def manifest_name(area: str, rel: str) -> str:
    return (AREAS[area] / rel).relative_to(REPO_DIR).as_posix()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(path: Path = MANIFEST) -> dict[str, str]:
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            entries[name] = digest
    return entries


def write_manifest(written: dict[str, Path], path: Path = MANIFEST) -> None:
    """sha256 of every generated file, plus the hand-written hidden parameters (an input)."""
    from . import hidden_params

    entries = dict(written)
    if hidden_params.PARAMS.exists():
        entries[hidden_params.MANIFEST_NAME] = hidden_params.PARAMS
    lines = ["# sha256 of every committed data file; check with: sha256sum -c data/MANIFEST (from the repo root)"]
    lines += [f"{sha256(p)}  {name}" for name, p in sorted(entries.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--check" in argv:
        from .verify import main as verify

        return verify()
    if "--out" in argv:  # regenerate elsewhere (tests compare hashes across processes)
        out = Path(argv[argv.index("--out") + 1])
        written, _ = build({"data": out / "data", "hidden": out / "hidden", "capstone": out / "capstone"},
                           log=lambda _: None)
        for name, path in sorted(written.items()):
            print(f"{sha256(path)}  {name}")
        return 0
    from . import hidden_params

    if hidden_params.load() is None:
        print("instructor-only parameters are missing (learner release?): nothing rebuilt")
        return 1
    written, _ = build(AREAS)
    write_manifest(written)
    total = sum(p.stat().st_size for p in written.values())
    print(f"wrote {len(written)} files, {total / 1e6:.1f} MB, and {MANIFEST.relative_to(REPO_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
