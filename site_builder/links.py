"""Nothing broken ships: every link inside the site must lead to a file the build writes.

Two checks. Before rendering, the relative and site-root links and images of each post body
are resolved against the planned files and reported at their `path:line:col` (this runs in
`check` too). After rendering, every `href` and `src` of every page that points inside the
site, with its `#fragment`, is checked against the rendered files and their ids: a safety net
for templates, reported at the template line that wrote the link (a page linking like others
from the same line is named once, with how many more do).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import unquote, urlsplit

from site_builder.cache import Cache, digest, memo_of
from site_builder.content import Post
from site_builder.memo import keyed
from site_builder.parallel import cached_map
from site_builder.problems import Problem
from site_builder.urls import Urls

UNCHECKED_FOLDERS = ("pagefind/",)
"""Written after rendering (the search index); pages load them by script, never by link."""


def served_file(path: str, files: Iterable[str] | set[str]) -> str | None:
    """The file a site-relative path is served from, as GitHub Pages does: `x/` and `x` serve `x/index.html`."""
    known = files if isinstance(files, set) else set(files)
    candidates = [path + "index.html"] if path == "" or path.endswith("/") else [path, path + "/index.html"]
    return next((candidate for candidate in candidates if candidate in known), None)


def resolve(target: str, page_path: str) -> str | None:
    """The site-relative path a link on the page at `page_path` (e.g. `posts/week-01/`) leads to;
    None when it climbs above the site's root."""
    path = unquote(urlsplit(target).path)
    if path == "":
        return page_path
    joined = path[1:] if path.startswith("/") else page_path + path
    segments: list[str] = []
    for segment in joined.split("/")[:-1]:
        if segment == "..":
            if not segments:
                return None
            segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    last = joined.split("/")[-1]
    if last == "..":
        if not segments:
            return None
        segments.pop()
    # A final `.` or `..` names a folder, like a final `/`.
    folder = "".join(segment + "/" for segment in segments)
    return folder if last in ("", ".", "..") else folder + last


def body_link_problems(posts: Iterable[Post], files: set[str], urls: Urls) -> list[Problem]:
    """Relative and site-root links and images in post bodies that lead to no file of the site."""
    problems = []
    for post in posts:
        page_path = urls.post(post.id).removeprefix(urls.prefix)
        for link in post.site_links:
            resolved = resolve(link.target, page_path)
            if resolved is not None and served_file(resolved, files) is not None:
                continue
            line = post.body_first_line + link.position.line - 1
            where = "above the site's root" if resolved is None else f"to /{resolved}, which the site does not have"
            problems.append(Problem(post.file.path, line, link.position.column, f"link '{link.target}' leads {where}"))
    return problems


class _Page(HTMLParser):
    """Collects a page's ids and its `href`/`src` values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            elif name in ("href", "src"):
                self.targets.append(value)


@dataclass(frozen=True)
class Anchors:
    """What the link check needs of a page: the ids it holds and the links it makes."""

    ids: frozenset[str]
    targets: tuple[str, ...]
    ids_key: str
    """A digest of the ids: a later build knows by it, without comparing them, that they are the same."""

    @classmethod
    def of(cls, ids: frozenset[str], targets: tuple[str, ...]) -> Anchors:
        return cls(ids, targets, digest(*sorted(ids)))


_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)>")
_ATTRIBUTE = re.compile(r'\s(href|src|id|name)="([^"]*)"')
_UNUSUAL = re.compile(
    r"""\s(?:href|src|id|name)\s*=\s*[^"\s]"""  # unquoted or single-quoted
    r"|\s(?:href|src|id|name)\s+="  # a space before `=`
    r"|<!--"  # a comment, whose text the parser skips
    r"|<script(?![^>]*\ssrc=)[^>]*>\s*[^\s{]"  # an inline script that is not JSON
)
"""Anything the quick reading below could misread."""


def page_anchors(_: None, body: bytes) -> Anchors:
    return anchors_of(body.decode("utf-8"))


def anchors_of(text: str) -> Anchors:
    """A page's ids and links. The pages come from our templates and Markdown, which quote every
    attribute and escape `<`, `>` and `"` in values and text, so a regular expression reads them
    (ten times faster than an HTML parser); any other page goes through the parser."""
    if _UNUSUAL.search(text):
        parser = _Page()
        parser.feed(text)
        parser.close()
        return Anchors.of(frozenset(parser.ids), tuple(parser.targets))
    ids, targets = set(), []
    for tag in _TAG.finditer(text):
        for name, value in _ATTRIBUTE.findall(tag.group(2)):
            value = html.unescape(value) if "&" in value else value
            if name in ("href", "src"):
                targets.append(value)
            elif name == "id" or tag.group(1).lower() == "a":
                ids.add(value)
    return Anchors.of(frozenset(ids), tuple(targets))


class LinkTracer(Protocol):
    def __call__(self, page: str, html: str) -> Sequence[tuple[str, int, int]]:
        """(file, line, column) in the templates of each `href` and `src` on the page at output path
        `page` with text `html`, in page order; empty when they cannot be traced."""
        ...


