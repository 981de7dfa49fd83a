"""Population stability index (PSI) between a reference column and a new one."""

import numpy as np


def psi(reference, current, bins: int = 10) -> float:
    """PSI over reference deciles (numbers) or categories (text); 0 = same distribution.

    Rule of thumb: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 major shift.
    """
    import pandas as pd

    ref, cur = pd.Series(reference).dropna(), pd.Series(current).dropna()
    if pd.api.types.is_numeric_dtype(ref) and not pd.api.types.is_bool_dtype(ref):
        edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
        ref_idx, cur_idx = np.searchsorted(edges, ref, side="right"), np.searchsorted(edges, cur, side="right")
        keys = range(len(edges) + 1)
    else:
        ref_idx, cur_idx = ref.astype(str).to_numpy(), cur.astype(str).to_numpy()
        keys = sorted(set(ref_idx) | set(cur_idx))
    ref_share = pd.Series(ref_idx).value_counts(normalize=True)
    cur_share = pd.Series(cur_idx).value_counts(normalize=True)
    eps = 1e-4  # an empty bin would make the log infinite
    p = np.array([ref_share.get(k, 0.0) for k in keys]) + eps
    q = np.array([cur_share.get(k, 0.0) for k in keys]) + eps
    return float(np.sum((q - p) * np.log(q / p)))


def ks_2samp(a, b) -> tuple[float, float]:
    """Two-sample Kolmogorov-Smirnov statistic and asymptotic p-value (numpy only:
    scipy.stats takes 3 s to import on the course machines)."""
    a, b = np.sort(np.asarray(a, dtype=float)), np.sort(np.asarray(b, dtype=float))
    grid = np.concatenate([a, b])
    d = float(np.max(np.abs(np.searchsorted(a, grid, side="right") / len(a)
                            - np.searchsorted(b, grid, side="right") / len(b))))
    ne = len(a) * len(b) / (len(a) + len(b))
    lam = (np.sqrt(ne) + 0.12 + 0.11 / np.sqrt(ne)) * d  # Stephens' small-sample correction
    k = np.arange(1, 101)
    p = float(np.clip(2 * np.sum((-1.0) ** (k - 1) * np.exp(-2 * k**2 * lam**2)), 0, 1))
    return d, p


def compare(reference, current) -> dict:
    """PSI, plus the two-sample KS test for numeric columns (3 significant digits)."""
    import pandas as pd

    out = {"psi": float(f"{psi(reference, current):.3g}")}
    ref, cur = pd.Series(reference).dropna(), pd.Series(current).dropna()
    if pd.api.types.is_numeric_dtype(ref) and not pd.api.types.is_bool_dtype(ref):
        d, p = ks_2samp(ref.to_numpy(), cur.to_numpy())
        out.update(ks=float(f"{d:.3g}"), ks_pvalue=float(f"{p:.3g}"))
    return out
