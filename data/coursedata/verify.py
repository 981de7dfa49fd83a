"""`course data verify`: rebuild everything in a temp folder, compare bytes with MANIFEST,
validate every schema, prove every planted issue is caught, measure the Module 2
calibration. Returns 0 only if all of it holds.
"""

import tempfile
import time
from pathlib import Path

from . import build as b
from . import files, hidden_params
from .paths import DATA_DIR, MANIFEST, REPO_DIR


class Report:
    def __init__(self, console):
        self.console = console
        self.failed = []

    def say(self, text: str) -> None:
        if self.console is None:
            print(text, flush=True)
        else:
            self.console.print(text, markup=False, highlight=False)

    def check(self, ok: bool, text: str, quiet: bool = False) -> bool:
        """Record a check; quiet ones print only when they fail."""
        if not ok or not quiet:
            self.say(f"{'ok  ' if ok else 'FAIL'} {text}")
        if not ok:
            self.failed.append(text)
        return ok


def _bytes(r: Report, roots, manifest) -> dict:
    started = time.perf_counter()
    written, skipped = b.build(roots, log=lambda _: None)
    r.say(f"regenerated {len(written)} files in {time.perf_counter() - started:.1f} s"
          + (f" ({len(skipped)} skipped: instructor-only parameters absent)" if skipped else ""))
    same = [r.check(manifest.get(name) == b.sha256(path), f"{name} regenerates byte-identical to MANIFEST",
                    quiet=True) for name, path in sorted(written.items())]
    r.check(all(same), f"{sum(same)}/{len(written)} regenerated files byte-identical to MANIFEST")
    on_disk = []
    for name, want in sorted(manifest.items()):
        committed = REPO_DIR / name
        if committed.exists():
            on_disk.append(r.check(b.sha256(committed) == want, f"committed {name} matches MANIFEST", quiet=True))
        elif not name.startswith("grading/hidden/"):
            on_disk.append(r.check(False, f"committed {name} exists"))
    r.check(all(on_disk), f"{sum(on_disk)} committed files match MANIFEST")
    return written


def _at(tmp: dict, area: str, rel: str) -> Path:
    """The regenerated file, or the committed one when it was not rebuilt (a learner release has
    no price process: the committed cards were compared with MANIFEST instead)."""
    rebuilt = tmp[area] / rel
    return rebuilt if rebuilt.exists() else b.AREAS[area] / rel


def _schemas(r: Report, tmp: dict) -> None:
    import pandas as pd

    from . import churn, coverage, credit, schemas
    from .loaders import typed_cards

    def text(path):
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])

    def passes(df, schema, what):
        problems = schemas.validate(df, schema)
        r.check(not problems, f"{what} passes schema {schema.name}" + (f": {problems[:3]}" if problems else ""))

    def planted_caught(df, schema, truth, id_column, what):
        try:
            schema.validate(df, lazy=True)
            r.check(False, f"{what} is rejected by schema {schema.name}")
            return
        except schemas.pa.errors.SchemaErrors as exc:
            found = coverage.caught(schemas.failures(exc), truth, id_column)
        for kind, (hit, n) in sorted(coverage.summary(found).items()):
            r.check(hit == n, f"{what}: {kind} caught {hit}/{n}")

    cards_text = text(_at(tmp, "data", files.CARDS))
    passes(typed_cards(cards_text), schemas.cards(), "cards (typed)")
    passes(cards_text, schemas.cards(raw=True), "cards (as text)")
    species = pd.read_csv(_at(tmp, "data", files.SPECIES))
    passes(species, schemas.species(), "species")
    strict = schemas.validate(species, schemas.species(strict=True))
    r.check(len(strict) == 4, f"species breaks the 4 real-world rules of the strict schema ({len(strict)} found)")
    if hidden_params.load() is None:
        r.say("hidden ground truth absent: skipping the planted-issue and exam checks")
        return
    truth = pd.read_csv(tmp["hidden"] / files.CARDS_DIRTY_TRUTH, dtype={"column": str}, keep_default_na=False)
    passes(truth.replace({"": None}), schemas.issues("sale_id"), "dirty cards truth")
    planted_caught(text(tmp["data"] / files.CARDS_DIRTY), schemas.cards(raw=True), truth, "sale_id", "dirty cards")
    for name in ("new_drop", "drop_b", "drop_c"):
        path = tmp["data"] / files.DROP if name == "new_drop" else tmp["hidden"] / f"drops/{name}.csv"
        r.check(bool(schemas.validate(text(path), schemas.cards(raw=True))), f"{name} is rejected by the cards contract")
    passes(text(tmp["hidden"] / "drops/drop_clean.csv"), schemas.cards(raw=True), "drop_clean")
    passes(typed_cards(text(tmp["hidden"] / files.CALIBRATION_HOLDOUT)), schemas.cards(), "calibration holdout")
    churn_truth = pd.read_csv(tmp["hidden"] / files.CHURN_ISSUES, dtype={"column": str}, keep_default_na=False)
    planted_caught(text(tmp["data"] / files.CHURN), schemas.churn(raw=True), churn_truth, "customer_id", "churn")
    passes(churn.typed(pd.read_csv(tmp["hidden"] / files.CHURN_CLEAN)), schemas.churn(), "churn (clean)")
    for path in (tmp["data"] / files.CREDIT, tmp["hidden"] / files.CREDIT_HOLDOUT):
        df = credit.typed(pd.read_csv(path))
        passes(df, schemas.credit(), path.name)
        rate = df["defaulted"].mean()
        r.check(0.02 <= rate <= 0.05, f"{path.name} default rate {rate:.3f} is within 2-5 %")
    _capstone_holdout(r, tmp, cards_text)


