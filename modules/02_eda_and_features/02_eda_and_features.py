import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import altair as alt
    import coursedata
    import marimo as mo
    import numpy as np
    import pandas as pd
    from coursedata.calibration import TARGET, baseline_features, is_test, make_model, task_table
    from coursedata.vocab import CONDITIONS, LANGUAGES, RARITIES
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import KFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler, TargetEncoder

    SEED = 0


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Module 2 · Exploratory data analysis and feature engineering

    In Module 1 you made the data trustworthy. Now you make it *useful*: you look at it
    until it tells you what to build, and you turn raw columns into inputs a model can use.

    **By the end of this module you can**

    1. run an analysis that ends in decisions: ask the question first, look at distributions
       and relationships, and name the biases and blind spots of the data;
    2. engineer features systematically: from raw columns to model inputs, informed by the
       domain, packaged in a reusable scikit-learn `Pipeline`;
    3. explain the feature-model relationship: why a good feature often beats a bigger model,
       how each feature encodes an assumption, and how leakage creeps in and how to keep it out.

    Everything below runs on the course data (`data/datacards/`): the card sales, the species
    table, and the Module 2 task: *will a card sale fetch at least \$2?* Every number in the
    text is computed by the cells, when the notebook runs.
    """)
    return


@app.cell(hide_code=True)
def _():
    from grading.catalog import Course

    _items = [i for i in Course.load(coursedata.DATA_DIR.parent).item if i.module == 2]
    _minutes = sum(i.minutes for i in _items)
    mo.md(
        f"**Time.** About 60 minutes to read and run this lesson; the module's {sum(i.kind == 'exercise' for i in _items)} exercises and "
        f"checkpoint challenge are estimated at {_minutes} minutes (`course.toml`): about "
        f"{(60 + _minutes) / 60:.1f} hours for the module."
    )
    return


@app.cell
def _():
    cards = coursedata.load_cards()
    species = coursedata.load_species()
    X, y = task_table(cards)
    test = is_test(X)
    X_train, y_train, X_test, y_test = X[~test], y[~test], X[test], y[test]
    return X, X_test, X_train, cards, species, y, y_test, y_train


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 1 · EDA that ends in decisions

    EDA is not "make every plot". Start from the decision the model supports, then ask the
    questions whose answers would change what you build:

    | question | why it matters | what you decide |
    |:---|:---|:---|
    | What does the target look like? | skew, imbalance, thresholds | metric, transform, baseline |
    | What drives it, and in what form? | text, order, dates, joins | which features to build |
    | Who is in the data, and who is missing? | coverage and selection | where the model may fail |
    | What would not be known at prediction time? | leakage | which columns to drop |

    ### Distributions and outliers

    **The target: prices are heavy-tailed.**
    """)
    return


@app.cell
def _(cards):
    price = cards["price_usd"]
    price_stats = {
        "median": float(price.median()),
        "mean": float(price.mean()),
        "p99": float(price.quantile(0.99)),
        "share_2": float((price >= 2.0).mean()),
        "q1": float(price.quantile(0.25)),
        "q3": float(price.quantile(0.75)),
    }
    price_stats["fence"] = price_stats["q3"] + 1.5 * (price_stats["q3"] - price_stats["q1"])
    price_stats["above_fence"] = float((price > price_stats["fence"]).mean())
    # Binned here, not in the chart: 40 bars to draw instead of 20,000 rows to ship to the browser.
    _counts, _edges = np.histogram(np.log10(price), bins=40)
    log_price = pd.DataFrame({"from": _edges[:-1], "to": _edges[1:], "sales": _counts})
    price_hist = (
        alt.Chart(log_price)
        .mark_bar()
        .encode(
            x=alt.X("from:Q", bin="binned", title="log10(price in $)"),
            x2="to:Q",
            y=alt.Y("sales:Q", title="sales"),
        )
        .properties(height=220, title="Sale prices on a log scale")
    )
    price_hist
    return (price_stats,)


@app.cell(hide_code=True)
def _(price_stats):
    mo.md(rf"""
    The median sale is **\${price_stats["median"]:.2f}**, the mean **\${price_stats["mean"]:.2f}**, and
    the 99th percentile **\${price_stats["p99"]:,.0f}**: a mean that is many times the median is the
    signature of a heavy tail. On a log axis the distribution becomes readable. Describe such
    data with robust statistics: the median and the quartiles (Q1 **\${price_stats["q1"]:.2f}**,
    Q3 **\${price_stats["q3"]:.2f}**). Tukey's fences, Q1 − 1.5·IQR and Q3 + 1.5·IQR with
    IQR = Q3 − Q1, put the upper fence at **\${price_stats["fence"]:.2f}**: **{price_stats["above_fence"]:.0%}**
    of sales lie above it. They are not errors; they are the tail, which is why an outlier rule
    is a way to *look* at data, never a validation rule (Module 1). (pandas' `quantile` interpolates
    linearly between the two nearest values by default, so quartiles can fall between observations.)

    **Decisions.** (1) Predict a threshold (≥ \$2, **{price_stats["share_2"]:.0%}** of sales) or
    log-price, never raw dollars with squared error, which a handful of \$10,000 cards would
    dominate. (2) The classes are close to balanced, so accuracy is a fair first metric, and
    the majority class ({max(price_stats["share_2"], 1 - price_stats["share_2"]):.0%}) is the floor any model must beat.
    """)
    return


