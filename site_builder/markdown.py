"""Markdown for post bodies: CommonMark plus tables, with raw HTML off and only safe links.

Links may point at a model's page as `[GLM-5](model:glm-5)` and at a post as
`[last week](post:week-05)`; the ids are checked at validation and turned into
page URLs when rendering. Root-relative links (`/models/`) get the base URL's path.

Each body is parsed once: the same tokens are checked for links and rendered to HTML.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline, autolink, image
from markdown_it.rules_inline import link as link_rule
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape

from site_builder.problems import Position
from site_builder.urls import Urls

MODEL_SCHEME = "model:"
POST_SCHEME = "post:"
HEADING_ID_PREFIX = "post-"
_WEB_SCHEMES = ("http://", "https://", "mailto:")
_HEADING_ID_TAGS = ("h1", "h2", "h3", "h4")
_SPAN = "source_span"
"""Token meta key: where a link or image starts and ends in its inline token's content."""


@dataclass(frozen=True)
class LinkProblem:
    position: Position
    """Line and column within the body (1-based)."""
    message: str


@dataclass(frozen=True)
class CheckedBody:
    """A post body checked and rendered from one parse."""

    html: str
    problems: list[LinkProblem]
    post_links: list[PostLink]
    """Every `post:` link, so a build that leaves a post out can refuse links to it."""
    site_links: list[SiteLink] = field(default_factory=list)
    """Every relative or site-root link and image, checked against the site's files once they are planned."""
    names: dict[str, bool] = field(default_factory=dict)
    """Every `model:` and `post:` target, and whether it named a known model or post: the check
    holds for another site exactly when each answer is the same there."""


@dataclass(frozen=True)
class SiteLink:
    target: str
    """As written, e.g. `/models/`, `../week-05/` or `chart.png`."""
    position: Position
    """Line and column within the body (1-based)."""


@dataclass(frozen=True)
class PostLink:
    post_id: str
    position: Position
    """Line and column within the body (1-based)."""


def is_safe_target(url: str, *, image: bool = False) -> bool:
    """Relative links, #anchors, model: and post: links and web links; images only from this site."""
    if url.startswith((MODEL_SCHEME, POST_SCHEME)):
        return not image
    lowered = url.strip().lower()
    if lowered.startswith(_WEB_SCHEMES):
        return not image
    # `//host/...` leaves the site though it reads like a site-root link; `\\` is the same to browsers.
    if lowered.startswith(("//", "/\\", "\\")):
        return False
    return ":" not in lowered.split("/", 1)[0]


def is_site_target(url: str) -> bool:
    """A relative or site-root link to a file of this site (not a bare `#fragment`, not another scheme)."""
    return bool(url) and not url.startswith("#") and ":" not in url.split("/", 1)[0] and not url.startswith("//")


@functools.cache
def markdown_parser() -> MarkdownIt:
    """The parser, made once per process. Every link becomes a token so that validation can
    report the unsafe ones; a body with such a link never reaches a page."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    for name, rule, opening in (("link", link_rule, "["), ("image", image, "!"), ("autolink", autolink, "<")):
        md.inline.ruler.at(name, _recording_span(rule, opening))
    md.core.ruler.push("demote_h1", _demote_h1)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", lambda *args: "</table>\n</div>\n")
    return md


def heading_slug(title: str) -> str:
    """A heading's id as GitHub makes it: lower case, spaces become hyphens, punctuation is dropped."""
    return re.sub(r"[^\w-]", "", title.lower().replace(" ", "-"))


def check_body(body: str, title: str, urls: Urls | None, model_ids: set[str], post_ids: set[str]) -> CheckedBody:
    """Parse a body once: its link problems, and its HTML (`urls` None: site links are left as written)."""
    tokens = markdown_parser().parse(body)
    found = _found_links(tokens)
    # Each list locates its links in order, with a locator of its own (it follows table cells along a line).
    problems = link_problems(found, body, model_ids, post_ids) + heading_link_problems(tokens, found, body)
    links = post_links(found, body)  # before rendering turns `post:` into page URLs
    targets = site_links(found, body)
    names = named_targets(found, model_ids, post_ids)
    return CheckedBody(_render(tokens, found, title, urls), problems, links, targets, names)


@dataclass(frozen=True)
class _FoundLink:
    url: str
    """The `href` of a link, the `src` of an image, as written."""
    token: Token
    block: Token
    """The inline token the link stands in."""
    enclosing: Token | None
    """The outermost image the link is inside, if any."""

    @property
    def written_as(self) -> Token:
        """The token whose place in the source is the link's: the image around it, if any."""
        return self.enclosing or self.token


def _found_links(tokens: list[Token]) -> list[_FoundLink]:
    """Every link and image of the body, found in one walk."""
    return [
        _FoundLink(str(token.attrGet("href") or token.attrGet("src") or ""), token, block, enclosing)
        for block in tokens
        if block.children
        for token, enclosing in _links(block.children, None)
    ]


