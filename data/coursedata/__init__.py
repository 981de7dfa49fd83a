"""Course datasets: loaders, generators, schemas, and their verification.

Importing this package is cheap (pandas loads on first use): the grader imports it in a
hot path. Submodules: cards, species, catalog, dirty, drops, calibration, churn, credit,
schemas, build, verify, paths.
"""

from .loaders import (
    load_calibration_holdout,
    load_capstone_holdout,
    load_cards,
    load_churn,
    load_churn_clean,
    load_churn_issues,
    load_churn_truth,
    load_credit,
    load_credit_holdout,
    load_credit_truth,
    load_dirty_cards,
    load_dirty_truth,
    load_drop,
    load_drop_truth,
    load_species,
    load_species_issues,
)
from .paths import DATA_DIR, HIDDEN_DIR

__all__ = [
    "DATA_DIR",
    "HIDDEN_DIR",
    "load_calibration_holdout",
    "load_capstone_holdout",
    "load_cards",
    "load_churn",
    "load_churn_clean",
    "load_churn_issues",
    "load_churn_truth",
    "load_credit",
    "load_credit_holdout",
    "load_credit_truth",
    "load_dirty_cards",
    "load_dirty_truth",
    "load_drop",
    "load_drop_truth",
    "load_species",
    "load_species_issues",
]

_SUBMODULES = {
    "build", "calibration", "cards", "catalog", "churn", "contract", "credit", "dirty", "drift",
    "drops", "files", "paths", "schemas", "sets", "species", "type_classifier", "verify", "vocab",
}


def __getattr__(name: str):
    # `coursedata.cards.generate(...)` without importing pandas for every user of the package.
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'coursedata' has no attribute {name!r}")