@app.cell
def _(cards):
    by_rarity = cards.assign(worth=cards["price_usd"] >= 2.0, log10_price=np.log10(cards["price_usd"]))
    rarity_share = by_rarity.groupby("rarity")["worth"].mean().reindex(RARITIES)
    rarity_box = (
        alt.Chart(by_rarity.sample(4_000, random_state=SEED))
        .mark_boxplot(extent="min-max")
        .encode(
            x=alt.X("rarity:N", sort=RARITIES, title="rarity (printed on the card)"),
            y=alt.Y("log10_price:Q", title="log10(price in $)"),
        )
        .properties(height=240, width=420, title="Price by rarity (4,000 sales)")
    )
    rarity_box
    return (rarity_share,)


@app.cell(hide_code=True)
def _(rarity_share):
    mo.md(rf"""
    ### What drives it, and in what form?

    Rarity orders prices almost monotonically: **{rarity_share.iloc[0]:.0%}** of Common sales
    fetch \$2 or more, **{rarity_share.iloc[-1]:.0%}** of Secret Rares. But rarity is *text*. A
    model fed only the numeric columns cannot see it at all.

    **Decision.** Encode rarity with its order (a rank 0–5), or one indicator per level if
    the steps are uneven. The same goes for `condition` (ordered text), `grade` (a string like
    `PSA 9` holding two facts), the card's age (a difference of two dates) and the secret-rare
    flag (hidden in `card_number`: `123/110` is numbered above the set size).
    """)
    return


@app.cell
def _(X, y):
    age = (X["sale_date"] - X["release_date"]).dt.days / 365.25
    age_curve = (
        pd.DataFrame({"age_years": age.round(), "worth": y})
        .groupby("age_years", as_index=False)
        .agg(share=("worth", "mean"), sales=("worth", "size"))
    )
    age_chart = (
        alt.Chart(age_curve[age_curve["sales"] >= 30])
        .mark_line(point=True)
        .encode(
            x=alt.X("age_years:Q", title="age of the card at sale (years)"),
            y=alt.Y("share:Q", title="share worth ≥ $2", axis=alt.Axis(format="%")),
            tooltip=["age_years", "share", "sales"],
        )
        .properties(height=220, title="Older cards sell higher (years with ≥ 30 sales)")
    )
    age_chart
    return


@app.cell
def _(cards):
    graded_by_price = (
        cards.assign(graded=cards["grading_company"] != "ungraded")
        .groupby(pd.cut(cards["price_usd"], [0, 2, 10, 100, np.inf], labels=["< $2", "$2–10", "$10–100", "> $100"]), observed=True)["graded"]
        .mean()
    )
    release_year = cards["release_date"].dt.year.value_counts().sort_index()
    era_share = float((cards["release_date"] < pd.Timestamp("2003-06-01")).mean())
    thinnest_year, thinnest_sales = int(release_year.idxmin()), int(release_year.min())
    coverage_chart = (
        alt.Chart(release_year.rename("sales").rename_axis("release_year").reset_index())
        .mark_bar()
        .encode(x=alt.X("release_year:O", title="release year of the card's set"), y=alt.Y("sales:Q"))
        .properties(height=200, title="Which cards are in the data")
    )
    coverage_chart
    return era_share, graded_by_price, thinnest_sales, thinnest_year


@app.cell(hide_code=True)
def _(era_share, graded_by_price, thinnest_sales, thinnest_year):
    mo.md(rf"""
    ### Bias in data

    Who is in the data, and who is missing?

    - **Selection into grading.** Owners pay to grade the copies they expect to be valuable:
      **{graded_by_price.iloc[0]:.1%}** of sales under \$2 are graded, **{graded_by_price.iloc[-1]:.0%}**
      of sales over \$100. "Graded" therefore predicts price partly *because of who chose to
      grade*, not only because a slab adds value. A model that learns it is right for this
      market and wrong if grading becomes cheap and everyone grades.
    - **Coverage.** Vintage sets (before mid-2003) are **{era_share:.0%}** of sales; the thinnest
      release year, {thinnest_year}, has only **{thinnest_sales}** sales. Few examples means noisy
      estimates there, whatever the overall accuracy says.
    - **Survivorship.** Every row is a *sale*. Listings that never sold are not here, so the
      data says nothing about "will it sell?", only "what did it sell for?".

    **Decision.** Write these limits into the model card (Module 4), and slice your
    evaluation by era and grading status rather than trusting one overall number.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 2 · Correlation and its traps

    Correlation is the first tool everyone reaches for, and it misleads in three ordinary ways.
    """)
    return


