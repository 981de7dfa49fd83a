"""Quizzes: the question bank, week-quiz grading, the bank linter and the release step."""

from grading.quiz.bank import BankError, Question, QuizKeyMissing, load_bank, practice_questions, quiz_questions
from grading.quiz.grade import QuizAnswersError, grade_quiz, judge, verify_quiz, write_answers
from grading.quiz.lint import bank_counts, lint_bank, main
from grading.quiz.release import QuizReleaseError, release_quizzes

__all__ = [
    "BankError",
    "Question",
    "QuizAnswersError",
    "QuizKeyMissing",
    "QuizReleaseError",
    "bank_counts",
    "grade_quiz",
    "judge",
    "lint_bank",
    "load_bank",
    "main",
    "practice_questions",
    "quiz_questions",
    "release_quizzes",
    "verify_quiz",
    "write_answers",
]
