"""Shared fixtures for the capstone's own tests (run: uv run pytest capstone/tests)."""

import pytest
from cardprice import data
from cardprice.predict import MODEL_PATH, Predictor


@pytest.fixture(scope="session")
def sales():
    return data.load_sales()


@pytest.fixture(scope="session")
def predictor() -> Predictor:
    loaded = Predictor.load()
    if loaded is None:
        pytest.fail(f"no trained model at {MODEL_PATH}: run `uv run capstone train` first")
    return loaded


@pytest.fixture
def card(predictor) -> dict:
    """A catalog card (Base Set 004/102) as the predictor knows it."""
    return predictor.card("BS", "004/102")