@app.cell
def _(cards, species):
    stats_cols = ["hp", "attack", "defense", "special_attack", "special_defense", "speed"]
    corr = species[stats_cols].corr()
    corr_long = corr.reset_index(names="a").melt(id_vars="a", var_name="b", value_name="r")
    heatmap = (
        alt.Chart(corr_long)
        .mark_rect()
        .encode(
            x=alt.X("a:N", sort=stats_cols, title=None),
            y=alt.Y("b:N", sort=stats_cols, title=None),
            color=alt.Color("r:Q", scale=alt.Scale(domain=[-1, 1], scheme="redblue", reverse=True)),
            tooltip=["a", "b", alt.Tooltip("r:Q", format=".2f")],
        )
        .properties(width=260, height=260, title="Species base stats: Pearson r")
    )
    pearson = float(cards["card_hp"].corr(cards["price_usd"]))
    spearman = float(cards["card_hp"].corr(cards["price_usd"], method="spearman"))
    hp_defense = float(corr.loc["hp", "defense"])
    pairs = corr_long[corr_long["a"] < corr_long["b"]].assign(size=lambda d: d["r"].abs())
    strongest = pairs.sort_values("size").iloc[-1]
    heatmap
    return hp_defense, pearson, spearman, strongest


@app.cell(hide_code=True)
def _(hp_defense, pearson, spearman, strongest):
    mo.md(f"""
    1. **Outliers rule Pearson's r.** Card HP and price: Pearson r = **{pearson:.2f}**, Spearman
       (rank) ρ = **{spearman:.2f}**. A few huge prices drown a monotone relationship; rank
       correlation, or correlation on log price, sees it.
    2. **Correlated is not redundant, and check before you assume.** The strongest pair of base
       stats in the species table is {strongest["a"]} and {strongest["b"]}, r = **{strongest["r"]:.2f}**; HP and
       Defense, often quoted as "highly correlated", have r = **{hp_defense:.2f}** here. Even a strong pair
       is shared variance, not duplication: each still carries information the other lacks. For a
       regularised linear model or a tree ensemble, correlated inputs cost little; drop one only when
       it is near-identical (|r| > 0.95) or when you need stable, interpretable coefficients.
    3. **Uncorrelated is not useless.** Correlation measures one straight line. A feature
       can matter only in combination (condition matters for raw copies, not for slabs
       whose grade already says it) or only in a narrow range. Judge a feature by what it
       adds to a model, measured, not by its correlation with the target.
    4. **A third variable can make or hide a correlation (confounding).** See below.
    """)
    return


@app.cell
def _(cards):
    _condition_rank = cards["condition"].map({c: i for i, c in enumerate(CONDITIONS)})
    _log_price = np.log10(cards["price_usd"])
    _graded = cards["grading_company"] != "ungraded"
    confounding = pd.DataFrame(
        {
            "sales": ["all", "raw copies (ungraded)", "graded slabs"],
            "rows": [len(cards), int((~_graded).sum()), int(_graded.sum())],
            "r(condition rank, log price)": [
                round(float(_condition_rank.corr(_log_price)), 2),
                round(float(_condition_rank[~_graded].corr(_log_price[~_graded])), 2),
                round(float(_condition_rank[_graded].corr(_log_price[_graded])), 2),
            ],
        }
    )
    confounding
    return (confounding,)


@app.cell(hide_code=True)
def _(confounding):
    _r = confounding["r(condition rank, log price)"].to_numpy()
    mo.md(f"""
    ### Confounding: the third variable

    Condition (ranked from worst to best) and log price correlate at r = **{_r[0]:.2f}** over all sales,
    **{_r[1]:.2f}** among raw copies and **{_r[2]:.2f}** among graded slabs. Grading is a *confounder*: owners
    send their best copies to be graded, slabs are expensive, and a slab's value comes from its grade rather
    than the condition field. When a correlation in the pooled data differs from the one inside every group,
    or even flips sign (*Simpson's paradox*), the groups differ in something that drives both variables.
    **Decision:** look at relationships within the groups a decision is made for, and give the model the
    confounder (here `graded`) so it does not learn the pooled average.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 3 · Designing features

    Feature engineering, systematically: go column by column and ask what the raw form hides.
    Most wins come from a short list:

    | raw form | example here | transformation |
    |:---|:---|:---|
    | ordered text | `rarity`, `condition` | rank, or one indicator per level |
    | structured text | `grade` = `PSA 9`, `card_number` = `123/110` | parse into parts, compare parts |
    | two dates | `sale_date`, `release_date` | difference (age), date parts (December), eras |
    | a key into another table | `species` | join (base stat total); default for misses |
    | two quantities | attack and defense | ratio, **with a guard** for zero |
    | heavy-tailed number | price, print run | log |
    | category | `language`, `mechanic` | one-hot from a *fixed* list of levels |

    Every feature encodes an assumption. A rarity *rank* assumes each step up moves the
    odds by the same amount; one-hot columns drop that assumption at the cost of five
    weights. A ratio assumes the two quantities trade off proportionally. Write the
    assumption down next to the code: it is the first thing to revisit when a feature
    disappoints.

    ### A ratio needs a guard
    """)
    return


@app.cell
def _(species):
    table = pd.DataFrame({"name": ["pikachu", "shuckle", "future-mon"], "attack": [55, 10, 80], "defense": [40, 230, 0]})
    with np.errstate(divide="ignore"):
        table["naive_ratio"] = table["attack"] / table["defense"]
    table["guarded_ratio"] = table["attack"] / table["defense"].clip(lower=1)
    zero_defense_in_real_table = int((species["defense"] == 0).sum())
    try:
        StandardScaler().fit(table[["naive_ratio"]])
        scaler_says = "nothing: it accepted inf"
    except ValueError as error:  # what scikit-learn does with inf, measured rather than remembered
        scaler_says = f"`ValueError: {str(error).splitlines()[0]}`"
    table.round(3)
    return scaler_says, zero_defense_in_real_table