def page_link_problems(
    files: Mapping[str, bytes],
    urls: Urls,
    templates: Mapping[str, str],
    extra_files: Iterable[str] = (),
    trace: LinkTracer | None = None,
    jobs: int = 1,
    cache: Cache | None = None,
    digests: Mapping[str, str] | None = None,
    read: Mapping[str, Anchors] | None = None,
) -> list[Problem]:
    """Links on rendered pages that lead to no file, or to no id on their page. Each is reported where
    `trace` finds it in the templates, else at the page's template (`templates` names it).
    Linear in the size of the site: each page is parsed once (where it was rendered, for the pages
    `read` holds; the others in `jobs` processes, not at all when `cache` has seen their bytes,
    known by `digests`), each distinct link checked once."""
    known = set(files) | set(extra_files)
    read = read or {}
    paths = [path for path in files if path.endswith(".html") and path not in read]
    keys = [(digests or {}).get(path, "") for path in paths]
    parsed, _ = cached_map(cache, "anchors", page_anchors, None, [files[path] for path in paths], keys, jobs)
    found_here = dict(zip(paths, parsed, strict=True))
    pages = {path: read.get(path) or found_here[path] for path in files if path.endswith(".html")}
    # Where a link leads depends on the site's address and files alone: `serve` keeps the answers
    # while they stay. A page's broken links depend on its bytes besides: with a cache, they are the
    # last build's for a page whose bytes are, while the site's address, files and ids are too.
    files_key = digest(*sorted(known))
    checked: dict[tuple[str, str], _Resolved] = keyed(memo_of(cache), ("links", urls.base_url, files_key), dict)
    ids_key = digest(*(f"{path} {pages[path].ids_key}" for path in sorted(pages)))
    site_key = digest(urls.base_url, files_key, ids_key)
    earlier: dict[str, tuple[str, list[tuple[int, str]]]] = (cache.get("links", site_key) if cache else None) or {}
    now = {}
    found: dict[tuple[str, int, int, str], list[str]] = defaultdict(list)
    for path, page in pages.items():
        page_digest = (digests or {}).get(path, "")
        kept = earlier.get(path)
        if kept is None or not page_digest or kept[0] != page_digest:
            kept = (page_digest, _broken_links(path, page, pages, urls, known, checked))
        now[path] = kept
        if not kept[1]:
            continue
        traced = trace(path, files[path].decode("utf-8")) if trace else []
        fallback = (f"templates/{templates.get(path, 'base.html')}", 1, 1)
        for index, message in kept[1]:
            at = traced[index] if len(traced) == len(page.targets) else fallback
            found[(*at, message)].append(path)
    if cache is not None and now != earlier:
        cache.put("links", site_key, now)
    return [
        Problem(file, line, column, f"page /{paths[0]}{_more(len(paths) - 1)} {message}")
        for (file, line, column, message), paths in found.items()
    ]


def _broken_links(
    path: str,
    page: Anchors,
    pages: Mapping[str, Anchors],
    urls: Urls,
    known: set[str],
    checked: dict[tuple[str, str], _Resolved],
) -> list[tuple[int, str]]:
    page_path = path.removesuffix("index.html") if path.endswith("index.html") else posixpath.dirname(path) + "/"
    if page_path == "/":
        page_path = ""
    broken = []
    for index, target in enumerate(page.targets):
        # A site-root link means the same on every page, a relative one on every page of its folder;
        # one with no path (`#id`, `?q`) is about its own page.
        where = path if not target or target[0] in "#?" else ("" if target.startswith("/") else page_path)
        resolved = checked.get((target, where))
        if resolved is None:
            resolved = checked[target, where] = _resolve(target, page_path, path, urls, known)
        if message := resolved.problem or _missing_id(target, resolved, pages):
            broken.append((index, message))
    return broken


def _more(count: int) -> str:
    return f" (and {count} more)" if count else ""


@dataclass(frozen=True)
class _Resolved:
    problem: str | None
    """Why the link leads nowhere, if it does not."""
    served: str | None = None
    """The file it leads to, when it is on the site and checked."""
    fragment: str = ""


def _resolve(target: str, page_path: str, page_file: str, urls: Urls, known: set[str]) -> _Resolved:
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return _Resolved(None)
    if parts.path.startswith("/"):
        if not parts.path.startswith(urls.prefix):
            return _Resolved(f"links to {target}, outside the site's base path {urls.prefix}")
        resolved = resolve("/" + parts.path.removeprefix(urls.prefix), "")
    else:
        resolved = resolve(parts.path, page_path) if parts.path else None
    if parts.path == "":
        served: str | None = page_file
    elif resolved is None:
        return _Resolved(f"links to {target}, above the site's root")
    elif resolved.startswith(UNCHECKED_FOLDERS):
        return _Resolved(None)
    else:
        served = served_file(resolved, known)
    if served is None:
        return _Resolved(f"links to {target}, which the site does not have")
    return _Resolved(None, served, unquote(parts.fragment))


def _missing_id(target: str, resolved: _Resolved, pages: Mapping[str, Anchors]) -> str | None:
    fragment, served = resolved.fragment, resolved.served
    if fragment and served is not None and served in pages and fragment not in pages[served].ids:
        return f"links to {target}, but that page has no element with id '{fragment}'"
    return None
