"""Hidden checks of exercise 1.2: the loader gives the same bytes across runs, orders, dates and processes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import coursedata
import numpy as np
import pandas as pd
import pytest

from grading.criteria import criterion
from grading.testing import Miss, Submission, caught, unwrap

# A slice of the export the notebook's examples never use, with export retries and price-less sales.
FIRST, LAST = 11_000, 14_000


def lines() -> tuple[str, list[str]]:
    header, *rows = (coursedata.DATA_DIR / "cards.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    return header, rows[FIRST:LAST]


def with_noise(rows: list[str]) -> list[str]:
    """30 exact duplicates and 3 sales without a valid price, spread through the rows."""
    out = list(rows)
    for k in range(30):
        out.insert(97 * k + 5, rows[61 * k + 11])
    for k, bad in enumerate(("", "0.0", "-1.5")):
        cells = rows[1_000 + k].rstrip("\n").split(",")
        cells[0] = f"S9{k:06d}"  # new sale ids: a new sale whose price is broken
        cells[-1] = bad
        out.insert(500 * k + 3, ",".join(cells) + "\n")
    return out


@pytest.fixture(scope="session")
def export() -> str:
    header, rows = lines()
    return header + "".join(with_noise(rows))


@pytest.fixture(scope="session")
def shuffled_export() -> str:
    import numpy as np

    header, rows = lines()
    noisy = with_noise(rows)
    order = np.random.default_rng(2024).permutation(len(noisy))
    return header + "".join(noisy[i] for i in order)


def fingerprint(frame: pd.DataFrame) -> str:
    try:
        hashed = pd.util.hash_pandas_object(frame, index=True)
    except TypeError as exc:  # cells holding lists or dicts
        raise Miss(f"Every cell of the loader's output must be a plain value (text, number, date): {str(exc)[:80]}.") from None
    digest = hashlib.sha256(hashed.to_numpy().tobytes())
    digest.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
    return digest.hexdigest()[:16]


@contextmanager
def other_process(submission: Submission, hash_seed: int, tz: str) -> Iterator[Submission]:
    """A second learner process for the same submission, with another PYTHONHASHSEED and TZ.

    The grader starts learner processes with PYTHONHASHSEED=0; set iteration order and
    hash() of strings only change in a process with another seed.
    """
    from grading.learner import LearnerSession

    main = submission._session
    with LearnerSession(main.submission, main.budget, env={"PYTHONHASHSEED": str(hash_seed), "TZ": tz}) as session:
        session.start()
        yield Submission(session)


LESSON = "01_data_engineering.py"
MARKETPLACES = ["ebay", "tcgplayer", "cardmarket", "auction_house"]
RARITIES = ["Common", "Uncommon", "Rare", "Holo Rare", "Ultra Rare", "Secret Rare"]
CONTRACT_COLUMNS = [
    "sale_id", "sale_date", "marketplace", "set_code", "set_name", "release_date", "card_number",
    "card_name", "species", "species_id", "card_type", "rarity", "mechanic", "card_hp", "attacks",
    "retreat_cost", "print_run", "language", "first_edition", "condition", "grading_company",
    "grade", "price_usd",
]
COLUMNS = [*CONTRACT_COLUMNS, "card_age_days", "rarity_code", *[f"sold_on_{m}" for m in MARKETPLACES],
           "set_mean_price", "split", "loaded_at"]
AS_OF = "2025-07-01"


def load(submission: Submission, raw: str, seed: int = 1, as_of: str = AS_OF, n_rows: int = 1_200) -> pd.DataFrame:
    out = submission.load_cards_reproducibly(raw, seed, as_of, n_rows)
    if not isinstance(out, pd.DataFrame):
        raise Miss(f"load_cards_reproducibly() must return a pandas DataFrame; it returned {type(out).__name__}.")
    if list(out.columns) != COLUMNS:
        missing = [c for c in COLUMNS if c not in out.columns]
        extra = [c for c in out.columns if c not in COLUMNS]
        raise Miss(f"The columns must be COLUMNS, in that order (missing: {missing[:5]}, unexpected: {extra[:5]}).")
    return out


@pytest.fixture(scope="session")
def second_process(submission) -> Iterator[Submission]:
    """Started before the first check and imported on a thread, so its start-up overlaps the others."""
    import threading

    with other_process(submission, hash_seed=4242, tz="Pacific/Kiritimati") as other:
        warm = threading.Thread(target=lambda: _import_quietly(other), daemon=True)
        warm.start()
        yield other
        warm.join(timeout=1)


def _import_quietly(other: Submission) -> None:
    from grading.learner import LearnerError, MachineBusy

    try:
        other._session.ensure_imported()
    except (LearnerError, MachineBusy):
        pass  # remembered by the session: the check that uses it reports the error


@pytest.fixture(scope="session")
def first_run(submission, export, second_process) -> pd.DataFrame | Miss:
    """The learner's frame, or the Miss to report (a raising fixture would be a grader fault)."""
    return caught(lambda: load(submission, export))


