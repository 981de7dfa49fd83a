"""The debugging guide quotes real error messages: each entry's symptom is produced here, on
the versions in uv.lock, and must match the page line for line.

`uv run python tests/test_site_debugging.py` prints every message (to write a new entry).
"""

# No `from __future__ import annotations`: FastAPI must see the real annotation of a local model.
import contextlib
import io
import pickle
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "debugging.md"
TRIGGERS: dict[str, Callable[[], str]] = {}


def trigger(anchor: str):
    """Register what reproduces an entry: an exception or warning it causes, as Python prints
    its last line, or the text it returns (what a terminal or an HTTP client shows)."""

    def register(fn: Callable[[], str | None]) -> Callable[[], str]:
        def run() -> str:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    shown = fn()
                except Exception as exc:  # noqa: BLE001 - any error is the symptom we quote
                    return f"{type(exc).__name__}: {exc}"
            if shown:
                return shown
            if caught:
                w = caught[0]
                return f"{w.category.__name__}: {w.message}"
            raise AssertionError(f"{anchor}: the trigger raised nothing and warned nothing")

        TRIGGERS[anchor] = run
        return run

    return register


def cards():
    import pandas as pd

    return pd.read_csv(ROOT / "data" / "cards.csv").head(200)


# ---- pandas ----------------------------------------------------------------------------------


@trigger("pandas-chained-assignment")
def _():
    frame = cards()
    frame[frame["rarity"] == "Common"]["price_usd"] = 0.0


@trigger("pandas-numbers-as-text")
def _():
    import pandas as pd

    prices = pd.Series(["$4.11", "$0.35", "$12.00"])
    prices.astype(float)


@trigger("pandas-nan-to-int")
def _():
    cards()["grade"].astype(int)


@trigger("pandas-key-error")
def _():
    cards()["Price"]


@trigger("pandas-truth-value")
def _():
    frame = cards()
    if frame["price_usd"] > 100:
        pass


@trigger("pandas-merge-duplicates")
def _():
    import pandas as pd

    sets = pd.DataFrame({"set_code": ["MEW", "MEW"], "era": ["sv", "sv2"]})
    cards().merge(sets, on="set_code", how="left", validate="many_to_one")


# ---- polars ----------------------------------------------------------------------------------


@trigger("polars-column-not-found")
def _():
    import polars as pl

    pl.DataFrame({"price_usd": [1.0]}).select(pl.col("price"))


@trigger("polars-lazy-frame")
def _():
    import polars as pl

    lazy = pl.DataFrame({"price_usd": [1.0, 2.0]}).lazy()
    lazy["price_usd"]


@trigger("polars-strict-cast")
def _():
    import polars as pl

    pl.Series("price", ["4.11", "$0.35"]).cast(pl.Float64)


@trigger("polars-expr-truth")
def _():
    import polars as pl

    if pl.col("price_usd") > 100:
        pass


# ---- DuckDB ----------------------------------------------------------------------------------


@trigger("duckdb-fetchone")
def _():
    import duckdb

    duckdb.connect().sql("SELECT 42 AS answer").fetchone()


# ---- scikit-learn ----------------------------------------------------------------------------


def _xy():
    frame = cards()
    return frame[["card_hp", "retreat_cost", "grade"]], frame["price_usd"]


@trigger("sklearn-nan")
def _():
    from sklearn.linear_model import LinearRegression

    X, y = _xy()
    LinearRegression().fit(X, y)


@trigger("sklearn-strings")
def _():
    from sklearn.linear_model import LinearRegression

    frame = cards()
    LinearRegression().fit(frame[["card_hp", "rarity"]], frame["price_usd"])


@trigger("sklearn-feature-names")
def _():
    from sklearn.linear_model import LinearRegression

    X, y = _xy()
    model = LinearRegression().fit(X[["card_hp", "retreat_cost"]], y)
    model.predict(X[["retreat_cost", "card_hp"]])


@trigger("sklearn-not-fitted")
def _():
    from sklearn.preprocessing import StandardScaler

    StandardScaler().transform(_xy()[0])


@trigger("sklearn-1d")
def _():
    from sklearn.preprocessing import StandardScaler

    StandardScaler().fit([1.0, 2.0, 3.0])


@trigger("sklearn-unknown-category")
def _():
    import pandas as pd
    from sklearn.preprocessing import OneHotEncoder

    enc = OneHotEncoder().fit(pd.DataFrame({"rarity": ["Common", "Rare"]}))
    enc.transform(pd.DataFrame({"rarity": ["Secret Rare"]}))


@trigger("sklearn-stratify-rare-class")
def _():
    from sklearn.model_selection import train_test_split

    train_test_split(list(range(10)), stratify=[0] * 9 + [1], test_size=0.3, random_state=0)


@trigger("sklearn-convergence")
def _():
    from sklearn.linear_model import LogisticRegression

    frame = cards()
    LogisticRegression(max_iter=5).fit(frame[["card_hp", "print_run"]], frame["price_usd"] > 10)


@trigger("sklearn-pickle-version")
def _():
    import sklearn
    from sklearn.linear_model import LinearRegression

    blob = pickle.dumps(LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0]))
    now = sklearn.__version__.encode()
    older = b"1.5.2"[: len(now)].ljust(len(now), b"0")  # same length keeps the pickle valid
    pickle.loads(blob.replace(now, older))


