"""Problems are data: every stage collects them, the command line prints them all at once."""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pointing at the file, line and column (1-based)."""

    path: str
    line: int
    column: int
    message: str
    severity: Literal["error", "warning"] = "error"
    """Errors stop the build; warnings are printed and the build goes on."""

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{_printable(self.path)}:{self.line}:{self.column}: {label}{_printable(self.message)}"


OUTPUT_FORMATS = ("text", "github")
"""How the command line prints problems: `text` lines, or GitHub Actions annotations."""


def format_problem(problem: Problem, output_format: str) -> str:
    """One problem as the command line prints it in `output_format` (one of OUTPUT_FORMATS)."""
    return github_annotation(problem) if output_format == "github" else str(problem)


def github_annotation(problem: Problem) -> str:
    """The problem as a GitHub Actions workflow command, so a pull request shows it on its line."""
    properties = ",".join(
        f"{key}={_printable(_escape_property(value))}"
        for key, value in (
            ("file", problem.path),
            ("line", str(problem.line)),
            ("col", str(problem.column)),
            ("title", "site-builder"),
        )
    )
    return f"::{problem.severity} {properties}::{_printable(_escape_data(problem.message))}"


def _escape_data(text: str) -> str:
    # The escaping of GitHub's own toolkit (@actions/core): `%` first, so escapes are not escaped twice.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class Position:
    """Where a value starts in its file (1-based line and column)."""

    line: int
    column: int


class BuildFailed(Exception):
    """Raised once, after a stage has gathered every problem it found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s)")


def display_path(path: Path, root: Path) -> str:
    """A path as the editor typed it: relative to the site root when inside it."""
    # abspath, not resolve(): a link must be shown as the editor named it, not as where it leads.
    absolute = os.path.abspath(path)  # noqa: PTH100
    base = os.path.abspath(root)  # noqa: PTH100
    if absolute.startswith(base + os.sep):  # most paths: cut, not worked out by relpath (ten times slower)
        return absolute[len(base) + 1 :].replace(os.sep, "/")
    relative = os.path.relpath(absolute, base)
    return relative.replace(os.sep, "/") if not relative.startswith("..") else Path(absolute).as_posix()


def _printable(text: str) -> str:
    """Content quoted in a message stays on its line and cannot drive the terminal."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def position_of_offset(text: str, offset: int) -> Position:
    """Line and column (1-based) of a character offset in `text`."""
    return LineIndex(text, 0).at(offset)


class LineIndex:
    """Lines and columns of character offsets, counting only LF as a line break.

    YAML also breaks lines at U+0085, U+2028 and U+2029, which editors show inside
    a line; the parser's own line numbers would then drift from what editors see.
    """

    def __init__(self, text: str, line_offset: int) -> None:
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.line_offset = line_offset

    def at(self, index: int) -> Position:
        line = bisect.bisect_right(self.line_starts, index) - 1
        return Position(line + 1 + self.line_offset, index - self.line_starts[line] + 1)
