# expect-fail: features.beat_raw
# why: features of the printed card only: the copy's grade, condition and 1st Edition (what moves a price most) are dropped
# file: cardprice/features.py
NUMERIC = ["rarity_rank", "log_print_run", "age_years", "wotc", "years_since_start", "december", "card_hp"]
CATEGORICAL = ["marketplace", "mechanic"]


def derived_features(sales: pd.DataFrame) -> pd.DataFrame:
    df = sales[INPUT_COLUMNS]
    sale, release = pd.to_datetime(df["sale_date"]), pd.to_datetime(df["release_date"])
    out = pd.DataFrame({
        "rarity_rank": df["rarity"].map(RARITIES.index).astype(float),
        "log_print_run": np.log(df["print_run"].astype(float)),
        "age_years": (sale - release).dt.days / 365.25,
        "wotc": (release <= WOTC_LAST_RELEASE).to_numpy().astype(float),
        "years_since_start": (sale - MARKET_START).dt.days / 365.25,
        "december": (sale.dt.month == 12).astype(float),
        "card_hp": df["card_hp"].astype(float),
    }, index=df.index)
    for column in CATEGORICAL + HIGH_CARDINALITY:
        out[column] = df[column].astype(str)
    return out


def make_preprocessor():
    from sklearn.compose import ColumnTransformer
    from sklearn.model_selection import KFold
    from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder

    vocab = {"marketplace": MARKETPLACES, "mechanic": MECHANICS}
    return ColumnTransformer([
        ("numeric", StandardScaler(), NUMERIC),
        ("onehot", OneHotEncoder(categories=[vocab[c] for c in CATEGORICAL], handle_unknown="ignore",
                                 sparse_output=False), CATEGORICAL),
        ("species_level", TargetEncoder(target_type="continuous", cv=KFold(5, shuffle=True, random_state=0)), HIGH_CARDINALITY),
    ], verbose_feature_names_out=False)
