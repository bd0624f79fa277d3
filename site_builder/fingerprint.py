"""What a page is rendered from, as one hash: the key its HTML is cached under.

The page's context is walked value by value. Posts and model records stand for themselves by
their file's digest (everything in them is made from that file), so a page listing a thousand
posts hashes a thousand short digests, not a thousand bodies. Anything this walk does not know
makes the page uncacheable rather than wrongly cached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from pathlib import PurePath

from pydantic import BaseModel

from site_builder.cache import digest
from site_builder.content import Model, Post
from site_builder.load import SourceFile


class Unknown(TypeError):
    """A value this walk cannot describe; the page is rendered afresh every time."""


def fingerprint(value: object, memo: dict[int, str] | None = None) -> str:
    """The digest of `value`; `memo` (by object identity) lets many pages that share a week or a row
    describe it once. Only pass one while every value it has seen is alive and unchanged."""
    parts: list[str] = []
    _describe(value, parts, {} if memo is None else memo)
    return digest(*parts)


def _describe(value: object, parts: list[str], memo: dict[int, str]) -> None:
    if value is None or isinstance(value, bool | int | float):
        parts.append(repr(value))
    elif isinstance(value, str):
        # Markup is a str that autoescaping leaves alone: it must not look like the same plain text.
        parts.append(("'" if type(value) is str else f"{type(value).__qualname__}'") + value)
    elif isinstance(value, Post):
        parts.append(f"Post {value.file.path} {value.file.digest} {value.status}")
    elif isinstance(value, Model):
        parts.append(f"Model {value.file.path} {value.file.digest}")
    elif isinstance(value, SourceFile):
        parts.append(f"File {value.path} {value.digest}")
    elif isinstance(value, enum.Enum):
        parts.append(f"{type(value).__qualname__}.{value.name}")
    elif isinstance(value, dt.date | PurePath):
        parts.append(f"{type(value).__qualname__} {value}")
    elif isinstance(value, list | tuple):
        parts.append(f"[{len(value)}")
        for item in value:
            _describe(item, parts, memo)
    elif isinstance(value, Mapping):
        parts.append(f"{{{len(value)}")
        for key, item in value.items():
            _describe(key, parts, memo)
            _describe(item, parts, memo)
    elif isinstance(value, set | frozenset):
        described = sorted(fingerprint(item, memo) for item in value)
        parts.append(f"{{set {len(described)} " + " ".join(described))
    elif isinstance(value, BaseModel):
        known = memo.get(id(value))
        if known is None:
            known = memo[id(value)] = _model_digest(value, memo)
        parts.append(known)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        known = memo.get(id(value))
        if known is None:
            known = memo[id(value)] = digest(*_fields(value, memo))
        parts.append(known)
    else:
        raise Unknown(f"cannot fingerprint a {type(value).__qualname__}")


def _fields(value: object, memo: dict[int, str]) -> list[str]:
    parts = [type(value).__qualname__]
    names = (
        list(type(value).model_fields)
        if isinstance(value, BaseModel)
        else [field.name for field in dataclasses.fields(value)]  # type: ignore[arg-type]
    )
    for name in names:
        _describe(getattr(value, name), parts, memo)
    return parts


def _model_digest(value: BaseModel, memo: dict[int, str]) -> str:
    """A pydantic model by its JSON (written in Rust, so quick), or field by field when it has none."""
    try:
        return digest(type(value).__qualname__, value.model_dump_json())
    except Exception:  # noqa: BLE001 - a field that will not serialise: describe it the slow way
        return digest(*_fields(value, memo))
