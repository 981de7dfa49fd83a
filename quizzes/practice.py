import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    import random
    from pathlib import Path

    import marimo as mo

    from grading.quiz import judge, practice_questions
    from grading.quiz.ui import answer, prompt, show, widgets

    ROOT = Path(__file__).resolve().parent.parent  # the course root, wherever marimo runs from
    POOL = practice_questions(ROOT)
    MODULES = {
        1: "1 Data engineering and validation",
        2: "2 EDA and feature engineering",
        3: "3 Model training and experimentation",
        4: "4 Model evaluation",
        5: "5 Deployment, inference and monitoring",
    }


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Practice quiz

    Questions drawn at random from the practice part of the quiz bank, with instant feedback:
    as soon as you answer, you see whether you are right and why each option is right or
    wrong. Nothing is saved or graded. Change the seed to draw a different set; the same seed
    always draws the same questions. The week quizzes use different questions.
    """)
    return


@app.cell
def _():
    seed = mo.ui.number(start=0, stop=9999, step=1, value=1, label="seed")
    count = mo.ui.slider(start=3, stop=20, step=1, value=8, label="questions", show_value=True)
    modules = mo.ui.multiselect(
        options={v: k for k, v in MODULES.items()}, value=list(MODULES.values()), label="modules"
    )
    mo.hstack([seed, count, modules], justify="start", gap=2)
    return count, modules, seed


@app.cell
def _(count, modules, seed):
    _pool = [q for q in POOL if q.module in modules.value]
    drawn = random.Random(seed.value).sample(_pool, min(count.value, len(_pool)))
    form = widgets(drawn)
    # Several boxes make one answer: judge it when the learner says it is complete, not at the first tick.
    checks = mo.ui.dictionary(
        {q.id: mo.ui.checkbox(label="**check my answer**") for q in drawn if q.type == "multiple"}
    )
    mo.md(f"{len(drawn)} questions drawn from {len(_pool)} practice questions.")
    return checks, drawn, form


@app.cell
def _(checks, drawn, form):
    def ready(q):
        """The learner's answer once it is complete (a multiple choice: once they ask for a check)."""
        given, note = answer(q, form.value[q.id])
        return (None, note) if q.id in checks and not checks.value[q.id] else (given, note)

    def _feedback(q):
        given, note = ready(q)
        if given is None:
            return mo.md(f"_{note}_") if note else mo.md("")
        passed, text = judge(q, given, reveal=True)
        return mo.callout(mo.md(text), kind="success" if passed else "danger")

    def _question(n, q):
        parts = [prompt(n, q), show(form[q.id])]
        return mo.vstack([*parts, checks[q.id], _feedback(q)] if q.id in checks else [*parts, _feedback(q)])

    mo.vstack([_question(n, q) for n, q in enumerate(drawn, start=1)], gap=2)
    return (ready,)


@app.cell
def _(drawn, ready):
    _results = [judge(q, a, reveal=True)[0] for q in drawn if (a := ready(q)[0]) is not None]
    mo.md(f"**Score so far: {sum(_results)} right of {len(_results)} answered** ({len(drawn)} drawn).")
    return


if __name__ == "__main__":
    app.run()
