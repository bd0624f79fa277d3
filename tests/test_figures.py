"""figures: sizes, speeds and counts as editors write them and as readers see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from site_builder.figures import (
    Count,
    CountField,
    Size,
    SizeField,
    Speed,
    SpeedField,
    parse_count,
    parse_size,
    parse_speed,
)

# --- sizes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "shown"),
    [
        ("22 GB", Size(22.0), "22 GB"),
        ("~22 GB", Size(22.0, approximate=True), "~22 GB"),
        ("1.5 TB", Size(1500.0), "1.5 TB"),
        ("~1.5 TB", Size(1500.0, approximate=True), "~1.5 TB"),
        ("200 GB+", Size(200.0, at_least=True), "200 GB+"),
        ("~1500 GB", Size(1500.0, approximate=True), "~1.5 TB"),
        ("1000 GB", Size(1000.0), "1 TB"),
        ("999 GB", Size(999.0), "999 GB"),
        ("0.5 TB", Size(500.0), "500 GB"),
        ("~2 TB+", Size(2000.0, approximate=True, at_least=True), "~2 TB+"),
        ("22GB", Size(22.0), "22 GB"),
        ("~ 22 gb", Size(22.0, approximate=True), "~22 GB"),
        ("  14 GB  ", Size(14.0), "14 GB"),
        ("5.25 GB", Size(5.25), "5.25 GB"),
    ],
)
def test_parse_size_accepts_and_shows(text: str, expected: Size, shown: str) -> None:
    size = parse_size(text)
    assert size == expected
    assert str(size) == shown


@pytest.mark.parametrize(
    "text",
    ["22", "22 MB", "22 GiB", "-5 GB", "abc", "", "1,5 TB", "~", "GB", "22 GB 4", "+22 GB", "22 GB~", "2 2 GB"],
)
def test_parse_size_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_size(text)
    assert str(caught.value) == f"'{text}' is not a size; write it like '22 GB', '~1.5 TB' or '200 GB+'"


@pytest.mark.parametrize("text", ["0 GB", "0 TB", "~0 GB", "0.0 GB", "0 GB+"])
def test_parse_size_rejects_zero(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_size(text)
    assert str(caught.value) == f"size '{text}' must be more than 0"


# --- speeds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "shown"),
    [
        ("20-25 t/s", Speed(20.0, 25.0), "20-25 t/s"),
        ("~20 t/s", Speed(20.0, 20.0, approximate=True), "~20 t/s"),
        ("60+ t/s", Speed(60.0, 60.0, at_least=True), "60+ t/s"),
        ("20 t/s", Speed(20.0, 20.0), "20 t/s"),
        ("20 - 25 t/s", Speed(20.0, 25.0), "20-25 t/s"),
        ("20.5-25.5 t/s", Speed(20.5, 25.5), "20.5-25.5 t/s"),
        ("~20-25 t/s", Speed(20.0, 25.0, approximate=True), "~20-25 t/s"),
        ("20-20 t/s", Speed(20.0, 20.0), "20 t/s"),
        ("12 tokens/s", Speed(12.0, 12.0), "12 t/s"),
        ("1 token/s", Speed(1.0, 1.0), "1 t/s"),
        ("80-90 T/S", Speed(80.0, 90.0), "80-90 t/s"),
        ("0.5 t/s", Speed(0.5, 0.5), "0.5 t/s"),
    ],
)
def test_parse_speed_accepts_and_shows(text: str, expected: Speed, shown: str) -> None:
    speed = parse_speed(text)
    assert speed == expected
    assert str(speed) == shown


@pytest.mark.parametrize(
    "text", ["20", "fast", "20 tok/s", "20 t/m", "-20 t/s", "20-25", "t/s", "", "20--25 t/s", "20/25 t/s", "a-b t/s"]
)
def test_parse_speed_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_speed(text)
    assert str(caught.value) == f"'{text}' is not a speed; write it like '20-25 t/s', '~20 t/s' or '60+ t/s'"


@pytest.mark.parametrize("text", ["30-20 t/s", "~30-20 t/s", "25.5-25 t/s"])
def test_parse_speed_rejects_minimum_above_maximum(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_speed(text)
    assert str(caught.value) == f"speed '{text}' has its minimum above its maximum"


@pytest.mark.parametrize("text", ["0 t/s", "0-0 t/s", "~0 t/s", "0+ t/s"])
def test_parse_speed_rejects_zero(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_speed(text)
    assert str(caught.value) == f"speed '{text}' must be more than 0"


# --- counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "shown"),
    [
        ("309B", 309e9, "309B"),
        ("15B", 15e9, "15B"),
        ("10M", 10e6, "10M"),
        ("~8K", 8e3, "~8K"),
        ("1.5B", 1.5e9, "1.5B"),
        ("15b", 15e9, "15B"),
        ("309 B", 309e9, "309B"),
        ("10M+", 10e6, "10M+"),
        ("128k", 128e3, "128K"),
    ],
)
def test_parse_count_accepts_and_shows(text: str, value: float, shown: str) -> None:
    count = parse_count(text)
    assert isinstance(count, Count)
    assert count.value == value
    assert str(count) == shown
    assert count.approximate is shown.startswith("~")
    assert count.at_least is shown.endswith("+")


@pytest.mark.parametrize("text", ["100", "1T", "B", "309 billion", "-5B", "abc", "", "5BB"])
def test_parse_count_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_count(text)
    assert str(caught.value) == f"'{text}' is not a count; write it like '309B', '15B', '~8K' or '10M'"


@pytest.mark.parametrize("text", ["0B", "0.0M", "~0K"])
def test_parse_count_rejects_zero(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_count(text)
    assert str(caught.value) == f"count '{text}' must be more than 0"


# --- non-text input and the pydantic fields ---------------------------------------------------


@pytest.mark.parametrize("parse", [parse_size, parse_speed, parse_count])
@pytest.mark.parametrize("value", [None, True, [1]])
def test_parsers_pass_non_text_through_for_the_schema_to_refuse(parse: Callable[[Any], Any], value: object) -> None:
    assert parse(value) is value


@pytest.mark.parametrize(
    ("parse", "value", "message"),
    [
        (parse_size, 22, "22 has no unit; write it as text like '22 GB'"),
        (parse_speed, 2.5, "2.5 has no unit; write it as text like '20-25 t/s'"),
        (parse_count, 309, "309 has no unit; write it as text like '309B'"),
    ],
)
def test_parsers_name_the_missing_unit_of_a_bare_number(
    parse: Callable[[Any], Any], value: object, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        parse(value)
    assert str(caught.value) == message


class Figures(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    size: SizeField
    speed: SpeedField
    count: CountField


def test_fields_parse_text_in_a_strict_model() -> None:
    figures = Figures.model_validate({"size": "~22 GB", "speed": "20-25 t/s", "count": "309B"})
    assert figures.size == Size(22.0, approximate=True)
    assert figures.speed == Speed(20.0, 25.0)
    assert str(figures.count) == "309B"


def test_fields_report_the_parser_message() -> None:
    with pytest.raises(ValidationError) as caught:
        Figures.model_validate({"size": "0 GB", "speed": "30-20 t/s", "count": "309"})
    messages = {error["loc"]: error["msg"] for error in caught.value.errors()}
    assert messages == {
        ("size",): "Value error, size '0 GB' must be more than 0",
        ("speed",): "Value error, speed '30-20 t/s' has its minimum above its maximum",
        ("count",): "Value error, '309' is not a count; write it like '309B', '15B', '~8K' or '10M'",
    }


def test_fields_refuse_bare_numbers() -> None:
    with pytest.raises(ValidationError) as caught:
        Figures.model_validate({"size": 22, "speed": 20, "count": 309})
    assert [error["loc"] for error in caught.value.errors()] == [("size",), ("speed",), ("count",)]


def test_fields_are_text_in_the_json_schema() -> None:
    properties = Figures.model_json_schema()["properties"]
    assert properties["size"] == {"type": "string", "examples": ["~22 GB"]}
    assert properties["speed"] == {"type": "string", "examples": ["20-25 t/s"]}
    assert properties["count"] == {"type": "string", "examples": ["309B"]}


def test_speed_of_zero_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        parse_speed("0-5 t/s")
    assert str(caught.value) == "speed '0-5 t/s' must be more than 0"
