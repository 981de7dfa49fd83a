"""Plant quality issues into a text frame and keep the ground truth of each one."""

import numpy as np


class Planter:
    """One planted issue per row at most, so every truth line is unambiguous."""

    def __init__(self, df, rng, id_column: str):
        self.df = df.reset_index(drop=True).copy()
        self.rng = rng
        self.id_column = id_column
        self.truth = []
        self.used = set()

    def row(self, ok=lambda r: True) -> int:
        while True:
            i = int(self.rng.integers(len(self.df)))
            if i not in self.used and ok(self.df.iloc[i]):
                self.used.add(i)
                return i

    def cell(self, i: int, column: str, value, kind: str) -> None:
        self.truth.append({"pos": i, self.id_column: self.df.at[i, self.id_column], "column": column,
                           "issue": kind, "original": self.df.at[i, column], "dirty": value})
        self.df.at[i, column] = value

    def finish(self, n_duplicates: int):
        """Insert exact copies of untouched rows; return (dirty frame, truth frame)."""
        import pandas as pd

        copies = [self.row() for _ in range(n_duplicates)]
        n = len(self.df)
        pos = np.concatenate([np.arange(n, dtype=float), self.rng.uniform(0, n, len(copies))])
        order = np.concatenate([np.arange(n), copies])[np.argsort(pos, kind="stable")]
        dirty = self.df.iloc[order].reset_index(drop=True)
        first = {}
        for k, orig in enumerate(order):
            if orig in first:
                self.truth.append({"pos": None, "row": k, self.id_column: dirty.at[k, self.id_column],
                                   "column": "", "issue": "duplicate_row", "original": "",
                                   "dirty": f"copy of row {first[orig]}"})
            first.setdefault(orig, k)
        for t in self.truth:
            if t["pos"] is not None:
                t["row"] = first[t["pos"]]
        truth = pd.DataFrame(self.truth)[["row", self.id_column, "column", "issue", "original", "dirty"]]
        return dirty, truth.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
