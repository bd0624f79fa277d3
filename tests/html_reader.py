"""A small HTML reader for tests: elements with their text, tables as rows of cell text, and URLs.

Pages are parsed with `html.parser`; tables are keyed by their <caption>.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "cite", "background"}


def squash(text: str) -> str:
    """Collapse runs of whitespace, as a reader sees the text."""
    return " ".join(text.split())


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    parts: list[str] = field(default_factory=list)


@dataclass
class Table:
    caption: str = ""
    head: list[list[str]] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    """Body rows, each a list of cell texts."""
    row_links: list[list[str]] = field(default_factory=list)
    """The hrefs found in each body row."""
    in_prose: bool = False
    """True for tables written in a post's Markdown body."""


@dataclass
class Page:
    elements: list[Element]
    """Every element, in document order, with its text (empty for void elements)."""
    tables: list[Table]
    text: str
    """All text outside <script>/<style>, whitespace collapsed."""

    def find(self, tag: str) -> list[Element]:
        return [element for element in self.elements if element.tag == tag]

    @property
    def tables_by_caption(self) -> dict[str, Table]:
        return {table.caption: table for table in self.tables}

    def table(self, caption: str) -> Table:
        found = self.tables_by_caption
        assert caption in found, f"no table captioned {caption!r}; captions: {list(found)}"
        return found[caption]

    @property
    def ids(self) -> list[str]:
        return [str(e.attrs["id"]) for e in self.elements if e.attrs.get("id") is not None]

    def urls(self) -> Iterator[tuple[Element, str, str]]:
        """(element, attribute, value) for every attribute that holds a URL."""
        for element in self.elements:
            for name, value in element.attrs.items():
                if name in _URL_ATTRIBUTES and value is not None:
                    yield element, name, value


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.tables: list[Table] = []
        self.table_stack: list[Table] = []
        self.div_prose: list[bool] = []
        self.row: list[str] | None = None
        self.links: list[str] = []
        self.in_head_rows = False
        self.skip = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "div":
            self.div_prose.append("prose" in str(element.attrs.get("class") or "").split())
        elif tag == "table":
            table = Table(in_prose=any(self.div_prose))
            self.tables.append(table)
            self.table_stack.append(table)
        elif tag == "thead":
            self.in_head_rows = True
        elif tag == "tr":
            self.row, self.links = [], []
        elif tag == "a" and self.row is not None:
            self.links.append(str(element.attrs.get("href")))
        if tag not in _VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        if tag == "div" and self.div_prose:
            self.div_prose.pop()
        matching = [i for i, element in enumerate(self.open) if element.tag == tag]
        if not matching:
            return
        element = self.open[matching[-1]]
        del self.open[matching[-1] :]
        element.text = squash("".join(element.parts))
        table = self.table_stack[-1] if self.table_stack else None
        if tag == "caption" and table is not None:
            table.caption = element.text
        elif tag in ("th", "td") and self.row is not None:
            self.row.append(element.text)
        elif tag == "tr" and table is not None and self.row is not None:
            if self.in_head_rows:
                table.head.append(self.row)
            else:
                table.rows.append(self.row)
                table.row_links.append(self.links)
            self.row = None
        elif tag == "thead":
            self.in_head_rows = False
        elif tag == "table" and self.table_stack:
            self.table_stack.pop()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.text.append(data)
        for element in self.open:
            element.parts.append(data)


def parse_html(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return Page(reader.elements, reader.tables, squash("".join(reader.text)))


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def is_off_site(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def target_file(out: Path, url: str, prefix: str) -> tuple[Path, str]:
    """The output file an internal URL path serves, and its #fragment."""
    parts = urlsplit(url)
    assert parts.path.startswith(prefix), f"{url!r} does not start with {prefix!r}"
    relative = parts.path.removeprefix(prefix)
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return out / relative, parts.fragment
