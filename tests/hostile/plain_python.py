"""A plain Python script, not a marimo notebook: no `app = marimo.App()`."""

import pandas as pd


def break_data(cards: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    return cards.copy()


def validate(cards: pd.DataFrame) -> list[dict]:
    return []


if __name__ == "__main__":
    print(validate(pd.DataFrame()))
