"""The ML Test Score of Breck et al. (2017) for a capstone: a production-readiness score beside the grade.

"The ML Test Score: A Rubric for ML Production Readiness and Technical Debt Reduction"
(IEEE Big Data 2017): 28 tests in four sections of seven. A test done by hand with its
results documented earns half a point, one that runs automatically a full point; the score
is the *minimum* of the four sections' sums (every section matters). It is shown beside the
capstone's grade and is never part of its 100 points.

Each test has a detector that looks at what is cheap and honest to see: the grader's own
criterion results (training twice was reproducible, features at serving equal training's,
the baseline lost on later sales) and the learner's folder read statically (document
sections, non-stub test functions, the service's metrics). A detector answers one of

- `automated` (1.0): it runs without a person, and the grader saw it work;
- `documented` (0.5): done by hand, written down (a runbook or model card section);
- `missing` (0): looked for and not there;
- `mentor` (0 here): nothing a program can judge (privacy, inclusion, review): the
  mentor's checklist lists it, and the mentor may award it.

A report stores only ids, statuses and short evidence; titles, sections and sums are
recomputed from this table when rendered, so a forged artifact cannot add a test or words.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grading.report import Criterion, MLTest, MLTestScore

SECTIONS = {"data": "Data", "model": "Model", "infra": "Infrastructure", "monitor": "Monitoring"}
POINTS = {"automated": 1.0, "documented": 0.5, "missing": 0.0, "mentor": 0.0}
# The paper's reading of the final score (Table V): the band whose lower bound it exceeds.
BANDS = [(5, "exceptional levels of automated testing and monitoring"),
         (3, "strong levels of automated testing and monitoring, fit for mission-critical systems"),
         (2, "reasonably tested; more of the tests and procedures could be automated"),
         (1, "a first pass at basic productionization; more investment may be needed"),
         (0, "not totally untested, but there may be serious holes in reliability")]


@dataclass
class Evidence:
    """What the detectors read: the criteria's verdicts and the folder's documents, code and tests."""

    folder: Path
    passed: dict[str, bool]
    _cache: dict = field(default_factory=dict)

    def ok(self, *ids: str) -> bool:
        return all(self.passed.get(i, False) for i in ids)

    def section(self, doc: str, heading: str) -> str:
        """A document section's own text (the scaffold's prompts and TODO lines left out), or ''."""
        from grading.capstone_item import MIN_WORDS, markdown_sections, words  # lazily: rendering needs none of it

        key = ("doc", doc)
        if key not in self._cache:
            path = self.folder / "docs" / doc
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            self._cache[key] = markdown_sections(text)
        text = self._cache[key].get(heading, "")
        return text if words(text) >= MIN_WORDS else ""

    def answer(self, nb: str, name: str) -> str:
        """A notebook's written answer (a string constant), or ''."""
        from grading import notebook

        key = ("nb", nb)
        if key not in self._cache:
            try:
                self._cache[key] = notebook.read(self.folder / "notebooks" / nb).strings
            except (notebook.NotGradable, OSError):
                self._cache[key] = {}
        text = self._cache[key].get(name, "")
        return text if notebook.word_count(text) >= 5 else ""

    def code(self, module: str) -> str:
        """The source of cardprice/<module>, or ''."""
        path = self.folder / "cardprice" / module
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""

    def tests(self) -> list[str]:
        """The source of every test function in tests/ that does something (not a stub that raises)."""
        if "tests" not in self._cache:
            found = []
            for path in sorted((self.folder / "tests").glob("test_*.py")):
                try:
                    source = path.read_text(encoding="utf-8", errors="replace")
                    tree = ast.parse(source)
                except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):  # learner files: anything
                    continue
                for node in ast.walk(tree):
                    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test") \
                            and not _is_stub(node):
                        found.append(ast.get_source_segment(source, node) or "")
            self._cache["tests"] = found
        return self._cache["tests"]

    def tested(self, pattern: str) -> bool:
        return any(re.search(pattern, t) for t in self.tests())


