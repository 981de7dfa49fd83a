"""The GitHub side of the grader: `course ci` (grade a pull request), `course post` (sticky
comments, progress tracker, labels, mentor review) and the learner's workflows and furniture.

Everything talks to GitHub over REST through PyGithub; `GITHUB_API_URL` selects the server,
so the tests run the same code against a local fake (tests/fakegithub/).
"""
