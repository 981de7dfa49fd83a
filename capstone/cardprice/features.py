"""Sale (card + copy + date) → model inputs. Training and serving both call `build_features`.

Two kinds of features:
- derived row by row (`derived_features`): no fitting, so nothing can leak from other rows;
- fitted (`make_preprocessor`): encoders learned inside the model pipeline, so in
  cross-validation they only ever see the training fold.
"""

import numpy as np
import pandas as pd
from coursedata.vocab import CONDITIONS, GRADING_COMPANIES, LANGUAGES, MARKETPLACES, MECHANICS, RARITIES

# The columns a prediction needs: the catalog card plus what is true of this copy and sale.
INPUT_COLUMNS = ["sale_date", "marketplace", "set_code", "release_date", "species", "rarity", "mechanic",
                 "card_hp", "print_run", "language", "first_edition", "condition", "grading_company", "grade"]
MARKET_START = pd.Timestamp("2023-01-01")  # the first day of the training sales
WOTC_LAST_RELEASE = pd.Timestamp("2003-06-30")  # Wizards of the Coast printed the sets until mid-2003

NUMERIC = ["rarity_rank", "log_print_run", "age_years", "wotc", "first_edition", "graded", "grade_points",
           "grade_9_5_plus", "grade_10", "vintage_gem", "raw_condition", "years_since_start", "december",
           "card_hp"]
CATEGORICAL = ["language", "marketplace", "grading_company", "mechanic"]
HIGH_CARDINALITY = ["species"]  # about 1,000 species: encoded by their price level, fitted per fold


def derived_features(sales: pd.DataFrame) -> pd.DataFrame:
    """Per-row features from the input columns; the same code path at training and at serving."""
    ### BEGIN SOLUTION
    df = sales[INPUT_COLUMNS]
    sale, release = pd.to_datetime(df["sale_date"]), pd.to_datetime(df["release_date"])
    graded = (df["grading_company"] != "ungraded").to_numpy()
    grade = pd.to_numeric(df["grade"], errors="coerce").fillna(0).to_numpy()
    wotc = (release <= WOTC_LAST_RELEASE).to_numpy()
    out = pd.DataFrame({
        "rarity_rank": df["rarity"].map(RARITIES.index).astype(float),
        # a print run of 100 and one of 1,000,000 differ by orders of magnitude: log
        "log_print_run": np.log(df["print_run"].astype(float)),
        "age_years": (sale - release).dt.days / 365.25,
        "wotc": wotc.astype(float),
        "first_edition": df["first_edition"].astype(float),
        "graded": graded.astype(float),
        # grades matter above 8; ungraded copies get 0 and the `graded` flag says why
        "grade_points": np.where(graded, grade - 8, 0.0),
        "grade_9_5_plus": (graded & (grade >= 9.5)).astype(float),
        "grade_10": (graded & (grade == 10)).astype(float),
        "vintage_gem": (graded & (grade == 10) & wotc).astype(float),
        # a graded copy's condition is implied by its grade: only raw copies use it
        "raw_condition": np.where(graded, 0.0, df["condition"].map(CONDITIONS.index).astype(float) - 4),
        "years_since_start": (sale - MARKET_START).dt.days / 365.25,
        "december": (sale.dt.month == 12).astype(float),
        "card_hp": df["card_hp"].astype(float),
    }, index=df.index)
    for column in CATEGORICAL + HIGH_CARDINALITY:
        out[column] = df[column].astype(str)
    return out
    ### END SOLUTION


def make_preprocessor():
    """The fitted part: one-hot for small vocabularies, a cross-fitted target encoding for species."""
    ### BEGIN SOLUTION
    from sklearn.compose import ColumnTransformer
    from sklearn.model_selection import KFold
    from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder

    vocab = {"language": LANGUAGES, "marketplace": MARKETPLACES, "grading_company": GRADING_COMPANIES,
             "mechanic": MECHANICS}
    return ColumnTransformer([
        ("numeric", StandardScaler(), NUMERIC),
        ("onehot", OneHotEncoder(categories=[vocab[c] for c in CATEGORICAL], handle_unknown="ignore",
                                 sparse_output=False), CATEGORICAL),
        # TargetEncoder cross-fits inside fit_transform: a row's own price never encodes it
        ("species_level", TargetEncoder(target_type="continuous", cv=KFold(5, shuffle=True, random_state=0)), HIGH_CARDINALITY),
    ], verbose_feature_names_out=False)
    ### END SOLUTION


def build_features(sales: pd.DataFrame) -> pd.DataFrame:
    """What the pipeline's first step receives: the derived features (fitted steps follow)."""
    missing = [c for c in INPUT_COLUMNS if c not in sales.columns]
    if missing:
        raise ValueError(f"missing input columns: {', '.join(missing)}")
    return derived_features(sales)
