"""What hidden tests use: the `criterion` marker, the `submission` fixture, `Miss`.

A hidden test declares its criterion next to itself (see `grading.criteria`):

    @criterion(points=20, title="Catches duplicated cards",
                           hint="Duplicates share every column but the index ...",
                           lesson="01_data_engineering.py#duplicates")
    def test_catches_duplicates(submission):
        findings = submission.validate(frame)       # runs in the learner process
        ...

`submission.NAME(...)` runs the learner's function in the learner process and returns
plain data. Raise `Miss("...")` for feedback a learner may read (a learner value of the wrong type or
shape included); a bare `assert` failure shows only the criterion's hint, never the
assertion or the hidden data. Any other exception is a bug in the test: a grader fault.
`TooBusy("...")` says a measurement was too noisy to decide: no verdict, exit 3.

Fixtures must not raise (a failing fixture is our fault and grading stops with exit 3):
a fixture returns `caught(lambda: ...)`, the value or the `Miss` it met, and each test
that uses it calls `unwrap(value)`, which raises that `Miss` inside the test.
"""

from __future__ import annotations

from typing import Any

import pytest

from grading.budget import MachineBusy
from grading.learner import LearnerError, LearnerSession


class Miss(AssertionError):
    """A failed check whose message is written for the learner and safe to show.

    Raise it for everything about the learner's value (wrong type, shape, columns, numbers).
    Any other exception escaping a hidden test is our own bug: a grader fault (exit 3).
    """


class TooBusy(MachineBusy):
    """A measurement too noisy to decide (a speed check on a loaded machine): no verdict, rerun."""

    def __init__(self, why: str):
        super().__init__(f"the machine was too busy to measure reliably: {why}")


def speed_verdict(reference: list[float], candidate: list[float], needed: float) -> bool | None:
    """Is `candidate` at least `needed` times faster than `reference`? None when the noise can't tell.

    Both lists are seconds of interleaved runs in one process, so a busy machine slows both.
    The verdict must hold for the least and the most favourable pairing of runs; between
    the two, the machine's noise decides, not the code.
    """
    if not reference or not candidate:
        return None
    worst = min(reference) / max(*candidate, 1e-9)
    best = max(reference) / max(min(candidate), 1e-9)
    if worst >= needed:
        return True
    if best < needed:
        return False
    return None


class Submission:
    """Attribute access returns a function that calls into the learner process."""

    def __init__(self, session: LearnerSession):
        self._session = session

    def race(self, names: list[str], *args: Any, repeats: int = 5, timeout: float = 60, **kwargs: Any) -> list[list[float]]:
        """Time the named functions on the same arguments, interleaved, inside the learner process.

        Returns one list of per-call seconds per name. Compare medians with a margin: a
        2-core CI machine is noisy. The learner process measures, so a hostile submission
        could fake it; hidden tests also check results, and the mentor's regrade is the
        trusted path (docs/security.md).
        """
        return self._session.race(names, *args, repeats=repeats, timeout=timeout, **kwargs)

    def speedup(self, reference: str, candidate: str, *args: Any, needed: float, repeats: int = 3,
                timeout: float = 60, **kwargs: Any) -> tuple[bool, float, list[float], list[float]]:
        """(fast enough?, ratio of medians, reference seconds, candidate seconds), raced in one process.

        Races again with twice the repeats when the noise cannot decide, then raises TooBusy:
        a speed check never fails a learner because the machine was loaded.
        """
        import statistics

        for attempt in (repeats, 2 * repeats):
            slow, fast = self.race([reference, candidate], *args, repeats=attempt, timeout=timeout, **kwargs)
            verdict = speed_verdict(slow, fast, needed)
            if verdict is not None:
                return verdict, statistics.median(slow) / max(statistics.median(fast), 1e-9), slow, fast
        raise TooBusy(f"the timings of `{reference}` and `{candidate}` overlap too much to tell whether yours is "
                      f"{needed:g}x faster (reference {min(slow):.3f}-{max(slow):.3f} s, yours {min(fast):.3f}-{max(fast):.3f} s)")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args: Any, timeout: float = 30, **kwargs: Any) -> Any:
            return self._session.call(name, *args, timeout=timeout, **kwargs)

        def with_args(*args: Any, timeout: float = 30, **kwargs: Any) -> tuple[Any, list]:
            """(result, [args, kwargs] as they were after the call): catches in-place mutation."""
            return self._session.call(name, *args, timeout=timeout, return_args=True, **kwargs)

        call.__name__ = name
        call.with_args = with_args  # type: ignore[attr-defined]
        return call


class HiddenPlugin:
    """Registered into an in-process pytest run of `grading/hidden/<id>/`."""

    def __init__(self, session: LearnerSession):
        self.session = session
        self.markers: dict[str, dict] = {}
        self.errors: dict[str, BaseException] = {}
        self.setup_faults: dict[str, str] = {}  # our fixtures broke: a grader fault

    @pytest.fixture(scope="session")
    def submission(self) -> Submission:
        return Submission(self.session)

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "criterion(points, title, hint, lesson): a scored check")

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            declared = getattr(getattr(item, "function", None), "criterion", None)
            mark = item.get_closest_marker("criterion")
            self.markers[item.nodeid] = dict(declared or (mark.kwargs if mark else {}))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Once the time limit is used up, the remaining checks fail at once, data preparation skipped."""
        if self.session.remaining() <= 0:
            raise LearnerError("timeout", f"the CPU budget of this exercise ({self.session.budget:g} s) was used up before this check could run")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Any:
        outcome = yield
        if call.excinfo is not None and call.when in ("setup", "call"):
            self.errors[item.nodeid] = call.excinfo.value
            if call.when == "setup" and not isinstance(call.excinfo.value, (LearnerError, MachineBusy)):
                self.setup_faults[item.nodeid] = call.excinfo.exconly()
        return outcome


def caught(make: Any) -> Any:
    """`make()`, or the Miss / LearnerError it raised, returned rather than raised (for fixtures)."""
    try:
        return make()
    except (Miss, LearnerError) as problem:
        return problem


def unwrap(value: Any) -> Any:
    """A fixture's value, or its Miss / LearnerError raised here, inside the test that reads it."""
    if isinstance(value, BaseException):
        raise value
    return value


def roundtrip(value: Any) -> Any:
    """`value` as the learner's code receives it (after the trip through `grading.codec`)."""
    from grading import codec

    return codec.decode(codec.encode(value))