@app.cell(hide_code=True)
def _(scaler_says, zero_defense_in_real_table):
    mo.md(f"""
    The real species table has **{zero_defense_in_real_table}** species with Defense 0, so the naive
    ratio works today, and breaks the day a new table (or a data error) brings a zero. Fitting a
    `StandardScaler` on the naive column just now raised {scaler_says}: the training job crashes
    (and `0/0` gives NaN, which most estimators reject the same way). Guard the denominator
    (`clip(lower=1)`, or `+ 1`), give lookups a default for unknown keys, and test the edge
    cases on purpose, as the graders of exercises 2.1 to 2.3 do.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ### Encoding categorical features

    - **Nominal** categories (`language`, `mechanic`: no order): one indicator column per level,
      `OneHotEncoder(handle_unknown="ignore")`, with the levels learned from training rows, so a
      level never seen in training becomes all zeros instead of an error or a new column.
      Integer codes (`en` = 0, `ja` = 1, ...) would tell a linear model that Japanese lies
      "between" English and German: a made-up order.
    - **Ordinal** categories (`rarity`, `condition`): their rank in the known order
      (`OrdinalEncoder(categories=[RARITIES])` or a mapping), one weight for the whole ladder.
    - **High-cardinality** keys (thousands of cards): one-hot would be thousands of sparse
      columns; a *target encoding* (the mean label per level, fitted with cross-fitting on
      training rows only, section 6) or a hash of the key keeps it to one or a few columns.

    ### Scaling and transformations

    Linear models with regularisation, and anything based on distances (k-nearest neighbours,
    SVMs, k-means), depend on the scale of each input; trees do not (a split at 100 or at
    log(100) separates the same rows). Which scaler, measured on sale prices:
    """)
    return


@app.cell
def _(cards):
    from sklearn.preprocessing import RobustScaler

    _prices = cards[["price_usd"]].to_numpy()
    _shown = np.array([[1.0], [float(np.median(_prices))], [100.0], [float(_prices.max())]])
    scalers = pd.DataFrame(
        {
            "price (USD)": _shown[:, 0].round(2),
            "StandardScaler": StandardScaler().fit(_prices).transform(_shown)[:, 0].round(2),
            "RobustScaler": RobustScaler().fit(_prices).transform(_shown)[:, 0].round(2),
            "log10, then StandardScaler": StandardScaler().fit(np.log10(_prices)).transform(np.log10(_shown))[:, 0].round(2),
        }
    )
    scalers
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    `StandardScaler` uses the mean and standard deviation, which the few very expensive cards
    inflate: the \$1 card and the median card land almost on the same value. `RobustScaler`
    (median and IQR) keeps the bulk apart but leaves the tail huge. For a heavy tail, transform
    first (log), then scale. Fit every scaler on training rows only (section 5).
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 4 · Features and models: which one to work on

    Four contenders on the fixed split, same training rows, same test rows:

    1. the fixed logistic regression on the raw numeric columns (the baseline);
    2. a gradient-boosted tree ensemble (`HistGradientBoostingClassifier`) on the *same*
       three numeric columns: a far more flexible model, blind to the text columns;
    3. the *same* logistic regression as (1) with **one** extra feature, the rarity rank;
    4. the boosted trees on the raw columns *including* the text ones, which it reads as
       categories natively (`categorical_features="from_dtype"`), with no feature engineering.

    Before you look: rank them. Then read the chart.
    """)
    return


@app.function
def rarity_rank(X: pd.DataFrame) -> pd.Series:
    """Rarity as its order: Common 0 ... Secret Rare 5."""
    return X["rarity"].map({r: float(i) for i, r in enumerate(RARITIES)}).fillna(0.0)


@app.function
def raw_categories(X: pd.DataFrame, levels: dict[str, list[str]]) -> pd.DataFrame:
    """The raw columns as a tree ensemble can read them: numbers as they are, text as categories
    with the levels seen in training (an unseen level becomes missing)."""
    frame = baseline_features(X)
    for column, known in levels.items():
        frame[column] = pd.Categorical(X[column].where(X[column].isin(known)), categories=known)
    return frame


@app.cell
def _(X_test, X_train, y_test, y_train):
    def accuracy(model, F_train, F_test):
        model.fit(F_train, y_train.to_numpy())
        return float((model.predict(F_test) == y_test.to_numpy()).mean())

    B_train, B_test = baseline_features(X_train), baseline_features(X_test)
    text_columns = ["marketplace", "set_code", "card_type", "rarity", "mechanic", "language", "condition", "grade"]
    levels = {c: sorted(X_train[c].dropna().unique()) for c in text_columns}  # < 255 levels each
    contest = pd.DataFrame(
        {
            "contender": [
                "1 logistic regression, numeric columns",
                "2 boosted trees, numeric columns",
                "3 logistic regression + rarity rank",
                "4 boosted trees, all raw columns",
            ],
            "accuracy": [
                accuracy(make_model(), B_train, B_test),
                accuracy(HistGradientBoostingClassifier(random_state=SEED), B_train, B_test),
                accuracy(make_model(), B_train.assign(rarity=rarity_rank(X_train)), B_test.assign(rarity=rarity_rank(X_test))),
                accuracy(
                    HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=SEED),
                    raw_categories(X_train, levels),
                    raw_categories(X_test, levels),
                ),
            ],
        }
    )
    majority = float(max(y_test.mean(), 1 - y_test.mean()))
    _bars = alt.Chart(contest).encode(
        x=alt.X("accuracy:Q", scale=alt.Scale(domain=[0.5, 1.0], clamp=True), title="test accuracy"),
        y=alt.Y("contender:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        tooltip=["contender", alt.Tooltip("accuracy:Q", format=".3f")],
    )
    contest_chart = (
        _bars.mark_bar(clip=True) + _bars.mark_text(align="left", dx=4).encode(text=alt.Text("accuracy:Q", format=".3f"))
    ).properties(height=150, width=360, title="Test accuracy, fixed split (axis from 0.5)")
    contest_chart
    return contest, levels, majority


@app.cell(hide_code=True)
def _(contest, majority):
    _a = contest["accuracy"].to_numpy()
    mo.md(f"""
    Baseline **{_a[0]:.3f}** (the majority class alone scores {majority:.3f}); the boosted trees on the
    same numeric columns **{_a[1]:.3f}**; the logistic regression with one good feature **{_a[2]:.3f}**;
    the boosted trees on every raw column, text read as categories, **{_a[3]:.3f}**.

    Two lessons, both measured. First, **no model recovers a signal that is not in its inputs**: with
    the numeric columns only, extra capacity gains {_a[1] - _a[0]:+.3f}, one feature {_a[2] - _a[0]:+.3f}.
    Second, **what counts as feature engineering depends on the model**: a tree ensemble that can read
    categories needs no rank for rarity or indicators for condition; it finds the splits itself. Hand
    shaping still wins when the model is linear (as in the exercises), when latency or memory rule out
    a large ensemble, when the model must be explained coefficient by coefficient, or when data is too
    small for trees to find the structure. The last word is a measurement on your split.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ### Explore: which feature group helps the linear model most?

    Each group below adds a few columns to the three numeric ones of the baseline. **Predict first**:
    which group lifts the logistic regression the most? Pick it, tick *Reveal*, then switch groups
    on and off and watch the accuracy and the (standardised) coefficients.
    """)
    return


@app.function
def feature_groups(X: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Candidate feature groups for the linear model, each computed from a listing's own row."""
    points = pd.to_numeric(X["grade"].str.extract(r"([\d.]+)$")[0], errors="coerce")
    return {
        "rarity rank": pd.DataFrame({"rarity_rank": rarity_rank(X)}, index=X.index),
        "grade (graded, points)": pd.DataFrame(
            {"graded": points.notna().astype(float), "grade_points": points.fillna(0.0)}, index=X.index
        ),
        "card age": pd.DataFrame(
            {"age_years": (X["sale_date"] - X["release_date"]).dt.days / 365.25}, index=X.index
        ),
        "condition rank": pd.DataFrame(
            {"condition_rank": X["condition"].map({c: float(i) for i, c in enumerate(CONDITIONS)}).fillna(0.0)},
            index=X.index,
        ),
        "language (one-hot)": pd.DataFrame(
            {f"lang_{code}": (X["language"] == code).astype(float) for code in LANGUAGES}, index=X.index
        ),
    }


