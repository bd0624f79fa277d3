"""Characters that must not reach a page: control characters, bidi overrides and noncharacters.

Control characters and noncharacters make the HTML invalid ("forbidden code point");
bidi overrides and isolates reorder the text around them, so a name holding U+202E
shows as something else entirely. Tab and newline are ordinary whitespace and stay allowed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
_UNSAFE = re.compile(f"[{_CONTROLS}{_BIDI}{_NONCHARACTERS}]")
# A class of Basic Multilingual Plane characters only is matched through a lookup table, three times
# faster than one with the other planes' noncharacters: those are looked for only in text beyond the BMP.
_UNSAFE_IN_BMP = re.compile(f"[{_CONTROLS}{_BIDI}\ufdd0-\ufdef\ufffe\uffff]")
_BEYOND_BMP = "\U00010000"


def unsafe_reason(char: str) -> str | None:
    """Why `char` may not appear in content, e.g. "U+202E (RIGHT-TO-LEFT OVERRIDE), which can disguise text"."""
    if not _UNSAFE.fullmatch(char):
        return None
    code = ord(char)
    if re.fullmatch(f"[{_BIDI}]", char):
        return f"U+{code:04X} ({unicodedata.name(char)}), which can disguise text"
    kind = "a control character" if re.fullmatch(f"[{_CONTROLS}]", char) else "a noncharacter"
    return f"U+{code:04X} ({kind}), which a web page cannot hold"


def has_unsafe(text: str) -> bool:
    return _pattern_for(text).search(text) is not None


def unsafe_characters(text: str) -> Iterator[tuple[int, str]]:
    """The offset and reason of every unsafe character in `text`."""
    for match in _pattern_for(text).finditer(text):
        yield match.start(), str(unsafe_reason(match.group()))


def _pattern_for(text: str) -> re.Pattern[str]:
    return _UNSAFE if text and max(text) >= _BEYOND_BMP else _UNSAFE_IN_BMP
