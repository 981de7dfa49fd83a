"""Did a validation catch every planted issue? Match failures to ground-truth cells."""


def caught(failures, truth, id_column: str):
    """truth with a `caught` column: True when a failure names the same row and column
    (a duplicated row counts as caught when the id uniqueness check names it)."""
    import pandas as pd

    hits = set()
    for column, check, index in failures[["column", "check", "index"]].itertuples(index=False):
        if pd.isna(index):  # structural failure: no row
            continue
        for col in str(column).split("/"):
            hits.add((int(index), col))
        if check == "field_uniqueness":
            hits.add((int(index), ""))
    out = truth.copy()
    out["caught"] = [(int(r), "" if pd.isna(c) else str(c)) in hits
                     for r, c in zip(out["row"], out["column"], strict=True)]
    return out


def summary(caught_truth) -> dict:
    """{issue kind: (caught, planted)}."""
    g = caught_truth.groupby("issue")["caught"]
    return {kind: (int(s.sum()), int(s.size)) for kind, s in g}
