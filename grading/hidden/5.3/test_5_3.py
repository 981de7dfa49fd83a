"""Hidden checks of exercise 5.3: planted change points of five kinds, and clean streams."""

from __future__ import annotations

import functools

import pytest
from coursedata.monitoring import daily_stream, reference_window

from grading.criteria import criterion
from grading.testing import Miss

LESSON = "05_inference_service.py#5. Drift over daily windows"
RETRAIN_LESSON = "05_inference_service.py#6. When to retrain"
DAYS, START, PERSIST = 30, 12, 3
CLEAN_SEEDS = (901, 902, 903, 904, 905)
MAX_FALSE_ALARM_RATE = 0.01  # per clean window


@functools.cache
def reference():
    return reference_window(seed=77)


def verdicts(submission, stream) -> list[dict]:
    got = submission.monitor(reference(), stream, timeout=60)
    days = sorted(int(d) for d in stream["day"].unique())
    if not isinstance(got, list) or len(got) != len(days):
        raise Miss(f"monitor() must return a list with one dict per day ({len(days)}); got {type(got).__name__}"
                   + (f" of length {len(got)}" if isinstance(got, list) else ""))
    for v, day in zip(got, days, strict=True):
        if not isinstance(v, dict) or not {"day", "alarm", "drifted", "retrain"} <= set(v):
            raise Miss("each verdict must be a dict with keys day, alarm, drifted, retrain")
        if v["day"] != day:
            raise Miss(f"verdicts must be in day order: expected day {day}, got {v['day']!r}")
        if not isinstance(v["alarm"], bool) or not isinstance(v["retrain"], bool) or not isinstance(v["drifted"], list):
            raise Miss("`alarm` and `retrain` must be booleans and `drifted` a list of column names")
    return got


@pytest.fixture(scope="module")
def planted(submission) -> dict:
    """Verdicts per (change, seed), or the Miss that says why there are none."""
    out = {}
    for change, seeds in (("sudden", (811,)), ("gradual", (812, 813)), ("single", (814,)), ("unit", (815,)),
                          ("new_category", (816,))):
        for seed in seeds:
            try:
                out[change, seed] = verdicts(submission, daily_stream(seed, days=DAYS, change=change, start=START))
            except Exception as exc:  # noqa: BLE001 - Miss or LearnerError: the test reports it
                out[change, seed] = exc
    return out


def runs(planted, change: str) -> list[list[dict]]:
    found = [v for (c, _), v in planted.items() if c == change]
    for v in found:
        if isinstance(v, BaseException):
            raise v
    return found


def first_alarm(v: list[dict], since: int = START) -> int | None:
    return next((x["day"] for x in v if x["day"] >= since and x["alarm"]), None)


def check_detected(planted, change: str, column: str, within: int, what: str, steady: bool = True) -> None:
    """Detected within `within` days, naming `column`; for a steady change, named on most days after."""
    for v in runs(planted, change):
        day = first_alarm(v)
        if day is None or day > START + within:
            raise Miss(f"{what} starting on day {START} was not detected within {within} days "
                       f"(first alarm: {'never' if day is None else f'day {day}'})")
        if column not in v[day]["drifted"]:
            raise Miss(f"{what}: the first alarm after the change (day {day}) must name `{column}`")
        if not steady:
            continue
        after = [x for x in v if x["day"] >= START + within]
        named = sum(column in x["drifted"] for x in after)
        if named < 0.8 * len(after):
            raise Miss(f"{what}: `{column}` must be among the drifted columns on most days once it changed "
                       f"(named on {named} of {len(after)} days)")


@criterion(points=15, title="Sudden drift: a new set lands", lesson=LESSON,
           hint="Compare each day with the reference: KS for numeric columns, chi-square for categorical ones.")
def test_detects_sudden(planted):
    check_detected(planted, "sudden", "card_hp", 2, "a sudden shift in card_hp and mechanic")


@criterion(points=15, title="Gradual drift is caught against the reference", lesson=LESSON,
           hint="Compare with the reference, never with yesterday: a drift of a few per cent a day never looks like a change from one day to the next.")
def test_detects_gradual(planted):
    check_detected(planted, "gradual", "price_usd", 10, "a gradual rise of price_usd", steady=False)


@criterion(points=10, title="A single column: the model's confidence drops", lesson=LESSON,
           hint="Monitor the predictions (confidence, predicted_type) as well as the inputs, each column on its own.")
def test_detects_single_column(planted):
    check_detected(planted, "single", "confidence", 2, "a drop of confidence alone")
    for v in runs(planted, "single"):
        others = {c for x in v for c in x["drifted"] if c != "confidence"}
        if others:
            raise Miss(f"only confidence changed, but your monitor also named {sorted(others)}")


@criterion(points=10, title="A unit change: prices arrive in cents", lesson=LESSON,
           hint="A unit change moves every quantile of a numeric column: KS and PSI over the reference deciles see it at once.")
def test_detects_unit_change(planted):
    check_detected(planted, "unit", "price_usd", 1, "price_usd arriving in cents")


@criterion(points=15, title="A category never seen in training", lesson=LESSON,
           hint="Count values the reference never had in an extra 'other' bucket; a test over the reference's categories alone cannot see a new one.")
def test_detects_new_category(planted):
    check_detected(planted, "new_category", "mechanic", 2, "a new mechanic on 12 % of cards")


@pytest.fixture(scope="module")
def clean(submission) -> list:
    out = []
    for seed in CLEAN_SEEDS:
        try:
            out.append(verdicts(submission, daily_stream(seed, days=DAYS)))
        except Exception as exc:  # noqa: BLE001 - reported by the test
            out.append(exc)
    return out


@criterion(points=20, title="Few false alarms on clean streams", lesson=LESSON,
           hint="With thousands of rows a day and 7 columns × 30 days of tests, require both a corrected significance level (Bonferroni) and a PSI of at least PSI_MIN.")
def test_few_false_alarms(clean, planted):
    windows, alarms = 0, 0
    for v in clean:
        if isinstance(v, BaseException):
            raise v
        windows += len(v)
        alarms += sum(x["alarm"] for x in v)
    for (_, _), v in planted.items():
        if not isinstance(v, BaseException):  # before the change point a planted stream is clean too
            windows += START
            alarms += sum(x["alarm"] for x in v[:START])
    if alarms > MAX_FALSE_ALARM_RATE * windows:
        raise Miss(f"{alarms} false alarms in {windows} clean daily windows ({alarms / windows:.0%}); "
                   f"at most {MAX_FALSE_ALARM_RATE:.0%} are allowed")


@criterion(points=15, title="Retrain only when the alarm persists", lesson=RETRAIN_LESSON,
           hint="`retrain` is true only once the alarm has held PERSIST consecutive days, that day included; a one-day blip is not a reason to retrain.")
def test_retrain_when_persistent(clean, planted):
    streams = [v for v in [*clean, *planted.values()] if not isinstance(v, BaseException)]
    if not streams:
        raise Miss("no stream could be checked")
    for v in streams:
        run = 0
        for x in v:
            run = run + 1 if x["alarm"] else 0
            if x["retrain"] != (run >= PERSIST):
                raise Miss(f"day {x['day']}: the alarm has held {run} consecutive day(s), so `retrain` should be "
                           f"{run >= PERSIST}; it is {x['retrain']}")
    if not any(x["retrain"] for v in streams for x in v):
        raise Miss("your monitor never recommended retraining, not even after weeks of drift")
