"""Plain-data codec between the grader and learner code.

Learner results cross the process boundary as JSON with a few tagged types (DataFrames
travel as Arrow IPC). Decoding never runs learner code and never unpickles, so an object
whose `__eq__`, `__bool__` or `__hash__` lies cannot reach a hidden test: it arrives as
plain data (its lie stripped) or as `Opaque`, which fails every comparison loudly.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import math
from typing import Any

MAX_DEPTH = 50


class Opaque:
    """Stands in for a value that is not plain data. Equal to nothing, truthy never decided."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} object: not plain data>"

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise TypeError(f"a {self.type_name} object was returned where plain data was expected")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _arrow_bytes(table: Any) -> bytes:
    import pyarrow as pa

    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _to_plain(obj: Any, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        return {"$opaque": "too deeply nested"}
    t = type(obj)  # type() cannot be faked; isinstance() can (via __class__)
    if obj is None or t is bool or t is str:
        return obj
    if t is int:
        return obj
    if t is float:
        return obj if math.isfinite(obj) else {"$float": repr(obj)}
    # Subclasses of builtins lose their overrides: only the underlying value crosses.
    if issubclass(t, bool):
        return bool(int.__int__(obj))
    if issubclass(t, int):
        return int.__int__(obj)
    if issubclass(t, float):
        return _to_plain(float.__float__(obj), depth)
    if issubclass(t, str):
        return str.__str__(obj)
    if issubclass(t, (list, tuple, set, frozenset)):
        base = next(b for b in (list, tuple, frozenset, set) if issubclass(t, b))
        items = [_to_plain(x, depth + 1) for x in base.__iter__(obj)]
        tag = "$list" if issubclass(t, list) else "$tuple" if issubclass(t, tuple) else "$set"
        return {tag: items}
    if issubclass(t, dict):
        return {"$dict": [[_to_plain(k, depth + 1), _to_plain(v, depth + 1)] for k, v in dict.items(obj)]}
    if issubclass(t, bytes):
        return {"$bytes": _b64(bytes(obj))}
    if issubclass(t, dt.datetime):
        return {"$datetime": dt.datetime.isoformat(obj)}
    if issubclass(t, dt.date):
        return {"$date": dt.date.isoformat(obj)}
    module = t.__module__.split(".")[0]
    if module == "numpy":
        import numpy as np

        if issubclass(t, np.generic):
            return _to_plain(obj.item(), depth)
        if issubclass(t, np.ndarray):
            if obj.dtype == object:
                return {"$list": [_to_plain(x, depth + 1) for x in obj.tolist()]}
            buf = io.BytesIO()
            np.save(buf, obj, allow_pickle=False)
            return {"$ndarray": _b64(buf.getvalue())}
    if module == "pandas":
        import pandas as pd
        import pyarrow as pa

        try:
            if issubclass(t, pd.DataFrame):
                return {"$dataframe": _b64(_arrow_bytes(pa.Table.from_pandas(pd.DataFrame(obj))))}
            if issubclass(t, pd.Series):
                frame = pd.DataFrame({"__values__": pd.Series(obj)})
                name = _to_plain(obj.name, depth + 1)
                return {"$series": _b64(_arrow_bytes(pa.Table.from_pandas(frame))), "name": name}
            if issubclass(t, pd.Timestamp):
                return {"$datetime": obj.isoformat()}
            if issubclass(t, pd.Index):
                return {"$list": [_to_plain(x, depth + 1) for x in obj.tolist()]}
        except (pa.ArrowException, TypeError, ValueError):
            return {"$opaque": f"{t.__name__} holding values that are not plain data"}
    if module == "polars":
        import polars as pl

        if issubclass(t, pl.DataFrame):
            return {"$polars": _b64(_arrow_bytes(obj.to_arrow()))}
        if issubclass(t, pl.Series):
            return {"$polars_series": _b64(_arrow_bytes(obj.to_frame("__values__").to_arrow())), "name": obj.name}
    return {"$opaque": t.__qualname__}


def encode(obj: Any) -> bytes:
    return json.dumps(_to_plain(obj), allow_nan=False, separators=(",", ":")).encode("utf-8")


def _arrow_table(data: str) -> Any:
    import pyarrow as pa

    return pa.ipc.open_stream(base64.b64decode(data)).read_all()


def _from_plain(obj: Any) -> Any:
    if not isinstance(obj, dict):
        return obj
    if len(obj) == 0:
        return {}
    tag = next(iter(obj))
    value = obj[tag]
    if tag == "$list":
        return [_from_plain(x) for x in value]
    if tag == "$tuple":
        return tuple(_from_plain(x) for x in value)
    if tag == "$set":
        items = [_from_plain(x) for x in value]
        try:
            return set(items)
        except TypeError:
            return items
    if tag == "$dict":
        out = {}
        for k, v in value:
            key = _from_plain(k)
            try:
                out[key] = _from_plain(v)
            except TypeError:
                out[repr(key)] = _from_plain(v)
        return out
    if tag == "$float":
        return float(value)
    if tag == "$bytes":
        return base64.b64decode(value)
    if tag == "$datetime":
        return dt.datetime.fromisoformat(value)
    if tag == "$date":
        return dt.date.fromisoformat(value)
    if tag == "$ndarray":
        import numpy as np

        return np.load(io.BytesIO(base64.b64decode(value)), allow_pickle=False)
    if tag == "$dataframe":
        return _arrow_table(value).to_pandas()
    if tag == "$series":
        series = _arrow_table(value).to_pandas()["__values__"]
        series.name = _from_plain(obj.get("name"))
        return series
    if tag == "$polars":
        import polars as pl

        return pl.from_arrow(_arrow_table(value))
    if tag == "$polars_series":
        import polars as pl

        return pl.from_arrow(_arrow_table(value))["__values__"].alias(obj.get("name") or "")
    if tag == "$opaque":
        return Opaque(str(value))
    return {k: _from_plain(v) for k, v in obj.items()}


def decode(data: bytes) -> Any:
    return _from_plain(json.loads(data.decode("utf-8")))


def decode_value(obj: Any) -> Any:
    """Decode a value already parsed from JSON (the worker's answers embed one)."""
    return _from_plain(obj)
