"""What notebooks show as text: no accidental LaTeX, and quiz sections that name real lesson headings."""

from __future__ import annotations

import pytest

from grading.catalog import Course
from grading.quiz.bank import load_bank, load_objectives
from tests.notebooks import ROOT, discover, markdown_blocks, section_names, unescaped_dollars


@pytest.mark.parametrize("notebook", discover())
def test_markdown_dollars_are_escaped(notebook):
    """Two bare `$` in one Markdown text pair up as LaTeX math ("3.20∗∗,themean∗∗…"): write `\\$`."""
    bad = [line for line, text in markdown_blocks(ROOT / notebook) if unescaped_dollars(text)]
    assert not bad, f"{notebook}: unescaped $ in the mo.md(...) at line(s) {bad}; write \\$ (in an rf-string)"


def test_quiz_bank_dollars_are_escaped():
    """Prompts, options and (practice) feedback are rendered as Markdown by the quiz notebooks."""
    def texts(q):
        yield from (q.prompt, q.explanation or "", q.hint or "")
        for o in q.options:
            yield from (o.text, o.why or "")
        yield from (t.why for t in q.traps)

    bad = [q.id for q in load_bank(ROOT) if any(unescaped_dollars(t) for t in texts(q))]
    assert not bad, f"unescaped $ in these bank questions (write \\$): {bad}"


def test_unescaped_dollar_rule():
    assert unescaped_dollars("the median is $3.20, the mean $102.41") == 2
    assert unescaped_dollars(r"the median is \$3.20, `df['$x']` and ```\n$ uv run\n```") == 0


def lesson_headings() -> dict[int, set[str]]:
    course = Course.load(ROOT)
    return {m.number: section_names(ROOT / m.lesson) for m in course.module if (ROOT / m.lesson).is_file()}


def test_objective_sections_are_lesson_headings():
    objectives, problems = load_objectives(ROOT)
    assert not problems
    found = lesson_headings()
    missing = [f"m{o.module}: {o.section!r}" for o in objectives.values()
               if o.module in found and o.section not in found[o.module]]
    assert not missing, f"objective sections that are no heading of their module's lesson: {missing}"


def test_bank_question_sections_are_lesson_headings():
    found = lesson_headings()
    missing = sorted({f"{q.id}: {q.section!r}" for q in load_bank(ROOT)
                      if q.module in found and q.section not in found[q.module]})
    assert not missing, f"bank questions whose section is no heading of their module's lesson: {missing}"


def test_every_lesson_heading_is_found():
    found = lesson_headings()[1]
    assert {"4. pandas, polars or DuckDB? Measure.", "pandas, polars or DuckDB? Measure."} <= found
