"""Compare the candidates on time-ordered folds, track every run, save the chosen model.

`uv run capstone train` calls `train()`. The folds are expanding windows in sale-date
order (train on the past, validate on the next stretch of time), because the model will
price sales that happen after everything it was trained on. Nothing here reads the
hidden holdout: it exists only for the grader and the reference benchmark.
"""

import hashlib
import json
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from . import MODEL_DIR, data, features, metrics, models

N_FOLDS = 4
INTERVAL = (0.1, 0.9)  # an 80 % range, from the chosen model's out-of-fold errors
MODEL_FILE, METADATA_FILE = "model.joblib", "model.json"


def time_folds(n_rows: int, n_folds: int = N_FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    """Expanding-window folds over rows in time order: each validates on the block after its training rows."""
    from sklearn.model_selection import TimeSeriesSplit

    return list(TimeSeriesSplit(n_splits=n_folds).split(np.arange(n_rows)))


def cross_validate(estimator, X: pd.DataFrame, y_log: np.ndarray, folds) -> tuple[list[dict], np.ndarray]:
    """Per-fold metrics (in dollars and log) and out-of-fold log predictions (NaN where never validated)."""
    ### BEGIN SOLUTION
    from sklearn.base import clone

    oof = np.full(len(y_log), np.nan)
    per_fold = []
    for train_idx, valid_idx in folds:
        fitted = clone(estimator).fit(X.iloc[train_idx], y_log[train_idx])
        oof[valid_idx] = fitted.predict(X.iloc[valid_idx])
        per_fold.append(metrics.all_metrics(np.exp(y_log[valid_idx]), np.exp(oof[valid_idx])))
    return per_fold, oof
    ### END SOLUTION


def compare(sales: pd.DataFrame, *, track: bool = True, log=print) -> tuple[pd.DataFrame, dict]:
    """Cross-validate the baseline and every candidate on the same folds.

    Returns one row per model (mean and spread of each metric across folds) and the
    out-of-fold log predictions by model name.
    """
    ### BEGIN SOLUTION
    X, y_log = features.build_features(sales), np.log(sales[data.TARGET].to_numpy())
    folds = time_folds(len(sales))
    rows, oof = [], {}
    for name, estimator in {"baseline": models.baseline(), **models.candidates()}.items():
        started = time.perf_counter()
        per_fold, oof[name] = cross_validate(estimator, X, y_log, folds)
        row = {"model": name, "fit_seconds": time.perf_counter() - started}
        for metric in per_fold[0]:
            values = [f[metric] for f in per_fold]
            row[metric], row[f"{metric}_std"] = float(np.mean(values)), float(np.std(values))
        rows.append(row)
        log(f"  {name:<14} rmse_log {row['rmse_log']:.3f} ± {row['rmse_log_std']:.3f}   "
            f"median APE {row['median_ape']:.1%}   MAE ${row['mae_usd']:.2f}")
        if track:
            _track(name, estimator, per_fold, row)
    return pd.DataFrame(rows), oof
    ### END SOLUTION


def select(results: pd.DataFrame) -> str:
    """The candidate to ship: lowest mean RMSE of ln price across folds (never the baseline)."""
    ### BEGIN SOLUTION
    candidates = results[results["model"] != "baseline"]
    return str(candidates.sort_values("rmse_log").iloc[0]["model"])
    ### END SOLUTION


def interval_from_errors(y_log: np.ndarray, oof_log: np.ndarray) -> list[float]:
    """Quantiles of out-of-fold log errors: price × exp(q) brackets 80 % of unseen sales."""
    seen = ~np.isnan(oof_log)
    errors = y_log[seen] - oof_log[seen]
    return [float(np.quantile(errors, q)) for q in INTERVAL]


def _data_digest(sales: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(sales, index=False).to_numpy().tobytes()).hexdigest()


def _tracking_uri() -> str:
    from . import CAPSTONE_DIR

    return f"sqlite:///{CAPSTONE_DIR / 'mlflow.db'}"


def _track(name: str, estimator, per_fold: list[dict], row: dict) -> None:
    """One MLflow run per candidate: its parameters, every fold's metrics, the mean and spread."""
    import logging

    import mlflow

    for noisy in ("mlflow", "alembic"):  # database set-up chatter on the first run, not news
        logging.getLogger(noisy).setLevel(logging.WARNING)
    mlflow.set_tracking_uri(_tracking_uri())
    mlflow.set_experiment("capstone-card-prices")
    with mlflow.start_run(run_name=name):
        params = estimator.get_params() if hasattr(estimator, "get_params") else {}
        mlflow.log_params({k: str(v)[:250] for k, v in params.items() if "__" in k and not k.startswith("features__")}
                          | {"model": name, "folds": len(per_fold)})
        for step, fold in enumerate(per_fold):
            mlflow.log_metrics({f"fold_{k}": v for k, v in fold.items()}, step=step)
        mlflow.log_metrics({k: v for k, v in row.items() if k != "model"})


def _archive_previous(out_dir: Path) -> None:
    """Keep the model being replaced under archive/<version>/, so a rollback is one copy away."""
    import shutil

    previous = out_dir / METADATA_FILE
    if not (previous.exists() and (out_dir / MODEL_FILE).exists()):
        return
    version = json.loads(previous.read_text(encoding="utf-8"))["version"]
    archive = out_dir / "archive" / version
    archive.mkdir(parents=True, exist_ok=True)
    for name in (MODEL_FILE, METADATA_FILE):
        shutil.copy2(out_dir / name, archive / name)


def train(out_dir: Path = MODEL_DIR, *, track: bool = True, log=print) -> dict:
    """Validate, compare, select, refit on all sales, save model + metadata; return the metadata."""
    sales = data.load_sales()
    problems = data.validate_sales(sales)
    if problems:
        raise ValueError("the sales failed validation, nothing trained:\n  " + "\n  ".join(problems[:20]))
    log(f"validated {len(sales):,} sales; comparing models on {N_FOLDS} time-ordered folds")
    results, oof = compare(sales, track=track, log=log)
    chosen = select(results)
    y_log = np.log(sales[data.TARGET].to_numpy())
    final = dict(models.candidates())[chosen].fit(features.build_features(sales), y_log)
    digest = _data_digest(sales)
    version = f"{chosen}-{hashlib.sha256((digest + repr(final.get_params())).encode()).hexdigest()[:10]}"
    metadata = {
        "version": version, "model": chosen, "target": "ln(price_usd)",
        "trained_on": {"rows": len(sales), "first_sale": str(sales["sale_date"].min().date()),
                       "last_sale": str(sales["sale_date"].max().date()), "data_sha256": digest},
        "interval": {"coverage": INTERVAL[1] - INTERVAL[0], "log_quantiles": interval_from_errors(y_log, oof[chosen])},
        "cross_validation": json.loads(results.round(4).to_json(orient="records")),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    _archive_previous(out_dir)
    bundle = {"pipeline": final, "catalog": data.catalog(sales), "metadata": metadata}
    tmp = out_dir / (MODEL_FILE + ".tmp")
    joblib.dump(bundle, tmp)
    tmp.replace(out_dir / MODEL_FILE)  # atomic: a serving process never reads half a model
    (out_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    log(f"chose {chosen}; saved {out_dir / MODEL_FILE} (version {version})")
    return metadata