@criterion(id="same_output_twice", points=15, title="Same input, same output, run after run",
           hint="Two calls with the same arguments must return identical data. An unseeded `sample()` "
                "and anything that reads the clock (`datetime.now()`, `pd.Timestamp.now()`) change "
                "between calls: take randomness from `seed` and time from `as_of`.", lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_same_output_twice(submission, export, first_run):
    first_run = unwrap(first_run)
    second = load(submission, export)
    if fingerprint(first_run) != fingerprint(second):
        differ = [c for c in COLUMNS if not first_run[c].equals(second[c])]
        raise Miss(f"Two calls with the same arguments returned different data (columns that differ: {differ[:6]}).")


@criterion(id="seed_is_honoured", points=5, title="The seed argument drives the sample",
           hint="Pass `seed` through (`random_state=seed`). A hard-coded `random_state=42` is reproducible "
                "but ignores the caller: nobody can draw a second, independent sample.", lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_seed_is_honoured(submission, export, first_run):
    first_run = unwrap(first_run)
    other = load(submission, export, seed=2)
    if set(other["sale_id"]) == set(first_run["sale_id"]):
        raise Miss("seed=1 and seed=2 returned the very same sample of sales.")


@criterion(id="as_of_drives_time", points=15, title="Time comes from `as_of`, not the clock",
           hint="`card_age_days` is `(pd.Timestamp(as_of) - release_date).dt.days` and `loaded_at` is "
                "`as_of` itself (the string, or `pd.Timestamp(as_of)`). A loader that reads the clock gives a different training set every day, "
                "and last month's run can never be rebuilt.", lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_as_of_drives_time(submission, export):
    for as_of in ("2025-07-01", "2026-02-14T08:30:00"):
        out = load(submission, export, as_of=as_of, n_rows=300)
        release = pd.to_datetime(out["release_date"], errors="coerce")
        expected = (pd.Timestamp(as_of) - release).dt.days
        if not (pd.to_numeric(out["card_age_days"], errors="coerce") == expected).all():
            raise Miss(f"With as_of={as_of!r}, `card_age_days` is not the whole days from release_date to as_of.")
        if not is_as_of(out["loaded_at"], as_of):
            raise Miss(f"With as_of={as_of!r}, `loaded_at` should be {as_of!r} (the string, or pd.Timestamp(as_of)); "
                       f"got e.g. {str(out['loaded_at'].iloc[0])!r}.")


def is_as_of(loaded: pd.Series, as_of: str) -> bool:
    """Both readings of "`loaded_at` is `as_of` itself": the string as given, or pd.Timestamp(as_of)."""
    if (loaded.astype(str) == as_of).all():
        return True
    try:
        return bool((pd.to_datetime(loaded, errors="coerce") == pd.Timestamp(as_of)).all())
    except (TypeError, ValueError):
        return False


@criterion(id="input_order_irrelevant", points=15, title="Row order of the export does not matter",
           hint="Exports have no guaranteed row order (a database without ORDER BY). Sort by `sale_id` "
                "before anything that samples, numbers categories in order of appearance, or sums floats "
                "(float sums depend on order), and return the rows sorted by `sale_id` with a 0..n-1 index.",
           lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_input_order_irrelevant(submission, shuffled_export, first_run):
    first_run = unwrap(first_run)
    shuffled = load(submission, shuffled_export)
    if fingerprint(shuffled) != fingerprint(first_run):
        if set(shuffled["sale_id"]) != set(first_run["sale_id"]):
            raise Miss("The same rows in another order gave a different sample of sales.")
        differ = [c for c in COLUMNS if not first_run[c].equals(shuffled[c])]
        raise Miss(f"The same rows in another order gave different output (columns that differ: {differ[:6]}, "
                   "or the row order or index).")


@criterion(id="same_in_another_process", points=15, title="Same output in another Python process",
           hint="Python salts `hash()` of strings per process, and the order of a `set` of strings follows "
                "it: a split by `hash(sale_id)` or columns made from `set(...)` change from one run of the "
                "program to the next. Use a stable hash (`hashlib.sha256`, `zlib.crc32`) and fixed, "
                "documented orders.", lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_same_in_another_process(second_process, export, first_run):
    first_run = unwrap(first_run)
    second = load(second_process, export)
    if fingerprint(second) != fingerprint(first_run):
        differ = [c for c in COLUMNS if c in second and not first_run[c].equals(second[c])]
        raise Miss(f"A second Python process (another hash seed and time zone) returned different data "
                   f"(columns that differ: {differ[:6]}).")


@criterion(id="codes_follow_the_contract", points=10, title="Category codes and columns follow the contract",
           hint="Codes learned from the batch (`unique()`, `sorted(set(...))`, `astype('category')`) change "
                "when a batch lacks a category, and the model reads a 'Rare' as an 'Uncommon'. Number rarities "
                "by their position in RARITIES and make one `sold_on_` column for every marketplace in "
                "MARKETPLACES, present or not.", lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_codes_follow_the_contract(submission):
    header, rows = lines()
    batch = [r for r in rows if ",Uncommon," not in r and not r.split(",")[2] == "auction_house"]
    out = load(submission, header + "".join(batch), n_rows=800)
    expected = out["rarity"].map({rarity: code for code, rarity in enumerate(RARITIES)})
    if not (pd.to_numeric(out["rarity_code"], errors="coerce") == expected).all():
        raise Miss("In a batch without Uncommon cards, `rarity_code` is not the position of the rarity in RARITIES.")
    for market in MARKETPLACES:
        column = out[f"sold_on_{market}"]
        if not (column.astype(bool) == (out["marketplace"] == market)).all():
            raise Miss(f"`sold_on_{market}` must be True exactly for sales on {market} (and all False when "
                       "the batch has none).")


@criterion(id="split_by_sale_id", points=10, title="A sale's split depends on its sale_id alone",
           hint="Drawing the split with the random generator (or by row position) moves a sale between "
                "train and test whenever the batch or the seed changes: the next model is tested on sales it "
                "was trained on. Derive it from a stable hash of `sale_id`, about 1 in TEST_EVERY as 'test'.",
           lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_split_by_sale_id(submission):
    header, rows = lines()
    first = load(submission, header + "".join(rows[:2_000]), seed=1, n_rows=10_000)
    second = load(submission, header + "".join(rows[1_000:]), seed=2, n_rows=10_000)
    both = first.merge(second, on="sale_id", suffixes=("_a", "_b"))
    if len(both) == 0:
        raise Miss("Two overlapping batches shared no sale: is the sample limited to n_rows?")
    moved = int((both["split_a"].astype(str) != both["split_b"].astype(str)).sum())
    if moved:
        raise Miss(f"{moved} of {len(both)} sales changed split between two overlapping batches with different seeds.")
    share = float((first["split"].astype(str) == "test").mean())
    if not 0.14 <= share <= 0.26 or set(first["split"].astype(str)) != {"train", "test"}:
        raise Miss(f"`split` must be 'train' or 'test' with about 1 sale in 5 as 'test'; the test share was {share:.0%}.")


@criterion(id="keeps_what_worked", points=15, title="Keeps everything the messy loader did right",
           hint="Refactoring must not lose behaviour: drop exact duplicate rows (export retries) and sales "
                "without a positive price, keep dates as datetimes, compute `set_mean_price` on the cleaned "
                "batch, and return min(n_rows, cleaned rows) sales.", lesson=f"{LESSON}#3. Reproducible pipelines and lineage")
def test_keeps_what_worked(submission, export):
    out = load(submission, export, n_rows=10_000)
    _, rows = lines()
    expected_ids = {r.split(",", 1)[0] for r in rows}
    got = list(out["sale_id"].astype(str))
    if len(got) != len(set(got)):
        raise Miss(f"{len(got) - len(set(got))} sales appear twice: exact duplicate rows must be dropped.")
    if set(got) - expected_ids:
        raise Miss(f"{len(set(got) - expected_ids)} sales without a valid price (missing, zero or negative) were kept.")
    if len(got) != len(expected_ids):
        raise Miss(f"With n_rows larger than the batch, expected all {len(expected_ids)} valid sales, got {len(got)}.")
    for column in ("sale_date", "release_date"):
        if not pd.api.types.is_datetime64_any_dtype(out[column]):
            raise Miss(f"`{column}` must be a datetime column; it is {out[column].dtype}.")
    prices = pd.to_numeric(out["price_usd"], errors="coerce")
    if prices.isna().any():
        raise Miss("`price_usd` must hold numbers (prices of the cleaned sales).")
    means = prices.groupby(out["set_code"].astype(str)).transform("mean")
    if not np.allclose(pd.to_numeric(out["set_mean_price"], errors="coerce"), means, rtol=1e-9):
        raise Miss("`set_mean_price` is not the mean price of the set's sales in the cleaned batch.")
    small = load(submission, export, n_rows=250)
    if len(small) != 250:
        raise Miss(f"With n_rows=250 the loader returned {len(small)} rows.")
