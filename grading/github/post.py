"""`course post DIR`: from the `report` workflow (a `workflow_run` of `grade`), publish the
reports of DIR on the pull request: one sticky comment per item (found by its hidden marker
across every page of comments, edited on each run), labels, the progress-tracker issue, and
on the capstone a review request to the mentors of course.toml with a rubric checklist.

The artifact is untrusted (it was made by the pull request's code): see artifact.py. The pull
request is resolved from the workflow run's head SHA, never from the artifact.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grading.catalog import Course
from grading.github import artifact, tracker
from grading.github.common import BOT_LOGIN, Summary, client, command, emit, read_event
from grading.github.protect import changed_tests, is_protected
from grading.render import MAX_COMMENT, marker, md, to_markdown
from grading.report import Report

PR_KEY = "pull-request"  # marker of the comment that speaks for the whole PR (nothing graded / grader failed)
REVIEW_KEY = "capstone-review"

WHY_403 = ("the token may not write here: a pull request from a fork gets a read-only token, or the workflow "
           "lacks `pull-requests: write` / `issues: write`. The grade run's job summary still has the feedback.")


class CannotWrite(Exception):
    pass


def is_bot(user: Any) -> bool:
    login = os.environ.get("COURSE_BOT_LOGIN", BOT_LOGIN)
    try:
        return user is not None and user.login == login
    except Exception:  # noqa: BLE001 - an incomplete user object is not ours
        return False


def _explain(exc: Exception) -> str:
    from github import GithubException

    if isinstance(exc, GithubException):
        message = exc.data.get("message", "") if isinstance(exc.data, dict) else ""
        if exc.status in (401, 403, 404):
            return f"HTTP {exc.status} ({message[:120]}): {WHY_403}"
        return f"HTTP {exc.status} ({message[:200]})"
    return f"{type(exc).__name__}: {str(exc)[:200]}"


class Poster:
    def __init__(self, course: Course, repo: Any, pull: Any, summary: Summary, *, run_url: str, repo_url: str):
        self.course, self.repo, self.pull, self.summary = course, repo, pull, summary
        self.run_url, self.repo_url = run_url, repo_url
        self._comments: list[Any] | None = None
        self.failures: list[str] = []

    def step(self, what: str, fn: Callable[[], Any]) -> Any:
        """Run one write; on failure say why in the summary and go on with the next."""
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            why = _explain(exc)
            self.failures.append(f"{what}: {why}")
            self.summary.line(f"- ❌ could not {what}: {why}")
            emit(command("warning", f"course post could not {what}: {why}"))
            return None

    # -- sticky comments ----------------------------------------------------------

    def comments(self) -> list[Any]:
        if self._comments is None:
            self._comments = list(self.pull.get_issue_comments())  # every page (Link headers)
        return self._comments

    def sticky(self, key: str, body: str) -> None:
        if len(body) > MAX_COMMENT:
            body = body[: MAX_COMMENT - 120] + "\n\n… (shortened; run `uv run course check` locally for everything)\n"
        head = marker(key)
        mine = [c for c in self.comments() if (c.body or "").startswith(head) and is_bot(c.user)]
        if not mine:
            created = self.pull.create_issue_comment(body)
            self.comments().append(created)
            self.summary.line(f"- comment for `{key}` created")
            return
        keep, *extra = mine
        if keep.body != body:
            keep.edit(body)
            self.summary.line(f"- comment for `{key}` updated")
        else:
            self.summary.line(f"- comment for `{key}` unchanged")
        for c in extra:  # duplicates from a race or a retried POST: one comment per item
            c.delete()
            self.comments().remove(c)

    def drop_pr_comment(self) -> None:
        """A "could not be graded" / "nothing to grade" comment from an earlier push is outdated
        once this push has reports."""
        head = marker(PR_KEY)
        for c in [c for c in self.comments() if (c.body or "").startswith(head) and is_bot(c.user)]:
            c.delete()
            self.comments().remove(c)
            self.summary.line("- outdated pull-request comment removed")

    # -- labels -------------------------------------------------------------------

    def labels(self, reports: list[Report]) -> None:
        want: set[str] = set()
        for r in reports:
            item = self.course.items[r.item]
            want.add(item.kind)
            if item.module in self.course.modules:
                want.add(f"module-{item.module}")
        if reports:
            want.add("passed" if all(r.passed for r in reports) else "needs-work")
            if any(r.tampered_paths for r in reports):
                want.add("tampered")
            if any(r.provisional for r in reports):
                want.add("provisional")
            if any(self.course.items[r.item].kind == "capstone" for r in reports) and self.course.course.mentors:
                want.add("mentor-review")
        have = {label.name for label in self.pull.labels}
        drop = {"passed", "needs-work", "tampered", "provisional"} - want
        target = (have - drop) | want  # the learner's own labels stay
        if target != have:
            if have & drop:
                self.pull.set_labels(*sorted(target))  # one write (PUT) instead of an add and removes
            else:
                self.pull.add_to_labels(*sorted(want - have))
        self.summary.line(f"- labels: {', '.join(sorted(want)) or 'none'}")

    # -- tracker ------------------------------------------------------------------

    def tracker(self, reports: list[Report], head_sha: str) -> None:
        fresh: tracker.Results = {}
        for r in reports:
            tracker.record(fresh, r, self.pull.number, head_sha)
        issue, created = tracker.ensure(self.repo, self.course, is_bot, self.repo_url, fresh)
        for attempt in range(0 if created else 3):
            results = tracker.parse(issue.body, self.course)
            for r in reports:
                tracker.record(results, r, self.pull.number, head_sha)
            body = tracker.render(self.course, results, self.repo_url)
            if body != issue.body:
                issue.edit(body=body)
            # Another PR's report run may have written between our read and write: check ours is there.
            issue = self.repo.get_issue(issue.number)
            stored = tracker.parse(issue.body, self.course)
            if all(str(self.pull.number) in stored.get(r.item, {}) for r in reports):
                break
            time.sleep(1 + attempt)
        self.summary.line(f"- progress tracker #{issue.number} {'created and ' if created else ''}updated")

    # -- capstone -----------------------------------------------------------------

    def mentors(self, report: Report) -> None:
        author = (self.pull.user.login or "").lower() if self.pull.user else ""
        mentors = [m for m in self.course.course.mentors if m.lower() != author]
        if not mentors:
            self.summary.line("- no mentor review requested: `mentors` in course.toml is empty (the maintainer sets it)")
        else:
            users, _teams = self.pull.get_review_requests()
            asked = {u.login.lower() for u in users}
            missing = [m for m in mentors if m.lower() not in asked]
            if missing:
                self.pull.create_review_request(reviewers=missing)
            self.summary.line(f"- review requested from {', '.join('`' + m + '`' for m in mentors)}")
        self.sticky(REVIEW_KEY, rubric_checklist(report, mentors))

    # -- independent checks -------------------------------------------------------

    def _source(self, path: str, ref: str) -> str | None:
        from github import GithubException

        try:
            content = self.repo.get_contents(path, ref=ref)
        except GithubException as exc:
            if exc.status == 404:
                return None
            raise
        if isinstance(content, list):
            return None
        return content.decoded_content.decode("utf-8", "replace")

    def check_reports(self, art: artifact.Artifact) -> None:
        """Recompute what the artifact cannot be trusted to say, from the API: which items the
        PR changes (a report for any other item is rejected) and which protected paths and
        visible tests it changes (added to `tampered_paths`). The artifact was made by the
        PR's code, which the PR itself could have rewritten."""
        files: list[str] = []
        for f in self.pull.get_files():
            files += [f.filename, *([f.previous_filename] if f.previous_filename else [])]
        changed = {item.id for path in files if (item := self.course.item_for_path(path))}
        protected = {p for p in files if is_protected(p)}
        if art.meta:
            art.meta.items = [i for i in art.meta.items if i in changed]
        for r in list(art.reports):
            if r.item not in changed:
                art.reports.remove(r)
                art.rejected.append(f"`{r.item}.json`: this pull request does not change item {r.item}")
                self.summary.line(f"- rejected from the artifact: a report for {r.item}, which this pull request does not change")
                continue
            found = set(protected)
            item = self.course.items[r.item]
            if item.is_notebook and item.path in files:
                before = self._source(item.path, self.pull.base.sha)
                after = self._source(item.path, self.pull.head.sha)
                found |= set(changed_tests(item.path, before, after))
            missing = found - set(r.tampered_paths)
            if missing:
                r.tampered_paths = sorted(set(r.tampered_paths) | found)[:200]
                self.summary.line(f"- {r.item}: protected changes the grade run did not report: {', '.join(sorted(missing)[:10])}")

    # -- the whole post -----------------------------------------------------------

    def post(self, art: artifact.Artifact, conclusion: str | None, head_sha: str) -> None:
        if art.reports or (art.meta and art.meta.items):
            self.step("check the reports against the pull request", lambda: self.check_reports(art))
        reports = art.reports
        for r in reports:
            self.step(f"post the comment for {r.item}", lambda r=r: self.sticky(r.item, to_markdown(r, self.course)))
        expected = art.meta.items if art.meta else []
        missing = [i for i in expected if i not in {r.item for r in reports}]
        for item_id in missing:
            self.step(f"post the comment for {item_id}", lambda i=item_id: self.sticky(i, could_not_grade(self.course, i, self.run_url, art.rejected)))
        if not reports and not missing:
            if art.meta and not art.meta.grader_fault and not art.rejected and conclusion == "success":
                body = nothing_to_grade(art.meta.note)
            else:
                body = could_not_grade(self.course, None, self.run_url, art.rejected, conclusion)
            self.step("post the comment on the pull request", lambda: self.sticky(PR_KEY, body))
        if reports:
            self.step("remove an outdated comment", self.drop_pr_comment)
            self.step("set the labels", lambda: self.labels(reports))
            self.step("update the progress tracker", lambda: self.tracker(reports, head_sha))
        for r in reports:
            if self.course.items[r.item].kind == "capstone":
                self.step("request the mentors' review", lambda r=r: self.mentors(r))


