"""Load a saved model and price cards with it: the one code path the service uses."""

from datetime import date
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from . import MODEL_DIR
from .features import build_features

MODEL_PATH = MODEL_DIR / "model.joblib"


class Predictor:
    """A trained pipeline, its catalog of known cards, its interval and its version."""

    def __init__(self, bundle: dict):
        self.pipeline = bundle["pipeline"]
        self.metadata = bundle["metadata"]
        self.version: str = self.metadata["version"]
        catalog = bundle["catalog"]
        self.catalog = catalog
        self._by_key = {(r["set_code"], r["card_number"]): r for r in catalog.to_dict(orient="records")}

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "Predictor | None":
        """The saved model, or None when there is none yet (the service then reports not ready)."""
        if not Path(path).exists():
            return None
        return cls(joblib.load(path))

    def card(self, set_code: str, card_number: str) -> dict | None:
        return self._by_key.get((set_code, card_number))

    def search(self, text: str, limit: int = 20) -> list[dict]:
        """Known cards whose name, set or number contains `text` (case-insensitive)."""
        words = text.lower().split()
        hits = []
        for (set_code, number), card in self._by_key.items():
            label = f"{set_code} {number} {card['card_name']} {card['set_name']} {card['rarity']}".lower()
            if all(w in label for w in words):
                hits.append({"set_code": set_code, "card_number": number, "card_name": card["card_name"],
                             "set_name": card["set_name"], "rarity": card["rarity"]})
                if len(hits) >= limit:
                    break
        return hits

    def predict(self, sales: list[dict]) -> list[dict]:
        """Each sale (catalog card fields + copy + sale fields) → price, 80 % range, in dollars."""
        ### BEGIN SOLUTION
        frame = pd.DataFrame(sales)
        frame["sale_date"] = pd.to_datetime(frame["sale_date"])
        frame["release_date"] = pd.to_datetime(frame["release_date"])
        log_price = self.pipeline.predict(build_features(frame))
        low_q, high_q = self.metadata["interval"]["log_quantiles"]
        return [{"price_usd": round(float(np.exp(p)), 2), "low_usd": round(float(np.exp(p + low_q)), 2),
                 "high_usd": round(float(np.exp(p + high_q)), 2)} for p in log_price]
        ### END SOLUTION


def sale_row(card: dict, copy: dict, sale_date: date) -> dict:
    """A catalog card plus one copy's fields and the sale date: the row `Predictor.predict` takes."""
    return {**card, **copy, "sale_date": pd.Timestamp(sale_date)}
