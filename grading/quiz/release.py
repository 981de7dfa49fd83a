"""The quiz part of `course release`: make sure no week-quiz answer reaches learners.

The bank is committed without week-quiz answers (they live in grading/hidden/, which the
release drops), so there is nothing to derive. This step removes answers a maintainer may
have saved while trying the notebooks, and refuses a release in which any text of the
hidden keys (an explanation, a hint, an option's reasoning) turns up anywhere.
"""

from __future__ import annotations

from pathlib import Path

from grading.quiz.bank import ANSWER_FIELDS, QUIZZES, QuizKeyMissing, load_bank_checked, load_key

MIN_LEAK_CHARS = 40  # shorter key texts are too generic to prove a leak
MAX_SCAN_BYTES = 5_000_000  # larger files are data, not prose that could quote a key
SKIP_DIRS = {".git", ".venv", "__pycache__", ".ruff_cache"}


class QuizReleaseError(Exception):
    """The release would show learners a week quiz's answers."""


def _key_texts(src_root: Path) -> list[str]:
    texts = []
    for quiz in QUIZZES:
        try:
            key = load_key(src_root, quiz)
        except QuizKeyMissing as err:
            raise QuizReleaseError(f"cannot check the release for leaks: {err} in the source") from err
        for entry in key.questions.values():
            texts += [entry.explanation, entry.hint, *entry.why.values(), *(t.why for t in entry.traps)]
    return [t.strip() for t in texts if len(t.strip()) >= MIN_LEAK_CHARS]


def release_quizzes(src_root: Path, out_root: Path) -> None:
    """Called on the release tree (already copied minus grading/hidden/)."""
    for saved in (out_root / "quizzes" / "answers").glob("*.json"):
        saved.unlink()  # a maintainer's saved answers would be the key
    if (out_root / "grading" / "hidden").exists():
        raise QuizReleaseError("the release contains grading/hidden/: it must be left out")
    texts = _key_texts(src_root)
    leaks = []
    questions, _ = load_bank_checked(out_root)
    for q in questions:
        if q.set != "practice" and (
            any(getattr(q, f) for f in ANSWER_FIELDS) or any(o.correct is not None or o.why for o in q.options)
        ):
            leaks.append(f"quizzes/bank: {q.id} ({q.set}) carries its answer")
    for path in sorted(out_root.rglob("*")):
        if not path.is_file() or SKIP_DIRS & set(path.parts) or path.stat().st_size > MAX_SCAN_BYTES:
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files cannot quote the key
        leaks += [f"{path.relative_to(out_root)}: “{t[:60]}…”" for t in texts if t in content]
    if leaks:
        raise QuizReleaseError("week-quiz key text found in the release:\n" + "\n".join(leaks[:20]))
