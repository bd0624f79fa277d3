"""yaml_source: plain data only, with the 1-based position of every key and list item."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from site_builder.problems import Position
from site_builder.yaml_source import MAX_DEPTH, YamlProblem, normalise_text, read_yaml

ANCHOR_MESSAGE = "YAML anchors and aliases (&name, *name) are not allowed; write the value out"


def refused(text: str, line_offset: int = 0) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        read_yaml(text, line_offset=line_offset)
    return caught.value


# --- positions -----------------------------------------------------------------

NESTED = textwrap.dedent(
    """\
    name: Alpha
    tiers:
      - id: 24gb
        order: 1
      - plain item
    flow: [x, y]
    deep:
      inner:
        leaf: 3
    """
)


def test_positions_of_keys_are_one_based() -> None:
    document = read_yaml(NESTED)
    assert document.positions[("name",)] == Position(1, 1)
    assert document.positions[("tiers",)] == Position(2, 1)
    assert document.positions[("flow",)] == Position(6, 1)
    assert document.positions[("deep",)] == Position(7, 1)
    assert document.positions[("deep", "inner")] == Position(8, 3)
    assert document.positions[("deep", "inner", "leaf")] == Position(9, 5)


def test_positions_of_list_items_point_at_the_item_after_the_dash() -> None:
    document = read_yaml(NESTED)
    # "  - id: 24gb": the item (a mapping) starts at its first key, column 5.
    assert document.positions[("tiers", 0)] == Position(3, 5)
    assert document.positions[("tiers", 0, "id")] == Position(3, 5)
    assert document.positions[("tiers", 0, "order")] == Position(4, 5)
    assert document.positions[("tiers", 1)] == Position(5, 5)
    # "flow: [x, y]": x at column 8, y at column 11.
    assert document.positions[("flow", 0)] == Position(6, 8)
    assert document.positions[("flow", 1)] == Position(6, 11)


def test_data_is_plain_python() -> None:
    document = read_yaml(NESTED)
    assert document.data == {
        "name": "Alpha",
        "tiers": [{"id": "24gb", "order": 1}, "plain item"],
        "flow": ["x", "y"],
        "deep": {"inner": {"leaf": 3}},
    }
    assert type(document.data) is dict
    assert type(document.data["tiers"]) is list


def test_position_falls_back_to_the_nearest_enclosing_key() -> None:
    document = read_yaml(NESTED)
    assert document.position(("tiers", 0, "missing")) == Position(3, 5)
    assert document.position(("tiers", 7, "id")) == Position(2, 1)
    assert document.position(("nowhere", 1)) == Position(1, 1)
    assert document.position(()) == Position(1, 1)


def test_top_level_list_items_have_positions() -> None:
    document = read_yaml("- a\n- b\n")
    assert document.data == ["a", "b"]
    assert document.positions == {(): Position(1, 1), (0,): Position(1, 3), (1,): Position(2, 3)}


def test_empty_text_is_an_empty_mapping() -> None:
    document = read_yaml("")
    assert document.data == {}
    assert document.positions == {}


def test_numeric_keys_become_text() -> None:
    assert read_yaml("1: one\n").data == {"1": "one"}


def test_boolean_keys_are_refused() -> None:
    problem = refused("a: 1\ntrue: x\n")
    assert problem.message == "keys must be plain text"
    assert problem.position == Position(2, 1)


def test_collection_keys_are_refused() -> None:
    problem = refused("? [a, b]\n: 1\n")
    assert problem.message == "a list or mapping is not allowed here"
    assert problem.position == Position(1, 3)


# --- line_offset -----------------------------------------------------------------


def test_line_offset_shifts_lines_but_not_columns() -> None:
    document = read_yaml("a: 1\nb:\n  - x\n", line_offset=3)
    assert document.positions[("a",)] == Position(4, 1)
    assert document.positions[("b",)] == Position(5, 1)
    assert document.positions[("b", 0)] == Position(6, 5)


def test_line_offset_shifts_problems() -> None:
    assert refused("a: 1\na: 2\n", line_offset=10).position == Position(12, 1)
    assert refused("a: &x 1\n", line_offset=10).position == Position(11, 4)
    assert refused("a: 1\nb: [x\n", line_offset=3).position == Position(6, 1)
    assert refused("a: !foo x\n", line_offset=2).position == Position(3, 4)


# --- BOM and line endings ------------------------------------------------------------

BOM_CRLF = "\ufeffname: Alpha\r\nlist:\r\n  - one\r\n  - two\r\nlast: 2026-01-05\r\n"


def test_normalise_text_drops_bom_and_crlf_and_cr() -> None:
    assert normalise_text(BOM_CRLF) == "name: Alpha\nlist:\n  - one\n  - two\nlast: 2026-01-05\n"
    assert normalise_text("a: 1\rb: 2\r") == "a: 1\nb: 2\n"
    assert normalise_text("a\r\n\r\nb") == "a\n\nb"


@pytest.mark.parametrize("text", [BOM_CRLF, normalise_text(BOM_CRLF)], ids=["raw", "normalised"])
def test_bom_and_crlf_are_accepted_with_right_positions(text: str) -> None:
    document = read_yaml(text)
    assert document.data == {"name": "Alpha", "list": ["one", "two"], "last": dt.date(2026, 1, 5)}
    assert document.positions[("name",)] == Position(1, 1)
    assert document.positions[("list",)] == Position(2, 1)
    assert document.positions[("list", 0)] == Position(3, 5)
    assert document.positions[("list", 1)] == Position(4, 5)
    assert document.positions[("last",)] == Position(5, 1)


def test_problem_after_bom_and_crlf_is_located() -> None:
    problem = refused(normalise_text("\ufeffa: 1\r\nb: 2\r\na: 3\r\n"))
    assert problem.message == "duplicate key 'a'"
    assert problem.position == Position(3, 1)


# --- anchors, aliases, alias bombs -----------------------------------------------------


def test_anchor_is_refused_at_its_position() -> None:
    problem = refused("name: Alpha\nvendor: &v Alpha Labs\n")
    assert problem.message == ANCHOR_MESSAGE
    assert problem.position == Position(2, 9)


def test_alias_is_refused_at_its_position() -> None:
    # An alias to an anchor that was never defined is still an alias: refused, not a syntax error.
    problem = refused("name: Alpha\nvendor: *v\n")
    assert problem.message == ANCHOR_MESSAGE
    assert problem.position == Position(2, 9)


def test_anchor_on_a_collection_is_refused() -> None:
    problem = refused("base: &b\n  a: 1\nother:\n  <<: *b\n")
    assert problem.message == ANCHOR_MESSAGE
    assert problem.position == Position(1, 7)


def test_anchor_on_a_list_item_is_refused() -> None:
    problem = refused("items:\n  - ok\n  - &x nope\n")
    assert problem.message == ANCHOR_MESSAGE
    assert problem.position == Position(3, 5)


def billion_laughs(levels: int = 10) -> str:
    """The classic alias bomb: each level lists the previous one nine times."""
    lines = ["l1: &l1 [" + ", ".join(['"lol"'] * 9) + "]"]
    for level in range(2, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_without_expanding() -> None:
    bomb = billion_laughs()
    # About 550 bytes that would expand to 9**10 (3.5 billion) strings if walked.
    assert 500 <= len(bomb.encode()) <= 600
    assert bomb.count("*l9") == 9
    problem = refused(bomb)
    assert problem.message == ANCHOR_MESSAGE
    assert problem.position == Position(1, 5)


def test_billion_laughs_after_plain_lines_is_refused_at_its_first_anchor() -> None:
    # The same bomb below two plain lines: refused at its first anchor, line 3.
    bomb = "title: fine\nnote: also fine\n" + billion_laughs()
    problem = refused(bomb)
    assert problem.message == ANCHOR_MESSAGE
    assert problem.position == Position(3, 5)


# --- tags ------------------------------------------------------------------------------


def test_custom_tag_on_a_scalar_is_refused() -> None:
    problem = refused("name: Alpha\nvendor: !foo bar\n")
    assert problem.message == "the tag '!foo' is not allowed here"
    assert problem.position == Position(2, 9)


def test_python_object_tag_is_refused() -> None:
    problem = refused("x: !!python/object:os.system\n")
    assert problem.message == "the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed here"
    assert problem.position == Position(1, 4)


def test_binary_tag_is_refused() -> None:
    problem = refused("x: !!binary aGVsbG8=\n")
    assert problem.message == "the tag 'tag:yaml.org,2002:binary' is not allowed here"
    assert problem.position == Position(1, 4)


def test_explicit_str_tag_is_plain_data() -> None:
    assert read_yaml("x: !!str 5\n").data == {"x": "5"}


def test_custom_tag_on_a_mapping_is_refused() -> None:
    problem = refused("x: !foo {a: 1}\n")
    assert problem.message == "the tag '!foo' is not allowed here"
    assert problem.position == Position(1, 4)


def test_python_object_tag_on_a_mapping_is_refused() -> None:
    problem = refused("x: !!python/object:os.system {args: [ls]}\n")
    assert problem.message == "the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed here"
    assert problem.position == Position(1, 4)


def test_custom_tag_on_a_sequence_is_refused() -> None:
    problem = refused("x: !foo [1, 2]\n")
    assert problem.message == "the tag '!foo' is not allowed here"
    assert problem.position == Position(1, 4)


# --- duplicate keys ------------------------------------------------------------------------


def test_duplicate_top_level_key_is_refused_at_the_second_key() -> None:
    problem = refused("name: a\nvendor: b\nname: c\n")
    assert problem.message == "duplicate key 'name'"
    assert problem.position == Position(3, 1)


def test_duplicate_nested_key_is_refused() -> None:
    problem = refused("items:\n  - id: a\n    score: 1\n    id: b\n")
    assert problem.message == "duplicate key 'id'"
    assert problem.position == Position(4, 5)


def test_same_key_in_different_mappings_is_fine() -> None:
    document = read_yaml("a:\n  id: 1\nb:\n  id: 2\n")
    assert document.data == {"a": {"id": 1}, "b": {"id": 2}}


def test_number_and_text_keys_that_read_the_same_are_duplicates() -> None:
    problem = refused("1: a\n'1': b\n")
    assert problem.message == "duplicate key '1'"
    assert problem.position == Position(2, 1)


# --- scalar types -------------------------------------------------------------------------


def test_dates_become_datetime_date() -> None:
    value = read_yaml("date: 2026-01-05\n").data["date"]
    assert value == dt.date(2026, 1, 5)
    assert type(value) is dt.date


def test_quoted_date_stays_text() -> None:
    assert read_yaml("date: '2026-01-05'\n").data == {"date": "2026-01-05"}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2026-13-05", "2026-13-05"),
        ("2026-02-30", "2026-02-30"),
        ("2026-01-05T10:00:00", "2026-01-05T10:00:00"),
    ],
)
def test_impossible_or_timed_dates_are_refused(text: str, shown: str) -> None:
    problem = refused(f"name: x\ndate: {text}\n")
    assert problem.message == f"cannot read '{shown}' as a date (YYYY-MM-DD)"
    assert problem.position == Position(2, 7)


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO"])
def test_yaml_1_1_booleans_stay_strings(word: str) -> None:
    value = read_yaml(f"flag: {word}\n").data["flag"]
    assert value == word
    assert type(value) is str


@pytest.mark.parametrize(("word", "expected"), [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_yaml_1_2_booleans_are_booleans(word: str, expected: bool) -> None:
    assert read_yaml(f"flag: {word}\n").data["flag"] is expected


def test_numbers_nulls_and_strings() -> None:
    document = read_yaml("i: 24\nf: 70.5\nn: null\nt: ~\ne:\ns: '24'\nx: '0x1F'\n")
    assert document.data == {"i": 24, "f": 70.5, "n": None, "t": None, "e": None, "s": "24", "x": "0x1F"}
    assert type(document.data["i"]) is int
    assert type(document.data["f"]) is float
    assert type(document.data["s"]) is str


@pytest.mark.parametrize("word", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_are_refused(word: str) -> None:
    problem = refused(f"score: {word}\n")
    assert problem.message == f"cannot read '{word}' as a finite number"
    assert problem.position == Position(1, 8)


def test_merge_key_is_refused() -> None:
    problem = refused("a: 1\n<<: {b: 2}\n")
    assert problem.message == "the tag 'tag:yaml.org,2002:merge' is not allowed here"
    assert problem.position == Position(2, 1)


# --- invalid syntax ---------------------------------------------------------------------------


def test_unclosed_flow_list_is_located() -> None:
    problem = refused("name: x\nlist: [1, 2\n")
    assert problem.message == "invalid YAML: did not find expected ',' or ']'"
    assert problem.position == Position(3, 1)


def test_mapping_value_in_wrong_place_is_located() -> None:
    problem = refused("name: x\nvendor: a: b\n")
    assert problem.message == "invalid YAML: mapping values are not allowed in this context"
    assert problem.position == Position(2, 10)


def test_second_document_is_refused() -> None:
    problem = refused("a: 1\n---\nb: 2\n")
    assert problem.message == "invalid YAML: but found another document"
    assert problem.position == Position(2, 1)


def test_yaml_problem_is_an_exception_with_message_and_position() -> None:
    problem = refused("a: 1\na: 2\n")
    assert isinstance(problem, Exception)
    assert str(problem) == "duplicate key 'a'"


# --- hostile or odd input ------------------------------------------------------------------------


def test_control_characters_are_located() -> None:
    with pytest.raises(YamlProblem) as caught:
        read_yaml("name: ok\nvendor: bad\x01value\n", line_offset=1)
    assert caught.value.message == "invalid YAML: character U+0001 is not allowed"
    assert caught.value.position == Position(3, 12)


def test_deep_nesting_is_refused_before_it_can_overflow_the_parser_stack() -> None:
    # Composing 200,000 nested lists crashes the C composer of ruamel.yaml.clib outright.
    with pytest.raises(YamlProblem) as caught:
        read_yaml("license: " + "[" * 200_000 + "]" * 200_000 + "\n")
    assert caught.value.message == f"nested more than {MAX_DEPTH} levels deep"
    # The top-level mapping is level 1, so the first "[" (column 10) is level 2.
    assert caught.value.position == Position(1, 10 + MAX_DEPTH - 1)


def test_nesting_past_the_limit_is_located() -> None:
    with pytest.raises(YamlProblem) as caught:
        read_yaml("a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n")
    assert caught.value.message == f"nested more than {MAX_DEPTH} levels deep"
    assert caught.value.position.line == 1


@pytest.mark.parametrize(
    ("text", "value"), [("017", 17), ("-042", -42), ("0", 0), ("123456789012345678901", 123456789012345678901)]
)
def test_whole_numbers_are_plain_decimal(text: str, value: int) -> None:
    assert read_yaml(f"week: {text}\n").data == {"week": value}


@pytest.mark.parametrize("text", ["0x10", "0o17", "0b101", "1_000", "+5", "-0x1", "0x_1"])
def test_whole_numbers_in_other_bases_or_with_marks_are_refused(text: str) -> None:
    problem = refused(f"name: x\nweek: {text}\n")
    assert problem.message == f"'week': whole numbers are written in decimal digits only (got '{text}')"
    assert problem.position == Position(2, 7)


@pytest.mark.parametrize(
    ("text", "value"), [("70.5", 70.5), ("-1.25", -1.25), ("1e3", 1000.0), (".5", 0.5), ("2.", 2.0)]
)
def test_decimal_fractions_are_read(text: str, value: float) -> None:
    assert read_yaml(f"score: {text}\n").data == {"score": value}


@pytest.mark.parametrize("text", ["+1.5", "1_000.5", "+.5"])
def test_fractions_with_marks_are_refused(text: str) -> None:
    problem = refused(f"score: {text}\n")
    assert problem.message == f"'score': numbers are written in decimal digits only (got '{text}')"
    assert problem.position == Position(1, 8)


def test_every_bad_number_in_a_file_is_reported() -> None:
    problem = refused("a: .nan\nb:\n  - .inf\n  - 0x10\n  - -.inf\nc: 1e999\n")
    assert [(each.message, each.position) for each in problem.each()] == [
        ("cannot read '.nan' as a finite number", Position(1, 4)),
        ("cannot read '.inf' as a finite number", Position(3, 5)),
        ("'b': whole numbers are written in decimal digits only (got '0x10')", Position(4, 5)),
        ("cannot read '-.inf' as a finite number", Position(5, 5)),
        ("cannot read '1e999' as a finite number", Position(6, 4)),
    ]


def test_every_structural_problem_is_reported_with_the_value_problems() -> None:
    problem = refused("a: 1\na: 2\nb: !!python/name:os.system x\nc: &x 1\nd: 0x1\n")
    assert [(each.message, each.position) for each in problem.each()] == [
        ("duplicate key 'a'", Position(2, 1)),
        ("the tag 'tag:yaml.org,2002:python/name:os.system' is not allowed here", Position(3, 4)),
        (ANCHOR_MESSAGE, Position(4, 4)),
        ("'d': whole numbers are written in decimal digits only (got '0x1')", Position(5, 4)),
    ]


def test_an_alias_stops_reading_before_anything_is_walked() -> None:
    problem = refused("a: &x [1]\nb: *x\nc: 0x1\n")
    assert [(each.message, each.position) for each in problem.each()] == [
        (ANCHOR_MESSAGE, Position(1, 4)),
        (ANCHOR_MESSAGE, Position(2, 4)),
    ]


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a:\n\tb: 1\n", Position(2, 1)),
        ("a: 1\n\tb: 2\n", Position(2, 1)),
        ("a:\n  - x\n\t- y\n", Position(3, 1)),
        ("a: |\n  x\n\ty\n", Position(3, 1)),
        ("a:\n \tb: 1\n", Position(2, 2)),
        ("name: x\n\tvendor: y\n", Position(2, 1)),
    ],
)
def test_a_tab_in_indentation_is_named_with_its_position(text: str, position: Position) -> None:
    problem = refused(text, line_offset=0)
    assert problem.message == "tab character in indentation; indent with spaces"
    assert problem.position == position


def test_a_syntax_error_later_on_a_tab_indented_line_is_not_blamed_on_the_tab() -> None:
    problem = refused("a: [1,\n\t2, x: y: z]\n")
    assert problem.message == "invalid YAML: did not find expected ',' or ']'"
    assert problem.position == Position(2, 9)


def test_tabs_inside_values_and_flow_lists_are_fine() -> None:
    assert read_yaml("a: [1,\n\t2]\nb: |\n  x\ty\n").data == {"a": [1, 2], "b": "x\ty\n"}


# --- characters that a page cannot show or that disguise text ---------------------------------


def test_bidi_overrides_are_refused_at_their_position() -> None:
    problem = refused('name: "GLM\u202e5-evil"\nvendor: x\u2066y\u2069\n')
    assert [(each.message, each.position) for each in problem.each()] == [
        ("'name' contains U+202E (RIGHT-TO-LEFT OVERRIDE), which can disguise text; remove it", Position(1, 11)),
        ("'vendor' contains U+2066 (LEFT-TO-RIGHT ISOLATE), which can disguise text; remove it", Position(2, 10)),
        ("'vendor' contains U+2069 (POP DIRECTIONAL ISOLATE), which can disguise text; remove it", Position(2, 12)),
    ]


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\0", "0000"), ("\\x0b", "000B"), ("\\x7f", "007F"), ("\\e", "001B"), ("\\r", "000D"), ("\\x85", "0085")],
)
def test_control_characters_written_as_escapes_are_refused_at_the_escape(escape: str, code: str) -> None:
    problem = refused(f'name: x\nvendor: "ab{escape}c"\n')
    assert (
        problem.message == f"'vendor' contains U+{code} (a control character), which a web page cannot hold; remove it"
    )
    assert problem.position == Position(2, 12)


def test_bidi_escapes_and_noncharacters_are_refused_in_keys_and_lists() -> None:
    problem = refused('tags: ["ok", "\\u202Dx", "\\uFFFE"]\n"k\\u2067": 1\n')
    assert [(each.message, each.position) for each in problem.each()] == [
        ("'tags' contains U+202D (LEFT-TO-RIGHT OVERRIDE), which can disguise text; remove it", Position(1, 15)),
        ("'tags' contains U+FFFE (a noncharacter), which a web page cannot hold; remove it", Position(1, 26)),
        ("a key contains U+2067 (RIGHT-TO-LEFT ISOLATE), which can disguise text; remove it", Position(2, 3)),
    ]


def test_tab_and_newline_escapes_stay_allowed() -> None:
    assert read_yaml('why: "a\\tb\\nc"\n').data == {"why": "a\tb\nc"}


def test_unicode_line_separators_inside_values_do_not_shift_lines() -> None:
    # YAML counts U+0085, U+2028 and U+2029 as line breaks; editors show them inside a line.
    document = read_yaml('vendor: "Zhipu\u2028AI\u2029x\x85y"\nname: x\nvendr: typo\n')
    assert document.positions[("vendr",)] == Position(3, 1)


def test_a_refused_character_after_wide_characters_is_located_by_character_not_byte() -> None:
    # Found by fuzzing: the C reader reports this position in UTF-8 bytes.
    problem = refused("name: \u0800éé\x1f\n")
    assert problem.message == "invalid YAML: character U+001F is not allowed"
    assert problem.position == Position(1, 10)
