"""A local fake of GitHub's REST API for the grader's tests (see server.py)."""

from tests.fakegithub.server import FakeGitHub

__all__ = ["FakeGitHub"]
