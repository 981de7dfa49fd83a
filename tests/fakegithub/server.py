"""A fake GitHub REST API on 127.0.0.1, over real HTTP, for `course ci` / `course post` tests.

It answers the endpoints the grader uses in GitHub's documented shapes (the fields PyGithub
reads, plus the usual required ones): repositories, pull requests and their files, issues,
issue comments, labels, review requests, contents and tarballs. Lists paginate with `Link`
headers (`per_page`, `page`). Faults can be scripted: a `403` secondary rate limit with
`retry-after`, a `429`, a `5xx`, or a token that may not write (`403 Resource not accessible
by integration`, as a fork PR's token gets).
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
NOW = "2026-11-26T08:00:00Z"


@dataclass
class Fault:
    method: str
    pattern: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    times: int = 1


@dataclass
class Repo:
    full_name: str
    default_branch: str = "main"
    is_template: bool = False
    template_of: str | None = None
    private: bool = False
    issues: dict[int, dict] = field(default_factory=dict)
    comments: dict[int, dict] = field(default_factory=dict)
    labels: dict[str, dict] = field(default_factory=dict)
    files: dict[int, list[dict]] = field(default_factory=dict)
    reviewers: dict[int, list[str]] = field(default_factory=dict)
    collaborators: set[str] = field(default_factory=set)
    contents: dict[tuple[str, str], bytes] = field(default_factory=dict)
    tarballs: dict[str, bytes] = field(default_factory=dict)


class FakeGitHub:
    """Start with `with FakeGitHub() as gh:`; `gh.url` is the API base URL."""

    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.tokens: dict[str, dict] = {"bot-token": {"user": BOT, "write": True}}
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str, int]] = []
        self.lock = threading.RLock()
        self._ids = itertools.count(1000)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- building state ---------------------------------------------------------------

    def user(self, login: str) -> dict:
        return {"login": login, "id": abs(hash(login)) % 10_000_000, "node_id": f"U_{login}", "type": "User",
                "url": f"{self.url}/users/{login}", "html_url": f"https://github.example/{login}", "site_admin": False}

    def add_repo(self, full_name: str, **kw: Any) -> Repo:
        repo = Repo(full_name, **kw)
        self.repos[full_name] = repo
        return repo

    def _next_number(self, repo: Repo) -> int:
        return max(repo.issues, default=0) + 1

    def add_pull(self, repo: Repo, *, author: str, head_sha: str, base_sha: str = "b" * 40, files: list[str] | None = None,
                 title: str = "Exercise", fork: bool = False) -> int:
        number = self._next_number(repo)
        head_repo = f"{author}/{repo.full_name.split('/')[1]}" if fork else repo.full_name
        repo.issues[number] = {"number": number, "title": title, "body": "", "user": self.user(author), "labels": [],
                               "state": "open", "pr": {"head_sha": head_sha, "base_sha": base_sha, "head_repo": head_repo,
                                                       "head_ref": f"ex-{number}"}}
        repo.files[number] = [{"filename": f, "status": "modified"} for f in (files or [])]
        repo.reviewers[number] = []
        return number

    def add_comment(self, repo: Repo, number: int, body: str, user: dict | None = None) -> int:
        cid = next(self._ids)
        repo.comments[cid] = {"id": cid, "issue": number, "body": body, "user": user or self.user("someone")}
        return cid

    def fail(self, method: str, pattern: str, status: int, *, times: int = 1, headers: dict | None = None, message: str = "") -> None:
        body = {"message": message or {403: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                                      429: "Too many requests", 502: "Server Error", 503: "Service Unavailable"}.get(status, "error"),
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}
        self.faults.append(Fault(method, pattern, status, headers or {}, body, times))

    # -- inspection ------------------------------------------------------------------

    def comments_on(self, repo: Repo, number: int) -> list[dict]:
        return [c for c in sorted(repo.comments.values(), key=lambda c: c["id"]) if c["issue"] == number]

    def labels_on(self, repo: Repo, number: int) -> list[str]:
        return sorted(repo.issues[number]["labels"])

    def writes(self) -> list[tuple[str, str, int]]:
        return [e for e in self.log if e[0] in ("POST", "PATCH", "PUT", "DELETE")]

    # -- shapes ---------------------------------------------------------------------------

    def _repo_json(self, repo: Repo) -> dict:
        owner, name = repo.full_name.split("/")
        data = {"id": abs(hash(repo.full_name)) % 10_000_000, "node_id": f"R_{name}", "name": name, "full_name": repo.full_name,
                "owner": self.user(owner), "private": repo.private, "html_url": f"https://github.example/{repo.full_name}",
                "url": f"{self.url}/repos/{repo.full_name}", "default_branch": repo.default_branch, "is_template": repo.is_template,
                "fork": False, "archived": False, "disabled": False, "visibility": "private" if repo.private else "public"}
        if repo.template_of:
            template = self.repos.get(repo.template_of) or Repo(repo.template_of, is_template=True)
            data["template_repository"] = self._repo_json(template)
        return data

    def _label_json(self, repo: Repo, name: str) -> dict:
        label = repo.labels.get(name) or {"name": name, "color": "ededed", "description": None}
        return {"id": abs(hash(name)) % 10_000_000, "node_id": f"L_{name}", "url": f"{self.url}/repos/{repo.full_name}/labels/{quote(name)}",
                "name": name, "color": label["color"], "description": label.get("description"), "default": False}

    def _issue_json(self, repo: Repo, number: int) -> dict:
        it = repo.issues[number]
        base = f"{self.url}/repos/{repo.full_name}/issues/{number}"
        data = {"id": 500_000 + number, "node_id": f"I_{number}", "number": number, "url": base,
                "repository_url": f"{self.url}/repos/{repo.full_name}", "labels_url": base + "/labels{/name}",
                "comments_url": base + "/comments", "events_url": base + "/events",
                "html_url": f"https://github.example/{repo.full_name}/{'pull' if it.get('pr') else 'issues'}/{number}",
                "title": it["title"], "body": it["body"], "user": it["user"], "state": it["state"], "locked": False,
                "labels": [self._label_json(repo, n) for n in it["labels"]], "assignee": None, "assignees": [],
                "comments": sum(1 for c in repo.comments.values() if c["issue"] == number),
                "created_at": NOW, "updated_at": NOW, "closed_at": None, "author_association": "OWNER"}
        if it.get("pr"):
            data["pull_request"] = {"url": f"{self.url}/repos/{repo.full_name}/pulls/{number}",
                                    "html_url": data["html_url"], "diff_url": data["html_url"] + ".diff", "patch_url": data["html_url"] + ".patch"}
        return data

    def _pull_json(self, repo: Repo, number: int) -> dict:
        it = repo.issues[number]
        pr = it["pr"]
        base = f"{self.url}/repos/{repo.full_name}/pulls/{number}"
        issue = self._issue_json(repo, number)
        head_owner = pr["head_repo"].split("/")[0]
        return {"id": 700_000 + number, "node_id": f"PR_{number}", "number": number, "url": base, "issue_url": issue["url"],
                "html_url": issue["html_url"], "comments_url": issue["comments_url"], "review_comments_url": base + "/comments",
                "commits_url": base + "/commits", "statuses_url": f"{self.url}/repos/{repo.full_name}/statuses/{pr['head_sha']}",
                "title": it["title"], "body": it["body"], "user": it["user"], "state": it["state"], "locked": False, "draft": False,
                "labels": issue["labels"], "merged": False, "mergeable": True, "created_at": NOW, "updated_at": NOW,
                "requested_reviewers": [self.user(u) for u in repo.reviewers.get(number, [])], "requested_teams": [],
                "head": {"label": f"{head_owner}:{pr['head_ref']}", "ref": pr["head_ref"], "sha": pr["head_sha"],
                         "user": self.user(head_owner), "repo": self._repo_json(self.repos.get(pr["head_repo"]) or Repo(pr["head_repo"]))},
                "base": {"label": f"{repo.full_name.split('/')[0]}:{repo.default_branch}", "ref": repo.default_branch,
                         "sha": pr["base_sha"], "user": self._repo_json(repo)["owner"], "repo": self._repo_json(repo)},
                "author_association": "OWNER", "changed_files": len(repo.files.get(number, []))}

    def _comment_json(self, repo: Repo, cid: int) -> dict:
        c = repo.comments[cid]
        return {"id": cid, "node_id": f"IC_{cid}", "url": f"{self.url}/repos/{repo.full_name}/issues/comments/{cid}",
                "html_url": f"https://github.example/{repo.full_name}/pull/{c['issue']}#issuecomment-{cid}",
                "issue_url": f"{self.url}/repos/{repo.full_name}/issues/{c['issue']}", "body": c["body"], "user": c["user"],
                "created_at": NOW, "updated_at": NOW, "author_association": "NONE"}


def _handler(gh: FakeGitHub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        # -- plumbing -------------------------------------------------------------------

        def _send(self, status: int, data: Any = None, headers: dict | None = None, raw: bytes | None = None) -> None:
            body = raw if raw is not None else (b"" if data is None else json.dumps(data).encode())
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream" if raw is not None else "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-RateLimit-Limit", "5000")
            self.send_header("X-RateLimit-Remaining", "4999")
            self.send_header("X-RateLimit-Reset", str(int(time.time()) + 3600))
            self.send_header("X-RateLimit-Used", "1")
            self.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
            with gh.lock:
                gh.log.append((self.command, self.path, status))

        def _error(self, status: int, message: str) -> None:
            self._send(status, {"message": message, "documentation_url": "https://docs.github.com/rest", "status": str(status)})

        def _page(self, items: list, query: dict) -> None:
            per_page = max(1, min(100, int(query.get("per_page", ["30"])[0])))
            page = max(1, int(query.get("page", ["1"])[0]))
            last = max(1, -(-len(items) // per_page))
            chunk = items[(page - 1) * per_page : page * per_page]
            path = urlsplit(self.path).path
            rest = {k: v[0] for k, v in query.items() if k not in ("page", "per_page")}

            def link(p: int, rel: str) -> str:
                return f'<{gh.url}{path}?{urlencode({**rest, "per_page": per_page, "page": p})}>; rel="{rel}"'

            links = []
            if page < last:
                links += [link(page + 1, "next"), link(last, "last")]
            if page > 1:
                links += [link(1, "first"), link(page - 1, "prev")]
            self._send(200, chunk, {"Link": ", ".join(links)} if links else None)

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            return json.loads(raw) if raw else {}

        def _fault(self) -> bool:
            with gh.lock:
                for f in gh.faults:
                    if f.times > 0 and f.method in (self.command, "*") and re.search(f.pattern, self.path):
                        f.times -= 1
                        status, headers, body = f.status, dict(f.headers), copy.deepcopy(f.body)
                        break
                else:
                    return False
            self._body()
            self._send(status, body, headers)
            return True

        def _auth(self, write: bool) -> dict | None:
            token = (self.headers.get("Authorization") or "").split(" ")[-1]
            who = gh.tokens.get(token)
            if who is None:
                self._error(401, "Bad credentials")
                return None
            if write and not who["write"]:
                self._body()
                self._error(403, "Resource not accessible by integration")
                return None
            return who

        # -- verbs ------------------------------------------------------------------------

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_PATCH(self) -> None:
            self._dispatch("PATCH")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def _dispatch(self, method: str) -> None:
            if self._fault():
                return
            parts = urlsplit(self.path)
            path, query = unquote(parts.path), parse_qs(parts.query)
            if path.startswith("/_codeload/"):
                repo_name, ref = path[len("/_codeload/"):].rsplit("/", 1)
                repo = gh.repos.get(repo_name)
                data = repo.tarballs.get(ref.removesuffix(".tar.gz")) if repo else None
                return self._send(200, raw=data) if data else self._error(404, "Not Found")
            who = self._auth(write=method != "GET")
            if who is None:
                return
            m = re.match(r"^/repos/([^/]+/[^/]+)(/.*)?$", path)
            if not m or m.group(1) not in gh.repos:
                self._body()
                return self._error(404, "Not Found")
            repo, sub = gh.repos[m.group(1)], m.group(2) or ""
            with gh.lock:
                try:
                    self._route(method, repo, sub, query, who)
                except _Missing:
                    self._error(404, "Not Found")

        def _route(self, method: str, repo: Repo, sub: str, query: dict, who: dict) -> None:
            def num(s: str) -> int:
                n = int(s)
                if n not in repo.issues:
                    raise _Missing
                return n

            if method == "GET" and sub == "":
                return self._send(200, gh._repo_json(repo))
            if (mt := re.fullmatch(r"/(tarball|zipball)(?:/(.+))?", sub)) and method == "GET":
                ref = mt.group(2) or repo.default_branch
                if ref not in repo.tarballs:
                    raise _Missing
                return self._send(302, None, {"Location": f"{gh.url}/_codeload/{repo.full_name}/{ref}.tar.gz"})
            if (mt := re.fullmatch(r"/contents/(.+)", sub)) and method == "GET":
                ref = query.get("ref", [repo.default_branch])[0]
                data = repo.contents.get((ref, mt.group(1)))
                if data is None:
                    raise _Missing
                return self._send(200, {"type": "file", "encoding": "base64", "size": len(data), "name": mt.group(1).split("/")[-1],
                                        "path": mt.group(1), "sha": "c" * 40, "content": base64.b64encode(data).decode(),
                                        "url": f"{gh.url}/repos/{repo.full_name}/contents/{mt.group(1)}"})
            # pull requests
            if sub == "/pulls" and method == "GET":
                state = query.get("state", ["open"])[0]
                nums = [n for n, it in sorted(repo.issues.items(), reverse=True) if it.get("pr") and state in ("all", it["state"])]
                return self._page([gh._pull_json(repo, n) for n in nums], query)
            if (mt := re.fullmatch(r"/pulls/(\d+)", sub)) and method == "GET":
                n = num(mt.group(1))
                if not repo.issues[n].get("pr"):
                    raise _Missing
                return self._send(200, gh._pull_json(repo, n))
            if (mt := re.fullmatch(r"/pulls/(\d+)/files", sub)) and method == "GET":
                n = num(mt.group(1))
                files = [{"sha": "f" * 40, "additions": 1, "deletions": 0, "changes": 1, "patch": "@@ -1 +1 @@",
                          "blob_url": f"https://github.example/{repo.full_name}/blob/x/{f['filename']}",
                          "raw_url": f"https://github.example/{repo.full_name}/raw/x/{f['filename']}",
                          "contents_url": f"{gh.url}/repos/{repo.full_name}/contents/{f['filename']}", **f} for f in repo.files[n]]
                return self._page(files, query)
            if (mt := re.fullmatch(r"/pulls/(\d+)/requested_reviewers", sub)):
                n = num(mt.group(1))
                if method == "GET":
                    return self._send(200, {"users": [gh.user(u) for u in repo.reviewers[n]], "teams": []})
                if method == "POST":
                    wanted = self._body().get("reviewers", [])
                    author = repo.issues[n]["user"]["login"]
                    bad = [u for u in wanted if u not in repo.collaborators or u == author]
                    if bad:
                        return self._send(422, {"message": "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the " + repo.full_name + " repository.",
                                                "documentation_url": "https://docs.github.com/rest/pulls/review-requests"})
                    repo.reviewers[n] += [u for u in wanted if u not in repo.reviewers[n]]
                    return self._send(201, gh._pull_json(repo, n))
            # issues
            if sub == "/issues" and method == "GET":
                state = query.get("state", ["open"])[0]
                want = [x for x in query.get("labels", [""])[0].split(",") if x]
                nums = [n for n, it in sorted(repo.issues.items(), reverse=True)
                        if state in ("all", it["state"]) and all(w in it["labels"] for w in want)]
                return self._page([gh._issue_json(repo, n) for n in nums], query)
            if sub == "/issues" and method == "POST":
                body = self._body()
                n = gh._next_number(repo)
                repo.issues[n] = {"number": n, "title": body["title"], "body": body.get("body", ""), "user": who["user"],
                                  "labels": [], "state": "open"}
                for name in body.get("labels", []):
                    self._ensure_label(repo, name)
                    repo.issues[n]["labels"].append(name)
                return self._send(201, gh._issue_json(repo, n))
            if (mt := re.fullmatch(r"/issues/(\d+)", sub)):
                n = num(mt.group(1))
                if method == "GET":
                    return self._send(200, gh._issue_json(repo, n))
                if method == "PATCH":
                    body = self._body()
                    for key in ("title", "body", "state"):
                        if key in body:
                            repo.issues[n][key] = body[key]
                    return self._send(200, gh._issue_json(repo, n))
            if (mt := re.fullmatch(r"/issues/(\d+)/comments", sub)):
                n = num(mt.group(1))
                if method == "GET":
                    return self._page([gh._comment_json(repo, c["id"]) for c in gh.comments_on(repo, n)], query)
                if method == "POST":
                    body = self._body()["body"]
                    if len(body) > 65536:
                        return self._send(422, {"message": "Validation Failed", "errors": [{"resource": "IssueComment", "code": "custom", "field": "body", "message": "body is too long (maximum is 65536 characters)"}]})
                    cid = gh.add_comment(repo, n, body, who["user"])
                    return self._send(201, gh._comment_json(repo, cid))
            if (mt := re.fullmatch(r"/issues/comments/(\d+)", sub)):
                cid = int(mt.group(1))
                if cid not in repo.comments:
                    raise _Missing
                if method == "GET":
                    return self._send(200, gh._comment_json(repo, cid))
                if method == "PATCH":
                    if repo.comments[cid]["user"]["login"] != who["user"]["login"]:
                        return self._error(403, "Must have admin rights to Repository.")
                    repo.comments[cid]["body"] = self._body()["body"]
                    return self._send(200, gh._comment_json(repo, cid))
                if method == "DELETE":
                    del repo.comments[cid]
                    return self._send(204)
            if (mt := re.fullmatch(r"/issues/(\d+)/labels", sub)) and method in ("POST", "PUT"):
                n = num(mt.group(1))
                body = self._body()
                names = body if isinstance(body, list) else body.get("labels", [])
                if method == "PUT":
                    repo.issues[n]["labels"] = []
                for name in names:
                    self._ensure_label(repo, name)  # GitHub creates unknown labels on the fly
                    if name not in repo.issues[n]["labels"]:
                        repo.issues[n]["labels"].append(name)
                return self._send(200, [gh._label_json(repo, x) for x in repo.issues[n]["labels"]])
            if (mt := re.fullmatch(r"/issues/(\d+)/labels/(.+)", sub)) and method == "DELETE":
                n = num(mt.group(1))
                if mt.group(2) not in repo.issues[n]["labels"]:
                    return self._error(404, "Label does not exist")
                repo.issues[n]["labels"].remove(mt.group(2))
                return self._send(200, [gh._label_json(repo, x) for x in repo.issues[n]["labels"]])
            # labels
            if sub == "/labels" and method == "GET":
                return self._page([gh._label_json(repo, n) for n in sorted(repo.labels)], query)
            if sub == "/labels" and method == "POST":
                body = self._body()
                if body["name"] in repo.labels:
                    return self._send(422, {"message": "Validation Failed", "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}]})
                repo.labels[body["name"]] = {"name": body["name"], "color": body.get("color", "ededed"), "description": body.get("description")}
                return self._send(201, gh._label_json(repo, body["name"]))
            if (mt := re.fullmatch(r"/labels/(.+)", sub)):
                name = mt.group(1)
                if name not in repo.labels:
                    raise _Missing
                if method == "GET":
                    return self._send(200, gh._label_json(repo, name))
                if method == "PATCH":
                    body = self._body()
                    repo.labels[name].update({k: body[k] for k in ("color", "description") if k in body})
                    return self._send(200, gh._label_json(repo, name))
            self._body()
            raise _Missing

        def _ensure_label(self, repo: Repo, name: str) -> None:
            repo.labels.setdefault(name, {"name": name, "color": "ededed", "description": None})

    return Handler


class _Missing(Exception):
    pass
