"""Read YAML safely and remember where every key and list item stands.

Only plain data is accepted: mappings, lists, strings, numbers, booleans, null and
dates. Custom tags, anchors and aliases are refused (an alias bomb of a few hundred
bytes can expand to gigabytes when walked), and so are duplicate keys.
"""

from __future__ import annotations

import datetime as dt
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
    """The YAML cannot be read as plain data."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def normalise_text(text: str) -> str:
    """Drop a byte-order mark and turn CRLF or CR line endings into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


MAX_DEPTH = 64
"""Content never nests this deep; a deeper file is a mistake or an attack on the parser."""


def read_yaml(text: str, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document of plain data; `line_offset` shifts reported lines."""
    text = normalise_text(text)
    yaml = YAML(typ="safe")
    where = LineIndex(text, line_offset)
    try:
        node = _compose(yaml, text, where)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "invalid YAML"
        raise YamlProblem(f"invalid YAML: {reason}", where.at(mark.index if mark else 0)) from None
    except ReaderError as error:
        reason = f"invalid YAML: character U+{error.character:04X} is not allowed"
        raise YamlProblem(reason, where.at(error.position)) from None
    positions: dict[Loc, Position] = {}
    if node is None:
        return YamlDocument({}, positions)
    positions[()] = _at(where, node)
    return YamlDocument(_to_plain(node, (), positions, where), positions)


def _at(where: LineIndex, item: Node | Event) -> Position:
    return where.at(item.start_mark.index)


def _compose(yaml: YAML, text: str, where: LineIndex) -> Node | None:
    """Build the document's nodes from one pass over the parser's events, refusing anchors,
    aliases and deep nesting before anything is built from them.

    The event parser is iterative; composing a tree is recursive (in C, with clib), and
    a few hundred kilobytes of brackets would overflow its stack, so the tree is built here.
    """
    root: Node | None = None
    open_nodes: list[MappingNode | SequenceNode] = []
    documents = 0
    tags: dict[str, Tag] = {}
    for event in yaml.parse(text):
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlProblem("invalid YAML: but found another document", _at(where, event))
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            message = "YAML anchors and aliases (&name, *name) are not allowed; write the value out"
            raise YamlProblem(message, _at(where, event))
        node: Node
        if isinstance(event, ScalarEvent):
            node = ScalarNode(_tag(yaml, tags, ScalarNode, event), event.value, event.start_mark, event.end_mark)
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
    return root


def _tag(yaml: YAML, tags: dict[str, Tag], kind: type[Node], event: ScalarEvent | CollectionStartEvent) -> Tag:
    """The event's tag, or the one YAML's rules give an untagged value (as composing would).

    Nodes share one Tag object per tag: reading a new Tag's text is slow, and there are few tags.
    """
    if event.tag is not None and event.tag != "!":
        text = str(event.tag)
    else:
        value = event.value if isinstance(event, ScalarEvent) else None
        text = str(yaml.resolver.resolve(kind, value, event.implicit))
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


def _to_plain(node: Node, loc: Loc, positions: dict[Loc, Position], where: LineIndex) -> Any:
    expected_tag = _COLLECTION_TAGS.get(type(node))
    if expected_tag is not None and node.tag != expected_tag:
        raise YamlProblem(f"the tag '{node.tag}' is not allowed here", _at(where, node))
    if isinstance(node, MappingNode):
        return _mapping(node, loc, positions, where)
    if isinstance(node, SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            positions[(*loc, index)] = _at(where, item)
            items.append(_to_plain(item, (*loc, index), positions, where))
        return items
    return _scalar(node, where)


def _mapping(node: MappingNode, loc: Loc, positions: dict[Loc, Position], where: LineIndex) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node, where)
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise YamlProblem("keys must be plain text", _at(where, key_node))
        key = str(key)
        if key in result:
            raise YamlProblem(f"duplicate key '{key}'", _at(where, key_node))
        positions[(*loc, key)] = _at(where, key_node)
        result[key] = _to_plain(value_node, (*loc, key), positions, where)
    return result


def _scalar(node: Node, where: LineIndex) -> Any:
    if not isinstance(node, ScalarNode) or node.tag not in _SCALAR_TAGS:
        what = "a list or mapping" if not isinstance(node, ScalarNode) else f"the tag '{node.tag}'"
        raise YamlProblem(f"{what} is not allowed here", _at(where, node))
    value: str = node.value
    kind = node.tag.rsplit(":", 1)[1]
    try:
        return _convert(kind, value)
    except ValueError:
        noun = {"timestamp": "a date (YYYY-MM-DD)", "float": "a finite number"}.get(kind, kind)
        raise YamlProblem(f"cannot read '{value}' as {noun}", _at(where, node)) from None


def _convert(kind: str, value: str) -> Any:
    match kind:
        case "int":
            digits = value.replace("_", "")
            # YAML 1.2 reads 017 as seventeen; only 0x and 0o prefixes change the base.
            return int(digits, 0) if digits.lstrip("+-")[:2].lower() in ("0x", "0o") else int(digits, 10)
        case "float":
            number = float(value.replace("_", ""))
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
