# expect-fail: finite_on_edge_cases
# why: hp per retreat energy divides by retreat_cost, which is 0 for many cards: infinity

@app.function
def add_feature(X: pd.DataFrame) -> pd.Series:
    """One numeric feature per sale, from that sale's own columns (and SPECIES)."""
    ### BEGIN SOLUTION
    rank = X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)
    return (rank * X["card_hp"] / X["retreat_cost"]).rename("hp_per_retreat")
