"""Figures as editors write them ("~22 GB", "20-25 t/s", "309B", "10M") and as readers see them.

Every figure keeps whether it is approximate (`~`) or a lower bound (`+`), so the
site never shows an estimate as if it were exact.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_NUMBER = r"(\d+(?:\.\d+)?)"
_SIZE = re.compile(rf"^(~)?\s*{_NUMBER}\s*(GB|TB)(\+)?$", re.IGNORECASE)
_SPEED = re.compile(rf"^(~)?\s*{_NUMBER}(?:\s*-\s*{_NUMBER})?(\+)?\s*(?:t/s|tokens?/s)$", re.IGNORECASE)
_COUNT = re.compile(rf"^(~)?\s*{_NUMBER}\s*([KMB])(\+)?$", re.IGNORECASE)
_COUNT_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9}


def _plain(number: float) -> str:
    return f"{number:g}"


def _marked(shown: str, approximate: bool, at_least: bool) -> str:
    return f"{'~' if approximate else ''}{shown}{'+' if at_least else ''}"


@dataclass(frozen=True)
class Size:
    """An amount of memory in gigabytes (1 TB = 1000 GB)."""

    gb: float
    approximate: bool = False
    at_least: bool = False

    def __str__(self) -> str:
        shown = f"{_plain(self.gb / 1000)} TB" if self.gb >= 1000 else f"{_plain(self.gb)} GB"
        return _marked(shown, self.approximate, self.at_least)


@dataclass(frozen=True)
class Speed:
    """Generation speed in tokens per second: one value or a low-high range."""

    low: float
    high: float
    approximate: bool = False
    at_least: bool = False

    def __str__(self) -> str:
        value = _plain(self.low) if self.low == self.high else f"{_plain(self.low)}-{_plain(self.high)}"
        return _marked(value, self.approximate, self.at_least) + " t/s"


@dataclass(frozen=True)
class Count:
    """A large count written with a suffix: parameters ("309B") or tokens ("10M")."""

    number: str
    """The digits as written, e.g. `1.5` of `1.5B`."""
    suffix: str
    """`K`, `M` or `B`."""
    approximate: bool = False
    at_least: bool = False

    @property
    def value(self) -> float:
        return float(self.number) * _COUNT_SCALE[self.suffix]

    def __str__(self) -> str:
        return _marked(f"{self.number}{self.suffix}", self.approximate, self.at_least)


def _finite(number: float, text: str) -> float:
    if not math.isfinite(number):
        raise ValueError(f"'{text}' is too large")
    return number


def _match(text: str, pattern: re.Pattern[str], what: str, examples: str) -> re.Match[str]:
    match = pattern.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a {what}; write it like {examples}")
    return match


def _positive(number: float, what: str, text: str) -> float:
    if number <= 0:
        raise ValueError(f"{what} '{text}' must be more than 0")
    return _finite(number, text)


def _figure_parser(example: str, parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    """Text goes to `parse`; a bare number is named as missing its unit; anything else is left to the schema."""

    def parse_figure(text: Any) -> Any:
        if isinstance(text, int | float) and not isinstance(text, bool):
            raise ValueError(f"{text} has no unit; write it as text like '{example}'")
        return parse(text) if isinstance(text, str) else text

    return parse_figure


def _size(text: str) -> Size:
    approx, number, unit, plus = _match(text, _SIZE, "size", "'22 GB', '~1.5 TB' or '200 GB+'").groups()
    gb = _positive(float(number) * (1000 if unit.upper() == "TB" else 1), "size", text)
    return Size(gb, bool(approx), bool(plus))


def _speed(text: str) -> Speed:
    approx, low, high, plus = _match(text, _SPEED, "speed", "'20-25 t/s', '~20 t/s' or '60+ t/s'").groups()
    speed = Speed(_finite(float(low), text), _finite(float(high or low), text), bool(approx), bool(plus))
    if speed.low > speed.high:
        raise ValueError(f"speed '{text}' has its minimum above its maximum")
    _positive(speed.low, "speed", text)
    return speed


def _count(text: str) -> Count:
    approx, number, suffix, plus = _match(text, _COUNT, "count", "'309B', '15B', '~8K' or '10M'").groups()
    count = Count(number, suffix.upper(), bool(approx), bool(plus))
    _positive(count.value, "count", text)
    return count


parse_size = _figure_parser("22 GB", _size)
parse_speed = _figure_parser("20-25 t/s", _speed)
parse_count = _figure_parser("309B", _count)


def _text_schema(example: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "examples": [example]})


# Dumped (e.g. into models.json) as the editor wrote them, so the data validates against the same schema.
_AS_WRITTEN = PlainSerializer(str, return_type=str)
SizeField = Annotated[Size, BeforeValidator(parse_size), _AS_WRITTEN, _text_schema("~22 GB")]
SpeedField = Annotated[Speed, BeforeValidator(parse_speed), _AS_WRITTEN, _text_schema("20-25 t/s")]
CountField = Annotated[Count, BeforeValidator(parse_count), _AS_WRITTEN, _text_schema("309B")]