def could_not_grade(course: Course, item_id: str | None, run_url: str, rejected: list[str], conclusion: str | None = None) -> str:
    key = item_id or PR_KEY
    title = f"{md(item_id)} · {md(course.items[item_id].title)}" if item_id and item_id in course.items else "this pull request"
    lines = [marker(key), f"### ⚠️ {title} — could not be graded", "",
             "The grader could not produce a valid report for this pull request. This is not a verdict on your work, "
             "and nothing was counted.", ""]
    if conclusion and conclusion != "success":
        lines.append(f"The grade run ended with `{md(conclusion, 40)}`.")
    if rejected:
        lines += ["", "What went wrong with the report:", *[f"- {md(line, 300)}" for line in rejected[:10]]]
    log = f"Open the [grade run]({run_url}) for the log. " if run_url.startswith(("https://", "http://")) else ""
    lines += ["", f"{log}Push again to retry; if it keeps failing, open a *help request* issue and link this pull request."]
    return "\n".join(lines) + "\n"


def nothing_to_grade(note: str) -> str:
    return "\n".join([
        marker(PR_KEY), "### ℹ️ Nothing to grade in this pull request", "",
        "It changes no exercise file listed in the course, so no score was given. To submit an exercise, change its "
        "notebook (for example `modules/01_data_engineering/ex_1_1_break_the_data.py`) in the pull request.", "",
        md(note, 1000), ""])


