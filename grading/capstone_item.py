"""The capstone through the same engine: a folder item graded by a probe notebook.

`course check capstone` grades the learner's `capstone/` folder, not one notebook. The
smallest extension of the exercise pipeline that does it:

1. The folder is copied into the learner process's working directory (the one writable
   place in the sandbox), without what training writes (`models/`, `mlflow.db`).
2. Our probe notebook (`grading/hidden/capstone/probe.py`) is written into the copy and
   loaded as the submission: its `@app.function`s import the learner's `cardprice` package
   (the copy's folder is first on `sys.path`) and answer in plain data, exactly as an
   exercise's functions do. The learner's code therefore runs only in the sandboxed
   learner process, within the item's CPU budget (`timeout` in course.toml).
3. The hidden tests (`grading/hidden/capstone/test_*.py`) are ordinary criteria; their ids
   start with the rubric section (`data.`, `features.`, `models.`, `evaluation.`,
   `deployment.`) and each section's points add up to 20. Documents and written answers
   are read here (the grader process) from the copy; their prose is listed for the mentor
   (report `written`), never scored on content.
4. The score is the sum of points (of 100); the capstone passes above the threshold (80 %),
   no criterion is required on its own: the rubric weighs them.

Known-wrong and valid capstones (`grading/hidden/capstone/wrong|valid/`) are mutations of
the reference folder (`case_folder`): a `.py` case replaces functions of the module its
`# file:` header names (`grading.cases.build`, as for notebooks); a `.patch` case is a
unified diff applied with `patch -p1` inside `capstone/` (for nested code, HTML, JavaScript,
Markdown).

`course verify capstone` grades many cases in one process. The training phase (the
learner's `train()` twice, the canary, the skew and holdout predictions) depends only on
the package's training code, so verify (only verify: `reuse_training(True)`) reuses the
results of an earlier case whose training files are byte-identical; a learner's check
always trains.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from grading import cases, notebook
from grading.engine import Grader
from grading.learner import LearnerError, LearnerSession
from grading.report import Execution, Report, WrittenAnswer
from grading.rubric import SECTIONS, section_scores
from grading.testing import Miss

PROBE = "probe.py"
PROBE_NAME = "grader_probe.py"
SKIP = ("models", "models_graded", "mlflow.db", "mlruns", "__pycache__", ".venv", ".pytest_cache", "reports")
# The package files that serving alone uses: a change to them cannot change a training run.
SERVING_ONLY = {"service.py", "apidocs.py", "cli.py", "monitor.py"}

_state = {"reuse": False}
_training_cache: dict[str, tuple[dict, Path]] = {}


def reuse_training(on: bool) -> None:
    """`course verify` only: reuse a training phase whose training code is byte-identical."""
    _state["reuse"] = on
    if not on:
        for _, folder in _training_cache.values():
            shutil.rmtree(folder, ignore_errors=True)
        _training_cache.clear()


def training_key(capstone: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((capstone / "cardprice").rglob("*.py")):
        if path.name in SERVING_ONLY or "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(capstone)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached_training(capstone: Path, run) -> dict:
    """`run()` (the training phase), or under verify the stored result of identical training code."""
    if not _state["reuse"]:
        return run()
    key = training_key(capstone)
    graded = capstone / "models_graded"
    if key in _training_cache:
        result, folder = _training_cache[key]
        if folder.exists():
            shutil.copytree(folder, graded, dirs_exist_ok=True)
        return dict(result, reused=True)
    result = run()
    folder = Path(tempfile.mkdtemp(prefix="course-capstone-training-"))
    if graded.exists():
        shutil.copytree(graded, folder, dirs_exist_ok=True)
    _training_cache[key] = (result, folder)
    return result


# -- grading ------------------------------------------------------------------------


def copy_folder(folder: Path, into: Path) -> Path:
    shutil.copytree(folder, into, ignore=shutil.ignore_patterns(*SKIP), symlinks=False)
    return into


def grade_capstone(grader: Grader) -> Report:
    from grading.hidden_run import run_hidden

    r, course, item = grader.report, grader.course, grader.item
    folder = grader.path
    if not (folder.is_dir() and (folder / "cardprice").is_dir()):
        return grader._finish_error(
            f"`{r.submission}` is not a capstone folder (it needs the `cardprice/` package of the scaffold). "
            "Run `uv run course check capstone` from the repository root, or pass the folder with --submission.")
    t = time.monotonic()
    grader.progress("running ruff on the capstone")
    from grading.lint import ruff

    r.lint = ruff(folder, course.root)
    grader._timed("lint", t)
    r.written = mentor_reading(folder)
    if r.provisional:
        r.status, r.score, r.checked_score = "failed", 0.0, 0.0
        r.execution = Execution(status="skipped", message="the capstone is graded with its hidden checks only")
        r.summary = ("The capstone is graded on your pull request (or by your mentor), where the hidden data and checks "
                     "are: open one with your `capstone/` folder. Locally, run your own tests: `uv run pytest capstone/tests`.")
        return grader._stamp()
    from grading.sandbox import isolation
    from grading.tamper import Snapshot

    guard = None if isolation().level == "full" else Snapshot(course.root, folder)
    with LearnerSession(folder / PROBE_NAME, grader.budget) as session:
        copy = copy_folder(folder, session.workdir / "capstone")
        probe = copy / PROBE_NAME
        probe.write_text((grader.hidden_dir / PROBE).read_text(encoding="utf-8"), encoding="utf-8")
        session.submission = probe.resolve()
        t = time.monotonic()
        grader.progress("starting the learner process")
        session.start()
        try:
            check = session.load()
        except LearnerError as exc:
            return grader._finish_error(f"the grader could not load your capstone package: {exc.explain()}", session)
        if isinstance(check, dict) and check.get("errored"):
            raise RuntimeError(f"the capstone probe fails marimo check: {check.get('issues')}")
        grader._timed("load", t)
        t = time.monotonic()
        grader.progress("running the capstone's hidden checks (training included: minutes)")
        criteria = run_hidden(grader.hidden_dir, session, course, item)
        grader._timed("hidden_tests", t)
        r.execution = Execution(status="ok", seconds=round(time.monotonic() - t, 2),
                                message=f"graded in the sandbox; your code used {session.cpu_used:.0f} of its "
                                        f"{session.budget:g} CPU seconds", output="")
    if guard is not None and (changed := guard.changed()):
        r.tampered_paths = sorted({*r.tampered_paths, *changed})
        return grader._finish_error(
            f"Your code changed files outside your capstone while it was graded ({', '.join(changed[:5])}), so this "
            "grade does not count. Restore them (`git checkout -- .`), remove the code that writes them, and check again.")
    for c in criteria:
        c.required = False  # the rubric weighs them; none passes or fails the capstone alone
    r.criteria = criteria
    from grading.ml_test_score import detect

    r.ml_test_score = detect(folder, criteria)  # beside the grade, not part of it
    return _finish(grader)


def _finish(grader: Grader) -> Report:
    from grading.visible_checks import STUB_MARK, STUB_TEXT

    r = grader.report
    total = sum(c.max_points for c in r.criteria)
    earned = sum(c.points for c in r.criteria)
    r.score = round(r.max_score * earned / total, 1) if total else 0.0
    r.status = "passed" if total and r.score >= r.pass_threshold * r.max_score - 1e-9 else "failed"
    sections = section_scores(r)
    line = " · ".join(f"{SECTIONS[k]} {sections[k][0]:g}/{sections[k][1]:g}" for k in SECTIONS if k in sections)
    misses = [c for c in r.criteria if not c.passed]
    stubs = [c for c in misses if STUB_TEXT in c.feedback or STUB_MARK in c.feedback or "NotImplementedError" in c.feedback]
    mentor = " Your mentor reads the prose of your documents and notebooks (listed under written answers) before approving."
    if r.status == "passed":
        more = f" {len(misses)} checks still missed: see their hints." if misses else " Every automatic check holds."
        r.summary = f"Passed with {r.score:g}/{r.max_score:g} ({line}).{more}{mentor}"
    elif r.score <= 10 and stubs:
        r.summary = (
            f"Not started yet: the capstone is still the scaffold, so it scores {r.score:g}/{r.max_score:g} ({line}). "
            "That is expected on day one. Start with `cardprice/data.py` (`validate_sales`) and "
            "`notebooks/01_ingest_and_validate.py`, then work down the brief's tasks in `capstone/README.md`; "
            "each `raise NotImplementedError(\"Capstone: ...\")` names what to build, and `uv run pytest capstone/tests` "
            "tells you how far you are before you check again.")
    else:
        worst = min(sections, key=lambda k: sections[k][0] - sections[k][1]) if sections else None
        first = next((c for c in misses if c.id.startswith(f"{worst}.")), misses[0] if misses else None)
        nxt = f" The most points are missing in {SECTIONS[worst]}: start with “{first.title}”: {first.hint or first.feedback}" if first else ""
        r.summary = f"Score {r.score:g}/{r.max_score:g}, below the pass mark of {r.pass_threshold * r.max_score:g} ({line}).{nxt}"
    return grader._stamp()


# -- what the mentor reads ------------------------------------------------------------

DOCUMENTS = {
    "docs/model_card.md": ["Model details", "Intended use", "Training data", "Metrics and why", "Evaluation",
                           "Serving performance", "Error analysis", "Uncertainty", "Limitations and risks"],
    "docs/runbook.md": ["Start", "Stop", "Health", "Rollback", "Retraining", "Alerts and what to do"],
}
MIN_WORDS = 15


def markdown_sections(text: str) -> dict[str, str]:
    """`## Heading` → its text, HTML comments (the scaffold's prompts) and TODO lines left out."""
    import re

    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    out: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if m := re.match(r"^##\s+(.+?)\s*$", line):
            current = m.group(1).strip()
            out[current] = ""
        elif current is not None and "TODO" not in line:
            out[current] += line + "\n"
    return out


def words(text: str) -> int:
    return len([w for w in text.split() if any(ch.isalpha() for ch in w)])


def mentor_reading(folder: Path) -> list[WrittenAnswer]:
    """Every document section and notebook written answer, with its length: the mentor judges the content."""
    answers = []
    for doc, headings in DOCUMENTS.items():
        path = folder / doc
        found = markdown_sections(path.read_text(encoding="utf-8", errors="replace")) if path.exists() else {}
        for heading in headings:
            n = words(found.get(heading, ""))
            answers.append(WrittenAnswer(name=f"{doc} § {heading}", present=n >= MIN_WORDS, words=n, min_words=MIN_WORDS))
    for nb_path in [*sorted((folder / "notebooks").glob("*.py")), folder / "slides.py"]:
        try:
            nb = notebook.read(nb_path)
        except (notebook.NotGradable, OSError):
            continue
        for name, text in sorted(nb.strings.items()):
            if name.isupper() and not name.startswith("_"):  # the written answers: DATA_DECISIONS, S1 ... S10
                n = notebook.word_count(text)
                answers.append(WrittenAnswer(name=f"{nb_path.relative_to(folder)}: {name}", present=n >= 5, words=n, min_words=5))
    return answers


# -- cases: mutations of the reference folder ------------------------------------------


def case_folder(reference: Path, case: Path, out: Path) -> Path:
    """The reference capstone with one case applied, written to `out` (a fresh folder)."""
    folder = copy_folder(reference, out)
    text = case.read_text(encoding="utf-8")
    if case.suffix == ".patch":
        proc = subprocess.run(["patch", "-p1", "--batch", "--forward", "--no-backup-if-mismatch", "-s"], input=text,
                              cwd=folder, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise cases.CaseError(f"the patch does not apply: {(proc.stdout + proc.stderr).strip()[:500]}")
        return folder
    target = cases.header(text, "file")
    if not target:
        raise cases.CaseError("a .py capstone case needs a `# file: cardprice/<module>.py` header")
    module = folder / target
    if not module.exists():
        raise cases.CaseError(f"the reference has no {target}")
    module.write_text(cases.build(module.read_text(encoding="utf-8"), text), encoding="utf-8")
    return folder


def strip_folder(reference: Path, out: Path) -> Path:
    """The scaffold a learner receives: the folder as `course release` writes it."""
    from grading.release import BEGIN, TEXT_SOLUTION_SUFFIXES, strip_solutions, strip_text_solutions

    folder = copy_folder(reference, out)
    for path in folder.rglob("*"):
        if not path.is_file() or BEGIN.encode() not in path.read_bytes():
            continue
        if path.suffix == ".py":
            path.write_text(strip_solutions(path.read_text(encoding="utf-8"), "capstone"), encoding="utf-8")
        elif path.name.endswith(TEXT_SOLUTION_SUFFIXES):
            path.write_text(strip_text_solutions(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def _judge_wrong_capstone(r: Report, fault: str | None, expected: list[str]) -> tuple[bool, str]:
    """A known-wrong capstone is rejected when it misses each declared criterion, with its hint, and so loses
    their points. Unlike an exercise it need not fail overall: one mistake in a 100-point rubric (a runbook
    without a rollback) costs its points, not the whole capstone; it must not score full marks."""
    from grading.verify import _fault_problem

    if problem := _fault_problem(fault, r):
        return False, problem
    missed = {c.id for c in r.criteria if not c.passed}
    hinted = {c.id for c in r.criteria if not c.passed and c.hint}
    problems = [] if expected else ["declares no `# expect-fail:` criteria"]
    if r.score >= r.max_score:
        problems.append("scored full marks")
    problems += [f"did not miss {e}" for e in expected if e not in missed]
    problems += [f"{e} has no hint" for e in expected if e in missed and e not in hinted]
    detail = f"{r.status} {r.score:g}/{r.max_score:g}, missed {', '.join(sorted(missed)) or 'nothing'}"
    return not problems, detail + ("; " + "; ".join(problems) if problems else "")


def verify_capstone(course: Any, item: Any, quick: bool = False) -> list:
    """`course verify capstone`: reference full marks, scaffold near 0 and friendly, each case as declared."""
    from grading.run import grade_safely
    from grading.verify import STUB_MAX_FRACTION, Outcome, _fault_problem, _grade, _judge_valid

    out: list = []
    reference = course.root / item.path
    reuse_training(True)
    try:
        r, fault = _grade(course, item, reference)
        full = r.status == "passed" and r.score == r.max_score and not r.provisional and not fault
        detail = _fault_problem(fault, r) or f"{r.status} {r.score:g}/{r.max_score:g}" + ("" if full else f": {r.summary}")
        out.append(Outcome(item.id, "solution", full, detail, r.durations.get("total", 0)))
        hidden_ids = {c.id for c in r.criteria if c.visibility == "hidden"}
        with tempfile.TemporaryDirectory(prefix="course-verify-capstone-") as tmp:
            stub = strip_folder(reference, Path(tmp) / "stub" / "capstone")
            r, fault = grade_safely(course, item, stub)
            friendly = "Not started yet" in r.summary
            low = r.score <= STUB_MAX_FRACTION * r.max_score and r.status != "passed"
            detail = _fault_problem(fault, r) or f"{r.status} {r.score:g}/{r.max_score:g}" + ("" if friendly else f": unfriendly summary: {r.summary}")
            out.append(Outcome(item.id, "release stub", friendly and low and not fault, detail, r.durations.get("total", 0)))
            named: set[str] = set()
            for kind in ("wrong", "valid"):
                for n, case in enumerate(cases.case_files(course.root / item.hidden_dir / kind)):
                    text = case.read_text(encoding="utf-8", errors="replace")
                    label = f"{kind}/{case.name}"
                    try:
                        folder = case_folder(reference, case, Path(tmp) / kind / case.stem / "capstone")
                    except cases.CaseError as exc:
                        out.append(Outcome(item.id, label, False, f"case cannot be built: {exc}", 0.0))
                        continue
                    if kind == "wrong":
                        named |= set(cases.expectations(text))
                    if quick and n > 0:
                        continue
                    r, fault = _grade(course, item, folder)
                    ok, detail = _judge_wrong_capstone(r, fault, cases.expectations(text)) if kind == "wrong" else _judge_valid(r, fault)
                    out.append(Outcome(item.id, label, ok, detail, r.durations.get("total", 0)))
        if hidden_ids:
            unproven = sorted(hidden_ids - named)
            out.append(Outcome(item.id, "every hint proven", not unproven,
                               f"no wrong case misses {', '.join(unproven)}" if unproven else f"{len(hidden_ids)} hidden criteria, each missed by a wrong case", 0.0))
    finally:
        reuse_training(False)
    return out


# -- helpers of the hidden checks (grading/hidden/capstone/) ----------------------------------


def need(training: dict, *keys: str):
    """The answers of the named steps; the learner's error (stub, crash, timeout) if one failed or never ran."""
    values = []
    for key in keys:
        value = training.get(key)
        if isinstance(value, LearnerError):
            raise value
        if value is None:
            first = training.get("first")
            if isinstance(first, LearnerError):
                raise first
            raise Miss(f"this check needs a step that could not run ({key}): see the other checks")
        values.append(value)
    return values[0] if len(values) == 1 else values


def metrics(y_true, y_pred) -> dict:
    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    return {"mae_usd": float(np.mean(np.abs(y_true - y_pred))),
            "median_ape": float(np.median(np.abs(y_pred - y_true) / y_true)),
            "rmse_log": float(np.sqrt(np.mean((np.log(np.clip(y_pred, 1e-6, None)) - np.log(y_true)) ** 2)))}


RAW_NUMERIC = ["card_hp", "retreat_cost", "print_run", "grade"]
RAW_CATEGORICAL = ["rarity", "language", "condition", "grading_company", "marketplace", "set_code", "mechanic", "card_type"]
_bars: dict[str, dict] = {}


def _raw_columns(df):
    import pandas as pd

    out = pd.DataFrame({c: pd.to_numeric(df[c], errors="coerce").astype(float) for c in RAW_NUMERIC}, index=df.index)
    out["first_edition"] = df["first_edition"].astype(float)
    out["sale_day"] = (pd.to_datetime(df["sale_date"]) - pd.Timestamp("2023-01-01")).dt.days.astype(float)
    out["release_day"] = (pd.to_datetime(df["release_date"]) - pd.Timestamp("1999-01-01")).dt.days.astype(float)
    for c in RAW_CATEGORICAL:
        out[c] = df[c].astype(str)
    return out


def bars(public, holdout) -> dict:
    """The grader's own yardsticks on the hidden holdout, fitted on the public sales (computed once per process):
    the median price by rarity (the brief's baseline) and gradient boosting on the raw columns (no feature work)."""
    if "bars" in _bars:
        return _bars["bars"]
    from sklearn.compose import make_column_transformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder

    y = np.log(public["price_usd"].to_numpy())
    medians = public.assign(y=y).groupby("rarity")["y"].median()
    baseline = np.exp(holdout["rarity"].map(medians).fillna(float(np.median(y))).to_numpy())
    encode = make_column_transformer(
        (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), RAW_CATEGORICAL), remainder="passthrough")
    raw = make_pipeline(encode, HistGradientBoostingRegressor(max_iter=300, learning_rate=0.08, random_state=0,
                                                              categorical_features=list(range(len(RAW_CATEGORICAL)))))
    raw.fit(_raw_columns(public), y)
    raw_prices = np.exp(raw.predict(_raw_columns(holdout)))
    truth = holdout["price_usd"].to_numpy()
    _bars["bars"] = {"baseline": metrics(truth, baseline), "raw_columns": metrics(truth, raw_prices)}
    return _bars["bars"]
