import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", layout_file="layouts/slides.slides.json")

with app.setup:
    import json

    import marimo as mo
    from cardprice import MODEL_DIR

    # The figures on the slides come from the last `capstone train`, never typed by hand.
    METADATA = MODEL_DIR / "model.json"
    FACTS = {"model": "(train first)", "version": "(train first)", "rows": 0, "rmse": float("nan"),
             "rmse_std": float("nan"), "mdape": float("nan"), "base_rmse": float("nan"), "base_mdape": float("nan")}
    if METADATA.exists():
        _meta = json.loads(METADATA.read_text(encoding="utf-8"))
        _cv = {row["model"]: row for row in _meta["cross_validation"]}
        FACTS.update(model=_meta["model"], version=_meta["version"], rows=_meta["trained_on"]["rows"],
                     rmse=_cv[_meta["model"]]["rmse_log"], rmse_std=_cv[_meta["model"]]["rmse_log_std"],
                     mdape=_cv[_meta["model"]]["median_ape"], base_rmse=_cv["baseline"]["rmse_log"],
                     base_mdape=_cv["baseline"]["median_ape"])

    # The ten slides: title, and what to say (shown as a prompt until you write the slide below).
    OUTLINE = [
        ("What we built", "one sentence a stakeholder remembers: input, output, who it is for"),
        ("The problem and the bar", "why the problem matters, and the baseline a model must beat"),
        ("The data", "what the data is, how it was validated, its biases"),
        ("Features", "the features that matter and the assumption each encodes"),
        ("Experiments", "how the candidates were compared fairly"),
        ("The chosen model", "which model, its validated error with spread, why it and not the others"),
        ("Where it fails", "the slices with the largest errors and what they mean for users"),
        ("The service", "how it is served, its contract and its latency"),
        ("Monitoring and operations", "what is watched, what pages someone, how to roll back"),
        ("Recommendation and next steps", "deploy, iterate or stop, and what you would do next"),
    ]


@app.function
def slide(number: int, texts: tuple):
    """Slide `number` (1-10): its title, and your text (with {facts} filled in), or the prompt until you write it."""
    title, prompt = OUTLINE[number - 1]
    body = texts[number - 1]
    text = body.format(**FACTS) if body else f"_TODO: {prompt}_"
    return mo.md(f"# {number}. {title}\n\n{text}")


@app.cell(hide_code=True)
def _():
    # Your slides' text, one string per slide; {model}, {rmse}, {version}... are filled in from the last training.
    ### BEGIN SOLUTION
    S1 = ("A price predictor for Pokémon card sales: a card, a copy, a date in; a price with an 80 % range and "
          "the model version out. Served as an API with a web page in front, trained on {rows:,} sales.")
    S2 = ("Sellers and buyers guess prices from a few recent sales. A typical estimate from the simplest rule "
          "(median price of the rarity) is off by {base_mdape:.0%}: that is the bar.")
    S3 = ("- 20,000 validated sales, Jan 2023 to Jun 2025, checked against the cards contract before training\n"
          "- prices span five orders of magnitude: the target is ln(price)\n"
          "- selection: owners grade their valuable copies, so 'graded' partly measures value")
    S4 = ("- rarity as an order, log print run, age and vintage era, 1st Edition\n"
          "- grade steps at 9.5 and 10, a vintage gem-mint flag, condition only for raw copies\n"
          "- species price level, cross-fitted so no sale sees its own price; market trend and December")
    S5 = ("Baseline, ridge, random forest, XGBoost on the same 4 expanding time-ordered folds, every run in "
          "MLflow. Fitted and chosen on RMSE of ln price.")
    S6 = ("**{model}**: RMSE ln {rmse:.3f} ± {rmse_std:.3f} across folds (baseline {base_rmse:.3f}); a typical "
          "card is off by {mdape:.0%} (baseline {base_mdape:.0%}).")
    S7 = ("Worst on Secret Rares and on cards above \\$250 (few examples, bidding wars): that band holds about "
          "three quarters of the dollar error. Raw and graded copies are priced equally well. The 80 % range "
          "covers 83 % of later sales (notebook 4).")
    S8 = ("`uv run capstone serve`: UI at `/`, JSON API at `/api/predict`, `/ready`, `/metrics`. Invalid input "
          "gets a 4xx with a message, never a traceback. Model version `{version}` on every answer.")
    S9 = ("Alerts on readiness, errors, p99 latency; drift of inputs (PSI > 0.2) and of predicted prices; "
          "weekly error on realised prices. Retrain on a trigger, roll back by restarting on the previous model.")
    S10 = ("Ship it for price *guidance* with the range shown; not for cards unseen in training. Next: more "
           "sales of rare cards, quantile models per segment, a shadow run on live traffic.")
    ### END SOLUTION
    TEXTS = (S1, S2, S3, S4, S5, S6, S7, S8, S9, S10)
    return (TEXTS,)


@app.cell(hide_code=True)
def _(TEXTS):
    slide(1, TEXTS)
    return


@app.cell(hide_code=True)
def _(TEXTS):
    slide(2, TEXTS)
    return


@app.cell(hide_code=True)
def _(TEXTS):
    slide(3, TEXTS)
    return


@app.cell(hide_code=True)
def _(TEXTS):
    slide(4, TEXTS)
    return


@app.cell(hide_code=True)
def _(TEXTS):
    slide(5, TEXTS)
    return


@app.cell(hide_code=True)
def _(TEXTS):
    slide(6, TEXTS)
    return


@app.cell(hide_code=True)
def _(TEXTS):
    slide(7, TEXTS)
    return


@app.cell(hide_code=True)
def _(TEXTS):
    slide(8, TEXTS)
    return


@app.cell(hide_code=True)
def _(TEXTS):
    slide(9, TEXTS)
    return


@app.cell(hide_code=True)
def _(TEXTS):
    slide(10, TEXTS)
    return


if __name__ == "__main__":
    app.run()
