"""A page's cache key: equal contexts give equal keys, and any difference a template could show changes it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

import pytest
from markupsafe import Markup

from site_builder.fingerprint import Unknown, fingerprint
from site_builder.memo import Remembered


class Colour(enum.Enum):
    RED = 1
    BLUE = 2


@dataclasses.dataclass(frozen=True)
class Row:
    name: str
    vram: float | None
    tags: tuple[str, ...] = ()


def test_equal_contexts_have_equal_keys() -> None:
    first = {"rows": [Row("a", 1.5, ("x",))], "when": dt.date(2026, 3, 2), "colour": Colour.RED}
    second = {"rows": [Row("a", 1.5, ("x",))], "when": dt.date(2026, 3, 2), "colour": Colour.RED}
    assert fingerprint(first) == fingerprint(second)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("<b>", Markup("<b>")),
        (Row("a", 1.5), Row("a", 1.6)),
        (Row("a", None), Row("a", 0.0)),
        (Colour.RED, Colour.BLUE),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
        (["ab"], ["a", "b"]),
        (1, True),
        (dt.date(2026, 3, 2), "2026-03-02"),
        ({"x", "y"}, {"x"}),
    ],
    ids=["markup", "field", "none", "enum", "order", "split", "bool", "date", "set"],
)
def test_any_difference_changes_the_key(one: object, other: object) -> None:
    assert fingerprint(one) != fingerprint(other)


def test_a_value_it_cannot_describe_makes_the_page_uncacheable() -> None:
    with pytest.raises(Unknown, match="cannot fingerprint a object"):
        fingerprint({"rows": [object()]})


def test_shared_rows_are_described_once_per_object_but_keyed_by_value() -> None:
    memo = Remembered()
    row = Row("a", 1.0)
    assert fingerprint([row], memo) == fingerprint([Row("a", 1.0)])
    assert memo.get(row) is not None and memo.get(Row("a", 1.0)) is None
