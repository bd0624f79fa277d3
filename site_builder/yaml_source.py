"""Read YAML safely and remember where every key and list item stands.

Only plain data is accepted: mappings, lists, strings, numbers, booleans, null and
dates. Custom tags, anchors and aliases are refused (an alias bomb of a few hundred
bytes can expand to gigabytes when walked), and so are duplicate keys.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.tag import Tag

from site_builder.characters import has_unsafe, unsafe_characters, unsafe_reason
from site_builder.problems import LineIndex, Position

Loc = tuple[str | int, ...]

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_COLLECTION_TAGS: dict[type[Node], str] = {
    MappingNode: "tag:yaml.org,2002:map",
    SequenceNode: "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True)
class YamlDocument:
    """Plain data read from YAML, with the position of every key and list item."""

    data: Any
    positions: dict[Loc, Position] = field(default_factory=dict)

    def position(self, loc: Loc) -> Position:
        """Where `loc` (or its nearest enclosing key) starts; line 1 if nothing matches."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.positions:
                return self.positions[loc[:end]]
        return Position(1, 1)


class YamlProblem(Exception):
    """The YAML cannot be read as plain data; `more` holds the file's other problems, if any."""

    def __init__(self, message: str, position: Position, more: tuple[YamlProblem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.more = more

    def each(self) -> list[YamlProblem]:
        """This problem and every other one found in the same text, in order."""
        return [self, *self.more]


def _raise_all(problems: list[YamlProblem]) -> None:
    if problems:
        first, *rest = sorted(problems, key=lambda problem: (problem.position.line, problem.position.column))
        raise YamlProblem(first.message, first.position, tuple(rest))


def normalise_text(text: str) -> str:
    """Drop a byte-order mark and turn CRLF or CR line endings into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


MAX_DEPTH = 64
"""Content never nests this deep; a deeper file is a mistake or an attack on the parser."""


def read_yaml(text: str, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document of plain data; `line_offset` shifts reported lines.

    Raises YamlProblem listing every problem found: a syntax error stops reading, but
    problems with single values (odd numbers, unsafe characters, tags) are all reported.
    """
    text = normalise_text(text)
    yaml = _parser()
    where = LineIndex(text, line_offset)
    try:
        node, anchors = _compose(yaml, text, where)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        index = mark.index if mark else 0
        tab = _indentation_tab(text, index)
        if tab is not None:
            raise YamlProblem("tab character in indentation; indent with spaces", where.at(tab)) from None
        reason = error.problem or error.context or "invalid YAML"
        raise YamlProblem(f"invalid YAML: {reason}", where.at(index)) from None
    except ReaderError as error:
        reason = f"invalid YAML: character U+{error.character:04X} is not allowed"
        # The C reader counts this position in bytes; the first such character is the one it refused.
        raise YamlProblem(reason, where.at(max(text.find(chr(error.character)), 0))) from None
    if node is None:
        _raise_all(anchors)
        return YamlDocument({}, {})
    reader = _Reader(text, where)
    reader.problems.extend(anchors)
    reader.positions[()] = _at(where, node)
    data = reader.plain(node, ())
    _raise_all(reader.problems)
    return YamlDocument(data, reader.positions)


@functools.cache
def _parser() -> YAML:
    """One parser per process: making one costs as much as reading a small record."""
    return YAML(typ="safe")


def _indentation_tab(text: str, index: int) -> int | None:
    """The offset of the tab in the indentation where the parser stopped at `index`, if it stopped there."""
    line_start = text.rfind("\n", 0, min(index, len(text))) + 1
    indentation = re.match(r"[ \t]*", text[line_start:])
    assert indentation is not None  # matches the empty string at worst
    tab = indentation.group().find("\t")
    return line_start + tab if tab >= 0 and index <= indentation.end() + line_start else None


def _at(where: LineIndex, item: Node | Event) -> Position:
    return where.at(item.start_mark.index)


def _compose(yaml: YAML, text: str, where: LineIndex) -> tuple[Node | None, list[YamlProblem]]:
    """Build the document's nodes from one pass over the parser's events; return them with the
    anchors found, refusing aliases and deep nesting before anything is built from them.

    The event parser is iterative; composing a tree is recursive (in C, with clib), and
    a few hundred kilobytes of brackets would overflow its stack, so the tree is built here.
    Aliases stop reading at once (walking them is how a small file expands to gigabytes);
    lone anchors are harmless to read on, so the file's other problems are reported with them.
    """
    anchors: list[YamlProblem] = []
    root: Node | None = None
    open_nodes: list[MappingNode | SequenceNode] = []
    documents = 0
    tags: dict[object, Tag] = {}
    for event in yaml.parse(text):
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlProblem("invalid YAML: but found another document", _at(where, event))
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            message = "YAML anchors and aliases (&name, *name) are not allowed; write the value out"
            anchors.append(YamlProblem(message, _at(where, event)))
            if isinstance(event, AliasEvent):
                _raise_all(anchors)
        node: Node
        if isinstance(event, ScalarEvent):
            tag = _tag(yaml, tags, ScalarNode, event)
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        elif isinstance(event, CollectionStartEvent):
            if len(open_nodes) >= MAX_DEPTH:
                raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep", _at(where, event))
            kind = MappingNode if isinstance(event, MappingStartEvent) else SequenceNode
            node = kind(_tag(yaml, tags, kind, event), [], event.start_mark, event.end_mark)
        elif isinstance(event, CollectionEndEvent):
            open_nodes.pop()
            continue
        else:
            continue
        if not open_nodes:
            root = node
        else:
            _add(open_nodes[-1], node)
        if isinstance(node, MappingNode | SequenceNode):
            open_nodes.append(node)
    return root, anchors


def _tag(yaml: YAML, tags: dict[object, Tag], kind: type[Node], event: ScalarEvent | CollectionStartEvent) -> Tag:
    """The event's tag, or the one YAML's rules give an untagged value (as composing would).

    Nodes share one Tag object per tag: reading a new Tag's text is slow, and there are few tags.
    An untagged value is resolved once per file: records repeat the same keys and values many times.
    """
    if event.tag is not None and event.tag != "!":
        text = str(event.tag)
    else:
        value = event.value if isinstance(event, ScalarEvent) else None
        untagged = (kind, value, event.implicit)
        known = tags.get(untagged)
        if known is not None:
            return known
        text = str(yaml.resolver.resolve(kind, value, event.implicit))
        tags[untagged] = _shared_tag(tags, text)
    return _shared_tag(tags, text)


def _shared_tag(tags: dict[object, Tag], text: str) -> Tag:
    tag = tags.get(text)
    if tag is None:
        tag = tags[text] = Tag(suffix=text)
    return tag


def _add(parent: MappingNode | SequenceNode, node: Node) -> None:
    if isinstance(parent, SequenceNode):
        parent.value.append(node)
    elif parent.value and parent.value[-1][1] is None:
        parent.value[-1] = (parent.value[-1][0], node)
    else:
        parent.value.append((node, None))


_DECIMAL = {
    "int": re.compile(r"-?[0-9]+"),
    "float": re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"),
}
_NOT_DECIMAL = {
    "int": "whole numbers are written in decimal digits only",
    "float": "numbers are written in decimal digits only",
}
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SHORT_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", "N": "\x85"}


class _Reader:
    """Turns composed nodes into plain data, collecting every problem instead of stopping at the first."""

    def __init__(self, text: str, where: LineIndex) -> None:
        self.text = text
        self.where = where
        self.positions: dict[Loc, Position] = {}
        self.problems: list[YamlProblem] = []

    def problem(self, message: str, item: Node) -> None:
        self.problems.append(YamlProblem(message, _at(self.where, item)))

    def plain(self, node: Node, loc: Loc) -> Any:
        expected_tag = _COLLECTION_TAGS.get(type(node))
        if expected_tag is not None and node.tag != expected_tag:
            self.problem(f"the tag '{node.tag}' is not allowed here", node)
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[(*loc, index)] = _at(self.where, item)
                items.append(self.plain(item, (*loc, index)))
            return items
        return self.scalar(node, loc)

    def mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            known = len(self.problems)
            key = self.scalar(key_node, None)
            if len(self.problems) > known:
                continue
            if not isinstance(key, str | int) or isinstance(key, bool):
                self.problem("keys must be plain text", key_node)
                continue
            key = str(key)
            if key in result:
                self.problem(f"duplicate key '{key}'", key_node)
                continue
            self.positions[(*loc, key)] = _at(self.where, key_node)
            result[key] = self.plain(value_node, (*loc, key))
        return result

    def scalar(self, node: Node, loc: Loc | None) -> Any:
        """A scalar's value; `loc` is None for a mapping key. Problems leave the value None."""
        if not isinstance(node, ScalarNode) or node.tag not in _SCALAR_TAGS:
            what = "a list or mapping" if not isinstance(node, ScalarNode) else f"the tag '{node.tag}'"
            self.problem(f"{what} is not allowed here", node)
            return None
        value: str = node.value
        label = _label(loc)
        if has_unsafe(value):
            for offset, reason in self.unsafe_in_source(node):
                self.problems.append(YamlProblem(f"{label} contains {reason}; remove it", self.where.at(offset)))
            return None
        kind = node.tag.rsplit(":", 1)[1]
        non_finite = value.lstrip("+-").lower() in (".inf", ".nan")
        if kind in _DECIMAL and not _DECIMAL[kind].fullmatch(value) and not non_finite:
            self.problem(f"{label}: {_NOT_DECIMAL[kind]} (got '{value}')", node)
            return None
        try:
            return _convert(kind, value)
        except ValueError:
            noun = {"timestamp": "a date (YYYY-MM-DD)", "float": "a finite number"}.get(kind, kind)
            self.problem(f"cannot read '{value}' as {noun}", node)
            return None

    def unsafe_in_source(self, node: ScalarNode) -> list[tuple[int, str]]:
        """Where each unsafe character of a scalar was written: the character itself or its escape."""
        start, end = node.start_mark.index, node.end_mark.index
        found = [(start + offset, reason) for offset, reason in unsafe_characters(self.text[start:end])]
        if node.style == '"':
            for escape in _ESCAPE.finditer(self.text, start, end):
                reason = unsafe_reason(_unescape(escape.group()))
                if reason:
                    found.append((escape.start(), reason))
        return sorted(found) or [(start, str(unsafe_reason(next(c for c in node.value if has_unsafe(c)))))]


def _label(loc: Loc | None) -> str:
    if loc is None:
        return "a key"
    name = next((part for part in reversed(loc) if isinstance(part, str)), None)
    return f"'{name}'" if name is not None else "a value"


def _unescape(escape: str) -> str:
    """The character a double-quoted escape such as `\\x1b` or `\\u202E` stands for."""
    letter = escape[1]
    if letter in "xuU":
        return chr(min(int(escape[2:], 16), 0x10FFFF))
    return _SHORT_ESCAPES.get(letter, letter)


def _convert(kind: str, value: str) -> Any:
    match kind:
        case "int":
            return int(value, 10)
        case "float":
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(value)
            return number
        case "bool":
            return value.lower() == "true"
        case "null":
            return None
        case "timestamp":
            return dt.date.fromisoformat(value)
    return value
