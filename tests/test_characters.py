"""Unsafe characters are found wherever they are, by the quick path as by the whole class."""

from __future__ import annotations

import re

from site_builder.characters import has_unsafe, unsafe_characters

EVERY_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef"
    + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def test_every_code_point_is_judged_as_the_whole_class_judges_it() -> None:
    # Surrogates cannot stand in text on their own; every other code point is tried, a plane at a time.
    for plane in range(17):
        text = "".join(chr(code) for code in range(plane << 16, (plane + 1) << 16) if not 0xD800 <= code <= 0xDFFF)
        found = [offset for offset, _ in unsafe_characters(text)]
        assert found == [match.start() for match in EVERY_UNSAFE.finditer(text)]


def test_a_noncharacter_beyond_the_first_plane_is_found_in_mostly_plain_text() -> None:
    text = "A post \u2014 with a dash and \U0010ffff at the end"
    assert list(unsafe_characters(text)) == [(25, "U+10FFFF (a noncharacter), which a web page cannot hold")]
    assert has_unsafe(text)
    assert not has_unsafe("A post \u2014 with emoji \U0001f600 only")
