"""`course verify`: the maintainer's proof that an item's tests mean something.

For each item: the reference solution scores full marks; the release stub scores about
zero with the friendly "not started" message; every known-wrong case in
`grading/hidden/<id>/wrong/` is rejected and misses the criteria it declares with
`# expect-fail: <criterion id>, ...`, each with a hint; every valid alternative in
`grading/hidden/<id>/valid/` passes with every hidden check; every hidden criterion is
named by at least one wrong case (a hint whose mistake nothing makes is not proven).
Cases are mutations of the solution (`grading.cases`). A grader fault in any case fails
verify; a case the machine was too busy to grade is retried.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from grading import cases
from grading.catalog import Course, Item
from grading.release import strip_solutions
from grading.report import Report
from grading.run import grade_safely

STUB_MAX_FRACTION = 0.1
BUSY_RETRIES = 2


@dataclass
class Outcome:
    item: str
    case: str
    ok: bool
    detail: str
    seconds: float


def _grade(course: Course, item: Item, path: Path) -> tuple[Report, str | None]:
    for _ in range(BUSY_RETRIES + 1):
        report, fault = grade_safely(course, item, path)
        if fault != "busy":
            break
    return report, fault


def _fault_problem(fault: str | None, report: Report) -> str | None:
    if fault == "busy":
        return f"no verdict: {report.summary}"
    if fault:
        return f"grader fault: {fault.strip().splitlines()[-1][:300]}"
    return None


def verify_item(course: Course, item: Item, quick: bool = False) -> list[Outcome]:
    """Every case of the item; `quick` grades one wrong and one valid case (the rest are only checked to build)."""
    if item.kind == "quiz":
        from grading.quiz import verify_quiz

        problems = verify_quiz(item.id, course.root)
        return [Outcome(item.id, "answer key", not problems, "; ".join(problems) or "key 100 %, empty 0 %, k wrong as expected", 0.0)]
    if item.kind == "capstone":  # a folder item: cases are mutations of the reference folder
        from grading.capstone_item import verify_capstone

        return verify_capstone(course, item, quick)
    out: list[Outcome] = []
    solution = course.root / item.path
    r, fault = _grade(course, item, solution)
    full = r.status == "passed" and r.score == r.max_score and not r.provisional and not fault
    detail = _fault_problem(fault, r) or f"{r.status} {r.score:g}/{r.max_score:g}" + ("" if full else f": {r.summary}")
    out.append(Outcome(item.id, "solution", full, detail, r.durations.get("total", 0)))
    hidden_ids = {c.id for c in r.criteria if c.visibility == "hidden"}

    with tempfile.TemporaryDirectory(prefix="course-verify-") as tmp:
        stub = Path(tmp) / "stub" / solution.name
        stub.parent.mkdir()
        stub.write_text(strip_solutions(solution.read_text(encoding="utf-8"), item.id), encoding="utf-8")
        r, fault = _grade(course, item, stub)
        friendly = "Not started yet" in r.summary
        low = r.score <= STUB_MAX_FRACTION * r.max_score and r.status != "passed"
        detail = _fault_problem(fault, r) or f"{r.status} {r.score:g}/{r.max_score:g}" + ("" if friendly else f": unfriendly summary: {r.summary}")
        out.append(Outcome(item.id, "release stub", friendly and low and not fault, detail, r.durations.get("total", 0)))

        named: set[str] = set()
        for kind in ("wrong", "valid"):
            for n, case in enumerate(cases.case_files(course.root / item.hidden_dir / kind)):
                text = case.read_text(encoding="utf-8", errors="replace")
                label = f"{kind}/{case.name}"
                try:
                    path = cases.materialise(solution, case, Path(tmp) / kind / case.stem)
                except cases.CaseError as exc:
                    out.append(Outcome(item.id, label, False, f"case cannot be built: {exc}", 0.0))
                    continue
                if kind == "wrong":
                    named |= set(cases.expectations(text))
                if quick and n > 0:
                    continue
                r, fault = _grade(course, item, path)
                if kind == "wrong":
                    ok, detail = _judge_wrong(r, fault, cases.expectations(text))
                else:
                    ok, detail = _judge_valid(r, fault)
                out.append(Outcome(item.id, label, ok, detail, r.durations.get("total", 0)))
    if hidden_ids:
        unproven = sorted(hidden_ids - named)
        out.append(Outcome(item.id, "every hint proven", not unproven,
                           f"no wrong case misses {', '.join(unproven)}" if unproven else f"{len(hidden_ids)} hidden criteria, each missed by a wrong case", 0.0))
    return out


def _judge_wrong(r: Report, fault: str | None, expected: list[str]) -> tuple[bool, str]:
    if problem := _fault_problem(fault, r):
        return False, problem
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
    return not problems, detail + ("; " + "; ".join(problems) if problems else "")


def _judge_valid(r: Report, fault: str | None) -> tuple[bool, str]:
    if problem := _fault_problem(fault, r):
        return False, problem
    hidden_misses = sorted(c.id for c in r.criteria if c.visibility == "hidden" and not c.passed)
    ok = r.status == "passed" and not hidden_misses
    detail = f"{r.status} {r.score:g}/{r.max_score:g}"
    if hidden_misses:
        detail += f"; a valid solution missed {', '.join(hidden_misses)}"
    elif not ok:
        detail += f": {r.summary}"
    return ok, detail
