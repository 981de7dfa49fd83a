"""The visible tests of an exercise notebook, shown pass or fail in the notebook as the learner edits.

marimo's own reactive pytest is switched off in pyproject.toml (with it on, a failing cell can
leave `marimo export` exiting 0), so each exercise notebook ends with a cell that calls
`visible_tests(test_a, test_b, ..., item="1.1")`. The cell names the test functions, so marimo
reruns it whenever one of them, or a function they call, changes. It runs the tests only in
`marimo edit` and `marimo run`: the grader runs them itself, with pytest.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import marimo as mo

from grading.criteria import default_title

SHOWN_IN = ("edit", "run")
MARK = {"pass": "✅", "fail": "❌", "todo": "🔧", "error": "💥"}


@dataclass
class Result:
    outcome: str  # pass | fail | todo (a stub still raises NotImplementedError) | error
    title: str
    detail: str = ""


def run_test(test: Callable[[], object]) -> Result:
    meta = getattr(test, "criterion", {}) or {}
    title = meta.get("title") or default_title(test.__name__)
    try:
        test()
    except NotImplementedError as err:
        return Result("todo", title, str(err) or "not implemented yet")
    except AssertionError as err:
        message = str(err).split("\nassert ")[0].strip()
        return Result("fail", title, " ".join(p for p in (meta.get("hint", ""), message) if p))
    except Exception as err:  # noqa: BLE001 - a learner's bug is shown, not raised, so every test still runs
        return Result("error", title, f"{type(err).__name__}: {err}")
    return Result("pass", title)


def _row(r: Result) -> str:
    detail = f'<div style="margin-left:1.8em;opacity:.8">{html.escape(r.detail[:400])}</div>' if r.detail else ""
    return f"<div>{MARK[r.outcome]} <b>{html.escape(r.title)}</b>{detail}</div>"


def render(results: list[Result], item: str) -> mo.Html:
    passed = sum(r.outcome == "pass" for r in results)
    summary = (f"**Visible tests: {passed} of {len(results)} pass.** They rerun whenever you change a function. "
               f"The hidden tests check more: `uv run course check {item}`.")
    body = mo.Html("".join(_row(r) for r in results))
    kind = "success" if passed == len(results) else "warn"
    return mo.callout(mo.vstack([mo.md(summary), body], gap=0.5), kind=kind)


def visible_tests(*tests: Callable[[], object], item: str) -> mo.Html | None:
    """Run the notebook's visible tests and show each one's outcome (only in the editor or app)."""
    if mo.app_meta().mode not in SHOWN_IN:
        return None
    return render([run_test(t) for t in tests], item)