@app.cell
def _():
    guess = mo.ui.dropdown(
        options=["rarity rank", "grade (graded, points)", "card age", "condition rank", "language (one-hot)"],
        label="My prediction: the most useful group is",
    )
    reveal = mo.ui.checkbox(label="Reveal")
    group_pick = mo.ui.multiselect(options=list(guess.options), value=["rarity rank"], label="groups in the model")
    mo.hstack([guess, reveal], justify="start", gap=1)
    return group_pick, guess, reveal


@app.cell
def _(X_test, X_train, group_pick, guess, reveal, y_test, y_train):
    mo.stop(not reveal.value or guess.value is None, mo.md("_Pick your prediction, then tick **Reveal**._"))
    _train_groups, _test_groups = feature_groups(X_train), feature_groups(X_test)
    _B_train, _B_test = baseline_features(X_train), baseline_features(X_test)

    def _lift(name):
        model = make_model().fit(_B_train.join(_train_groups[name]), y_train)
        return float(model.score(_B_test.join(_test_groups[name]), y_test))

    group_scores = pd.DataFrame({"group": list(_train_groups), "accuracy": [_lift(g) for g in _train_groups]})
    group_scores = group_scores.sort_values("accuracy", ascending=False, ignore_index=True)
    _place = int(group_scores.index[group_scores["group"] == guess.value][0]) + 1
    mo.vstack([
        mo.md(f"Baseline plus each group alone (test accuracy). Your pick, *{guess.value}*, ranks **#{_place}** of {len(group_scores)}."),
        group_scores.round(3),
        group_pick,
    ])
    return


