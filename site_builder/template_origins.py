"""Where a piece of a rendered page comes from in the templates: the file, line and column.

Used only when a page has a broken link, to report it where an editor can fix it. The page is
rendered again by an environment whose templates mark their output: each run of literal text
and each `{{ expression }}` is preceded by an invisible mark naming its template and line (a
macro's output names the macro's file). Reading the marked page, the start of any attribute
value is traced to the literal text or the expression that wrote it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import jinja2
import jinja2.ext
from jinja2.lexer import Token, TokenStream

# Private-use characters. Should a page hold them itself, it does not read back to what was
# published, and its links are not traced.
DATA_MARK, EXPRESSION_MARK, MARK_END, EXPRESSION_END = "\ue000", "\ue002", "\ue001", "\ue003"
MARK = re.compile(f"([{DATA_MARK}{EXPRESSION_MARK}])(\\d+){MARK_END}|{EXPRESSION_END}")


@dataclass(frozen=True)
class Origin:
    template: str
    """The template's name, e.g. `archive.html`."""
    line: int
    expression: bool
    """True when an `{{ expression }}` wrote the text; False for literal template text."""


class MarkOrigins(jinja2.ext.Extension):
    """Marks every run of literal text and every `{{ expression }}` with its template and line."""

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        self.origins: list[Origin] = []

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        name = stream.name or ""
        for token in stream:
            if token.type == "data":
                yield Token(token.lineno, "data", self._mark(DATA_MARK, name, token.lineno, False) + token.value)
            elif token.type == "variable_begin":
                yield Token(token.lineno, "data", self._mark(EXPRESSION_MARK, name, token.lineno, True))
                yield token
            elif token.type == "variable_end":
                yield token
                yield Token(token.lineno, "data", EXPRESSION_END)
            else:
                yield token

    def _mark(self, kind: str, template: str, line: int, expression: bool) -> str:
        self.origins.append(Origin(template, line, expression))
        return f"{kind}{len(self.origins) - 1}{MARK_END}"


@dataclass(frozen=True)
class TracedPage:
    """A page rendered with marks, read back: its text as published, and the origin of each part."""

    text: str
    """The page without its marks: the same text the build writes."""
    spans: list[tuple[int, Origin, int]]
    """(start offset in `text`, origin, offset where that origin's text starts), in order; each span
    runs to the next one."""

    @classmethod
    def read(cls, marked: str, origins: Sequence[Origin]) -> TracedPage:
        text: list[str] = []
        length = 0
        spans: list[tuple[int, Origin, int]] = []
        # Each level is an expression being written; literal text inside it (a macro's) is deeper.
        levels: list[tuple[Origin, int] | None] = [None]
        at = 0
        for match in MARK.finditer(marked):
            text.append(marked[at : match.start()])
            length += match.start() - at
            at = match.end()
            if match.group(0) == EXPRESSION_END:
                if len(levels) > 1:
                    levels.pop()
            else:
                origin = origins[int(match.group(2))]
                if match.group(1) == EXPRESSION_MARK:
                    levels.append((origin, length))
                else:
                    levels[-1] = (origin, length)
            current = levels[-1]
            if current is not None:
                spans.append((length, current[0], current[1]))
        text.append(marked[at:])
        return cls("".join(text), spans)

    def origin_at(self, offset: int) -> tuple[str, int, bool, int] | None:
        """The template and line that wrote the character at `offset`, whether an expression did, and
        where the text that origin writes from there on ends."""
        index = bisect.bisect_right(self.spans, offset, key=lambda span: span[0]) - 1
        if index < 0:
            return None
        _, origin, origin_start = self.spans[index]
        end = self.spans[index + 1][0] if index + 1 < len(self.spans) else len(self.text)
        if origin.expression:
            return origin.template, origin.line, True, end
        # Literal text keeps the template's line breaks: count them from where the text starts.
        return origin.template, origin.line + self.text.count("\n", origin_start, offset), False, end


LINKING_ATTRIBUTES = ("href", "src")
ATTRIBUTE = re.compile(r"""[\s/]*([^\s/>"'=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")


class _LinkPositions(HTMLParser):
    """The offset of every `href` and `src` value, in the order `links._Page` collects them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self.found: list[tuple[str, int]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        at = 1 + len(tag)
        while at < len(raw):
            match = ATTRIBUTE.match(raw, at)
            if match is None or match.end() == at:
                break
            at = match.end()
            name, value = match.group(1).lower(), match.group(2)
            if name in LINKING_ATTRIBUTES and value is not None:
                quoted = value[:1] in ("'", '"')
                self.found.append((name, start + match.start(2) + (1 if quoted else 0)))


Location = tuple[str, int, int]
"""A template's name, a line and a column (1-based)."""


def trace_links(env: jinja2.Environment, template: str, context: Mapping[str, Any], published: str) -> list[Location]:
    """Where each `href` and `src` value of a page comes from, in page order.

    `env` has the `MarkOrigins` extension; it renders `template` with `context` again. When the
    marked page does not read back to `published` (a filter cut a mark, say), nothing is traced: []."""
    marks = env.extensions.get(MarkOrigins.identifier)
    if not isinstance(marks, MarkOrigins) or env.loader is None:
        return []
    try:
        marked = env.get_template(template).render(context)
    except Exception:  # noqa: BLE001 - tracing is a best effort; the caller falls back to the page's template
        return []
    page = TracedPage.read(marked, marks.origins)
    if page.text != published:
        return []
    sources: dict[str, list[str]] = {}
    traced: list[Location] = []
    for attribute, offset in _LinkPositions(page.text).found:
        origin = page.origin_at(offset)
        if origin is None:
            return []
        name, line, expression, end = origin
        if name not in sources:
            sources[name] = env.loader.get_source(env, name)[0].split("\n")
        source_line = sources[name][line - 1] if 0 < line <= len(sources[name]) else ""
        # The value's literal start, as the template has it: up to its end or the next origin's text.
        literal = re.match(r"[^\"'\s>]*", page.text[offset:end])
        column = column_in_line(source_line, attribute, None if expression else literal.group(0) if literal else "")
        traced.append((name, line, column))
    return traced


def column_in_line(source_line: str, attribute: str, literal: str | None) -> int:
    """The 1-based column of the `attribute=` that wrote a value: for an expression (`literal` None),
    the one whose value starts with `{{`; for literal text, the one whose value starts with it. Else
    the only one on the line, else where the expression (or the line's text) starts."""
    candidates = list(re.finditer(rf"(?<![\w-]){attribute}\s*=\s*[\"']?", source_line, re.IGNORECASE))
    fitting = [
        match
        for match in candidates
        if (
            source_line.startswith("{{", match.end())
            if literal is None
            else source_line.startswith(literal, match.end())
        )
    ]
    if fitting or len(candidates) == 1:
        return (fitting or candidates)[0].start() + 1
    if literal is None and "{{" in source_line:
        return source_line.index("{{") + 1
    return len(source_line) - len(source_line.lstrip()) + 1
