"""What the report says: one paragraph per outcome, worded for the learner.

Every sentence here is true of the submission: a timeout says which budget and how much
CPU was used, a busy machine is never blamed on the learner, and a report without hidden
tests says which share of the points could be checked.
"""

from __future__ import annotations

from grading.catalog import Item
from grading.lessons import cite
from grading.report import Report
from grading.visible_checks import STUB_MARK, STUB_TEXT


def plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def marimo_problems(check: dict, name: str) -> str:
    issues = check.get("issues")
    issues = [i for i in issues if isinstance(i, dict)] if isinstance(issues, list) else []
    lines = []
    for issue in issues[:5]:
        where = f"line {issue.get('line')}" if issue.get("line") else ""
        lines.append(f"{issue.get('code', '')} {issue.get('name', '')} {where}: {issue.get('message', '')}".strip())
    detail = "; ".join(lines) or "marimo reported an error it could not describe"
    return (
        f"marimo cannot run `{name}` as a notebook: {detail}. marimo requires each name to be "
        "defined in exactly one cell and cells not to depend on each other in a cycle. Open it with "
        f"`uv run marimo edit {name}`, which highlights the problem, fix it, and check again."
    )


def import_problem(kind: str, message: str, explained: str, name: str) -> str:
    if kind == "timeout":
        what = (f"Loading your notebook was stopped ({message}): code at the top level (the setup block or an "
                "@app.function's module-level code) seems to loop forever or do very heavy work.")
    elif kind in ("crashed", "exit"):
        what = f"Loading your notebook ended the Python process: {message}."
    else:
        what = f"Loading your notebook raised an error: {explained}."
    return (f"{what} The grader imports `{name}` without running its cells, so only the `with app.setup:` block and "
            "the function definitions run at this point. Fix that code and check again.")


def busy(item: Item, why: str) -> str:
    return (
        f"Not graded: {why}. This is not your fault and says nothing about your code; nothing was scored. "
        f"Run `uv run course check {item.id}` again when the machine is less busy (close other heavy programs)."
    )


def _provisional(r: Report) -> str:
    if not r.provisional:
        return ""
    if r.checked_score is None:
        return " Only the visible checks ran here; the hidden checks run on your pull request."
    return (f" {r.checked_score:g} of {r.max_score:g} points could be checked here (the visible checks); "
            "the hidden checks run on your pull request.")


def summary(r: Report, item: Item) -> str:
    score = f"{r.score:g}/{r.max_score:g}"
    prov = _provisional(r)
    if r.status == "passed":
        misses = [c for c in r.criteria if not c.passed]
        if r.provisional:
            checked = f"{r.score:g} of {r.checked_score:g} checked points" if r.checked_score is not None else score
            return f"Visible checks pass ({checked}).{prov}"
        if misses:
            return (f"Passed with {score}. {len(misses)} {plural(len(misses), 'check', 'checks')} still missed, "
                    f"see the hints: worth fixing before you move on.")
        return f"Passed with {score}: every check holds. Well done."
    stubs = [c for c in r.criteria if STUB_TEXT in c.feedback or STUB_MARK in c.feedback]
    if stubs and all(c.points == 0 for c in r.criteria if c.id.startswith("test") or c.visibility == "hidden"):
        names = ", ".join(f"`{f}()`" for f in item.functions) or "the exercise"
        verb = plural(len(item.functions), "still raises", "still raise")
        return (
            f"Not started yet: {names} {verb} NotImplementedError (the TODO stub), so the checks score {score}. "
            f"Open `{item.path}` with `uv run marimo edit {item.path}`, replace each `raise NotImplementedError(...)` "
            f"with your implementation, then run `uv run course check {item.id}` again.{prov}"
        )
    if r.execution.status != "ok":
        fix = ("make it finish within its budget" if r.execution.status == "timeout"
               else f"fix the failing cell (`uv run python {item.path}` shows the traceback)")
        return (f"Score {score}, but the notebook does not run top to bottom ({r.execution.message}). "
                f"A notebook that does not run cannot pass; {fix}.{prov}")
    required = [c for c in r.criteria if c.required and not c.passed]
    miss = required[0] if required else r.first_miss()
    stopped = [c for c in r.criteria if c.feedback.startswith("timeout:")]
    said = (miss.feedback if miss in stopped else (miss.hint or miss.feedback)) if miss else ""
    nxt = f" Start with “{miss.title}”: {said}" if miss else ""
    where = cite(miss.lesson or r.lesson) if miss else None
    lesson = f" Reread {where}." if where else ""
    if stopped and miss not in stopped:
        n = len(stopped)
        nxt += f" Your code was stopped in {n} {plural(n, 'check', 'checks')}: {stopped[0].feedback}"
    if required and r.score >= r.pass_threshold * r.max_score:
        n = len(required)
        why = (f"Score {score}, but {n} required {plural(n, 'check', 'checks')} did not pass, "
               "and every required check must.")
    else:
        why = f"Score {score}, below the pass mark of {r.pass_threshold * r.max_score:g}."
    return f"{why}{nxt}{lesson}{prov}"
