import marimo

__generated_with = "0.25.2"
app = marimo.App()

with app.setup:
    # The grader's probe: copied into (a copy of) the learner's capstone folder and imported in the
    # sandboxed learner process, so `cardprice` below is the learner's package. Every function takes
    # and returns plain data (grading.codec); the hidden tests judge the answers in the grader.
    from pathlib import Path

    HERE = Path(__file__).resolve().parent  # the copied capstone folder (writable, inside the sandbox)
    GRADED = HERE / "models_graded"  # where the grader's two trainings go (never the learner's models/)


@app.function
def swap_candidates(only: str):
    """Restrict `models.candidates()` to one family; returns the original to put back."""
    from cardprice import models

    full = models.candidates
    models.candidates = lambda: {only: full()[only]}
    return full


@app.function
def validate(sales) -> list:
    from cardprice import data

    problems = data.validate_sales(sales)
    if not isinstance(problems, list):
        raise TypeError(f"validate_sales returned {type(problems).__name__}, not a list of strings")
    return [str(p) for p in problems]


@app.function
def own_data_tests(sales) -> dict:
    """The learner's tests/test_data_validation.py, with `data.load_sales()` answering `sales`."""
    import pytest
    from cardprice import data

    outcomes: dict = {}

    class Collect:
        def pytest_runtest_logreport(self, report):
            if report.when == "call" or report.outcome != "passed":
                outcomes[report.nodeid.split("::")[-1]] = report.outcome

    original = data.load_sales
    data.load_sales = lambda: sales.copy()  # noqa: PLW0108 - a fresh copy per call
    try:
        code = pytest.main([str(HERE / "tests" / "test_data_validation.py"), "-q", "-p", "no:cacheprovider",
                            "-p", "no:randomly", "--import-mode=importlib", "--rootdir", str(HERE / "tests"),
                            "-W", "ignore", "--tb=no", "--no-header"], plugins=[Collect()])
    finally:
        data.load_sales = original
    return {"exit": int(code), "outcomes": outcomes}


@app.function
def train_first() -> dict:
    """`capstone train` as the brief defines it (tracked in MLflow), into a folder of the grader's."""
    from cardprice import train

    return train.train(out_dir=GRADED / "first", track=True, log=print)


@app.function
def tracked_runs() -> list:
    """The runs in the capstone's MLflow store (capstone/mlflow.db): name, metric and parameter names."""
    import logging

    if not (HERE / "mlflow.db").exists():
        return []
    import mlflow

    for noisy in ("mlflow", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    mlflow.set_tracking_uri(f"sqlite:///{HERE / 'mlflow.db'}")
    runs = mlflow.search_runs(search_all_experiments=True, output_format="list")
    return [{"name": r.info.run_name, "metrics": sorted(r.data.metrics), "params": sorted(r.data.params)} for r in runs]


@app.function
def train_second(chosen: str) -> dict:
    """Training again, the chosen family only (the others were compared once): the same result?"""
    from cardprice import models, train

    full = swap_candidates(chosen)
    try:
        return train.train(out_dir=GRADED / "second", track=False, log=print)
    finally:
        models.candidates = full


@app.function
def served_prices(which: str, rows) -> list:
    """Prices of sale rows through the saved model, as the service computes them (Predictor.predict)."""
    from cardprice.predict import Predictor

    predictor = Predictor.load(GRADED / which / "model.joblib")
    if predictor is None:
        raise FileNotFoundError(f"train() saved no model at {GRADED / which / 'model.joblib'}")
    return [float(p["price_usd"]) for p in predictor.predict(rows.to_dict(orient="records"))]


@app.function
def skew(rows) -> dict:
    """The same public sales priced two ways: the training path (build_features on the sales frame, price
    column included, as in training) and the serving path (a catalog card + copy + date, as the service does)."""
    import numpy as np
    from cardprice import features
    from cardprice.predict import Predictor, sale_row

    predictor = Predictor.load(GRADED / "first" / "model.joblib")
    trained = np.exp(predictor.pipeline.predict(features.build_features(rows)))
    copies = ["language", "first_edition", "condition", "grading_company", "grade", "marketplace"]
    served_rows = []
    for record in rows.to_dict(orient="records"):
        card = predictor.card(record["set_code"], record["card_number"])
        copy = {k: (None if k == "grade" and record[k] != record[k] else record[k]) for k in copies}
        served_rows.append(sale_row(card, copy, record["sale_date"]))
    served = [float(p["price_usd"]) for p in predictor.predict(served_rows)]
    return {"trained": [float(x) for x in trained], "served": served}


@app.function
def canary(family: str) -> dict:
    """Out-of-fold predictions of one family, then again with the last validation block's prices x1000.
    Nothing fitted on training folds may see a validation row's price: every prediction must stay put."""
    import numpy as np
    from cardprice import data, models, train

    full = swap_candidates(family)
    try:
        sales = data.load_sales()
        _, valid = train.time_folds(len(sales))[-1]
        _, clean = train.compare(sales, track=False, log=print)
        poisoned = sales.copy()
        poisoned.loc[poisoned.index[valid], data.TARGET] *= 1000
        _, dirty = train.compare(poisoned, track=False, log=print)
    finally:
        models.candidates = full
    a, b = np.asarray(clean[family], dtype=float), np.asarray(dirty[family], dtype=float)
    seen = ~np.isnan(a)
    moved = seen & ~np.isclose(a, b, rtol=0, atol=1e-6, equal_nan=True)
    in_block = np.zeros(len(a), bool)
    in_block[valid] = True
    return {"validated": int(seen.sum()), "moved": int(moved.sum()), "moved_outside_block": int((moved & ~in_block).sum()),
            "largest": float(np.nanmax(np.abs(a - b))) if seen.any() else 0.0}


@app.function
def folds(n_rows: int) -> list:
    from cardprice import train

    out = []
    for fit_rows, valid_rows in train.time_folds(n_rows):
        out.append({"train_max": int(max(fit_rows)), "valid_min": int(min(valid_rows)),
                    "n_train": len(fit_rows), "n_valid": len(valid_rows)})
    return out


@app.function
def metric_values(y_true: list, y_pred: list) -> dict:
    from cardprice import metrics

    return {k: float(v) for k, v in metrics.all_metrics(y_true, y_pred).items()}


@app.function
def slice_table(sales, predicted: list, by: str):
    import numpy as np
    from cardprice import evaluate

    return evaluate.slice_errors(sales, np.asarray(predicted, dtype=float), by)


@app.function
def slice_labels(sales):
    from cardprice import evaluate

    return evaluate.slices(sales).astype(str)


@app.function
def create_app():
    """The learner's service on the grader's first model."""
    from cardprice import service

    return service.create_app(model_path=GRADED / "first" / "model.joblib")


if __name__ == "__main__":
    app.run()
