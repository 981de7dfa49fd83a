"""`course verify`: the maintainer's proof that an item's tests mean something.

For each item: the reference solution scores full marks; the release stub scores about
zero with the friendly "not started" message; every known-wrong submission in
`grading/hidden/<id>/wrong/` is rejected and misses the criteria it declares with
`# expect-fail: <criterion id>, ...` in its first lines.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grading.catalog import Course, Item
from grading.engine import Grader
from grading.release import strip_solutions

STUB_MAX_FRACTION = 0.1


@dataclass
class Outcome:
    item: str
    case: str
    ok: bool
    detail: str
    seconds: float


def expectations(path: Path) -> list[str]:
    head = path.read_text(encoding="utf-8", errors="replace").splitlines()[:15]
    for line in head:
        if m := re.match(r"#\s*expect-fail:\s*(.+)", line.strip()):
            return [x.strip() for x in m.group(1).split(",") if x.strip()]
    return []


def verify_item(course: Course, item: Item) -> list[Outcome]:
    if item.kind == "quiz":
        from grading.quiz import verify_quiz

        problems = verify_quiz(item.id, course.root)
        return [Outcome(item.id, "answer key", not problems, "; ".join(problems) or "key 100 %, empty 0 %, k wrong as expected", 0.0)]
    out: list[Outcome] = []
    solution = course.root / item.path
    r = Grader(course, item, solution).grade()
    full = r.status == "passed" and r.score == r.max_score and not r.provisional
    out.append(Outcome(item.id, "solution", full, f"{r.status} {r.score:g}/{r.max_score:g}" + ("" if full else f": {r.summary}"), r.durations.get("total", 0)))

    with tempfile.TemporaryDirectory(prefix="course-verify-") as tmp:
        stub = Path(tmp) / solution.name
        stub.write_text(strip_solutions(solution.read_text(encoding="utf-8"), item.id), encoding="utf-8")
        r = Grader(course, item, stub).grade()
        friendly = "Not started yet" in r.summary
        low = r.score <= STUB_MAX_FRACTION * r.max_score and r.status != "passed"
        out.append(Outcome(item.id, "release stub", friendly and low, f"{r.status} {r.score:g}/{r.max_score:g}" + ("" if friendly else f": unfriendly summary: {r.summary}"), r.durations.get("total", 0)))

    for wrong in sorted((course.root / item.hidden_dir / "wrong").glob("*.py")):
        expected = expectations(wrong)
        r = Grader(course, item, wrong).grade()
        missed = {c.id for c in r.criteria if not c.passed}
        hinted = {c.id for c in r.criteria if not c.passed and c.hint}
        problems = []
        if r.status == "passed":
            problems.append(f"passed with {r.score:g}")
        if not expected:
            problems.append("declares no `# expect-fail:` criteria")
        problems += [f"did not miss {e}" for e in expected if e not in missed]
        problems += [f"{e} has no hint" for e in expected if e in missed and e not in hinted]
        detail = f"{r.status} {r.score:g}/{r.max_score:g}, missed {', '.join(sorted(missed)) or 'nothing'}"
        out.append(Outcome(item.id, f"wrong/{wrong.name}", not problems, detail + ("; " + "; ".join(problems) if problems else ""), r.durations.get("total", 0)))
    return out
