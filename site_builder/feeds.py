"""Files for machines: the Atom feed of the weekly posts, the sitemap and robots.txt.

Every date comes from the posts, never the clock, so a rebuild writes the same bytes. Only
published weeks count: a preview (`--drafts`) shows drafts and scheduled posts as pages, but
never announces them as published.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from site_builder.content import Post
from site_builder.merge import SiteData, Week
from site_builder.urls import Urls, output_file

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

FEED_FILE = "feed.xml"
SITEMAP_FILE = "sitemap.xml"


def feed_url(data: SiteData, urls: Urls) -> str | None:
    """Where the feed is; None while no week is published (a feed needs a date to be `updated`)."""
    return urls.path(FEED_FILE) if data.published_weeks else None


def feed_files(data: SiteData, urls: Urls) -> dict[str, bytes]:
    """`feed.xml`: one Atom entry per published week (the latest `feed_entries`), newest first, with the
    post's full HTML."""
    weeks = data.published_weeks
    if not weeks:
        return {}
    site = data.content.site
    feed = ET.Element("feed", {"xmlns": ATOM, XML_BASE: urls.base_url})
    _text(feed, "id", urls.base_url)
    _text(feed, "title", site.title)
    _text(feed, "subtitle", site.description)
    _text(feed, "updated", _timestamp(max(week.post.meta.date for week in weeks)))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=urls.base_url + FEED_FILE)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=urls.base_url)
    author = ET.SubElement(feed, "author")
    _text(author, "name", site.title)
    for week in reversed(weeks[-site.feed_entries :]):
        _entry(feed, week, urls)
    return {FEED_FILE: _serialize(feed)}


def _entry(feed: ET.Element, week: Week, urls: Urls) -> None:
    post = week.post
    address = urls.canonical(urls.post(post.id))
    entry = ET.SubElement(feed, "entry")
    # The post's address is its id: posts never move, and ids stay the same across rebuilds.
    _text(entry, "id", address)
    _text(entry, "title", post.meta.title)
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=address)
    _text(entry, "published", _timestamp(post.meta.date))
    _text(entry, "updated", _timestamp(post.meta.date))
    _text(entry, "summary", post.meta.summary)
    for tag in post.meta.tags:
        ET.SubElement(entry, "category", term=tag)
    # Links in the body are site-root paths; xml:base lets readers resolve them.
    content = _text(entry, "content", post.html)
    content.set("type", "html")
    content.set(XML_BASE, address)


@dataclass(frozen=True)
class SitemapEntry:
    path: str
    """Output path of an HTML page, e.g. `posts/week-01/index.html`."""
    lastmod: dt.date | None
    """When its content last changed, as far as the content says; None when no week is published."""


class PlannedPage(Protocol):
    """What the sitemap needs of a planned page (`render.Page`)."""

    @property
    def kind(self) -> str: ...

    @property
    def url(self) -> str: ...

    @property
    def context(self) -> Mapping[str, Any]: ...


def sitemap_entries(pages: Iterable[PlannedPage], data: SiteData, urls: Urls) -> list[SitemapEntry]:
    """The pages a sitemap lists, each with its date: every page but the 404 page and unpublished posts.

    A post changes on its date; a model page with the latest published week that picked the model;
    every other page (the leaderboards, the indexes) with the latest published week."""
    latest = _latest_date(data.published_weeks)
    entries = []
    for page in pages:
        path = output_file(page.url, urls.prefix)
        if page.kind == "404 page":
            continue
        post = page.context.get("post") if page.kind == "post" else None
        if isinstance(post, Post):
            if post.status == "published":
                entries.append(SitemapEntry(path, post.meta.date))
            continue
        appearances = page.context.get("appearances") if page.kind == "model page" else None
        picked = [item.post.meta.date for item in appearances or [] if item.post.status == "published"]
        entries.append(SitemapEntry(path, max(picked) if picked else latest))
    return entries


def sitemap_files(entries: Iterable[SitemapEntry], urls: Urls) -> dict[str, bytes]:
    """`sitemap.xml` listing `entries`, and `robots.txt` pointing to it."""
    root = ET.Element("urlset", xmlns=SITEMAP)
    for entry in sorted(entries, key=lambda entry: entry.path):
        element = ET.SubElement(root, "url")
        _sub(element, "loc", urls.base_url + entry.path.removesuffix("index.html"))
        if entry.lastmod is not None:
            # W3C Datetime, to the day: the content has no finer time.
            _sub(element, "lastmod", entry.lastmod.isoformat())
    robots = f"User-agent: *\nAllow: /\nSitemap: {urls.base_url}{SITEMAP_FILE}\n"
    return {SITEMAP_FILE: _serialize(root), "robots.txt": robots.encode("utf-8")}


def _latest_date(weeks: list[Week]) -> dt.date | None:
    return max((week.post.meta.date for week in weeks), default=None)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    return _sub(parent, tag, text)


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    # Names stay unqualified: the root's `xmlns` puts them all in its namespace.
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"
