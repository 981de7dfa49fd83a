"""The committed files and the function producing each (see build.py).

Producers are cached so one build generates each dataset once. Hidden outputs, and
public ones made from instructor-only parameters or the instructor-only price process (every
table of card sales), are marked `needs_params`: a learner release (no grading/hidden/) skips
them, and `course data verify` compares its committed copies with MANIFEST instead.
"""

from functools import cache

from . import files, hidden_params


@cache
def cards():
    from . import cards as c

    return c.generate()


def species():
    from . import species as s

    return s.build()


def species_issues():
    import pandas as pd

    from . import species as s

    return pd.DataFrame(s.issues())


@cache
def _dirty():
    from . import dirty

    return dirty.build(cards())


@cache
def _drop(name: str):
    from . import drops

    spec = drops.PUBLIC_SPEC if name == "new_drop" else hidden_params.get("drops")[name]
    return drops.build(spec, cards())


def calibration_holdout():
    from . import cards as c

    p = hidden_params.get("calibration")
    return c.generate(p["holdout_rows"], p["holdout_seed"])


def capstone_holdout():
    """Sales after the public window, from another seed: the capstone's out-of-time test."""
    from . import cards as c

    p = hidden_params.get("capstone")
    return c.generate(p["holdout_rows"], p["holdout_seed"], c.Market(window=tuple(p["window"])))


@cache
def _churn():
    from . import churn

    return churn.build()


@cache
def _credit():
    from . import credit

    return credit.build()


# (area, path, producer, needs_params)
OUTPUTS = [
    ("data", files.SPECIES, species, False),
    ("data", files.CARDS, cards, True),
    ("data", files.CARDS_DIRTY, lambda: _dirty()[0], True),
    ("data", files.DROP, lambda: _drop("new_drop")[0], True),
    ("data", files.CHURN, lambda: _churn()[0], True),
    ("data", files.CREDIT, lambda: _credit()[0], True),
    ("hidden", files.SPECIES_ISSUES, species_issues, False),
    ("hidden", files.CARDS_DIRTY_TRUTH, lambda: _dirty()[1], True),
    ("hidden", files.DROP_TRUTH, lambda: _drop("new_drop")[1], True),
    *[(area, path.format(name), (lambda n=name, k=k: _drop(n)[k]), True)
      for name in files.HIDDEN_DROPS
      for area, path, k in [("hidden", "drops/{}.csv", 0), ("hidden", "drops/{}_truth.json", 1)]],
    ("hidden", files.CALIBRATION_HOLDOUT, calibration_holdout, True),
    ("hidden", files.CHURN_ISSUES, lambda: _churn()[1], True),
    ("hidden", files.CHURN_CLEAN, lambda: _churn()[2], True),
    ("hidden", files.CHURN_TRUTH, lambda: _churn()[3], True),
    ("hidden", files.CREDIT_HOLDOUT, lambda: _credit()[1], True),
    ("hidden", files.CREDIT_TRUTH, lambda: _credit()[2], True),
    ("capstone", files.CAPSTONE_HOLDOUT, capstone_holdout, True),
]