def named_targets(found: list[_FoundLink], model_ids: set[str], post_ids: set[str]) -> dict[str, bool]:
    """Each `model:`/`post:` target of the body, and whether it names a known model or post."""
    return {
        link.url: knows_name(link.url, model_ids, post_ids)
        for link in found
        if link.url.startswith((MODEL_SCHEME, POST_SCHEME))
    }


def knows_name(url: str, model_ids: set[str], post_ids: set[str]) -> bool:
    known = model_ids if url.startswith(MODEL_SCHEME) else post_ids
    return url.split(":", 1)[1] in known


def _render(tokens: list[Token], found: list[_FoundLink], title: str, urls: Urls | None) -> str:
    """HTML of checked tokens; `title` captions tables that stand under no heading."""
    _caption_tables(tokens, title)
    if urls is not None:
        _resolve_site_links(found, urls)
    md = markdown_parser()
    html: str = md.renderer.render(tokens, md.options, {})
    return html


def _demote_h1(state: StateCore) -> None:
    """The page title is the only <h1>, so a body's `# Heading` becomes <h2>."""
    for token in state.tokens:
        if token.tag == "h1":
            token.tag = "h2"


def _heading_ids(state: StateCore) -> None:
    """Ids for headings, prefixed so they never collide with the page's own (#wait-list...).

    A repeated slug gets `-1`, `-2`...; counting per slug keeps thousands of equal headings linear.
    """
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.tag not in _HEADING_ID_TAGS:
            continue
        slug = f"{HEADING_ID_PREFIX}{heading_slug(_plain_text(state.tokens[index + 1]))}"
        unique = slug
        if unique in used:
            suffix = next_suffix.get(slug, 1)
            while f"{slug}-{suffix}" in used:
                suffix += 1
            next_suffix[slug] = suffix + 1
            unique = f"{slug}-{suffix}"
        used.add(unique)
        token.attrSet("id", unique)


def _caption_tables(tokens: list[Token], title: str) -> None:
    """Every table gets a caption: the heading it stands under, else the post's title."""
    heading = title
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = _plain_text(tokens[index + 1]) or title
        elif token.type == "table_open":
            token.meta["caption"] = heading


def _plain_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))


