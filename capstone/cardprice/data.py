"""Load the course card sales and validate them before anything learns from them."""

import coursedata
import pandas as pd
from coursedata import schemas

TARGET = "price_usd"
# What is known about a card before it sells: the catalog columns.
CATALOG_COLUMNS = ["set_code", "set_name", "release_date", "card_number", "card_name", "species",
                   "species_id", "card_type", "rarity", "mechanic", "card_hp", "attacks",
                   "retreat_cost", "print_run"]


def load_sales() -> pd.DataFrame:
    """The course's 20,000 card sales (data/cards.csv), typed, in sale-date order."""
    return coursedata.load_cards().sort_values(["sale_date", "sale_id"], kind="stable").reset_index(drop=True)


def validate_sales(df: pd.DataFrame) -> list[str]:
    """Every problem that should stop training, as readable lines; [] when the data is fit to learn from.

    Checks the cards contract (columns, types, ranges, categories, cross-column rules) and
    what a price model additionally needs: no duplicated sales, positive prices, at least
    a few hundred rows.
    """
    ### BEGIN SOLUTION
    if not isinstance(df, pd.DataFrame):
        return [f"expected a pandas DataFrame, got {type(df).__name__}"]
    problems = schemas.validate(df, schemas.cards())
    if "sale_id" in df and df["sale_id"].duplicated().any():
        problems.append(f"sale_id: {int(df['sale_id'].duplicated().sum())} duplicated sales")
    if TARGET in df and pd.api.types.is_numeric_dtype(df[TARGET]) and (df[TARGET] <= 0).any():
        problems.append(f"{TARGET}: {int((df[TARGET] <= 0).sum())} prices are not positive")
    if len(df) < 500:
        problems.append(f"only {len(df)} rows: too few to train and validate a price model")
    return problems
    ### END SOLUTION


def catalog(sales: pd.DataFrame) -> pd.DataFrame:
    """One row per printed card (set_code, card_number): what the service looks a card up in."""
    return (sales[CATALOG_COLUMNS].drop_duplicates(["set_code", "card_number"])
            .sort_values(["set_code", "card_number"]).reset_index(drop=True))
