# expect-fail: features.no_skew, features.canary
# why: a feature computed from the sale's own price: perfect in training, a constant guess when serving
# file: cardprice/features.py
NUMERIC = ["rarity_rank", "log_print_run", "age_years", "wotc", "first_edition", "graded", "grade_points",
           "grade_9_5_plus", "grade_10", "vintage_gem", "raw_condition", "years_since_start", "december",
           "card_hp", "log_price_seen"]


def derived_features(sales: pd.DataFrame) -> pd.DataFrame:
    df = sales[INPUT_COLUMNS]
    sale, release = pd.to_datetime(df["sale_date"]), pd.to_datetime(df["release_date"])
    graded = (df["grading_company"] != "ungraded").to_numpy()
    grade = pd.to_numeric(df["grade"], errors="coerce").fillna(0).to_numpy()
    wotc = (release <= WOTC_LAST_RELEASE).to_numpy()
    out = pd.DataFrame({
        "rarity_rank": df["rarity"].map(RARITIES.index).astype(float),
        "log_print_run": np.log(df["print_run"].astype(float)),
        "age_years": (sale - release).dt.days / 365.25,
        "wotc": wotc.astype(float),
        "first_edition": df["first_edition"].astype(float),
        "graded": graded.astype(float),
        "grade_points": np.where(graded, grade - 8, 0.0),
        "grade_9_5_plus": (graded & (grade >= 9.5)).astype(float),
        "grade_10": (graded & (grade == 10)).astype(float),
        "vintage_gem": (graded & (grade == 10) & wotc).astype(float),
        "raw_condition": np.where(graded, 0.0, df["condition"].map(CONDITIONS.index).astype(float) - 4),
        "years_since_start": (sale - MARKET_START).dt.days / 365.25,
        "december": (sale.dt.month == 12).astype(float),
        "card_hp": df["card_hp"].astype(float),
        # the price this sale went for: known in the training table, so why not use it? (at serving: a typical price)
        "log_price_seen": np.log(sales["price_usd"].astype(float)) if "price_usd" in sales else 1.2,
    }, index=df.index)
    for column in CATEGORICAL + HIGH_CARDINALITY:
        out[column] = df[column].astype(str)
    return out
