"""Two views of one report: Markdown (the PR comment) and the terminal (rich).

Learner-controlled text (feedback, output, names) is escaped in Markdown so that it cannot
add links, mentions, HTML, fake markers or break the layout.
"""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grading.catalog import Course
from grading.lessons import cite, section
from grading.report import Report
from grading.rubric import SECTIONS, section_scores
from grading.summary import plural

MAX_COMMENT = 60_000
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>&])")
ICONS = {"passed": "✅", "failed": "❌", "error": "⚠️"}


def marker(item: str) -> str:
    """The hidden HTML marker that identifies the sticky comment of one item."""
    return f"<!-- course-grader:{item} -->"


def md(text: str, limit: int = 2000) -> str:
    """Escape learner text for one line of Markdown."""
    text = text if len(text) <= limit else text[:limit] + " …"
    text = _MD_SPECIAL.sub(r"\\\1", text.replace("\r", ""))
    return text.replace("@", "@\u200b").replace("\n", " ")


_SPAN = re.compile(r"(?<!`)`([^`\n]{1,200})`(?!`)")


def prose(text: str, limit: int = 2000, *, cell: bool = False) -> str:
    """Escape text like md(), but keep its `code spans` as (safe) inline code. In a table
    cell a pipe ends the cell even inside a code span, so it is escaped there (GFM)."""
    text = text if len(text) <= limit else text[:limit] + " …"
    out, last = [], 0
    for m in _SPAN.finditer(text):
        span = code(m.group(1))
        out += [md(text[last : m.start()], limit), span.replace("|", "\\|") if cell else span]
        last = m.end()
    out.append(md(text[last:], limit))
    return "".join(out)