@app.cell
def _(X_test, X_train, group_pick, reveal, y_test, y_train):
    mo.stop(not reveal.value, None)
    _train_groups, _test_groups = feature_groups(X_train), feature_groups(X_test)
    _F_train = baseline_features(X_train).join([_train_groups[g] for g in group_pick.value]) if group_pick.value else baseline_features(X_train)
    _F_test = baseline_features(X_test).join([_test_groups[g] for g in group_pick.value]) if group_pick.value else baseline_features(X_test)
    _model = make_model().fit(_F_train, y_train)
    _coefs = pd.DataFrame({"feature": _F_train.columns, "coefficient": _model[-1].coef_[0]})
    _chart = (
        alt.Chart(_coefs)
        .mark_bar()
        .encode(
            x=alt.X("coefficient:Q", title="coefficient (per standard deviation)"),
            y=alt.Y("feature:N", sort="-x", title=None),
            color=alt.condition("datum.coefficient > 0", alt.value("#4c78a8"), alt.value("#e45756")),
            tooltip=["feature", alt.Tooltip("coefficient:Q", format=".2f")],
        )
        .properties(width=360, height=22 * len(_coefs), title=f"Test accuracy {_model.score(_F_test, y_test):.3f}")
    )
    _chart
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 5 · Pipelines and ColumnTransformer

    One object from raw columns to prediction.

    Feature code scattered across notebook cells drifts: training computes a feature one way,
    serving another (*training-serving skew*). Put every step in one scikit-learn `Pipeline`:
    row-wise features in a `FunctionTransformer`, per-column treatment in a
    `ColumnTransformer`, then the model. `fit` learns every statistic from training rows;
    `predict` applies exactly the same steps to one new listing.
    """)
    return


@app.function
def listing_features(X: pd.DataFrame) -> pd.DataFrame:
    """Row-wise features: each value depends on its own row only (safe for one listing)."""
    points = pd.to_numeric(X["grade"].str.extract(r"([\d.]+)$")[0], errors="coerce")
    return pd.DataFrame(
        {
            "rarity_rank": rarity_rank(X),
            "grade_points": points.fillna(0.0),
            "graded": points.notna().astype(float),
            "age_years": (X["sale_date"] - X["release_date"]).dt.days / 365.25,
            "card_hp": X["card_hp"].astype(float),
            "first_edition": X["first_edition"].astype(float),
        },
        index=X.index,
    )


@app.cell
def _(X_test, X_train, y_test, y_train):
    categorical = ["condition", "language", "mechanic"]
    pipeline = Pipeline(
        [
            (
                "features",
                ColumnTransformer(
                    [
                        ("listing", FunctionTransformer(listing_features), ["rarity", "grade", "sale_date", "release_date", "card_hp", "first_edition"]),
                        ("categories", OneHotEncoder(handle_unknown="ignore"), categorical),
                    ]
                ),
            ),
            ("scale", StandardScaler(with_mean=False)),
            ("model", LogisticRegression(C=1.0, max_iter=5000)),
        ]
    )
    pipeline.fit(X_train, y_train)
    pipeline_accuracy = float(pipeline.score(X_test, y_test))
    one_listing = X_test.iloc[[0]]
    one_prediction = float(pipeline.predict_proba(one_listing)[0, 1])
    pipeline
    return one_listing, one_prediction, pipeline_accuracy


@app.cell(hide_code=True)
def _(one_listing, one_prediction, pipeline_accuracy):
    _row = one_listing.iloc[0]
    mo.md(rf"""
    The pipeline scores **{pipeline_accuracy:.3f}** on the test split, and it takes raw rows:
    for one listing (a {_row["rarity"]} {_row["card_name"]}, {_row["grade"]}, {_row["condition"]}) it
    answers P(≥ \$2) = **{one_prediction:.2f}**. `OneHotEncoder(handle_unknown="ignore")` learns its
    levels from training rows and survives a category it has never seen; `pd.get_dummies` on
    a batch would give a different set of columns for every batch.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ### How companies do this at scale

    *As of 2025.*

    - **Feature stores** (Feast, Tecton, Databricks, Vertex AI): a feature is defined once, in
      code, and the same definition feeds training tables and the online service, with
      *point-in-time correct* joins so a training row only sees values known at its timestamp.
      That is the pipeline idea, grown to many teams and many models.
    - **Training-serving skew** is a named failure with its own monitoring: Google's *Rules of
      ML* and Uber's Michelangelo papers both describe features computed differently offline
      and online as a top source of silent production bugs (Module 5 monitors for it).
    - **Feature reviews**: in mature teams a new feature ships with its owner, its definition,
      its availability time and a leakage check, just like an API change.
    - **A real case**: Uber's *Meet Michelangelo* (Uber Engineering blog, 2017) describes why
      Uber built a shared feature store: teams were recomputing the same features separately
      for training and for serving, and the two drifted apart; one definition used by both
      paths, with point-in-time joins, became the platform's core.
    """)
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 6 · Leakage

    A **leak** is information at training time that will not exist, or not be the same, at
    prediction time. The commonest forms:

    - a column recorded *after* the moment of prediction (a fee charged on the sold price, a
      refund flag, a "days to sell");
    - a statistic fitted on all rows, test rows included: scaler means, imputation medians,
      and worst of all, **target encodings** (the mean label per category);
    - the same entity on both sides of the split (duplicates, the same customer in train and
      test, future rows in the training set of a time series).

    Here is the second, measured. Each card (set + number) gets the average label of its
    sales as a feature: once computed on all rows, so each test row's own label is inside
    its feature; once with a `TargetEncoder` fitted on training rows only.
    """)
    return


@app.function
def card_id(frame: pd.DataFrame) -> pd.DataFrame:
    return (frame["set_code"] + "/" + frame["card_number"]).to_frame("card")


