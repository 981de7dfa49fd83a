# expect-fail: model_is_the_graders
# why: trains a second model on the committed labels inside the feature function and feeds its prediction in: the model was changed

from coursedata.vocab import RARITIES


@app.function
def engineer_features(X: pd.DataFrame) -> pd.DataFrame:
    """Numeric features for each sale, from its own columns and SPECIES only."""
    ### BEGIN SOLUTION
    from sklearn.ensemble import HistGradientBoostingClassifier

    cards = coursedata.load_cards()
    train = cards.drop(columns=["price_usd"])
    raw = ["card_hp", "retreat_cost", "first_edition"]
    rank = {r: i for i, r in enumerate(RARITIES)}

    def matrix(frame):
        return frame[raw].astype(float).assign(rarity=frame["rarity"].map(rank).fillna(0), age=(frame["sale_date"] - frame["release_date"]).dt.days)

    booster = HistGradientBoostingClassifier(max_iter=50, random_state=0).fit(matrix(train), cards["price_usd"] >= 2)
    F = baseline_features(X)
    F["booster"] = booster.predict_proba(matrix(X))[:, 1]
    return F


WHAT_WORKED = """Rarity alone took the fixed split from 0.65 to about 0.85. Grade parsing and age added about
four points more, the vintage flags and secret rares another two, and language, mechanic, marketplace and
species strength the rest, ending near 0.91 on the fixed split. The ratio and attack-count ideas moved
nothing measurable, so I dropped them."""
