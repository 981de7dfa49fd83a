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


@app.function
def slide(title: str, body: str, prompt: str):
    """One slide: its title, and your text (with {facts} filled in), or the prompt until you write it."""
    text = body.format(**FACTS) if body else f"_TODO: {prompt}_"
    return mo.md(f"# {title}\n\n{text}")


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S1 = ("A price predictor for Pokémon card sales: a card, a copy, a date in; a price with an 80 % range and "
          "the model version out. Served as an API with a web page in front, trained on {rows:,} sales.")
    ### END SOLUTION
    slide("1. What we built", S1, "one sentence a stakeholder remembers: input, output, who it is for")
    return


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S2 = ("Sellers and buyers guess prices from a few recent sales. A typical estimate from the simplest rule "
          "(median price of the rarity) is off by {base_mdape:.0%}: that is the bar.")
    ### END SOLUTION
    slide("2. The problem and the bar", S2, "why the problem matters, and the baseline a model must beat")
    return


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S3 = ("- 20,000 validated sales, Jan 2023 to Jun 2025, checked against the cards contract before training\n"
          "- prices span five orders of magnitude: the target is ln(price)\n"
          "- selection: owners grade their valuable copies, so 'graded' partly measures value")
    ### END SOLUTION
    slide("3. The data", S3, "what the data is, how it was validated, its biases")
    return


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S4 = ("- rarity as an order, log print run, age and vintage era, 1st Edition\n"
          "- grade steps at 9.5 and 10, a vintage gem-mint flag, condition only for raw copies\n"
          "- species price level, cross-fitted so no sale sees its own price; market trend and December")
    ### END SOLUTION
    slide("4. Features", S4, "the features that matter and the assumption each encodes")
    return


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S5 = ("Baseline, ridge, random forest, XGBoost on the same 4 expanding time-ordered folds, every run in "
          "MLflow. Fitted and chosen on RMSE of ln price.")
    ### END SOLUTION
    slide("5. Experiments", S5, "how the candidates were compared fairly")
    return


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S6 = ("**{model}**: RMSE ln {rmse:.3f} ± {rmse_std:.3f} across folds (baseline {base_rmse:.3f}); a typical "
          "card is off by {mdape:.0%} (baseline {base_mdape:.0%}).")
    ### END SOLUTION
    slide("6. The chosen model", S6, "which model, its validated error with spread, why it and not the others")
    return


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S7 = ("Worst on Secret Rares and on cards above \\$250 (few examples, bidding wars): that band holds about "
          "three quarters of the dollar error. Raw and graded copies are priced equally well. The 80 % range "
          "covers 83 % of later sales (notebook 4).")
    ### END SOLUTION
    slide("7. Where it fails", S7, "the slices with the largest errors and what they mean for users")
    return


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S8 = ("`uv run capstone serve`: UI at `/`, JSON API at `/api/predict`, `/ready`, `/metrics`. Invalid input "
          "gets a 4xx with a message, never a traceback. Model version `{version}` on every answer.")
    ### END SOLUTION
    slide("8. The service", S8, "how it is served, its contract and its latency")
    return


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S9 = ("Alerts on readiness, errors, p99 latency; drift of inputs (PSI > 0.2) and of predicted prices; "
          "weekly error on realised prices. Retrain on a trigger, roll back by restarting on the previous model.")
    ### END SOLUTION
    slide("9. Monitoring and operations", S9, "what is watched, what pages someone, how to roll back")
    return


@app.cell(hide_code=True)
def _():
    ### BEGIN SOLUTION
    S10 = ("Ship it for price *guidance* with the range shown; not for cards unseen in training. Next: more "
           "sales of rare cards, quantile models per segment, a shadow run on live traffic.")
    ### END SOLUTION
    slide("10. Recommendation and next steps", S10, "deploy, iterate or stop, and what you would do next")
    return


if __name__ == "__main__":
    app.run()
