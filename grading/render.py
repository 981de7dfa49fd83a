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

from grading.report import Report

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


def code_block(text: str, limit: int = 4000) -> str:
    """Learner output in a fence that it cannot close."""
    text = text[-limit:]
    longest = max((len(m) for m in re.findall(r"`+|~+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.replace('<!--', '<!‐‐')}\n{fence}"


def status_line(r: Report) -> str:
    label = {"passed": "Passed", "failed": "Not passed yet", "error": "Could not be graded"}[r.status]
    prov = " (provisional)" if r.provisional else ""
    return f"{ICONS[r.status]} **{md(r.item)} · {md(r.title)}** — {label}: **{r.score:g}/{r.max_score:g}**{prov}"


def to_markdown(r: Report) -> str:
    lines = [marker(r.item), f"### {status_line(r)}", "", md(r.summary, 3000), ""]
    if r.tampered_paths:
        lines += ["> [!WARNING]", "> This pull request changes protected files; the score is not counted until a mentor regrades:",
                  *[f"> - `{md(p, 200)}`" for p in r.tampered_paths[:30]], ""]
    misses = [c for c in r.criteria if not c.passed]
    if misses:
        lines += ["<details><summary>Hints for the checks that did not pass</summary>", ""]
        for c in misses:
            lesson = f" — reread {md(c.lesson)}" if c.lesson else ""
            lines.append(f"- **{md(c.title)}** ({c.visibility}): {md(c.hint or c.feedback)}{lesson}")
        lines += ["", "</details>", ""]
    if r.criteria:
        lines += ["<details><summary>All criteria</summary>", "", "| | criterion | points | feedback |", "|---|---|---|---|"]
        for c in r.criteria:
            lines.append(f"| {'✅' if c.passed else '❌'} | {md(c.title, 200)} | {c.points:g}/{c.max_points:g} | {md(c.feedback, 300)} |")
        lines += ["", "</details>", ""]
    lint = f"{len(r.lint.findings)} finding(s)" if r.lint.findings else ("clean" if r.lint.ran else md(r.lint.message))
    lines.append(f"**Lint (ruff):** {lint} · **Notebook run:** {r.execution.status} ({md(r.execution.message, 300)})")
    if r.lint.findings:
        lines += ["", "<details><summary>ruff findings</summary>", ""]
        lines += [f"- line {f.line}: `{md(f.code, 20)}` {md(f.message, 200)}" for f in r.lint.findings[:30]]
        lines += ["", "</details>"]
    if r.execution.output.strip() and r.execution.status != "ok":
        lines += ["", "<details><summary>Output of your notebook</summary>", "", code_block(r.execution.output), "", "</details>"]
    text = "\n".join(lines) + "\n"
    if len(text) > MAX_COMMENT:
        text = text[: MAX_COMMENT - 200] + "\n\n… (comment shortened; run `uv run course check` locally for everything)\n"
    return text


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
            hint.append(f"\n     reread {c.lesson}", style="dim")
        parts.append(hint)
    lint = f"{len(r.lint.findings)} finding(s)" if r.lint.findings else ("clean" if r.lint.ran else r.lint.message)
    parts.append(Text(f"ruff: {lint}    notebook run: {r.execution.status}", style="dim"))
    for f in r.lint.findings[:10]:
        parts.append(Text(f"  {r.submission}:{f.line}:{f.column} {f.code} {f.message}", style="dim"))
    if r.tampered_paths:
        parts.append(Text("protected files changed: " + ", ".join(r.tampered_paths), style="bold red"))
    parts.append(Text(r.summary))
    total = Text.assemble(("total ", "bold"), (f"{r.score:g}/{r.max_score:g}", f"bold {style}"), f"  ({r.status}", " · provisional" if r.provisional else "", ")")
    parts.append(total)
    console.print(Panel(Group(*parts), title=f"{r.item} · {r.title}", border_style=style))
