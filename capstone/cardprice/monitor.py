"""Input drift: compare what the service sees with what the model was trained on.

The population stability index (PSI) per categorical input; the runbook's drift alert
fires at PSI > 0.2 on any monitored input (a common rule of thumb: < 0.1 stable,
0.1-0.2 watch, > 0.2 act).
"""

import numpy as np
import pandas as pd

MONITORED = ["rarity", "language", "condition", "grading_company", "marketplace"]
PSI_ALERT = 0.2


def psi(expected: pd.Series, actual: pd.Series, floor: float = 1e-4) -> float:
    """Population stability index of one categorical column (0 = identical mix)."""
    ### BEGIN SOLUTION
    categories = sorted(set(expected.dropna()) | set(actual.dropna()))
    e = expected.value_counts(normalize=True).reindex(categories, fill_value=0).to_numpy() + floor
    a = actual.value_counts(normalize=True).reindex(categories, fill_value=0).to_numpy() + floor
    return float(np.sum((a - e) * np.log(a / e)))
    ### END SOLUTION


def drift_report(training: pd.DataFrame, live: pd.DataFrame, columns=MONITORED) -> pd.DataFrame:
    rows = [{"input": c, "psi": psi(training[c], live[c])} for c in columns if c in training and c in live]
    report = pd.DataFrame(rows)
    report["alert"] = report["psi"] > PSI_ALERT
    return report.sort_values("psi", ascending=False).reset_index(drop=True)