def rubric_checklist(report: Report, mentors: list[str]) -> str:
    who = ", ".join(f"@{m}" for m in mentors) if mentors else "a mentor (none is configured in course.toml yet)"
    lines = [marker(REVIEW_KEY), "### 🧑‍🏫 Mentor review of the capstone", "",
             f"Requested from {who}. The auto-score is **{report.score:g}/{report.max_score:g}**"
             f"{' (provisional)' if report.provisional else ''}; it counts only after your review. "
             "Regrade with the canonical tests before you approve: `uv run course regrade PATH` (see docs/guides/mentor.md).", ""]
    if report.tampered_paths:
        lines += ["> [!WARNING]", "> Protected files changed: regrade is mandatory before approving.", ""]
    lines += ["**Rubric checklist**", "",
              "- [ ] Regraded with `course regrade`; the canonical score matches the auto-score",
              "- [ ] The data is validated at the boundary (schemas, ranges, nulls) and the checks are tested",
              "- [ ] Features are leak-free: nothing computed with the test split or the target",
              "- [ ] The model beats an honest baseline, with the metric chosen for the cost of errors",
              "- [ ] Evaluation reports uncertainty and error slices, not one number",
              "- [ ] The inference service validates requests, meets its latency budget and has a health check",
              "- [ ] Monitoring: drift is measured and there is a written retraining rule",
              "- [ ] Written answers are the learner's own words and are correct (not keyword-graded)",
              "- [ ] The code reads well: names, small functions, tests that would catch a regression", ""]
    lines += _ml_test_checklist(report)
    if report.criteria:
        lines += ["<details><summary>Auto-graded criteria</summary>", ""]
        lines += [f"- [{'x' if c.passed else ' '}] {md(c.title, 200)} ({c.points:g}/{c.max_points:g})" for c in report.criteria[:60]]
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def _ml_test_checklist(report: Report) -> list[str]:
    """The ML Test Score's tests no program can judge, for the mentor to award by hand (½ documented, 1 automated)."""
    if report.ml_test_score is None:
        return []
    from grading import ml_test_score as mts

    left = mts.for_mentor(report.ml_test_score)
    found = mts.statuses(report.ml_test_score)
    lines = [f"**ML Test Score: {mts.final(report.ml_test_score):g} detected** (beside the grade, not part of it; "
             f"the lowest section counts). Judge these {len(left)} by hand: ½ if done by hand and documented, 1 if automated.", ""]
    lines += [f"- [ ] {md(t.label)}: {md(t.title)} ({md(found[t.id].evidence, 200)})" for t in left]
    return [*lines, ""]


