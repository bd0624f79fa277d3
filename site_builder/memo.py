"""What one build made, found again by the next in the same process (`serve`).

A file that did not change comes back from the cache as the very same object, so whatever is made
from unchanged objects alone can be found by their identity, without looking inside them: a save
then costs what it touched, not what the site holds. Every object a result was found by is kept
alive with it, so its identity cannot pass to another object; they must never change (content and
merged weeks are frozen dataclasses and models).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

Result = TypeVar("Result")


class Memo:
    """Results of pure functions by the identity of their arguments, kept while builds use them."""

    def __init__(self) -> None:
        self._earlier: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}
        self._now: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}
        self.fingerprints = Remembered()
        """Digests of values by identity, for the cache keys of pages (`fingerprint.fingerprint`)."""

    def call(self, function: Callable[..., Result], *args: Any) -> Result:
        """`function(*args)`, or its result from a build that called it with these very objects.
        A list or tuple argument stands for its items (each is looked at by identity); a string,
        number, None or frozenset by its value."""
        return self._found((function, *map(_identity, args)), args, lambda: function(*args))

    def keyed(self, key: Hashable, make: Callable[[], Result]) -> Result:
        """`make()`, or what it made in a build that asked with an equal `key` (which must say
        everything the result depends on)."""
        return self._found(("keyed", key), (), make)

    def _found(self, key: tuple[Any, ...], kept: tuple[Any, ...], make: Callable[[], Result]) -> Result:
        found = self._now.get(key) or self._earlier.get(key)
        if found is None:
            found = (kept, make())
        self._now[key] = found
        result: Result = found[1]
        return result

    def __len__(self) -> int:
        """How many results it holds."""
        return len(self._now) + len(self._earlier)

    def end_build(self) -> None:
        """Forget what this build did not use: the memo holds about one site's worth, however long
        `serve` runs. (A build that failed never gets here: what it made is kept for the next.)"""
        self._earlier, self._now = self._now, {}
        self.fingerprints = Remembered(self.fingerprints.now)


class Remembered:
    """A digest per value, by its identity; values are kept alive with their digests."""

    def __init__(self, earlier: dict[int, tuple[object, str]] | None = None) -> None:
        self.earlier = earlier or {}
        self.now: dict[int, tuple[object, str]] = {}

    def get(self, value: object) -> str | None:
        found = self.now.get(id(value)) or self.earlier.get(id(value))
        if found is None or found[0] is not value:
            return None
        self.now[id(value)] = found
        return found[1]

    def put(self, value: object, digest: str) -> None:
        self.now[id(value)] = (value, digest)


def _identity(arg: object) -> object:
    if isinstance(arg, str | int | float | type(None) | frozenset):
        return (type(arg), arg)  # immutable: its value will do
    if isinstance(arg, list | tuple):
        return (type(arg), *map(id, arg))
    return id(arg)


def call(memo: Memo | None, function: Callable[..., Result], *args: Any) -> Result:
    """`memo.call(function, *args)`, or just the call without a memo (a one-off build)."""
    return function(*args) if memo is None else memo.call(function, *args)


def keyed(memo: Memo | None, key: Hashable, make: Callable[[], Result]) -> Result:
    """`memo.keyed(key, make)`, or just `make()` without a memo."""
    return make() if memo is None else memo.keyed(key, make)


def for_file(
    memo: Memo | None, path: Path | str, kind: Hashable, make: Callable[[], Result], follow_links: bool = True
) -> Result:
    """`make()`, or, with `memo` (`serve`), what it made from this file when the file's size, times
    and inode were as they are now (every save changes them). `kind` names what is made, and any
    other thing it depends on."""
    if memo is None:
        return make()
    try:
        status = os.stat(path) if follow_links else os.lstat(path)  # noqa: PTH116 - of a text path too
    except OSError:
        return make()
    signature = (status.st_mode, status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
    return memo.keyed((kind, str(path), *signature), make)
