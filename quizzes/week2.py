import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")

with app.setup:
    from pathlib import Path

    import marimo as mo

    from grading.quiz import quiz_questions, write_answers
    from grading.quiz.ui import collect, load_saved, prompt, show, widgets

    QUIZ = "week2"
    ROOT = Path(__file__).resolve().parent.parent  # the course root, wherever marimo runs from
    ANSWERS = ROOT / "quizzes" / "answers" / f"{QUIZ}.json"


@app.cell(hide_code=True)
def _():
    mo.md(r"""
    # Week 2 self-assessment quiz: modules 3 and 4

    25 questions on model training and experimentation (module 3) and on model
    evaluation (module 4). You pass at 80 % (20 of 25).

    **How it is scored.** Each question is worth 1 point. Multiple choice is
    **all-or-nothing**: you get the point only if you select exactly the right options.
    Numeric answers count when they are within the tolerance stated under the question.
    Orderings must be exactly right. Unanswered questions count as wrong.

    **How to submit.** Answer below, press **Save answers** at the bottom (it writes
    `quizzes/answers/week2.json`), commit that file and open a pull request. The bot tells you
    which questions you missed and why, without giving the right option away, so you can
    reread the lesson section and try again. `uv run course check week2.quiz` checks the file
    locally; the answer key is not in your repository, so the score itself comes from CI.
    """)
    return


@app.cell
def _():
    questions = quiz_questions(ROOT, QUIZ, with_key=False)
    form = widgets(questions, load_saved(ANSWERS, QUIZ))
    return form, questions


@app.cell
def _(form, questions):
    mo.vstack([mo.vstack([prompt(n, q), show(form[q.id])]) for n, q in enumerate(questions, start=1)], gap=2)
    return


@app.cell
def _(form, questions):
    answers, missing = collect(questions, form.value)
    _done = len(questions) - len(missing)
    mo.callout(
        mo.md(
            f"**{_done} of {len(questions)} answered.** "
            + ("Unanswered: " + ", ".join(missing) + "." if missing else "All questions answered.")
        ),
        kind="success" if not missing else "info",
    )
    return (answers,)


@app.cell
def _():
    save = mo.ui.run_button(label="Save answers", kind="success")
    save
    return (save,)


@app.cell
def _(answers, save):
    mo.stop(not save.value, mo.md(f"Answers are saved to `{ANSWERS.relative_to(ROOT)}` when you press the button."))
    write_answers(ANSWERS, QUIZ, answers)
    mo.md(f"Saved to `{ANSWERS.relative_to(ROOT)}`. Commit it and open a pull request to have it graded.")
    return


if __name__ == "__main__":
    app.run()
