import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.monitoring import CATEGORICAL, NUMERIC, daily_stream, reference_window
    from scipy import stats

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The false-alarm budget: across every column and every day of a clean stream, the chance
    # of any false alarm should stay about ALPHA.
    ALPHA = 0.01
    # A change too small to matter: PSI below this is never drift, however small the p-value.
    PSI_MIN = 0.1
    # Retrain once the alarm has held this many consecutive days (that day included).
    PERSIST = 3


    def psi(expected: np.ndarray, actual: np.ndarray, eps: float = 1e-4) -> float:
        """Population stability index between two share vectors over the same bins."""
        p, q = np.clip(expected, eps, None), np.clip(actual, eps, None)
        return float(np.sum((q - p) * np.log(q / p)))


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 5.3 · Implement data drift detection using simple statistics

    **Why this matters.** A model in production degrades silently: nobody raises an exception
    when the inputs stop looking like the training data. Labels arrive late (weeks, for a card
    that has to sell), so the earliest signal is the inputs and the predictions themselves.
    Challenge 1 compared *one* new drop with the training data. A monitor in production does
    that for every column, every day, for months, and that changes the statistics:

    - **large samples**: with thousands of requests a day, a KS test calls a 1-HP shift
      "significant". Significance is not importance; an effect size (PSI) says whether it matters.
    - **multiple testing**: 7 columns × 30 days is 210 tests. At p < 0.05 each, a perfectly
      healthy stream raises about ten alarms a month, and the on-call learns to ignore them.
    - **acting on drift**: an alarm is a question, retraining is an answer; retrain only when
      the change persists, not on a one-day blip.

    **Your task**: write `monitor(reference, stream)`. `reference` is the training-time sample
    of what the service logs (columns `NUMERIC` and `CATEGORICAL`); `stream` is production
    traffic with a `day` column (0, 1, …), one window per day, a few hundred to a few thousand
    rows each. Return one dict per day, in day order:
    `{"day": int, "alarm": bool, "drifted": [column names], "retrain": bool}`. The rules:

    1. Compare each day's window with the **reference** (not with yesterday: a slow drift
       looks like no change from one day to the next).
    2. The right test per column type: numeric columns (`NUMERIC`) with the two-sample
       Kolmogorov–Smirnov test; categorical columns (`CATEGORICAL`) with a chi-square test of
       the day's counts against the reference proportions. A category the reference never had
       counts too (put all unseen values in one extra "other" bucket), or a new category is
       invisible.
    3. A column has drifted on a day when its test is significant at a level that keeps the
       chance of *any* false alarm over the whole stream (every column, every day) about
       `ALPHA` (e.g. Bonferroni: `ALPHA / (columns × days)`), **and** its PSI is at least
       `PSI_MIN` (bins: the reference's deciles for numeric columns, the categories plus
       "other" for categorical ones; `psi()` is in the setup cell).
    4. `alarm` is true when at least one column drifted that day; `drifted` lists them.
    5. `retrain` is true on a day when the alarm has held for `PERSIST` consecutive days,
       that day included.

    The hidden tests run your monitor on hidden streams with planted change points (sudden,
    gradual, a single column, a unit change, a new category) and on clean streams, and score
    detection delay, missed drifts and false alarms per clean window. Check your work with
    `uv run course check 5.3`.
    """)
    return


@app.cell
def _():
    reference = reference_window(seed=0)
    clean = daily_stream(seed=1, days=20)
    unit_change = daily_stream(seed=2, days=20, change="unit", start=10)
    mo.vstack([mo.md("The reference sample and one production day:"), reference.head(), clean[clean["day"] == 0].head()])
    return clean, reference, unit_change


@app.function
def monitor(reference: pd.DataFrame, stream: pd.DataFrame) -> list[dict]:
    """One verdict per day: which columns drifted from the reference, and whether to retrain."""
    ### BEGIN SOLUTION
    days = sorted(int(d) for d in stream["day"].unique())
    level = ALPHA / ((len(NUMERIC) + len(CATEGORICAL)) * len(days))  # Bonferroni over columns × days
    rows = {int(d): idx for d, idx in stream.groupby("day").indices.items()}
    found: dict[int, list[str]] = {d: [] for d in days}
    for column in NUMERIC:
        ref, values = reference[column].to_numpy(float), stream[column].to_numpy(float)
        edges = np.unique(np.quantile(ref, np.linspace(0, 1, 11)[1:-1]))
        expected = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1) / len(ref)
        for day, idx in rows.items():
            today = values[idx]
            share = np.bincount(np.searchsorted(edges, today, side="right"), minlength=len(edges) + 1) / len(today)
            if stats.ks_2samp(ref, today).pvalue < level and psi(expected, share) >= PSI_MIN:
                found[day].append(column)
    for column in CATEGORICAL:
        categories = {c: i for i, c in enumerate(sorted(reference[column].astype(str).unique()))}
        other = len(categories)
        ref_codes = reference[column].astype(str).map(categories).to_numpy(int)
        # Half a count of smoothing: an "other" bucket the reference never filled is not a division by zero.
        expected = (np.bincount(ref_codes, minlength=other + 1) + 0.5) / (len(ref_codes) + 0.5 * (other + 1))
        codes = stream[column].astype(str).map(categories).fillna(other).to_numpy(int)
        for day, idx in rows.items():
            counts = np.bincount(codes[idx], minlength=other + 1)
            significant = stats.chisquare(counts, expected * counts.sum()).pvalue < level
            if significant and psi(expected, counts / counts.sum()) >= PSI_MIN:
                found[day].append(column)
    verdicts, run = [], 0
    for day in days:
        run = run + 1 if found[day] else 0
        verdicts.append({"day": day, "alarm": bool(found[day]), "drifted": found[day], "retrain": run >= PERSIST})
    return verdicts
    ### END SOLUTION


@app.cell
def _(clean, reference, unit_change):
    on_clean, on_unit = monitor(reference, clean), monitor(reference, unit_change)
    mo.md(f"""
    Your monitor on a clean 20-day stream: alarms on days {[v["day"] for v in on_clean if v["alarm"]] or "none"}.
    On a stream where prices arrive in cents from day 10: alarms on days
    {[v["day"] for v in on_unit if v["alarm"]]}, drifted columns
    {sorted({c for v in on_unit for c in v["drifted"]})}, retrain from day
    {next((v["day"] for v in on_unit if v["retrain"]), "never")}.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Explain it (a mentor reads these)

    1. `UNIT_CHANGE_RETRAIN`: your monitor says "retrain" three days after prices started
       arriving in cents. Should the team retrain? What should the alert have said instead,
       and how would you tell a unit change from a real change in the market?
    2. `WHEN_TO_RETRAIN`: "When do you retrain: on a schedule, when accuracy drops, or when
       data drifts? Why?" Answer for the card type service, whose labels (the true type,
       confirmed by a human) arrive two weeks late.

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    UNIT_CHANGE_RETRAIN = """No. Retraining on prices in cents would teach the model a broken feature and hide the bug.
    The alert should have said which column moved and how: every quantile of price_usd jumped by the same factor of
    about 100 overnight, which is a unit change upstream, so the fix is in the pipeline (convert or reject) and a
    schema check with a plausible range. A market change moves prices gradually and unevenly across rarities."""
    WHEN_TO_RETRAIN = """All three, for different reasons. A schedule (monthly) keeps up with slow change and new
    species. Drift on inputs or predictions is the early warning, because labels come two weeks late: it triggers an
    investigation, and a retrain only if the drift persists and is real rather than a pipeline bug. Accuracy on the
    delayed labels is the ground truth that confirms a retrain helped, so it gates the deploy of the new model."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="One verdict per day, in order", hint="Return a list of dicts with day, alarm, drifted and retrain, one per day.")
def test_one_verdict_per_day():
    verdicts = monitor(reference_window(seed=3, n=2_000), daily_stream(seed=4, days=5))
    assert [v["day"] for v in verdicts] == [0, 1, 2, 3, 4]
    assert all(set(v) >= {"day", "alarm", "drifted", "retrain"} for v in verdicts)


@app.function
@criterion(points=5, title="Catches prices in cents", hint="KS on price_usd against the reference, corrected for the number of tests, and PSI over the reference deciles.")
def test_catches_prices_in_cents():
    verdicts = monitor(reference_window(seed=3, n=2_000), daily_stream(seed=5, days=8, change="unit", start=4))
    assert all("price_usd" in v["drifted"] for v in verdicts[4:])
    assert not any(v["alarm"] for v in verdicts[:4])


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_one_verdict_per_day,
        test_catches_prices_in_cents,
        item="5.3",
    )
    return


if __name__ == "__main__":
    app.run()