@app.function
def encoded_accuracy(X: pd.DataFrame, y: pd.Series, test: pd.Series, *, leaky: bool, smooth: float | str = "auto") -> float:
    """Accuracy of the baseline plus a per-card target encoding, fitted the leaky or the honest way."""
    Xtr, Xte, ytr, yte = X[~test], X[test], y[~test], y[test]
    base_train, base_test = baseline_features(Xtr), baseline_features(Xte)
    if leaky:  # the label mean per card over ALL rows, test rows included, then split
        m = 0.0 if smooth == "auto" else float(smooth)
        cards = card_id(X)["card"]
        stats = y.groupby(cards).agg(["sum", "count"])
        rate = (stats["sum"] + m * y.mean()) / (stats["count"] + m)
        train_rate, test_rate = card_id(Xtr)["card"].map(rate), card_id(Xte)["card"].map(rate)
    else:  # fitted on training rows only (cross-fitted among them), applied to test rows
        encoder = TargetEncoder(target_type="binary", smooth=smooth, cv=KFold(n_splits=5, shuffle=True, random_state=SEED))
        train_rate = encoder.fit_transform(card_id(Xtr), ytr)[:, 0]
        test_rate = encoder.transform(card_id(Xte))[:, 0]
    model = make_model().fit(base_train.assign(rate=train_rate), ytr)
    return float(model.score(base_test.assign(rate=test_rate), yte))


@app.cell
def _(X, y):
    _interleaved = is_test(X)
    # Time-forward: train on the first 75 % of sales by date, test on the last 25 % (what deployment does).
    later = X["sale_date"] >= X["sale_date"].quantile(0.75)
    leaky_accuracy = encoded_accuracy(X, y, _interleaved, leaky=True)
    honest_accuracy = encoded_accuracy(X, y, _interleaved, leaky=False)
    forward_accuracy = encoded_accuracy(X, y, later, leaky=False)
    forward_cutoff = X.loc[later, "sale_date"].min()
    n_cards = int(card_id(X)["card"].nunique())
    return forward_accuracy, forward_cutoff, honest_accuracy, later, leaky_accuracy, n_cards


@app.cell(hide_code=True)
def _(forward_accuracy, forward_cutoff, honest_accuracy, leaky_accuracy, n_cards):
    mo.md(f"""
    Same model, same feature idea, {n_cards:,} distinct cards: the leaky version reports
    **{leaky_accuracy:.3f}**, the train-only one **{honest_accuracy:.3f}**. The gap of
    **{leaky_accuracy - honest_accuracy:.3f}** is pure leak: a card sold only a few times has
    its test sale's own label averaged into its feature. In production nobody knows the label
    of the sale being predicted, so the model will perform like the honest number, and the
    launch decision was made on the other one.

    ### Time-forward evaluation: past-only encodings

    Even the train-only number is optimistic. The fixed split takes every fourth sale, so the
    training rows include *later* sales of the same card: the encoder learns a card's future.
    In production the model scores sales that happen after training. Evaluate that way: train
    on sales before {forward_cutoff:%Y-%m-%d}, test on the rest, encoder fitted on the past only:
    **{forward_accuracy:.3f}**. For time-ordered data this is the number to launch on, and any
    statistic a feature uses (a card's mean price, a seller's history) must be computed from
    rows *before* the row it describes.

    **How to stay safe:** split first (by entity and, for time-ordered data, by time); put
    every fitted step in the `Pipeline` and fit it on training rows only; for every column ask
    "would I know this at the moment of prediction?"; and be suspicious of any score that
    looks too good. Exercise 2.2 has four leaks hidden in one short function.
    """)
    return


@app.cell
def _():
    smoothing = mo.ui.slider(start=0, stop=100, step=5, value=0, label="smoothing m (pseudo-sales at the overall rate)", show_value=True)
    mo.vstack([
        mo.md("**Try it: does smoothing fix the leak?** A smoothed mean pulls each card's rate towards the overall rate by `m` pseudo-sales. Predict what happens to the gap, then move the slider."),
        smoothing,
    ])
    return (smoothing,)


