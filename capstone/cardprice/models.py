"""The candidate model families, and the baseline every one of them must beat.

All of them predict ln(price) from the features of `features.py`; a prediction in dollars
is exp(prediction), the median of the predicted price distribution.
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.pipeline import Pipeline

from .features import make_preprocessor

SEED = 0


class MedianByRarity(BaseEstimator, RegressorMixin):
    """The baseline: the median log price of the card's rarity in the training data."""

    def fit(self, X: pd.DataFrame, y):
        y = pd.Series(np.asarray(y), index=X.index)
        self.medians_ = y.groupby(X["rarity_rank"]).median().to_dict()
        self.overall_ = float(y.median())
        return self

    def predict(self, X: pd.DataFrame):
        return X["rarity_rank"].map(self.medians_).fillna(self.overall_).to_numpy(dtype=float)


def baseline() -> MedianByRarity:
    return MedianByRarity()


def candidates() -> dict:
    """name → unfitted estimator; each is a whole pipeline, so fitting it fits its encoders too."""
    ### BEGIN SOLUTION
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import Ridge
    from xgboost import XGBRegressor

    def pipe(model):
        return Pipeline([("features", make_preprocessor()), ("model", model)])

    return {
        "ridge": pipe(Ridge(alpha=1.0)),
        # one thread each: on a shared 2-core machine, two threads were 10x slower, not 2x faster
        "random_forest": pipe(RandomForestRegressor(n_estimators=100, min_samples_leaf=3, max_features=0.5,
                                                    n_jobs=1, random_state=SEED)),
        "xgboost": pipe(XGBRegressor(n_estimators=300, learning_rate=0.08, max_depth=5, subsample=0.8,
                                     colsample_bytree=0.8, min_child_weight=3, tree_method="hist", n_jobs=1,
                                     random_state=SEED)),
    }
    ### END SOLUTION
