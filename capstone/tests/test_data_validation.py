"""Data tests: the clean sales pass, every kind of corruption is caught, loading is reproducible."""

import pandas as pd
import pytest
from cardprice import data


def test_clean_sales_pass_validation(sales):
    assert data.validate_sales(sales) == []


def test_loading_is_reproducible():
    first, second = data.load_sales(), data.load_sales()
    pd.testing.assert_frame_equal(first, second)


CORRUPTIONS = ["negative price", "duplicated sale", "grade out of range", "unknown rarity", "missing column",
               "sale before release", "too few rows"]


def corrupted_copy(sales: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The first 2,000 sales with one corruption of the given kind planted."""
    bad = sales.head(2_000).copy()
    ### BEGIN SOLUTION
    if kind == "negative price":
        bad.loc[5, "price_usd"] = -3.0
    elif kind == "duplicated sale":
        bad = pd.concat([bad, bad.iloc[[7]]], ignore_index=True)
    elif kind == "grade out of range":
        bad.loc[bad.index[bad["grading_company"] != "ungraded"][0], "grade"] = 11.0
    elif kind == "unknown rarity":
        bad.loc[3, "rarity"] = "Shiny"
    elif kind == "missing column":
        bad = bad.drop(columns=["condition"])
    elif kind == "sale before release":
        bad.loc[9, "sale_date"] = bad.loc[9, "release_date"] - pd.Timedelta(days=30)
    elif kind == "too few rows":
        bad = bad.head(50)
    ### END SOLUTION
    return bad


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_validation_catches_each_corruption(sales, kind):
    problems = data.validate_sales(corrupted_copy(sales, kind))
    assert problems, f"validate_sales accepted data with a {kind}"
    assert all(isinstance(p, str) and p for p in problems)
