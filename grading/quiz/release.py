"""The quiz part of `course release`: make sure no week-quiz answer reaches learners.

The bank is committed without week-quiz answers (they live in grading/hidden/, which the
release drops), so there is nothing to derive. This step removes answers a maintainer may
have saved while trying the notebooks, and refuses a release in which any text of the
hidden keys (an explanation, a hint, an option's reasoning) turns up anywhere.
"""

from __future__ import annotations

from pathlib import Path

from grading.quiz.bank import QUIZZES, QuizKeyMissing, load_key

MIN_LEAK_CHARS = 40  # shorter key texts are too generic to prove a leak


class QuizReleaseError(Exception):
    """The release would show learners a week quiz's answers."""


def _key_texts(src_root: Path) -> list[str]:
    texts = []
    for quiz in QUIZZES:
        try:
            key = load_key(src_root, quiz)
        except QuizKeyMissing:
            continue
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
    for path in sorted(p for p in out_root.rglob("*") if p.is_file() and ".git" not in p.parts):
        try:
            content = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files cannot quote the key
        leaks += [f"{path.relative_to(out_root)}: “{t[:60]}…”" for t in texts if t in content]
    if leaks:
        raise QuizReleaseError("week-quiz key text found in the release:\n" + "\n".join(leaks[:20]))
