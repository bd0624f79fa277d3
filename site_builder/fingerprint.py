"""What a page is rendered from, as one hash: the key its HTML is cached under.

The page's context is walked value by value. Model records stand for themselves by their file's
digest (everything in them is made from that file), and posts by their front matter: a page
that reads a body records it as it renders (`reads`), so editing a story leaves alone the pages
that only list its week. Anything this walk does not know makes the page uncacheable rather
than wrongly cached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

from site_builder.cache import digest
from site_builder.content import Model, Post
from site_builder.load import SourceFile
from site_builder.memo import Remembered


class Unknown(TypeError):
    """A value this walk cannot describe; the page is rendered afresh every time."""


def fingerprint(value: object, memo: Remembered | None = None) -> str:
    """The digest of `value`; `memo` (by object identity) lets many pages that share a week or a row
    describe it once, and `serve`'s next build find it again. Values it holds must never change."""
    parts: list[str] = []
    _describe(value, parts, Remembered() if memo is None else memo)
    return digest(*parts)


def _describe(value: object, parts: list[str], memo: Remembered) -> None:
    kind = type(value)
    describe = _DESCRIBERS.get(kind)
    if describe is None:
        describe = _DESCRIBERS[kind] = _describer(kind)
    describe(value, parts, memo)


Describe = Callable[[Any, list[str], Remembered], None]
_DESCRIBERS: dict[type, Describe] = {}
"""How each type met so far is described (a pure function of the type, so safe to share)."""


def _describer(kind: type) -> Describe:
    """How values of `kind` are described, chosen once per type: thousands of pages share a few types."""
    if kind is str:
        return lambda value, parts, memo: parts.append("'" + value)
    if issubclass(kind, str):
        # Markup is a str that autoescaping leaves alone: it must not look like the same plain text.
        return lambda value, parts, memo: parts.append(kind.__qualname__ + "'" + value)
    if kind is type(None) or issubclass(kind, bool | int | float):
        return lambda value, parts, memo: parts.append(repr(value))
    if issubclass(kind, Post):
        return _describe_post
    if issubclass(kind, Model):
        return lambda value, parts, memo: parts.append(f"Model {value.file.path} {value.file.digest}")
    if issubclass(kind, SourceFile):
        return lambda value, parts, memo: parts.append(f"File {value.path} {value.digest}")
    if issubclass(kind, enum.Enum):
        return lambda value, parts, memo: parts.append(f"{kind.__qualname__}.{value.name}")
    if issubclass(kind, dt.date | PurePath):
        return lambda value, parts, memo: parts.append(f"{kind.__qualname__} {value}")
    if issubclass(kind, list | tuple):
        return _describe_sequence
    if issubclass(kind, Mapping):
        return _describe_mapping
    if issubclass(kind, set | frozenset):
        return _describe_set
    if issubclass(kind, BaseModel):
        return _remembered(_model_digest)
    if dataclasses.is_dataclass(kind):
        names = [field.name for field in dataclasses.fields(kind)]
        by_fields = _remembered(lambda value, memo: digest(*_fields(value, names, memo)))
        return _by_origin(kind, by_fields) if MADE_FROM in names else by_fields
    return _unknown


def _describe_post(post: Post, parts: list[str], memo: Remembered) -> None:
    """A post by its front matter: a page that reads its body records that read (`reads`)."""
    parts.append(post.head)


def _describe_sequence(value: list[object] | tuple[object, ...], parts: list[str], memo: Remembered) -> None:
    parts.append(f"[{len(value)}")
    for item in value:
        _describe(item, parts, memo)


def _describe_mapping(value: Mapping[object, object], parts: list[str], memo: Remembered) -> None:
    parts.append(f"{{{len(value)}")
    for key, item in value.items():
        _describe(key, parts, memo)
        _describe(item, parts, memo)


def _describe_set(value: set[object] | frozenset[object], parts: list[str], memo: Remembered) -> None:
    described = sorted(fingerprint(item, memo) for item in value)
    parts.append(f"{{set {len(described)} " + " ".join(described))


MADE_FROM = "made_from"
"""A field that says, as a digest, everything its object was made from (a merged week: its post's
front matter, its tables as shown, the site's settings). Such an object is described by it, not
walked: a thousand weeks of tables cost a thousand short strings."""


def _by_origin(kind: type, by_fields: Describe) -> Describe:
    def describe(value: Any, parts: list[str], memo: Remembered) -> None:
        made_from = getattr(value, MADE_FROM)
        if made_from:
            parts.append(f"{kind.__qualname__} {made_from}")
        else:
            by_fields(value, parts, memo)

    return describe


def _remembered(make: Callable[[Any, Remembered], str]) -> Describe:
    """A record or row by one digest, made once per object however many pages show it."""

    def describe(value: object, parts: list[str], memo: Remembered) -> None:
        known = memo.get(value)
        if known is None:
            known = make(value, memo)
            memo.put(value, known)
        parts.append(known)

    return describe


def _unknown(value: object, parts: list[str], memo: Remembered) -> None:
    raise Unknown(f"cannot fingerprint a {type(value).__qualname__}")


def _fields(value: object, names: list[str], memo: Remembered) -> list[str]:
    parts = [type(value).__qualname__]
    for name in names:
        _describe(getattr(value, name), parts, memo)
    return parts


def _model_digest(value: BaseModel, memo: Remembered) -> str:
    """A pydantic model by its JSON (written in Rust, so quick), or field by field when it has none."""
    try:
        return digest(type(value).__qualname__, value.model_dump_json())
    except Exception:  # noqa: BLE001 - a field that will not serialise: describe it the slow way
        return digest(*_fields(value, list(type(value).model_fields), memo))
