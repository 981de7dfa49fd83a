"""The card type classifier as Module 5 serves it: features, a safe artifact format, a manifest.

A stand-in for the Module 4 classifier with the same job (a card's energy type from what is
printed on it): a multinomial logistic regression on the energy symbols of the attack costs,
HP, retreat cost, mechanic and species (one flag per species seen in training: a species it never
saw gets no flag, and the rest of the card still speaks). Its artifact is plain JSON numbers (weights + manifest with a
sha256 of the weights), so loading it never executes code, unlike a pickle.

    model = train_type_model(cards)            # cards: coursedata.load_cards()
    save_model(model, folder)                  # weights.json + manifest.json
    model = load_model(folder)                 # checks the hash; ModelUnavailable if anything is off
    model.predict_proba(card_matrix(records))  # records: dicts with CARD_FIELDS
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .vocab import ENERGY_SYMBOLS, MECHANICS

# What a request carries about one card, and the model's features computed from it.
CARD_FIELDS = ["species", "card_hp", "attacks", "retreat_cost", "mechanic"]
SYMBOLS = list(ENERGY_SYMBOLS.values())
BASE_FEATURES = [*(f"cost_{s}" for s in SYMBOLS), "card_hp", "retreat_cost", "n_attacks", "max_damage",
            *(f"mechanic_{m}" for m in MECHANICS)]
MODEL_VERSION = "type-clf-1.0.0"
_COST = re.compile(r"\{([A-Z])\}")
_DAMAGE = re.compile(r"(\d+)\s*(?:\||$)")


class ModelUnavailable(RuntimeError):
    """The model artifact is missing, corrupted or does not match its manifest."""


@dataclass
class TypeModel:
    classes: list[str]
    species: list[str]  # the species seen in training, in feature order
    features: list[str]
    coef: np.ndarray  # (n_classes, n_features), on standardised features
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    manifest: dict = field(default_factory=dict)

    def matrix(self, cards: list[dict]) -> np.ndarray:
        return card_matrix(cards, self.species)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities for a (n_rows, n_features) matrix, in `classes` order."""
        z = ((np.asarray(x, dtype=float) - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)


def card_row(card: dict, species: dict[str, int]) -> list[float]:
    """The features of one card (a dict with CARD_FIELDS); unknown categories get all-zero flags.

    `species` maps each training species to its position among the species flags."""
    attacks = str(card.get("attacks") or "")
    costs = _COST.findall(attacks)
    damages = [int(d) for d in _DAMAGE.findall(attacks)]
    mechanic = card.get("mechanic")
    return [*(float(costs.count(s)) for s in SYMBOLS), float(card["card_hp"]), float(card["retreat_cost"]),
            float(attacks.count("|") + 1 if attacks else 0), float(max(damages, default=0)),
            *(1.0 if mechanic == m else 0.0 for m in MECHANICS),
            *_one_hot(species.get(card.get("species")), len(species))]


def _one_hot(position: int | None, size: int) -> list[float]:
    flags = [0.0] * size
    if position is not None:
        flags[position] = 1.0
    return flags


def card_matrix(cards: list[dict], species: list[str]) -> np.ndarray:
    """The feature matrix of a list of cards, for a model trained with these `species`."""
    index = {s: i for i, s in enumerate(species)}
    return np.array([card_row(c, index) for c in cards], dtype=float).reshape(len(cards), len(BASE_FEATURES) + len(species))


def unique_cards(sales):
    """One row per printed card (set_code, card_number): sales of the same card are not independent."""
    return sales.drop_duplicates(["set_code", "card_number"]).reset_index(drop=True)


def split_cards(cards, test_every: int = 5):
    """A deterministic split by card identity: card i goes to test when its hash bucket is 0."""
    key = (cards["set_code"] + "/" + cards["card_number"]).map(
        lambda s: int(hashlib.sha256(s.encode()).hexdigest()[:8], 16) % test_every)
    return cards[key != 0], cards[key == 0]


def train_type_model(sales, seed: int = 0) -> TypeModel:
    """Fit on the training split of unique cards; the manifest records data version and test metrics."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    train, test = split_cards(unique_cards(sales))
    species = sorted(set(train["species"]))
    x_train = card_matrix(train[CARD_FIELDS].to_dict("records"), species)
    x_test = card_matrix(test[CARD_FIELDS].to_dict("records"), species)
    mean, scale = x_train.mean(axis=0), x_train.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(max_iter=2_000, C=1.0, random_state=seed).fit((x_train - mean) / scale, train["card_type"])
    features = [*BASE_FEATURES, *(f"species_{s}" for s in species)]
    model = TypeModel(list(clf.classes_), species, features, clf.coef_, clf.intercept_, mean, scale)
    predicted = np.array(model.classes)[model.predict_proba(x_test).argmax(axis=1)]
    data_version = hashlib.sha256(sales[["sale_id", "card_type"]].to_csv(index=False).encode()).hexdigest()[:16]
    model.manifest = {
        "model_version": MODEL_VERSION,
        "algorithm": "multinomial logistic regression (scikit-learn), exported as JSON weights",
        "training_data": {"dataset": "cards.csv", "sha256_16": data_version, "unique_cards": len(train)},
        "features": [*BASE_FEATURES, f"species_* ({len(species)} species seen in training)"],
        "classes": list(model.classes),
        "metrics": {"test_accuracy": round(float(accuracy_score(test["card_type"], predicted)), 4),
                    "test_macro_f1": round(float(f1_score(test["card_type"], predicted, average="macro")), 4),
                    "test_cards": len(test)},
        "seed": seed,
    }
    return model


def _weights(model: TypeModel) -> bytes:
    return json.dumps({"classes": model.classes, "species": model.species, "features": model.features,
                       "coef": np.round(model.coef, 10).tolist(), "intercept": np.round(model.intercept, 10).tolist(),
                       "mean": model.mean.tolist(), "scale": model.scale.tolist()}, sort_keys=True).encode()


def save_model(model: TypeModel, folder: str | Path) -> Path:
    """weights.json (numbers only) and manifest.json (metadata + sha256 of the weights)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    weights = _weights(model)
    (folder / "weights.json").write_bytes(weights)
    manifest = {**model.manifest, "weights_sha256": hashlib.sha256(weights).hexdigest()}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def load_model(folder: str | Path) -> TypeModel:
    """Load and check an artifact; raise ModelUnavailable with the reason if it cannot be trusted."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        weights = (folder / "weights.json").read_bytes()
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"no readable model artifact in {folder.name}: {type(exc).__name__}") from None
    if hashlib.sha256(weights).hexdigest() != manifest.get("weights_sha256"):
        raise ModelUnavailable("weights.json does not match the sha256 in manifest.json")
    w = json.loads(weights)
    return TypeModel(w["classes"], w["species"], w["features"], np.array(w["coef"]), np.array(w["intercept"]),
                     np.array(w["mean"]), np.array(w["scale"]), manifest)


def example_cards(n: int, seed: int = 0) -> list[dict]:
    """n real cards from the sales table, as request payloads (CARD_FIELDS only)."""
    from .loaders import load_cards

    cards = unique_cards(load_cards()).sample(n=n, random_state=seed)
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in cards[CARD_FIELDS].to_dict("records")]

