"""Property-based tests of everything that reads editor text: for any input, the result is a value
or a problem positioned inside the text; never an exception, and never a place outside the file.

The seed is fixed and the number of examples bounded, so CI runs the same cases every time.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.figures import parse_count, parse_size, parse_speed
from site_builder.load import SourceFile, read_post
from site_builder.markdown import check_body
from site_builder.problems import Position, Problem
from site_builder.yaml_source import YamlDocument, YamlProblem, normalise_text, read_yaml

FUZZ = settings(derandomize=True, max_examples=200, deadline=None, database=None)

# Pieces of YAML and Markdown, so that generated text often gets past the first character.
YAML_PIECES = [
    "a",
    "key",
    ": ",
    ":",
    "-",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "'",
    '"',
    "\\",
    "\\x0b",
    "\\u202E",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&x",
    "*x",
    "!!str",
    "!!python/name:os",
    "|",
    ">",
    "?",
    "0x10",
    "1_000",
    "+5",
    ".nan",
    "-.inf",
    "1e999",
    "2026-01-05",
    "---",
    "...",
    "%YAML 1.1",
    "~",
    "null",
    "true",
    "\u202e",
    "\u2028",
    "\x85",
    "\ufeff",
    "é",
    "🙂",
]
MARKDOWN_PIECES = [
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "!",
    "model:",
    "post:",
    "javascript:",
    "https://x.test/",
    "//",
    "/",
    "#",
    " ",
    "\n",
    "\n\n",
    "`",
    "```",
    "    ",
    "|",
    "-",
    "*",
    ":",
    "a",
    "alpha",
    "week-01",
    "\\",
    "&#106;",
    "\t",
    "é",
]


def pieces(alphabet: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(alphabet), max_size=40).map("".join)


TEXT = st.text(max_size=200)
YAMLISH = st.one_of(TEXT, pieces(YAML_PIECES))
MARKDOWNISH = st.one_of(TEXT, pieces(MARKDOWN_PIECES))


def assert_inside(text: str, position: Position, first_line: int = 1) -> None:
    """`position` names a line of `text` (numbered from `first_line`) and a column up to one past its end."""
    lines = text.split("\n")
    index = position.line - first_line
    assert 0 <= index < len(lines), (position, len(lines))
    assert 1 <= position.column <= len(lines[index]) + 1, (position, lines[index])


@FUZZ
@given(YAMLISH, st.integers(min_value=0, max_value=3))
@example("a: [1,\n\t2]\n", 0)
@example('k: "\\U0011FFFF"\n', 0)
@example("\u0800\x1f", 0)
def test_read_yaml_gives_a_document_or_positioned_problems(text: str, line_offset: int) -> None:
    normalised = normalise_text(text)
    try:
        document = read_yaml(text, line_offset=line_offset)
    except YamlProblem as error:
        for problem in error.each():
            assert problem.message
            assert_inside(normalised, problem.position, first_line=1 + line_offset)
        return
    assert isinstance(document, YamlDocument)
    for position in document.positions.values():
        assert_inside(normalised, position, first_line=1 + line_offset)


@FUZZ
@given(st.one_of(TEXT, st.tuples(YAMLISH, MARKDOWNISH).map(lambda parts: f"---\n{parts[0]}\n---\n{parts[1]}")))
def test_post_split_gives_a_post_or_positioned_problems(text: str) -> None:
    text = normalise_text(text)
    problems: list[Problem] = []
    post = read_post(SourceFile("week-01", "content/posts/week-01.md"), text, problems)
    for problem in problems:
        assert problem.path == "content/posts/week-01.md"
        assert_inside(text, Position(problem.line, problem.column))
    if post is not None:
        assert text.endswith(post.body)
        assert text.split("\n")[post.body_first_line - 1 :] == post.body.split("\n")


FIGURE_TEXT = st.one_of(
    TEXT,
    st.from_regex(r"\A~?\s*[0-9]{1,400}(\.[0-9]{1,20})?\s*(GB|TB|t/s|K|M|B|tokens/s)\+?\Z"),
    st.from_regex(r"\A[0-9]{1,400}-[0-9]{1,400} t/s\Z"),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
)


@FUZZ
@given(FIGURE_TEXT)
@pytest.mark.parametrize("parse", [parse_size, parse_speed, parse_count], ids=["size", "speed", "count"])
def test_figure_parsers_give_a_value_or_a_value_error(parse: object, value: object) -> None:
    assert callable(parse)
    try:
        parse(value)
    except ValueError as error:
        assert str(error)


@FUZZ
@given(MARKDOWNISH)
@example("[a](<b\nc>)")
@example("[x]: model:nope\n\n[y][x]")
def test_link_check_gives_positions_inside_the_body(body: str) -> None:
    checked = check_body(body, "Title", None, {"alpha"}, {"week-01"})
    for problem in checked.problems:
        assert problem.message
        assert_inside(body, problem.position)
    for link in checked.post_links:
        assert_inside(body, link.position)
