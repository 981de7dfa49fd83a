"""cardprice: the capstone's Pokémon card price predictor.

One implementation shared by the notebooks, the training command and the service, so
what is trained is exactly what is served:

    data      load the course sales and validate them against their contract
    features  turn a sale (card + copy + date) into model inputs
    models    the candidate model families and the baseline
    metrics   the error measures that fit heavy-tailed prices
    train     compare candidates on time-ordered folds, track runs, save the chosen model
    predict   load a saved model and price cards, with an uncertainty range
    service   the FastAPI app: UI at /, API beside it, readiness, logs and metrics
    cli       `capstone train` and `capstone serve`
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CAPSTONE_DIR = PACKAGE_DIR.parent
# Where `capstone train` writes and `capstone serve` reads (git-ignored).
MODEL_DIR = CAPSTONE_DIR / "models"
