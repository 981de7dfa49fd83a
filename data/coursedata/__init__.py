"""Course datasets: loaders, generators, schemas, and their verification.

Importing this package is cheap (pandas loads on first use): the grader imports it in a
hot path. Submodules: cards, species, catalog, dirty, drops, calibration, churn, credit,
schemas, build, verify, paths.
"""

from .loaders import (
    load_cards,
    load_churn,
    load_credit,
    load_credit_holdout,
    load_dirty_cards,
    load_dirty_truth,
    load_drop,
    load_drop_truth,
    load_species,
)
from .paths import DATA_DIR, HIDDEN_DIR

__all__ = [
    "DATA_DIR",
    "HIDDEN_DIR",
    "load_cards",
    "load_churn",
    "load_credit",
    "load_credit_holdout",
    "load_dirty_cards",
    "load_dirty_truth",
    "load_drop",
    "load_drop_truth",
    "load_species",
]
