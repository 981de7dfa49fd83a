"""Served apps: a learner's ASGI app runs as a real uvicorn server, graded over real HTTP.

The sandbox has no network, so the server listens on a Unix socket in the learner's
working directory (the one folder both sides see at the same path), and the grader
speaks HTTP to it with httpx. The two halves:

- in the learner process (`grading.worker`, op "serve"): `start_server` forks a process
  in its own process group that runs uvicorn on the app the learner's factory returned;
  op "unserve" kills that process group (`stop_server`).
- in the grader (hidden tests): `serve(submission, "create_app", ...)` is a context
  manager yielding an `httpx.Client` for the running app, and stops it on exit.

Whatever the app starts (threads, forked workers, a process that never stops) is killed
with the server's process group; anything that left the group dies with the learner
process (its PID namespace, or the grader's subreaper, see `grading.sandbox`).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STARTUP_SECONDS = 120
REQUEST_SECONDS = 60
KEEP_ALIVE_SECONDS = 3600


# -- the learner-process side ------------------------------------------------------


def start_server(app: Any, pipes: tuple[int, ...]) -> dict:
    """Serve `app` with uvicorn on a fresh Unix socket in the working directory, in a fork."""
    if not callable(app):
        raise TypeError(f"the app factory must return an ASGI app (e.g. a FastAPI instance); it returned {type(app).__name__}")
    name = uuid.uuid4().hex[:8]
    sock, failed = Path.cwd() / f"app-{name}.sock", Path.cwd() / f"app-{name}.failed"
    pid = os.fork()
    if pid:
        return {"pid": pid, "socket": str(sock), "failed": str(failed)}
    try:
        os.setpgid(0, 0)  # the server and everything it starts die together
        for fd in pipes:  # the grader sees EOF when the learner process dies, server or not
            try:
                os.close(fd)
            except OSError:
                pass
        import uvicorn

        # Keep idle connections open for the server's whole life (it is killed when the test is done): with
        # uvicorn's default of 5 s, a server starved of CPU on a loaded machine closes an expired keep-alive
        # connection while the grader's next request is already in it, and the grader sees a ReadError.
        server = uvicorn.Server(uvicorn.Config(app, uds=str(sock), log_level="warning", access_log=False,
                                               timeout_graceful_shutdown=1, timeout_keep_alive=KEEP_ALIVE_SECONDS))
        server.run()
        if not server.started:
            failed.write_text("uvicorn could not start your app (its startup raised, or the socket could not be bound); see your code's output")
    except BaseException as exc:  # noqa: BLE001 - report anything, then leave
        try:
            failed.write_text(f"{type(exc).__name__}: {exc}"[:2000])
        except OSError:
            pass
    finally:
        sys.stdout.flush()
        os._exit(0)


def stop_server(pid: int) -> bool:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    return True


# -- the grader side ---------------------------------------------------------------


def _listening(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


@contextmanager
def serve(submission: Any, factory: str, *args: Any, startup: float = STARTUP_SECONDS, **kwargs: Any) -> Iterator[Any]:
    """Run `factory(*args, **kwargs)` in the learner process, serve the app, yield an httpx.Client."""
    import httpx

    from grading.testing import Miss

    session = submission._session
    info = session.serve(factory, *args, **kwargs)
    if not isinstance(info, dict) or not {"pid", "socket", "failed"} <= set(info):
        raise Miss("the learner process answered the request to serve your app with something unexpected")
    sock, failed = Path(str(info["socket"])), Path(str(info["failed"]))
    try:
        waited = time.monotonic() + min(startup, max(1.0, session.remaining()))
        while not _listening(sock):
            if failed.exists():
                raise Miss(f"your app did not start: {failed.read_text(errors='replace')[:500]}")
            if time.monotonic() > waited:
                raise Miss(f"your app was not accepting connections {startup:.0f} s after {factory}() returned")
            time.sleep(0.05)
        # A fresh connection per request: when an app raises after starlette sent its 500, uvicorn closes the
        # connection, and on a loaded machine the grader's next request could go out on it first (ReadError).
        transport = httpx.HTTPTransport(uds=str(sock), limits=httpx.Limits(max_keepalive_connections=0))
        client = httpx.Client(transport=transport, base_url="http://learner-app", timeout=REQUEST_SECONDS)
        with client:
            yield client
    finally:
        try:
            session.request("unserve", timeout=10, pid=int(info["pid"]))
        except Exception:  # noqa: BLE001 - the learner process is gone: its servers went with it
            pass


def send(client: Any, method: str, url: str, **kwargs: Any) -> Any:
    """One HTTP request; a hung or crashed server is the learner's problem (Miss), not ours."""
    import httpx

    from grading.testing import Miss

    try:
        return client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise Miss(f"{method} {url}: your server did not answer within {REQUEST_SECONDS} s") from None
    except httpx.HTTPError as exc:
        raise Miss(f"{method} {url}: the connection to your server failed ({type(exc).__name__}); did it crash?") from None


def _first_line(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def fuzz(client: Any, examples: int = 60, seed: int = 0) -> list[str]:
    """Requests generated by schemathesis from the app's own OpenAPI schema, sent over `client`.

    Returns one line per problem found (a server error, an undeclared status code or content
    type, a body that does not match the declared schema), at most one per operation and check.
    """
    import hypothesis
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from grading.testing import Miss

    answer = send(client, "GET", "/openapi.json")
    try:
        spec = answer.json()
        schema = schemathesis.openapi.from_dict(spec)
        operations = [result.ok() for result in schema.get_all_operations()]
    except Exception as exc:  # noqa: BLE001 - the learner's schema: any way it can be broken
        raise Miss(f"GET /openapi.json did not give a usable OpenAPI schema ({type(exc).__name__}: {str(exc)[:200]})") from None
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    problems: dict[str, str] = {}

    def check_operation(operation: Any) -> None:
        label = f"{operation.method.upper()} {operation.path}"

        @hypothesis.seed(seed)
        @hypothesis.settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                             suppress_health_check=list(hypothesis.HealthCheck),
                             phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
        @hypothesis.given(case=operation.as_strategy())
        def run(case: Any) -> None:
            kwargs = case.as_transport_kwargs(base_url=str(client.base_url))
            if "data" in kwargs:
                kwargs["content"] = kwargs.pop("data")
            kwargs = {k: v for k, v in kwargs.items() if k in ("method", "url", "headers", "params", "json", "content", "cookies")}
            response = send(client, kwargs.pop("method"), kwargs.pop("url"), **kwargs)
            for check in checks:
                key = f"{label}: {check.__name__}"
                if key in problems:
                    continue
                try:
                    case.validate_response(response, checks=[check])
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - schemathesis reports failures as (groups of) exceptions
                    problems[key] = f"{key}: status {response.status_code} for a generated request ({_first_line(exc)})"

        run()

    for operation in operations:
        check_operation(operation)
    return list(problems.values())