def _render_table_open(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """Tables scroll inside their own box on narrow screens, like the site's other tables."""
    caption = escape(tokens[idx].meta.get("caption", ""))
    scroll_box = f'<div class="table-scroll" role="region" aria-label="{caption}" tabindex="0">\n<table>\n'
    return f"{scroll_box}<caption><span>{caption}</span></caption>\n" if caption else scroll_box


def _resolve_site_links(found: list[_FoundLink], urls: Urls) -> None:
    for link in found:
        attribute = "src" if link.token.type == "image" else "href"
        for prefix, page_url in ((MODEL_SCHEME, urls.model), (POST_SCHEME, urls.post), ("/", urls.path)):
            if link.url.startswith(prefix) and not link.url.startswith("//"):
                link.token.attrSet(attribute, page_url(link.url.removeprefix(prefix)))
                break


def _recording_span(rule: Callable[[StateInline, bool], bool], opening: str) -> Callable[[StateInline, bool], bool]:
    """Wrap an inline rule so that the link or image it makes remembers where it stands in the source.
    The rule is tried at every mark of punctuation: those that cannot open its kind are passed over first."""

    def recorded(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] != opening:
            return False
        start, count = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            # Pending text may be flushed first; the link or image is the first token of its kind.
            made = next((token for token in state.tokens[count:] if token.type in ("link_open", "image")), None)
            if made is not None:
                made.meta[_SPAN] = (start, state.pos)
        return matched

    return recorded


def _links(children: list[Token], enclosing: Token | None) -> Iterator[tuple[Token, Token | None]]:
    """Links and images in order, each with the outermost image it is inside (an image's alt text is
    parsed on its own, so offsets inside it are not offsets in the block)."""
    for token in children:
        if token.type in ("link_open", "image"):
            yield token, enclosing
        if token.children:
            yield from _links(token.children, enclosing or token)


def link_problems(found: list[_FoundLink], body: str, model_ids: set[str], post_ids: set[str]) -> list[LinkProblem]:
    """Links that would break or be dropped: unknown models or posts, unsafe schemes, remote images."""
    locate = _Locator(body)
    problems = []
    for link in found:
        message = _link_message(link.url, link.token.type == "image", model_ids, post_ids)
        if message:
            problems.append(LinkProblem(locate(link.block, link.written_as), message))
    return problems


def _link_message(url: str, image: bool, model_ids: set[str], post_ids: set[str]) -> str | None:
    if not is_safe_target(url, image=image):
        if url.strip().startswith(("//", "/\\", "\\")):
            return (
                f"link '{url}' leads to another server; write https:// before a host, or one / for a page of this site"
            )
        if image:
            return f"image '{url}' must be a file on this site (no other servers, no data: URLs)"
        return f"link '{url}' is not allowed; use http(s)://, mailto:, model:<id> or a relative link"
    for scheme, known, missing in ((MODEL_SCHEME, model_ids, "model"), (POST_SCHEME, post_ids, "post")):
        if url.startswith(scheme) and url.removeprefix(scheme) not in known:
            return f"link '{url}' names no {missing} in content/{missing}s/"
    return None


def post_links(found: list[_FoundLink], body: str) -> list[PostLink]:
    locate = _Locator(body)
    return [
        PostLink(link.url.removeprefix(POST_SCHEME), locate(link.block, link.written_as))
        for link in found
        if link.url.startswith(POST_SCHEME) and link.token.type == "link_open"
    ]


def heading_link_problems(tokens: list[Token], found: list[_FoundLink], body: str) -> list[LinkProblem]:
    """`#story` where the heading's id is `post-story`: the slug as other sites make it, without our prefix.
    Other fragments may name ids of the page around the body; the rendered page is checked for those."""
    ids = {str(token.attrGet("id")) for token in tokens if token.type == "heading_open" and token.attrGet("id")}
    locate = _Locator(body)
    problems = []
    for link in found:
        fragment = link.url.removeprefix("#")
        if (
            link.token.type == "link_open"
            and link.url.startswith("#")
            and fragment not in ids
            and HEADING_ID_PREFIX + fragment in ids
        ):
            suggestion = f"#{HEADING_ID_PREFIX}{fragment}"
            message = f"link '{link.url}' names no heading; heading ids start with '{HEADING_ID_PREFIX}': "
            message += f"write '{suggestion}'"
            problems.append(LinkProblem(locate(link.block, link.written_as), message))
    return problems


def site_links(found: list[_FoundLink], body: str) -> list[SiteLink]:
    locate = _Locator(body)
    return [
        SiteLink(link.url, locate(link.block, link.written_as))
        for link in found
        if is_site_target(link.url) and is_safe_target(link.url, image=link.token.type == "image")
    ]


class _Locator:
    """Line and column of a link's destination, from its inline token's `map` and the link's offsets
    in that token's content. Only links with a problem are located, and each line of an inline
    token is measured once, so a body with thousands of bad links is still checked in linear time."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.content_line_starts: dict[int, list[int]] = {}
        """For each inline token (by id), where each line of its content starts."""
        self.indents: dict[tuple[int, int], int] = {}
        """For each inline token (by id) and line of its content, the column it starts at in the source."""
        self.next_column: dict[int, int] = {}
        """For each source line, where the next cell of a table row may start."""

    def __call__(self, inline: Token, link: Token) -> Position:
        first_line = inline.map[0] if inline.map else 0
        span = link.meta.get(_SPAN)
        if span is None:
            return Position(first_line + 1, 1)
        content = inline.content
        offset = _destination(content, *span)
        starts = self.content_line_starts.get(id(inline))
        if starts is None:
            starts = [0, *(match.end() for match in re.finditer("\n", content))]
            self.content_line_starts[id(inline)] = starts
        row = bisect.bisect_right(starts, offset) - 1
        indent = self.indents.get((id(inline), row))
        if indent is None:
            line_end = starts[row + 1] - 1 if row + 1 < len(starts) else len(content)
            indent = self._indent(first_line + row, content[starts[row] : line_end])
            self.indents[(id(inline), row)] = indent
        return Position(first_line + row + 1, indent + offset - starts[row] + 1)

    @functools.cached_property
    def lines(self) -> list[str]:
        """The body's lines, split only when a link is located (most bodies have none to locate)."""
        return self.body.split("\n")

    def _indent(self, line: int, content_line: str) -> int:
        """How far into its source line a line of inline content starts (after list markers, `>`, `|`...)."""
        source_line = self.lines[line] if line < len(self.lines) else ""
        kept = content_line.strip()
        if not kept:
            return 0
        # Markers before the content never contain a link's brackets; cells of a table row come in order.
        found = source_line.find(kept, self.next_column.get(line, 0))
        if found < 0:
            return 0
        self.next_column[line] = found + len(kept)
        return found - (len(content_line) - len(content_line.lstrip()))


def _destination(content: str, start: int, end: int) -> int:
    """Where the target of the link written at content[start:end] begins: after `](` (and any `<`
    or spaces), else the link itself (reference links, autolinks)."""
    opening = content.rfind("](", start, end)
    if opening < 0:
        return start + 1 if content.startswith("<", start) else start
    offset = opening + 2
    while offset < end and content[offset] in " \t\n<":
        offset += 1
    return offset