def _capstone_holdout(r: Report, tmp: dict, cards_text) -> None:
    """The capstone holdout is valid card data, strictly later than every public sale."""
    import pandas as pd

    from . import schemas
    from .loaders import typed_cards

    holdout = typed_cards(pd.read_csv(tmp["capstone"] / files.CAPSTONE_HOLDOUT, dtype=str,
                                      keep_default_na=False, na_values=[""]))
    r.check(not schemas.validate(holdout, schemas.cards()), "capstone holdout passes schema cards")
    last_public = pd.to_datetime(cards_text["sale_date"]).max()
    r.check(holdout["sale_date"].min() > last_public,
            f"capstone holdout starts after the last public sale ({last_public.date()}): out of time")


def _calibration(r: Report, tmp: dict) -> None:
    import pandas as pd

    from . import calibration as cal
    from .loaders import typed_cards

    cards = typed_cards(pd.read_csv(_at(tmp, "data", files.CARDS), dtype=str, keep_default_na=False, na_values=[""]))
    holdout_path = tmp["hidden"] / files.CALIBRATION_HOLDOUT
    holdout = None
    if holdout_path.exists():
        holdout = typed_cards(pd.read_csv(holdout_path, dtype=str, keep_default_na=False, na_values=[""]))
    res = cal.measure(cards, holdout)
    lo, hi = cal.BASELINE_RANGE
    r.say(f"baseline accuracy: {res['baseline']:.3f}")
    r.say(f"engineered accuracy: {res['engineered']:.3f}")
    r.say(f"  (fixed split, {res['test_rows']} test rows, majority class {res['majority_class']:.3f})")
    r.check(lo <= res["baseline"] <= hi, f"baseline accuracy within [{lo}, {hi}]")
    r.check(res["engineered"] >= cal.ENGINEERED_MIN, f"engineered accuracy >= {cal.ENGINEERED_MIN}")
    if holdout is not None:
        r.say(f"holdout baseline accuracy: {res['holdout_baseline']:.3f}")
        r.say(f"holdout engineered accuracy: {res['holdout_engineered']:.3f}  ({res['holdout_rows']} hidden rows)")
        r.check(lo <= res["holdout_baseline"] <= hi, f"holdout baseline accuracy within [{lo}, {hi}]")
        r.check(res["holdout_engineered"] >= cal.ENGINEERED_MIN, f"holdout engineered accuracy >= {cal.ENGINEERED_MIN}")


def main(console=None) -> int:
    started = time.perf_counter()
    r = Report(console)
    if not MANIFEST.exists():
        r.check(False, f"{MANIFEST} exists (run: uv run python -m coursedata.build)")
        return 1
    manifest = b.read_manifest()
    if hidden_params.load() is not None:
        r.check(manifest.get(hidden_params.MANIFEST_NAME) == b.sha256(hidden_params.PARAMS),
                f"{hidden_params.MANIFEST_NAME} matches MANIFEST")
    with tempfile.TemporaryDirectory(prefix="coursedata-verify-") as tmp:
        roots = {"data": Path(tmp) / "data", "hidden": Path(tmp) / "hidden", "capstone": Path(tmp) / "capstone"}
        _bytes(r, roots, manifest)
        _schemas(r, roots)
        _calibration(r, roots)
    total = sum((DATA_DIR.parent / n).stat().st_size for n in manifest if (DATA_DIR.parent / n).exists())
    r.check(total <= 20e6, f"committed data is {total / 1e6:.1f} MB (limit 20 MB)")
    r.say(f"verify took {time.perf_counter() - started:.1f} s: "
          + ("all checks hold" if not r.failed else f"{len(r.failed)} check(s) failed"))
    return 0 if not r.failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
