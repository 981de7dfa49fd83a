"""Committed file names (relative to data/ or grading/hidden/data/) and byte-stable CSV I/O."""

from pathlib import Path

# Public files, relative to DATA_DIR.
SPECIES = "species.csv"
CARDS = "cards.csv"
CARDS_DIRTY = "cards_dirty.csv"
DROP = "drops/new_drop.csv"
CHURN = "exams/churn.csv"
CREDIT = "exams/credit_train.csv"
# Instructor-only files, relative to HIDDEN_DIR.
SPECIES_ISSUES = "species_issues.csv"
CARDS_DIRTY_TRUTH = "cards_dirty_truth.csv"
DROP_TRUTH = "drops/new_drop_truth.json"
HIDDEN_DROPS = ("drop_b", "drop_c", "drop_clean")
CALIBRATION_HOLDOUT = "calibration_holdout.csv"
CHURN_CLEAN = "exams/churn_clean.csv"
CHURN_TRUTH = "exams/churn_truth.json"
CHURN_ISSUES = "exams/churn_issues.csv"
CREDIT_HOLDOUT = "exams/credit_holdout.csv"
CREDIT_TRUTH = "exams/credit_truth.json"
# Instructor-only, relative to CAPSTONE_HIDDEN_DIR: sales after the public window.
CAPSTONE_HOLDOUT = "holdout.csv"


def write_csv(df, path: Path) -> None:
    """CSV with fixed line endings and encoding, so bytes depend only on the values."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8", date_format="%Y-%m-%d")


def write_json(obj, path: Path) -> None:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