def code(text: str, limit: int = 300) -> str:
    """Learner or course text as an inline code span it cannot leave (no escaping needed inside)."""
    text = text[:limit].replace("\r", " ").replace("\n", " ").replace("@", "@\u200b").replace("<!--", "<!‐‐")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(text: str, limit: int = 4000) -> str:
    """Learner output in a fence that it cannot close."""
    text = text[-limit:]
    longest = max((len(m) for m in re.findall(r"`+|~+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.replace('<!--', '<!‐‐')}\n{fence}"


def lint_summary(r: Report) -> str:
    """One phrase for ruff's verdict, shared by both renderers."""
    if r.lint.findings:
        n = len(r.lint.findings)
        return f"{n} {plural(n, 'finding', 'findings')}"
    return "clean" if r.lint.ran else r.lint.message


def status_line(r: Report) -> str:
    label = {"passed": "Passed", "failed": "Not passed yet", "error": "Could not be graded"}[r.status]
    if r.fault == "busy":
        label = "Not graded (machine too busy)"
    prov = ""
    if r.provisional:
        if r.status == "passed":
            label = "Visible checks pass"
        checked = f"{r.checked_score:g} of {r.max_score:g} points checked here" if r.checked_score is not None else "visible checks only"
        prov = f" (provisional: {checked})"
    return f"{ICONS[r.status]} **{md(r.item)} · {md(r.title)}** — {label}: **{r.score:g}/{r.max_score:g}**{prov}"


def reread(ref: str | None) -> str:
    """`§3 Reproducible pipelines in `01_data_engineering.py``, as safe Markdown."""
    if not ref:
        return ""
    where, name = section(ref)
    return f"{md(where)} in {code(name)}" if where else code(name)


def _next_item(course: Course | None, item_id: str) -> str:
    if course is None or item_id not in course.items:
        return ""
    ids = list(course.items)
    rest = [course.items[i] for i in ids[ids.index(item_id) + 1 :]]
    ready = [i for i in rest if i.status == "ready"]
    nxt = ready[0] if ready else (rest[0] if rest else None)
    if nxt is None:
        return "That was the last item of the course: congratulations on finishing it."
    soon = "" if nxt.status == "ready" else " (coming soon)"
    return f"Next in the course: **{md(nxt.id)} · {md(nxt.title)}**{soon}, {code(nxt.path)}, about {nxt.minutes} minutes."


def _verdict(r: Report) -> str:
    """Which of three different things happened: never a bare red X."""
    if r.fault == "busy":
        return "**Not graded: the machine was too busy to finish.** This is not your fault and says nothing about your work: rerun the job."
    if r.fault == "grader":
        return "**The grader itself failed** (not your fault), so there is no verdict on your work yet."
    if r.status == "error":
        return "**The grader could not grade this submission**, so there is no verdict on your work yet."
    if r.status == "passed":
        return "🎉 **Well done: this item passes.**"
    if r.execution.status in ("failed", "timeout"):
        what = "timed out" if r.execution.status == "timeout" else "crashed"
        return f"**Your notebook {what} when run top to bottom**, and a notebook that does not run cannot pass."
    return "**Your code did not pass some of the checks yet.** That is normal: the hints below say where to look."


def to_markdown(r: Report, course: Course | None = None) -> str:
    """The PR comment: verdict and score, what to do next, then the details in folds."""
    required = [c for c in r.criteria if c.required and not c.passed]
    misses = [c for c in r.criteria if not c.passed]
    first = required[0] if required else (misses[0] if misses else None)
    lines = [marker(r.item), f"### {status_line(r)}", "", _verdict(r), ""]
    # The engine's summary repeats the first hint; show it where it adds something.
    if r.status == "error" or r.execution.status != "ok" or r.summary.startswith("Not started") or (r.status == "failed" and first is None):
        lines += [prose(r.summary, 3000), ""]
    if r.tampered_paths:
        lines += ["> [!WARNING]", "> This pull request changes protected files; the score is not counted until a mentor regrades:",
                  *[f"> - {code(p, 200)}" for p in r.tampered_paths[:30]], ""]
    if r.provisional:
        lines += ["> [!NOTE]", "> **Provisional score:** the hidden tests were not available to this run, so only the visible "
                  "checks counted. The final score may differ.", ""]
    lines += ["#### What to do next", ""]
    if r.status == "error":
        lines.append(f"- Check again locally with {code('uv run course check ' + r.item)}; if it still cannot grade, open a *help request* issue and link this pull request.")
    elif r.status == "failed" and r.execution.status in ("failed", "timeout"):
        lines.append(f"- Run {code('uv run python ' + r.submission)} to see the traceback, fix the failing cell, then push again.")
        if r.execution.message:
            lines.append(f"- What happened: {prose(r.execution.message, 500)}")
    if first is not None and r.status != "error":
        lines.append(f"- Start with **{prose(first.title, 200)}**: {prose(first.hint or first.feedback, 600)}")
        lesson = reread(first.lesson or r.lesson)
        if lesson:
            lines.append(f"- Reread {lesson} for this.")
        if r.status == "failed":
            lines.append(f"- Then run {code('uv run course check ' + r.item)} locally (the same grader as here) and push again.")
    if r.status == "passed":
        if misses:
            lines.append(f"- {len(misses)} {plural(len(misses), 'check', 'checks')} still missed: worth fixing before you move on.")
        nxt = _next_item(course, r.item)
        if nxt:
            lines.append(f"- {nxt}")
    lines.append("")
    lines += rubric_markdown(r)
    if r.criteria:
        ok = sum(c.passed for c in r.criteria)
        lines += [f"<details><summary>All criteria ({ok} of {len(r.criteria)} passed)</summary>", "",
                  "| | criterion | points | feedback |", "|---|---|---|---|"]
        for c in r.criteria:
            tag = " (hidden)" if c.visibility == "hidden" else ""
            lines.append(f"| {'✅' if c.passed else '❌'} | {prose(c.title, 200, cell=True)}{tag} | {c.points:g}/{c.max_points:g} | {prose(c.feedback, 300, cell=True)} |")
        lines += ["", "</details>", ""]
        others = [c for c in misses if c is not first]
        if others:
            lines += ["<details><summary>Hints for the other checks that did not pass</summary>", ""]
            for c in others:
                lesson = f" — reread {reread(c.lesson)}" if c.lesson else ""
                lines.append(f"- **{prose(c.title)}** ({c.visibility}): {prose(c.hint or c.feedback)}{lesson}")
            lines += ["", "</details>", ""]
    lines += ml_test_markdown(r)
    lint = md(lint_summary(r))
    lines.append(f"**Lint (ruff):** {lint} · **Notebook run:** {r.execution.status} ({md(r.execution.message, 300)})")
    if r.lint.findings:
        lines += ["", "<details><summary>ruff findings</summary>", ""]
        lines += [f"- line {f.line}: {code(f.code, 20)} {md(f.message, 200)}" for f in r.lint.findings[:30]]
        lines += ["", "</details>"]
    if r.execution.output.strip() and r.execution.status != "ok":
        lines += ["", "<details><summary>Output of your notebook</summary>", "", code_block(r.execution.output), "", "</details>"]
    text = "\n".join(lines) + "\n"
    if len(text) > MAX_COMMENT:
        text = text[: MAX_COMMENT - 200] + "\n\n… (comment shortened; run `uv run course check` locally for everything)\n"
    return text


def rubric_markdown(r: Report) -> list[str]:
    """The capstone's five section scores as a table (nothing for an item without rubric sections)."""
    sections = section_scores(r)
    if not sections:
        return []
    rows = [f"| {'✅' if earned >= available else '➖'} | {SECTIONS[k]} | {earned:g}/{available:g} |"
            for k, (earned, available) in sections.items()]
    return ["#### Rubric", "", "| | section | points |", "|---|---|---|", *rows, ""]


ML_ICONS = {"automated": "🤖", "documented": "📝", "missing": "➖", "mentor": "🧑‍🏫"}


def ml_test_markdown(r: Report) -> list[str]:
    """The ML Test Score beside the grade: one line and a fold with the 28 tests. Titles and sums come
    from our table (grading/ml_test_score.py); the stored evidence is escaped like any learner text."""
    if r.ml_test_score is None:
        return []
    from grading import ml_test_score as mts

    score = r.ml_test_score
    sums, value, left = mts.section_sums(score), mts.final(score), mts.for_mentor(score)
    parts = " · ".join(f"{mts.SECTIONS[k]} {sums[k]:g}" for k in mts.SECTIONS)
    lines = [f"**ML Test Score** (Breck et al. 2017; production readiness beside the grade, not part of it): "
             f"**{value:g}**, the lowest of {parts} (of 7 each): {mts.band(value)}."
             + (f" {len(left)} {plural(len(left), 'test is', 'tests are')} for your mentor to judge." if left else ""), "",
             "<details><summary>The 28 tests (🤖 automated 1 · 📝 documented ½ · ➖ not found · 🧑‍🏫 mentor)</summary>", "",
             "| | test | points | found |", "|---|---|---|---|"]
    for tid, t in mts.statuses(score).items():
        test = mts.BY_ID[tid]
        lines.append(f"| {ML_ICONS[t.status]} | {md(test.label)}: {md(test.title)} | {mts.POINTS[t.status]:g} | "
                     f"{prose(t.evidence, 300, cell=True)} |")
    return [*lines, "", "</details>", ""]


def to_terminal(r: Report, console: Console) -> None:
    style = {"passed": "green", "failed": "red", "error": "yellow"}[r.status]
    table = Table(show_lines=False, expand=True)
    table.add_column("", width=2)
    table.add_column("criterion", ratio=3)
    table.add_column("points", justify="right", width=9)
    table.add_column("feedback", ratio=4)
    for c in r.criteria:
        mark = Text("✔", style="green") if c.passed else Text("✘", style="red")
        hidden = Text(" (hidden)", style="dim") if c.visibility == "hidden" else Text("")
        table.add_row(mark, Text(c.title) + hidden, f"{c.points:g}/{c.max_points:g}", Text(c.feedback))
    parts: list = []
    if r.criteria:
        parts.append(table)
    misses = [c for c in r.criteria if not c.passed and (c.hint or c.lesson)]
    for c in misses[:8]:
        hint = Text.assemble(("hint ", "bold yellow"), (c.title, "bold"), ": ", c.hint or "")
        if c.lesson:
            hint.append(f"\n     reread {cite(c.lesson)}", style="dim")
        parts.append(hint)
    lint = lint_summary(r)
    parts.append(Text(f"ruff: {lint}    notebook run: {r.execution.status}", style="dim"))
    for f in r.lint.findings[:10]:
        parts.append(Text(f"  {r.submission}:{f.line}:{f.column} {f.code} {f.message}", style="dim"))
    if r.tampered_paths:
        parts.append(Text("protected files changed: " + ", ".join(r.tampered_paths), style="bold red"))
    if r.ml_test_score is not None:
        from grading.ml_test_score import for_mentor, line

        left = len(for_mentor(r.ml_test_score))
        parts.append(Text(f"{line(r.ml_test_score)} (beside the grade, not part of it; {left} "
                          f"{plural(left, 'test', 'tests')} for your mentor to judge)", style="cyan"))
    parts.append(Text(r.summary))
    total = Text.assemble(("total ", "bold"), (f"{r.score:g}/{r.max_score:g}", f"bold {style}"), f"  ({r.status}",
                          (f" · provisional: {r.checked_score:g} of {r.max_score:g} points checked here" if r.checked_score is not None
                           else " · provisional") if r.provisional else "", " · no verdict, rerun" if r.fault == "busy" else "", ")")
    parts.append(total)
    console.print(Panel(Group(*parts), title=f"{r.item} · {r.title}", border_style=style))
