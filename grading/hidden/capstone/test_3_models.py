"""Rubric section 3, model development (20 points): a fair comparison, tracked, and a choice it justifies."""

from __future__ import annotations

from grading.capstone_item import need
from grading.criteria import criterion
from grading.testing import Miss

LESSON_ZOO = "03_model_training.py#5 · The model zoo on one task"
LESSON_SPLITS = "03_model_training.py#2 · Train, validation, test: and why three"
LESSON_TRACKING = "03_model_training.py#8 · Experiment tracking with MLflow"


@criterion(id="models.compared", points=10,
           title="3+ model families and the baseline on the same time-ordered folds, with spread, tracked in MLflow",
           hint="Compare at least three different families (e.g. a linear model, a forest, boosting) and the baseline "
                "on the same expanding, time-ordered folds (train on the past, validate on the next months), report "
                "each metric's mean and spread across folds, and log one MLflow run per model with its fold metrics.",
           lesson=LESSON_ZOO)
def test_families_compared_fairly_and_tracked(training):
    first, fold_list = need(training, "first", "folds")
    rows = [r for r in first.get("cross_validation", []) if isinstance(r, dict)]
    names = [r.get("model") for r in rows]
    problems = []
    if "baseline" not in names:
        problems.append("the baseline is not in the comparison")
    families = [n for n in names if n != "baseline"]
    if len(set(families)) < 3:
        problems.append(f"{len(set(families))} model families compared ({', '.join(map(str, families)) or 'none'}), 3 needed")
    no_spread = [r.get("model") for r in rows if "rmse_log_std" not in r]
    if no_spread:
        problems.append(f"no spread across folds (rmse_log_std) for {', '.join(map(str, no_spread))}")
    if len(fold_list) < 3:
        problems.append(f"{len(fold_list)} folds; at least 3 give a spread worth reading")
    future = [i for i, f in enumerate(fold_list) if f["train_max"] >= f["valid_min"]]
    if future:
        problems.append(f"fold {future[0] + 1} trains on sales later than some it validates on (folds must follow time)")
    runs = need(training, "runs")
    tracked = {r.get("name") for r in runs if any("fold" in m for m in r.get("metrics", []))}
    untracked = [n for n in names if n not in tracked]
    if untracked:
        problems.append(f"no MLflow run with fold metrics in capstone/mlflow.db for {', '.join(map(str, untracked))}")
    if problems:
        raise Miss("; ".join(problems))


@criterion(id="models.selected", points=10, title="The shipped model is the one the validation folds chose",
           hint="Select on the validation folds' error (lowest mean RMSE of ln price), never on a test split or the "
                "training error, and ship a candidate, not the baseline; the grader's later sales then judge the choice.",
           lesson=LESSON_SPLITS)
def test_choice_follows_the_folds(training):
    first = need(training, "first")
    chosen = first.get("model")
    rows = {r.get("model"): r for r in first.get("cross_validation", []) if isinstance(r, dict) and "rmse_log" in r}
    candidates = {n: float(r["rmse_log"]) for n, r in rows.items() if n != "baseline"}
    if chosen == "baseline" or chosen not in candidates:
        raise Miss(f"the shipped model {chosen!r} is not one of the compared candidates ({', '.join(map(str, candidates))})")
    best = min(candidates, key=candidates.get)
    if candidates[chosen] > candidates[best] + 1e-9:
        raise Miss(f"shipped {chosen} (RMSE ln {candidates[chosen]:.3f} on the folds) although {best} validated better "
                   f"({candidates[best]:.3f})")
