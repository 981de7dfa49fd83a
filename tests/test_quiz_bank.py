"""The quiz bank linter: the real bank passes, and every rule fires on a bad bank."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import coursedata
import pandas as pd
import pytest
import yaml

from grading.quiz import bank_counts, lint_bank, load_bank
from grading.quiz.bank import QuizKeyMissing, load_key, merge_key
from grading.quiz.lint import main

ROOT = Path(__file__).resolve().parent.parent
HAS_KEYS = (ROOT / "grading" / "hidden" / "week1.quiz" / "key.yaml").is_file()


def test_real_bank_is_clean():
    assert lint_bank(ROOT) == []


def test_real_bank_counts():
    counts = bank_counts(ROOT)
    assert counts["total"]["questions"] >= 125
    assert all(counts["module"].get(m, 0) >= 20 for m in range(1, 6))
    assert set(counts["type"]) == {"single", "multiple", "numeric", "ordering"}
    assert set(counts["difficulty"]) == {"easy", "medium", "hard"}
    assert counts["set"] == {"practice": counts["total"]["questions"] - 45, "week1": 20, "week2": 25}


def test_stats_command_prints_counts(capsys):
    assert main(ROOT) == 0
    out = capsys.readouterr().out
    assert "total: " in out and "difficulty" in out and "bank lint: ok" in out


def _full_bank() -> dict[str, object]:
    questions = load_bank(ROOT)
    if HAS_KEYS:
        for quiz in ("week1", "week2"):
            key = load_key(ROOT, quiz)
            questions = [merge_key(q, key.questions[q.id]) if q.id in key.questions else q for q in questions]
    return {q.id: q for q in questions}


# Every computed answer, recomputed from first principles (and the numbers quoted in options).
def _recomputed() -> dict[str, float]:
    listings = pd.DataFrame({"sid": [i % 10 for i in range(150)] + [100 + i for i in range(850)]})
    species = pd.DataFrame({"sid": list(range(10)) * 2 + [100 + i for i in range(850)]})
    x = [-2, -1, 0, 1, 2]
    y = [1, 2, 3, 4, 100]
    latencies = sorted([12, 15, 11, 14, 13, 18, 16, 12, 95, 14, 13, 17, 15, 12, 210, 16, 14, 13, 19, 15])
    p, r = 0.6, 0.3
    q1, q3 = coursedata.load_species()["hp"].quantile([0.25, 0.75])
    return {
        "m1-drop-duplicate-ids": 1000 - 950,
        "m1-missing-rate": 120 / 4000 * 100,
        "m1-join-row-explosion": len(listings.merge(species, on="sid", how="left")),
        "m2-correlation-of-square": statistics.correlation(x, [v * v for v in x]),
        "m2-median-with-outlier": statistics.median([2, 3, 3, 4, 5, 5, 6, 8, 900]),
        "m2-tukey-fence": q3 + 1.5 * (q3 - q1),  # the species table's real quartiles
        "m2-standard-scaler-value": (120 - 70) / 25,
        "m3-majority-baseline-accuracy": 870 / 1000,
        "m3-median-baseline-mae": sum(abs(v - statistics.median(y)) for v in y) / len(y),
        "m3-fold-score-spread": statistics.stdev([0.80, 0.82, 0.78, 0.85, 0.75]),
        "m4-spam-precision-from-counts": 40 / (40 + 10),
        "m4-screening-recall-from-counts": 45 / 50,
        "m4-f1-from-precision-recall": 2 * p * r / (p + r),
        "m4-fraud-threshold-total-cost": 20 * 500 + 400 * 10,
        "m4-cost-optimal-threshold": 10 / 500,  # every flag pays the review: p × 500 > 10
        "m4-reliability-bin-gap": (90 / 200 - 0.30) * 100,
        "m4-pooled-accuracy-from-slices": (0.95 * 9000 + 0.65 * 1000) / 10000 * 100,
        "m4-accuracy-ci-half-width": 1.96 * math.sqrt(0.85 * 0.15 / 400),
        "m4-mcnemar-statistic": (50 - 30) ** 2 / (50 + 30),
        "m4-rmse-from-errors": math.sqrt(statistics.mean(e * e for e in [2, -2, 4, -4, 0])),
        "m5-p95-nearest-rank": latencies[math.ceil(0.95 * len(latencies)) - 1],
        "m5-fan-out-tail-probability": 1 - 0.95**10,
        "m5-latency-budget-remaining": 150 - 30 - 45 - 5,
        "m5-psi-two-bins": (0.7 - 0.5) * math.log(0.7 / 0.5) + (0.3 - 0.5) * math.log(0.3 / 0.5),
    }


def test_every_numeric_answer_is_recomputed():
    bank = _full_bank()
    numeric = {qid for qid, q in bank.items() if q.type == "numeric"}
    recomputed = _recomputed()
    assert numeric == set(recomputed), "add the new numeric question to _recomputed()"
    for qid, value in recomputed.items():
        q = bank[qid]
        if q.answer is None:
            assert not HAS_KEYS
            continue
        assert abs(q.answer - value) <= q.tolerance + 1e-9, f"{qid}: bank says {q.answer}, recomputed {value}"


def test_numbers_quoted_in_options_are_right():
    # m4-choose-threshold-by-cost: total costs and alert count quoted in its options
    assert 10 * 500 + 700 * 10 == 12_000 and 40 * 500 + 100 * 10 == 21_000 and 90 + 700 == 790
    # m5-fleet-p99: the mean of the five p99s
    assert statistics.mean([120, 130, 125, 400, 128]) == pytest.approx(180.6)
    # m4-small-slice-uncertainty: Wilson 95 % interval for 21 of 30, "roughly 52 % to 83 %"
    z, n, ph = 1.96, 30, 0.7
    centre = (ph + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert round(centre - half, 2) == 0.52 and round(centre + half, 2) == 0.83
    # m3-seed-to-seed-variation: the mean and range of the five runs
    runs = [0.861, 0.874, 0.858, 0.869, 0.866]
    assert statistics.mean(runs) < 0.870 < max(runs)


# ---- a deliberately bad bank: each rule must fire --------------------------------------


def _option(oid: str, text: str, correct: bool = False) -> dict:
    return {
        "id": oid,
        "text": text,
        "correct": correct,
        "why": f"Because option {oid} is {'right' if correct else 'wrong'} here.",
    }


def _practice(qid: str, prompt: str, **extra) -> dict:
    q = {
        "id": qid,
        "objective": "m1.only",
        "difficulty": "easy",
        "type": "single",
        "socratic": "s1.1",
        "prompt": prompt,
        "options": [
            _option("a", "Apples grow on trees", True),
            _option("b", "Bananas are blue"),
            _option("c", "Cherries are square"),
        ],
        "explanation": "Fruit facts are checked against the orchard.",
        "hint": "Think about orchards.",
    }
    return {**q, **extra}


def _week(qid: str, prompt: str) -> tuple[dict, dict]:
    public = {
        "id": qid,
        "objective": "m1.only",
        "difficulty": "medium",
        "type": "single",
        "set": "week1",
        "prompt": prompt,
        "options": [
            {"id": "a", "text": "Rivers flow downhill"},
            {"id": "b", "text": "Rivers flow uphill"},
            {"id": "c", "text": "Rivers do not move"},
        ],
    }
    key = {
        "correct": ["a"],
        "why": {
            "a": "Gravity pulls water to lower ground.",
            "b": "Water does not climb without a pump.",
            "c": "Rivers move, that is what makes them rivers.",
        },
        "explanation": "Water moves from higher to lower ground under gravity.",
        "hint": "Gravity.",
    }
    return public, key


def _write(root: Path, questions: list[dict], key: dict | None) -> None:
    (root / "quizzes" / "bank").mkdir(parents=True)
    objectives = {
        "objectives": [{"id": "m1.only", "module": 1, "section": "Only section", "text": "Know fruit and rivers."}]
    }
    (root / "quizzes" / "objectives.yaml").write_text(yaml.safe_dump(objectives))
    socratic = {"questions": [{"id": "s1.1", "module": 1, "question": "Why?", "answer": "Because."}]}
    (root / "quizzes" / "socratic.yaml").write_text(yaml.safe_dump(socratic))
    (root / "quizzes" / "bank" / "m1.yaml").write_text(yaml.safe_dump({"module": 1, "questions": questions}))
    if key is not None:
        (root / "grading" / "hidden" / "week1.quiz").mkdir(parents=True)
        (root / "grading" / "hidden" / "week1.quiz" / "key.yaml").write_text(
            yaml.safe_dump({"quiz": "week1", "questions": key})
        )


def _baseline() -> tuple[list[dict], dict]:
    public, key = _week("m1-river", "In which direction does a river flow through a valley with a lake below it?")
    return [_practice("m1-fruit", "Which statement about fruit growing in an ordinary orchard is true?"), public], {
        "m1-river": key
    }


def _new_problems(tmp_path: Path, mutate) -> list[str]:
    questions, key = _baseline()
    _write(tmp_path / "base", questions, key)
    base = set(lint_bank(tmp_path / "base"))
    questions, key = _baseline()
    mutate(questions, key)
    _write(tmp_path / "bad", questions, key)
    return [p for p in lint_bank(tmp_path / "bad") if p not in base]


def test_baseline_fixture_only_fails_the_size_rules(tmp_path):
    questions, key = _baseline()
    _write(tmp_path, questions, key)
    problems = lint_bank(tmp_path)
    assert problems and all(p.startswith(("bank:", "week1:", "week2:")) for p in problems), problems


def _set(field, value, index=0):
    def mutate(questions, key):
        questions[index][field] = value

    return mutate


def _add(question):
    return lambda questions, key: questions.append(question)


RULES = {
    "schema": (_set("difficulty", "trivial"), "difficulty"),
    "two correct in single choice": (
        lambda q, k: q[0]["options"][1].update(correct=True),
        "exactly one correct option",
    ),
    "all of the above": (lambda q, k: q[0]["options"].append(_option("d", "All of the above")), "banned wording"),
    "none of the above": (lambda q, k: q[0]["options"].append(_option("d", "None of the above")), "banned wording"),
    "joke option": (lambda q, k: q[0]["options"].append(_option("d", "Sacrifice a goat to the GPU")), "banned wording"),
    "unexplained option": (lambda q, k: q[0]["options"][2].update(why=""), "option c is not explained"),
    "unknown objective": (_set("objective", "m1.nowhere"), "not reachable from a learning objective"),
    "objective of another module": (_set("objective", "m2.only"), "not reachable from a learning objective"),
    "duplicate id": (
        _add(_practice("m1-fruit", "A completely different question about vegetables and soil?")),
        "question id used 2 times",
    ),
    "duplicate prompt": (
        _add(_practice("m1-fruit-2", "Which statement about fruit growing in an ordinary orchard is true?")),
        "duplicate prompts",
    ),
    "near-duplicate, one word changed": (
        _add(_practice("m1-fruit-3", "Which statement about fruit growing in an ordinary garden is true?")),
        "near-duplicate prompts",
    ),
    "near-duplicate, words reshuffled": (
        _add(_practice("m1-fruit-4", "Is true which statement about fruit growing in an orchard ordinary?")),
        "near-duplicate prompts",
    ),
    "week answer in the public bank": (
        lambda q, k: q[1]["options"][0].update(correct=True),
        "must keep its answer in the hidden key",
    ),
    "practice question in the key": (
        lambda q, k: k.update({"m1-fruit": k["m1-river"]}),
        "practice and quiz sets must be disjoint",
    ),
    "week question without key": (lambda q, k: k.clear(), "m1-river has no key entry"),
    "feedback quotes the right option": (
        lambda q, k: k["m1-river"].update(explanation="The answer is: rivers flow downhill."),
        "quotes the correct option",
    ),
    "socratic question not posed": (lambda q, k: q[0].pop("socratic"), "no bank item poses it"),
    "socratic question in a week quiz": (
        lambda q, k: q[1].update(socratic="s1.1"),
        "a Socratic item must be a practice question",
    ),
    "multiple choice without instruction": (
        lambda q, k: q[0].update(type="multiple"),
        "must say 'Select all that apply'",
    ),
    "ordering shown in the right order": (
        _add(
            _practice(
                "m1-steps",
                "Put the steps of making tea with a kettle and a cup in order.",
                type="ordering",
                order=["a", "b", "c"],
                options=[
                    _option("a", "Boil water"),
                    _option("b", "Pour it on the leaves"),
                    _option("c", "Wait three minutes"),
                ],
            )
        ),
        "shown in the correct order already",
    ),
    "numeric without unit": (
        _add(
            _practice(
                "m1-count",
                "How many legs does a healthy adult spider have in total?",
                type="numeric",
                options=[],
                answer=8,
                tolerance=0,
            )
        ),
        "must state its unit and tolerance",
    ),
    "numeric trap accepted": (
        _add(
            _practice(
                "m1-count",
                "How many legs does a healthy adult spider have in total?",
                type="numeric",
                options=[],
                answer=8,
                tolerance=1,
                unit="legs",
                traps=[{"value": 7, "why": "Counted one leg twice."}],
            )
        ),
        "would be accepted as correct",
    ),
}


@pytest.mark.parametrize("rule", list(RULES))
def test_each_lint_rule_fires(tmp_path, rule):
    mutate, expected = RULES[rule]
    problems = _new_problems(tmp_path, mutate)
    assert any(expected in p for p in problems), f"{rule}: expected {expected!r} in {problems}"


def test_week_numeric_feedback_must_not_state_the_answer(tmp_path):
    def mutate(questions, key):
        questions[1].update(type="numeric", options=[], unit="km", tolerance=0)
        key["m1-river"] = {"answer": 42, "explanation": "It is 42 km from source to mouth.", "hint": "Measure it."}

    assert any("states the numeric answer" in p for p in _new_problems(tmp_path, mutate))


def test_answer_cue_rules(tmp_path):
    # 20 distinct questions whose right option is always the first and the longest
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango".split()
    questions = [
        _practice(
            f"m1-cue-{n}",
            f"Which {w} statement about the {w} sample number {n} of {words[-1 - n]} holds?",
            options=[
                _option("a", "A long and careful right answer", True),
                _option("b", "Short wrong"),
                _option("c", "Also short"),
            ],
        )
        for n, w in enumerate(words)
    ]
    _write(tmp_path, questions, None)
    problems = lint_bank(tmp_path)
    assert any("is the longest in 20 of 20" in p for p in problems), problems
    assert any("is option a in 20 of 20" in p for p in problems), problems


def test_week_quiz_size_rule(tmp_path):
    questions, key = _baseline()
    _write(tmp_path, questions, key)
    assert any(p.startswith("week1: needs exactly 20 questions") for p in lint_bank(tmp_path))


def test_release_without_keys_still_lints_the_public_part(tmp_path):
    questions, _ = _baseline()
    _write(tmp_path, questions, None)  # no grading/hidden/: the learner release
    problems = lint_bank(tmp_path)
    assert not any("no key entry" in p for p in problems)
    with pytest.raises(QuizKeyMissing):
        load_key(tmp_path, "week1")
