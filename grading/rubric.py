"""The capstone's rubric: five sections of 20 points, each the sum of the criteria whose id starts
with the section's key (`data.`, `features.`, ...). Dependency-free: `course post` renders it without
the course's heavy stack."""

from __future__ import annotations

from grading.report import Report

SECTIONS = {
    "data": "Data engineering",
    "features": "Feature engineering",
    "models": "Model development",
    "evaluation": "Evaluation",
    "deployment": "Deployment",
}


def section_scores(r: Report) -> dict[str, tuple[float, float]]:
    """Section key → (earned, available), in rubric order, from the criteria's id prefixes."""
    out: dict[str, tuple[float, float]] = {}
    for c in r.criteria:
        key = c.id.split(".", 1)[0]
        if key in SECTIONS:
            earned, available = out.get(key, (0.0, 0.0))
            out[key] = (earned + c.points, available + c.max_points)
    return {k: out[k] for k in SECTIONS if k in out}