def _is_stub(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return not body or all(isinstance(s, ast.Raise | ast.Pass) for s in body)


def mentions(text: str, pattern: str) -> bool:
    return bool(text) and re.search(pattern, text, re.I) is not None


Result = tuple[str, str]  # (status, evidence)
Detector = Callable[[Evidence], Result]


@dataclass(frozen=True)
class Test:
    id: str
    title: str  # the paper's wording, shortened
    detect: Detector

    @property
    def section(self) -> str:
        return self.id.split(".")[0]

    @property
    def label(self) -> str:
        return f"{SECTIONS[self.section]} {self.id.split('.')[1]}"


def mentor(why: str) -> Detector:
    return lambda ev: ("mentor", why)


def _graded(*ids: str, yes: str, no: str) -> Detector:
    return lambda ev: ("automated", yes) if ev.ok(*ids) else ("missing", no)


# -- detectors that need more than one line ---------------------------------------------


def _schema(ev: Evidence) -> Result:
    if ev.ok("data.validation", "data.own_tests"):
        return "automated", "validate_sales enforces the cards contract before training, and your tests catch corrupted sales"
    if ev.section("model_card.md", "Training data") and mentions(ev.section("model_card.md", "Training data"), r"schema|contract|validat"):
        return "documented", "the model card describes how the data are validated; the grader's checks of it did not pass"
    return "missing", "the grader's corrupted sales got through validate_sales or your data tests"


def _features_beneficial(ev: Evidence) -> Result:
    if ev.ok("features.beat_raw") and ev.answer("02_eda_and_features.py", "FEATURE_RATIONALE"):
        return "documented", "your features beat the raw columns on hidden later sales, and notebook 02 justifies them (no per-feature ablation runs automatically)"
    return "mentor", "no evidence that each feature earns its place (notebook 02's FEATURE_RATIONALE, the grader's raw-columns check)"


def _feature_code_tested(ev: Evidence) -> Result:
    if not ev.tested(r"features\.|build_features|derived_features|sale_row"):
        return "missing", "no test in tests/ calls the feature code (cardprice.features or predict.sale_row)"
    if ev.ok("features.no_skew"):
        return "automated", "tests in tests/ run the feature code, and the one implementation is shared by training and serving"
    return "missing", "tests call the feature code, but the grader could not run training and serving on it yet"


def _tuned(ev: Evidence) -> Result:
    text = ev.answer("03_training_and_experiments.py", "MODEL_CHOICE") + ev.section("model_card.md", "Model details")
    if mentions(text, r"hyper-?parameter|tun(ed|ing)|grid search|random(ized)? search|optuna"):
        return "documented", "your model choice or model card says how hyperparameters were chosen"
    return "mentor", "nothing written says how the hyperparameters were chosen"


def _staleness(ev: Evidence) -> Result:
    text = ev.section("model_card.md", "Limitations and risks") + ev.section("runbook.md", "Retraining")
    if ev.ok("evaluation.holdout") and mentions(text, r"stale|quarterl|monthly|weekly|retrain"):
        return "documented", "judged on later sales, and the model card or runbook says how often to retrain"
    return "missing", "no out-of-time result together with a written retraining cadence"


def _simpler(ev: Evidence) -> Result:
    done = [ev.ok("models.compared"), ev.ok("evaluation.holdout")]
    if all(done):
        return "automated", "every training run compares the baseline on the same folds, and the shipped model beat it on hidden later sales"
    if any(done):
        return "documented", "the baseline comparison holds in one of the grader's two checks (folds, hidden later sales)"
    return "missing", "no fair comparison with the median-by-rarity baseline held"


def _slices(ev: Evidence) -> Result:
    if not ev.ok("evaluation.analysis"):
        return "missing", "the error by slice does not recompute"
    if ev.tested(r"slice"):
        return "automated", "slices recompute, and a test in tests/ checks quality on slices"
    if ev.section("model_card.md", "Error analysis"):
        return "documented", "slices recompute, and the model card's error analysis reads them (no test checks a slice's quality)"
    return "missing", "slices recompute, but nothing judges whether each is good enough"


def _model_tested(ev: Evidence) -> Result:
    if not ev.tested(r"models\.|fit_and_score|candidates\(|baseline\(|predictor"):
        return "missing", "no test in tests/ exercises the model code or the trained model"
    if ev.ok("models.compared"):
        return "automated", "tests in tests/ exercise the model code and the trained model's behaviour"
    return "missing", "tests call the model code, but the grader's comparison of the models did not run"


def _integration(ev: Evidence) -> Result:
    if ev.tested(r"TestClient|create_app") and ev.ok("deployment.contract"):
        return "automated", "tests in tests/ go through the real app with the trained model; the grader trained and served it end to end"
    if ev.section("runbook.md", "Start") and ev.ok("deployment.contract"):
        return "documented", "the runbook's Start walks train → serve → ready; no test goes through the app"
    return "missing", "no end-to-end run from training to a served prediction held"


def _validated_before_serving(ev: Evidence) -> Result:
    if mentions(ev.section("runbook.md", "Retraining"), r"accept|reject|no worse|compare|before it serves"):
        return "documented", "the runbook's Retraining says how a new model is accepted or rejected before it serves"
    return "mentor", "no written rule in the runbook for accepting a new model before it serves (it may be in code)"


def _canary(ev: Evidence) -> Result:
    text = ev.section("runbook.md", "Retraining") + ev.section("runbook.md", "Start") + ev.section("runbook.md", "Rollback")
    if mentions(text, r"canar|shadow|staged|fraction of (the )?traffic|blue.green"):
        return "documented", "the runbook says how a new model first meets a small share of traffic"
    return "mentor", "nothing says how a new model is canaried before it serves all traffic"


def _rollback(ev: Evidence) -> Result:
    if not ev.section("runbook.md", "Rollback"):
        return "missing", "the runbook has no Rollback section of your own"
    if ev.tested(r"rollback|roll_back|archive"):
        return "automated", "the runbook's Rollback is backed by a test that restores the previous model"
    return "documented", "the runbook's Rollback says how to return to the previous model"


def _invariants(ev: Evidence) -> Result:
    training, serving = ev.ok("data.validation"), ev.ok("deployment.contract")
    if training and serving:
        return "automated", "training refuses invalid sales and the service refuses invalid requests (4xx, no 500 under fuzzing)"
    if training or serving:
        return "documented", "invariants hold on one side only: " + ("training" if training else "serving")
    return "missing", "neither training's validation nor the service's request checks held"


def _stale(ev: Evidence) -> Result:
    if mentions(ev.section("runbook.md", "Retraining"), r"quarterl|monthly|weekly|every \d+|days|stale"):
        return "documented", "the runbook's Retraining sets when a model is too old"
    return "missing", "the runbook's Retraining gives no cadence for a model that grows stale"


def _stable(ev: Evidence) -> Result:
    code = ev.code("predict.py") + ev.code("service.py")
    if ev.ok("evaluation.holdout") and re.search(r"isfinite|isnan|isinf", code):
        return "automated", "the serving code checks its numbers for NaN or infinity"
    return "mentor", "nothing in the serving code checks predictions for NaN or infinity"


def _latency(ev: Evidence) -> Result:
    service = ev.code("service.py")
    exported = "/metrics" in service and "Histogram(" in service and mentions(service, r"latency|seconds")
    alert = mentions(ev.section("runbook.md", "Alerts and what to do"), r"latency|p9\d")
    if exported and alert and ev.ok("deployment.contract", "deployment.latency"):
        return "automated", "the service exports a latency histogram at /metrics and the runbook alerts on it; its CPU per prediction is within budget"
    if alert or ev.section("model_card.md", "Serving performance"):
        return "documented", "latency is measured by hand (model card) or alerted on in the runbook, not both with metrics the grader saw serve"
    return "missing", "no latency metric, alert or measurement"


def _quality(ev: Evidence) -> Result:
    text = ev.section("runbook.md", "Alerts and what to do") + ev.answer("05_deployment_and_monitoring.py", "MONITORING_PLAN")
    if mentions(text, r"drift|psi|coverage|realised|realized"):
        return "documented", "the runbook or monitoring plan watches served predictions (drift, range coverage); nothing scores them automatically here"
    return "missing", "no written plan to watch the quality of served predictions"


TESTS: list[Test] = [
    Test("data.1", "Feature expectations are captured in a schema", _schema),
    Test("data.2", "All features are beneficial", _features_beneficial),
    Test("data.3", "No feature's cost is too much", mentor("the cost of each feature (latency, upkeep) against its gain")),
    Test("data.4", "Features adhere to meta-level requirements", mentor("no feature that is forbidden (e.g. a personal or unstable source)")),
    Test("data.5", "The data pipeline has appropriate privacy controls", mentor("who may read the data, and what is kept")),
    Test("data.6", "New features can be added quickly", mentor("how long adding a feature takes, from idea to serving")),
    Test("data.7", "All input feature code is tested", _feature_code_tested),
    Test("model.1", "Model specs are reviewed and submitted", mentor("the mentor's review of this pull request is the review of the model code")),
    Test("model.2", "Offline and online metrics correlate", mentor("the course has no online metric: how would the offline RMSE be checked against real sales?")),
    Test("model.3", "All hyperparameters have been tuned", _tuned),
    Test("model.4", "The impact of model staleness is known", _staleness),
    Test("model.5", "A simpler model is not better", _simpler),
    Test("model.6", "Model quality is sufficient on important data slices", _slices),
    Test("model.7", "The model is tested for considerations of inclusion", mentor("whether some groups of cards or sellers are served worse")),
    Test("infra.1", "Training is reproducible", _graded("data.reproducible", yes="training twice gave the same model and metrics in the grader",
                                                        no="training twice did not give the same model and metrics")),
    Test("infra.2", "Model specs are unit tested", _model_tested),
    Test("infra.3", "The ML pipeline is integration tested", _integration),
    Test("infra.4", "Model quality is validated before serving", _validated_before_serving),
    Test("infra.5", "The model is debuggable", mentor("whether one example's path through features and model can be inspected")),
    Test("infra.6", "Models are canaried before serving", _canary),
    Test("infra.7", "Serving models can be rolled back", _rollback),
    Test("monitor.1", "Dependency changes result in notification", mentor("who hears of a change in a dependency or the data upstream")),
    Test("monitor.2", "Data invariants hold for training and serving inputs", _invariants),
    Test("monitor.3", "Training and serving features compute the same values",
         _graded("features.no_skew", yes="the grader found the features at prediction time equal to training's",
                 no="features at prediction time differ from training's")),
    Test("monitor.4", "Models are not too stale", _stale),
    Test("monitor.5", "Models are numerically stable", _stable),
    Test("monitor.6", "Computing performance has not regressed", _latency),
    Test("monitor.7", "Prediction quality has not regressed on served data", _quality),
]
BY_ID = {t.id: t for t in TESTS}


def detect(folder: Path, criteria: list[Criterion]) -> MLTestScore:
    """Run every detector on a capstone folder and the criteria the grader measured on it."""
    ev = Evidence(folder, {c.id: c.passed for c in criteria})
    out = []
    for test in TESTS:
        status, evidence = test.detect(ev)
        out.append(MLTest(id=test.id, status=status, evidence=evidence))
    return MLTestScore(tests=out)


# -- arithmetic (from statuses only, so a report's numbers cannot disagree with its tests) -------


def statuses(score: MLTestScore) -> dict[str, MLTest]:
    """Known test id → its stored result (unknown ids dropped; a missing id counts as not found)."""
    got = {t.id: t for t in score.tests if t.id in BY_ID}
    return {tid: got.get(tid, MLTest(id=tid, status="missing")) for tid in BY_ID}


def section_sums(score: MLTestScore) -> dict[str, float]:
    sums = dict.fromkeys(SECTIONS, 0.0)
    for tid, t in statuses(score).items():
        sums[BY_ID[tid].section] += POINTS[t.status]
    return sums


def final(score: MLTestScore) -> float:
    return min(section_sums(score).values())


def band(value: float) -> str:
    if value <= 0:
        return "more of a research project than a productionized system"
    return next(text for low, text in BANDS if value > low)


def for_mentor(score: MLTestScore) -> list[Test]:
    return [BY_ID[tid] for tid, t in statuses(score).items() if t.status == "mentor"]


def line(score: MLTestScore) -> str:
    """One line of plain text (our own words and numbers only): the score and its sections."""
    sums = section_sums(score)
    value = final(score)
    parts = " · ".join(f"{SECTIONS[k]} {sums[k]:g}/7" for k in SECTIONS)
    return f"ML Test Score {value:g} (the lowest section; {parts}): {band(value)}"