def resolve_pull(repo: Any, head_sha: str, run: dict) -> Any | None:
    """The open pull request whose head is the graded commit (works for forks too)."""
    for pr in run.get("pull_requests") or []:
        try:
            pull = repo.get_pull(int(pr["number"]))
        except Exception:  # noqa: BLE001
            continue
        if pull.head.sha == head_sha:
            return pull
    for pull in repo.get_pulls(state="open", sort="updated", direction="desc"):
        if pull.head.sha == head_sha:
            return pull
    return None


def run(course: Course, directory: Path) -> int:
    summary = Summary()
    summary.add("## Course grader: posting the feedback")
    token = os.environ.get("GITHUB_TOKEN", "")
    repo_name = os.environ.get("GITHUB_REPOSITORY", "")
    api_url = os.environ.get("GITHUB_API_URL", "https://api.github.com")
    server_url = os.environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    try:
        event = read_event()
        wr = event.get("workflow_run")
        if not isinstance(wr, dict) or not wr.get("head_sha"):
            raise ValueError("the event is not a workflow_run event")
        if not token or not repo_name:
            raise ValueError("GITHUB_TOKEN and GITHUB_REPOSITORY must be set")
    except (ValueError, OSError) as exc:
        summary.line(f"course post could not start: {exc}")
        summary.flush()
        emit(command("error", f"course post: {exc}"))
        return 2
    head_sha = str(wr["head_sha"])
    run_url = str(wr.get("html_url") or "")
    art = artifact.load(directory, course)
    for line in art.rejected:
        summary.line(f"- rejected from the artifact: {line}")
        emit(command("warning", f"course post rejected {line}"))
    repo = client(token, api_url).get_repo(repo_name)
    try:
        pull = resolve_pull(repo, head_sha, wr)
    except Exception as exc:  # noqa: BLE001
        summary.line(f"- ❌ could not find the pull request of {head_sha[:12]}: {_explain(exc)}")
        summary.flush()
        emit(command("error", f"course post could not find the pull request: {_explain(exc)}"))
        return 1
    if pull is None:
        summary.line(f"- no open pull request has the head commit {head_sha[:12]} (closed, or pushed again since): nothing posted")
        summary.flush()
        return 0
    if art.meta and art.meta.pr and art.meta.pr != pull.number:
        summary.line(f"- note: the artifact names PR #{art.meta.pr}, the head SHA resolves to #{pull.number}; using #{pull.number}")
    summary.line(f"Pull request #{pull.number}, commit `{head_sha[:12]}`: {len(art.reports)} report(s)")
    poster = Poster(course, repo, pull, summary, run_url=run_url, repo_url=f"{server_url}/{repo_name}")
    poster.post(art, wr.get("conclusion"), head_sha)
    summary.flush()
    return 0