# ---- XGBoost ---------------------------------------------------------------------------------


@trigger("xgboost-object-columns")
def _():
    import xgboost as xgb

    frame = cards()
    xgb.XGBRegressor(n_estimators=2).fit(frame[["card_hp", "rarity"]], frame["price_usd"])


@trigger("xgboost-fit-early-stopping")
def _():
    import xgboost as xgb

    X, y = _xy()
    xgb.XGBRegressor(n_estimators=2).fit(X, y, early_stopping_rounds=10)


@trigger("xgboost-feature-names")
def _():
    import xgboost as xgb

    X, y = _xy()
    model = xgb.XGBRegressor(n_estimators=2).fit(X, y)
    model.predict(X.rename(columns={"grade": "psa_grade"}))


# ---- marimo ----------------------------------------------------------------------------------

MULTIPLE = '''import marimo

app = marimo.App()


@app.cell
def _():
    price = 4.11
    return (price,)


@app.cell
def _():
    price = 5.0
    return (price,)


if __name__ == "__main__":
    app.run()
'''

CYCLE = '''import marimo

app = marimo.App()


@app.cell
def _(b):
    a = b + 1
    return (a,)


@app.cell
def _(a):
    b = a + 1
    return (b,)


if __name__ == "__main__":
    app.run()
'''


def _run_notebook(source: str, tmp: Path) -> str:
    path = tmp / "notebook.py"
    path.write_text(source)
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    return (proc.stdout + proc.stderr).strip() or f"exit {proc.returncode} and no output"


@trigger("marimo-multiple-definitions")
def _():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return _run_notebook(MULTIPLE, Path(tmp))


@trigger("marimo-cycle")
def _():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return _run_notebook(CYCLE, Path(tmp))


# ---- pydantic and FastAPI --------------------------------------------------------------------


def _card_model():
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field

    class CardIn(BaseModel):
        model_config = ConfigDict(extra="forbid")
        card_hp: int = Field(ge=10, le=400)
        rarity: Literal["Common", "Rare"]

    return CardIn


@trigger("pydantic-validation")
def _():
    _card_model()(card_hp="sixty", rarity="Common")


@trigger("pydantic-extra-forbidden")
def _():
    _card_model()(card_hp=60, rarity="Common", hp=60)


@trigger("fastapi-422")
def _():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    CardIn = _card_model()
    app = FastAPI()

    @app.post("/predict")
    def predict(card: CardIn) -> dict:  # type: ignore[valid-type]
        return {"ok": True}

    response = TestClient(app).post("/predict", json={"card_hp": 5, "rarity": "Common"})
    return f"HTTP {response.status_code}\n{response.text}"


@trigger("fastapi-numpy-response")
def _():
    import numpy as np
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/price")
    def price():
        return {"price_usd": np.float32(4.11)}

    TestClient(app).get("/price")


# ---- pandera ---------------------------------------------------------------------------------


@trigger("pandera-schema-error")
def _():
    import pandas as pd
    import pandera.pandas as pa

    schema = pa.DataFrameSchema({"price_usd": pa.Column(float, pa.Check.gt(0))})
    schema.validate(pd.DataFrame({"price_usd": [4.11, -1.0, 0.0]}))


# ---- the checks ------------------------------------------------------------------------------

SECTION = re.compile(r"^## (.+?) \{#([\w-]+)\}\s*$", re.M)
QUOTE = re.compile(r"```text\n(.*?)\n```", re.S)


def page_entries() -> dict[str, str]:
    """anchor -> the symptom the page quotes (its first text block)."""
    text = PAGE.read_text(encoding="utf-8")
    heads = list(SECTION.finditer(text))
    entries = {}
    for i, head in enumerate(heads):
        body = text[head.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        quote = QUOTE.search(body)
        assert quote, f"entry {head.group(2)} quotes no message"
        entries[head.group(2)] = quote.group(1)
        for part in ("**Symptom**", "**Cause**", "**Fix**", "**Prevent it**"):
            assert part in body, f"entry {head.group(2)} has no {part}"
    return entries


def test_every_entry_has_a_trigger_and_there_are_at_least_25():
    entries = page_entries()
    assert sorted(entries) == sorted(TRIGGERS), "each entry on the page is reproduced here, and only those"
    assert len(entries) >= 25


@pytest.fixture(scope="module")
def messages() -> dict[str, str]:
    with contextlib.redirect_stderr(io.StringIO()):
        return {anchor: run() for anchor, run in TRIGGERS.items()}


@pytest.mark.parametrize("anchor", sorted(TRIGGERS))
def test_the_page_quotes_the_real_message(anchor, messages):
    quoted = [line.rstrip() for line in page_entries()[anchor].splitlines()]
    real = [line.rstrip() for line in messages[anchor].splitlines()]
    assert quoted, anchor
    assert quoted == real[: len(quoted)], f"{anchor}: the page quotes\n" + "\n".join(quoted) + "\nbut the real message is\n" + "\n".join(real)


if __name__ == "__main__":
    for name, run in TRIGGERS.items():
        print(f"## {name}\n{run()}\n")
