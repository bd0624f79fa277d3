"""`serve`'s memory between builds: results found again only for the very same objects."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from site_builder.memo import Memo, Remembered, for_file


@dataclasses.dataclass(frozen=True)
class Record:
    name: str


def test_the_same_objects_find_the_earlier_result_and_equal_ones_do_not() -> None:
    memo, calls = Memo(), []

    def describe(record: Record, others: tuple[Record, ...]) -> str:
        calls.append(record.name)
        return record.name + "".join(other.name for other in others)

    first, second = Record("a"), Record("b")
    assert memo.call(describe, first, (second,)) == "ab"
    memo.end_build()
    assert memo.call(describe, first, (second,)) == "ab"  # a new tuple of the same items
    assert memo.call(describe, Record("a"), (second,)) == "ab"  # equal, not the same: made again
    assert calls == ["a", "a"]


def test_strings_and_frozensets_are_compared_by_value() -> None:
    memo, calls = Memo(), []

    def count(ids: frozenset[str], label: str) -> int:
        calls.append(label)
        return len(ids)

    assert memo.call(count, frozenset({"a", "b"}), "x" * 3) == 2
    assert memo.call(count, frozenset(["b", "a"]), "".join(["x", "xx"])) == 2  # equal values, new objects
    assert memo.call(count, frozenset({"a"}), "xxx") == 1
    assert calls == ["xxx", "xxx"]


def test_a_build_forgets_what_it_did_not_use() -> None:
    memo, calls = Memo(), []
    record = Record("a")

    def name_of(kept: Record) -> str:
        calls.append(kept.name)
        return kept.name

    memo.call(name_of, record)
    memo.end_build()  # used by this build: kept
    memo.end_build()  # not used by this one: forgotten
    memo.call(name_of, record)
    assert calls == ["a", "a"]


def test_a_failed_build_keeps_what_it_made_and_what_it_found() -> None:
    memo, calls = Memo(), []
    first, second = Record("a"), Record("b")

    def name_of(record: Record) -> str:
        calls.append(record.name)
        return record.name

    memo.call(name_of, first)
    memo.end_build()
    memo.call(name_of, second)  # made by a build that then fails: no end_build
    memo.call(name_of, first)
    assert [memo.call(name_of, first), memo.call(name_of, second)] == ["a", "b"]
    assert calls == ["a", "b"]


def test_remembered_digests_are_found_by_identity_across_builds_and_never_for_another_object() -> None:
    record, other = Record("a"), Record("a")
    earlier = Remembered()
    earlier.put(record, "digest-a")
    later = Remembered(earlier.now)
    assert later.get(record) == "digest-a"
    assert later.get(other) is None
    # An entry filed under an identity that now belongs to another object is not that object's.
    forged = Remembered({id(other): (record, "digest-a")})
    assert forged.get(other) is None


def test_strings_and_numbers_are_looked_at_by_value_and_keyed_results_by_an_equal_key() -> None:
    memo, calls = Memo(), []

    def joined(text: str, count: int) -> str:
        calls.append(text)
        return text * count

    assert memo.call(joined, "".join(["a", "b"]), 2) == "abab"
    assert memo.call(joined, "ab", 2) == "abab"  # an equal string, another object
    assert memo.call(joined, "ab", 3) == "ababab"

    def made(name: str) -> str:
        calls.append(name)
        return name

    assert memo.keyed(("file", 1), lambda: made("x")) == "x"
    assert memo.keyed(("file", 1), lambda: made("y")) == "x"
    assert calls == ["ab", "ab", "x"]


def test_what_was_made_from_a_file_is_made_again_once_it_is_saved(tmp_path: Path) -> None:
    memo, made = Memo(), []
    path = tmp_path / "week-01.md"
    path.write_text("one", encoding="utf-8")

    def read() -> str:
        made.append(path.read_text(encoding="utf-8"))
        return made[-1]

    assert for_file(memo, path, "text", read) == for_file(memo, path, "text", read) == "one"
    before = path.stat().st_mtime_ns
    path.write_text("two", encoding="utf-8")  # the same size: its times tell
    # A save a second later (the file system's clock may not have moved within this test).
    os.utime(path, ns=(before + 10**9, before + 10**9))
    assert for_file(memo, path, "text", read) == "two"
    assert for_file(None, path, "text", read) == "two"  # no memo: always made
    assert made == ["one", "two", "two"]
