"""Where the course data lives. Import-safe: nothing here touches the disk."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent  # the repository's data/ folder
REPO_DIR = DATA_DIR.parent
# Instructor-only; absent from the learner release, so never assume it exists.
HIDDEN_DIR = REPO_DIR / "grading" / "hidden" / "data"
# The capstone's hidden out-of-time holdout (instructor-only, like HIDDEN_DIR).
CAPSTONE_HIDDEN_DIR = REPO_DIR / "grading" / "hidden" / "capstone"
GENERATED_DIR = DATA_DIR / "generated"  # on-demand big files, git-ignored
MANIFEST = DATA_DIR / "MANIFEST"
DATACARDS_DIR = DATA_DIR / "datacards"
