"""Figures as editors write them ("~22 GB", "20-25 t/s", "309B", "10M") and as readers see them.

Every figure keeps whether it is approximate (`~`) or a lower bound (`+`), so the
site never shows an estimate as if it were exact.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_NUMBER = r"(\d+(?:\.\d+)?)"
_SIZE = re.compile(rf"^(~)?\s*{_NUMBER}\s*(GB|TB)(\+)?$", re.IGNORECASE)
_SPEED = re.compile(rf"^(~)?\s*{_NUMBER}(?:\s*-\s*{_NUMBER})?(\+)?\s*(?:t/s|tokens?/s)$", re.IGNORECASE)
_COUNT = re.compile(rf"^(~)?\s*{_NUMBER}\s*([KMB])(\+)?$", re.IGNORECASE)
_COUNT_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9}


def _plain(number: float) -> str:
    return f"{number:g}"


@dataclass(frozen=True)
class Size:
    """An amount of memory in gigabytes (1 TB = 1000 GB)."""

    gb: float
    approximate: bool = False
    at_least: bool = False

    def __str__(self) -> str:
        shown = f"{_plain(self.gb / 1000)} TB" if self.gb >= 1000 else f"{_plain(self.gb)} GB"
        return f"{'~' if self.approximate else ''}{shown}{'+' if self.at_least else ''}"


@dataclass(frozen=True)
class Speed:
    """Generation speed in tokens per second: one value or a low-high range."""

    low: float
    high: float
    approximate: bool = False
    at_least: bool = False

    def __str__(self) -> str:
        value = _plain(self.low) if self.low == self.high else f"{_plain(self.low)}-{_plain(self.high)}"
        return f"{'~' if self.approximate else ''}{value}{'+' if self.at_least else ''} t/s"


@dataclass(frozen=True)
class Count:
    """A large count written with a suffix: parameters ("309B") or tokens ("10M")."""

    value: float
    approximate: bool = False
    at_least: bool = False
    written: str = ""

    def __str__(self) -> str:
        return self.written


def _finite(number: float, text: str) -> float:
    if not math.isfinite(number):
        raise ValueError(f"'{text}' is too large")
    return number


def _require_text(text: Any, example: str) -> None:
    """Figures carry a unit, so a bare number is a mistake worth naming."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        raise ValueError(f"{text} has no unit; write it as text like '{example}'")


def parse_size(text: Any) -> Any:
    _require_text(text, "22 GB")
    if not isinstance(text, str):
        return text
    match = _SIZE.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a size; write it like '22 GB', '~1.5 TB' or '200 GB+'")
    approx, number, unit, plus = match.groups()
    gb = _finite(float(number) * (1000 if unit.upper() == "TB" else 1), text)
    if gb <= 0:
        raise ValueError(f"size '{text}' must be more than 0")
    return Size(gb, bool(approx), bool(plus))


def parse_speed(text: Any) -> Any:
    _require_text(text, "20-25 t/s")
    if not isinstance(text, str):
        return text
    match = _SPEED.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a speed; write it like '20-25 t/s', '~20 t/s' or '60+ t/s'")
    approx, low, high, plus = match.groups()
    speed = Speed(_finite(float(low), text), _finite(float(high or low), text), bool(approx), bool(plus))
    if speed.low > speed.high:
        raise ValueError(f"speed '{text}' has its minimum above its maximum")
    if speed.low <= 0:
        raise ValueError(f"speed '{text}' must be more than 0")
    return speed


def parse_count(text: Any) -> Any:
    _require_text(text, "309B")
    if not isinstance(text, str):
        return text
    match = _COUNT.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a count; write it like '309B', '15B', '~8K' or '10M'")
    approx, number, suffix, plus = match.groups()
    value = _finite(float(number) * _COUNT_SCALE[suffix.upper()], text)
    if value <= 0:
        raise ValueError(f"count '{text}' must be more than 0")
    written = f"{'~' if approx else ''}{number}{suffix.upper()}{'+' if plus else ''}"
    return Count(value, bool(approx), bool(plus), written)


def _text_schema(example: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "examples": [example]})


SizeField = Annotated[Size, BeforeValidator(parse_size), _text_schema("~22 GB")]
SpeedField = Annotated[Speed, BeforeValidator(parse_speed), _text_schema("20-25 t/s")]
CountField = Annotated[Count, BeforeValidator(parse_count), _text_schema("309B")]