@app.cell
def _(X, later, smoothing, y):
    _m = float(smoothing.value)
    _scores = {
        "leaky (all rows)": encoded_accuracy(X, y, is_test(X), leaky=True, smooth=_m),
        "train only, interleaved split": encoded_accuracy(X, y, is_test(X), leaky=False, smooth=_m),
        "past only, time-forward split": encoded_accuracy(X, y, later, leaky=False, smooth=_m),
    }
    _gap = _scores["leaky (all rows)"] - _scores["past only, time-forward split"]
    mo.vstack([
        pd.DataFrame({"encoding": list(_scores), "test accuracy": [round(v, 3) for v in _scores.values()]}),
        mo.md(f"At m = {_m:g} the leaky number overstates the launch number by **{_gap:.3f}**. Smoothing shrinks the "
              "leak for rarely sold cards but cannot remove it: the test row's own label is still in its feature. "
              "Only fitting on the past removes it."),
    ])
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 7 · Socratic questions

    Answer each in your own words first, then open the fold.
    """)
    return


@app.cell(hide_code=True)
def _(hp_defense):
    mo.accordion(
        {
            "You found that HP and Defense are highly correlated. Should you remove one? Why or why not?": mo.md(f"""
    First check the premise: in this species table r = {hp_defense:.2f}, which is not high at all (see §2,
    *Correlation and its traps*). When a pair really is correlated: usually keep both. Correlation is shared
    variance, not duplication, and each carries information the other lacks. Regularised linear models and trees cope with correlated inputs; removing one throws that information
    away. Remove (or combine) only when they are near-duplicates (|r| above about 0.95), when you need stable,
    interpretable coefficients, or when a feature costs money to compute or collect. Decide by measuring the model
    with and without it, not by the correlation alone."""),
            "Your model achieves 99% accuracy. You're suspicious. What do you check first?": mo.md("""
    Leakage, before anything else. Which features are most important, and could any of them be known only after
    the outcome (a fee, a status, a timestamp)? Was anything fitted before the split (scaler, imputer, target
    encoding)? Do duplicates or the same entity appear in train and test? Is the split random where it should be by
    time? Then the basics: the class balance (99 % may be the majority class), and a score on data collected later
    (see §6, *Leakage* and *Time-forward evaluation*). Exercise 2.2 is this question, four times."""),
            "Why do we fit preprocessing (like scalers) only on training data, not all data?": mo.md("""
    Because the test set stands in for the future, and at prediction time the future's statistics are unknown.
    A scaler fitted on all rows has learned the test rows' mean and spread; a target encoder fitted on all rows has
    learned their labels. The test score then measures a situation that never happens in production and is
    optimistic. Fitting every step inside a Pipeline on the training rows makes the evaluation mimic deployment
    (see §5, *Pipelines and ColumnTransformer*, and §6, *Leakage*)."""),
            "You're creating a 'power_ratio' feature (Attack/Defense). What happens when Defense is 0?": mo.md("""
    Division by zero gives infinity (or NaN for 0/0). Infinity passes silently through pandas; then scikit-learn
    refuses it: `StandardScaler.fit` raises `ValueError` (see §3, *A ratio needs a guard*, which measures this), so
    training crashes, or, if someone "fixes" that with `replace(inf, nan)` and an imputer, the zero-defense species
    quietly get an average ratio. Guard the
    denominator (`defense.clip(lower=1)` or `defense + 1`), decide what a zero *means* in the domain, cap extreme
    ratios, and add a test with a zero on purpose. The same thinking applies to a species missing from the join."""),
            "A domain expert suggests a feature. It has zero correlation with the target. Do you include it?": mo.md("""
    Do not reject it on correlation alone. Correlation only sees a single straight-line relationship across all
    rows; the feature may matter in interaction (condition matters only for ungraded cards), in a subgroup, or in
    a non-linear way. Measure what it adds: cross-validated score with and without it, perhaps with an interaction
    term. If it adds nothing after an honest test, leave it out and tell the expert what you measured: their
    knowledge may point to a better encoding of the same idea (see §2, *Correlation and its traps*, point 3)."""),
        }
    )
    return


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    ## 8 · Exercises and checkpoint challenge

    | item | notebook | what you practise |
    |:---|:---|:---|
    | 2.1 | `ex_2_1_five_features.py` | five features with written justifications, robust to edge cases |
    | 2.2 | `ex_2_2_spot_the_leakage.py` | find four leaks, rebuild as a leak-free Pipeline |
    | 2.3 | `ex_2_3_one_good_feature.py` | one feature that lifts CV accuracy by at least 5 % |
    | challenge | `challenge_2_feature_competition.py` | from 65 % to above 75 % with features only |

    Open one with `uv run marimo edit modules/02_eda_and_features/<file>` and check it with
    `uv run course check <id>`.

    **Mastery checks** (with your mentor): generate 10 feature ideas for the card task in
    5 minutes; spot the leak in someone else's notebook; explain one feature decision to a
    product manager in two sentences; build a `Pipeline` with a `ColumnTransformer` from an
    empty cell.

    ## 9 · Common pitfalls

    - **Fitting on all data**: scalers, imputers, encoders, feature selection. Split first.
    - **Target encoding without cross-fitting**: even fitted on training rows only, a plain
      mean per category lets each training row see its own label; use `TargetEncoder`.
    - **Batch-dependent features**: `pd.get_dummies`, batch means and ranks give one listing
      at prediction time a different value than in training.
    - **Unguarded arithmetic**: ratios with zero denominators, joins without defaults, logs of 0.
    - **Correlation as a feature filter**: it misses interactions and non-linear signal.
    - **Plots without decisions**: each chart should end in a sentence that starts "so we ...".

    ## 10 · Further reading

    - scikit-learn user guide: *Pipelines and composite estimators* and *Common pitfalls and
      recommended practices* (data leakage section); the `TargetEncoder` documentation on
      cross-fitting.
    - Kaufman, Rosset, Perlich, Stitelman, *Leakage in data mining: formulation, detection,
      and avoidance*, ACM TKDD (2012).
    - Zheng and Casari, *Feature Engineering for Machine Learning* (O'Reilly, 2018).
    - Kuhn and Johnson, *Feature Engineering and Selection* (2019), free online.
    - Sculley et al., *Hidden Technical Debt in Machine Learning Systems*, NeurIPS (2015):
      training-serving skew and pipeline jungles.
    """)
    return


if __name__ == "__main__":
    app.run()
