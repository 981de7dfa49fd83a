"""Frames as CSV text: what a learner reads with dtype=str, and back."""

import io


def as_text(df):
    """The exact cell strings the committed CSV would hold (missing stays missing)."""
    import pandas as pd

    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    buf.seek(0)
    return pd.read_csv(buf, dtype=str, keep_default_na=False, na_values=[""])
