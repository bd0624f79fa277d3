"""Markdown for post bodies: CommonMark plus tables, with raw HTML off and only safe links.

Links may point at a model's page as `[GLM-5](model:glm-5)` and at a post as
`[last week](post:week-05)`; the ids are checked at validation and turned into
page URLs when rendering. Root-relative links (`/models/`) get the base URL's path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape
from mdit_py_plugins.anchors import anchors_plugin

from site_builder.problems import LineIndex, Position
from site_builder.urls import Urls

MODEL_SCHEME = "model:"
POST_SCHEME = "post:"
HEADING_ID_PREFIX = "post-"
_WEB_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class LinkProblem:
    position: Position
    """Line and column within the body (1-based)."""
    message: str


def is_safe_target(url: str, *, image: bool = False) -> bool:
    """Relative links, #anchors, model: and post: links and web links; images only from this site."""
    if url.startswith((MODEL_SCHEME, POST_SCHEME)):
        return not image
    lowered = url.strip().lower()
    if lowered.startswith(_WEB_SCHEMES) or lowered.startswith("//"):
        return not image
    return ":" not in lowered.split("/", 1)[0]


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: is_safe_target(url)  # type: ignore[method-assign]
    md.core.ruler.push("demote_h1", _demote_h1)
    # Prefixed ids never collide with the page's own ids (#wait-list, #benchmarks...).
    md.use(
        anchors_plugin, min_level=1, max_level=4, slug_func=lambda title: f"{HEADING_ID_PREFIX}{heading_slug(title)}"
    )
    md.core.ruler.push("site_links", _resolve_site_links)
    md.core.ruler.push("table_captions", _caption_tables)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", lambda *args: "</table>\n</div>\n")
    return md


def heading_slug(title: str) -> str:
    """A heading's id as GitHub makes it: lower case, spaces become hyphens, punctuation is dropped."""
    return re.sub(r"[^\w-]", "", title.lower().replace(" ", "-"))


def render_markdown(md: MarkdownIt, body: str, title: str, urls: Urls) -> str:
    """HTML for a post body; `title` captions tables that stand under no heading."""
    html: str = md.render(body, {"urls": urls, "title": title})
    return html


def _demote_h1(state: StateCore) -> None:
    """The page title is the only <h1>, so a body's `# Heading` becomes <h2>."""
    for token in state.tokens:
        if token.tag == "h1":
            token.tag = "h2"


def _caption_tables(state: StateCore) -> None:
    """Every table gets a caption: the heading it stands under, else the post's title."""
    heading = state.env.get("title", "")
    for index, token in enumerate(state.tokens):
        if token.type == "heading_open":
            heading = _plain_text(state.tokens[index + 1]) or state.env.get("title", "")
        elif token.type == "table_open":
            token.meta["caption"] = heading


def _plain_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))


def _render_table_open(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """Tables scroll inside their own box on narrow screens, like the site's other tables."""
    caption = escape(tokens[idx].meta.get("caption", ""))
    scroll_box = f'<div class="table-scroll" role="region" aria-label="{caption}" tabindex="0">\n<table>\n'
    return f"{scroll_box}<caption><span>{caption}</span></caption>\n" if caption else scroll_box


def _resolve_site_links(state: StateCore) -> None:
    urls: Urls | None = state.env.get("urls")
    if urls is None:
        return
    for link in _links(state.tokens):
        attribute = "src" if link.type == "image" else "href"
        target = str(link.attrGet(attribute) or "")
        for prefix, page_url in ((MODEL_SCHEME, urls.model), (POST_SCHEME, urls.post), ("/", urls.path)):
            if target.startswith(prefix) and not target.startswith("//"):
                link.attrSet(attribute, page_url(target.removeprefix(prefix)))
                break


def _links(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.type in ("link_open", "image"):
            yield token
        if token.children:
            yield from _links(token.children)


def link_problems(body: str, model_ids: set[str], post_ids: set[str]) -> list[LinkProblem]:
    """Links that would break or be dropped: unknown models or posts, unsafe schemes, remote images."""
    md = make_markdown()
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    lines = body.split("\n")
    problems = []
    for block in md.parse(body):
        cursor = _Cursor(lines, *(block.map or (0, len(lines))))
        for token in _links(block.children or []):
            url = str(token.attrGet("href") or token.attrGet("src") or "")
            position = cursor.find(url)
            message = _link_message(url, token.type == "image", model_ids, post_ids)
            if message:
                problems.append(LinkProblem(position, message))
    return problems


def _link_message(url: str, image: bool, model_ids: set[str], post_ids: set[str]) -> str | None:
    if not is_safe_target(url, image=image):
        if image:
            return f"image '{url}' must be a file on this site (no other servers, no data: URLs)"
        return f"link '{url}' is not allowed; use http(s)://, mailto:, model:<id> or a relative link"
    for scheme, known, missing in ((MODEL_SCHEME, model_ids, "model"), (POST_SCHEME, post_ids, "post")):
        if url.startswith(scheme) and url.removeprefix(scheme) not in known:
            return f"link '{url}' names no {missing} in content/{missing}s/"
    return None


class _Cursor:
    """Finds link targets in a block's source, in order, so repeated targets get their own place."""

    def __init__(self, lines: list[str], start: int, end: int) -> None:
        self.text = "\n".join(lines[start:end])
        self.lines = LineIndex(self.text, line_offset=start)
        self.first_line = start
        self.offset = 0

    def find(self, url: str) -> Position:
        for needle, skip in ((f"]({url}", 2), (f"]: {url}", 3), (url, 0)):
            found = self.text.find(needle, self.offset)
            if found >= 0:
                self.offset = found + skip + len(url)
                return self.lines.at(found + skip)
        return Position(self.first_line + 1, 1)
