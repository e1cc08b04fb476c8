"""Model objects ⇄ JSON, for the cache: only the model's own dataclasses are ever rebuilt.

``encode`` raises ``TypeError`` for anything it does not know (a caller then
simply does not cache); ``decode`` raises ``ValueError`` for data it did not
write, so a damaged cache entry counts as a miss.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import errors, model

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (model.Book, model.Chapter, model.Citation, model.CiteItem, model.Heading,
                model.Metadata, errors.SourcePos, errors.Diagnostic)
}


def encode(value: Any) -> Any:
    """A JSON-ready form of ``value`` (model dataclasses, tuples, paths, plain data)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, tuple):
        return {"~tuple": [encode(item) for item in value]}
    if isinstance(value, Path):
        return {"~path": str(value)}
    if isinstance(value, dict) and all(isinstance(k, str) and not k.startswith("~")
                                       for k in value):
        return {key: encode(item) for key, item in value.items()}
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and _TYPES.get(name) is type(value):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"~type": name, **fields}
    raise TypeError(f"cannot cache a {name}")


def decode(data: Any) -> Any:
    """The value ``encode`` was given."""
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    if "~tuple" in data:
        return tuple(decode(item) for item in data["~tuple"])
    if "~path" in data:
        return _path(data["~path"])
    if "~type" in data:
        return _instance(data)
    return {key: decode(item) for key, item in data.items()}


@lru_cache(maxsize=64)
def _path(text: str) -> Path:
    """One ``Path`` per file name: every ``SourcePos`` of a chapter names the same file, and
    building a ``Path`` anew for each was a third of decoding a cached book."""
    return Path(text)


def _instance(data: dict[str, Any]) -> Any:
    cls = _TYPES.get(data["~type"])
    if cls is None:
        raise ValueError(f"unknown type {data['~type']!r} in cache")
    fields = {key: decode(item) for key, item in data.items() if key != "~type"}
    try:
        return cls(**fields)
    except TypeError as exc:  # fields changed since the entry was written
        raise ValueError(str(exc)) from None
