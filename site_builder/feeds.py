"""Files for machines: the Atom feed of the weekly posts, the sitemap and robots.txt.

Every date comes from the posts, never the clock, so a rebuild writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from site_builder.merge import SiteData, Week
from site_builder.urls import Urls

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

FEED_FILE = "feed.xml"
SITEMAP_FILE = "sitemap.xml"


def feed_url(data: SiteData, urls: Urls) -> str | None:
    """Where the feed is; None while no week is published (a feed needs a date to be `updated`)."""
    return urls.path(FEED_FILE) if data.weeks else None


def feed_files(data: SiteData, urls: Urls) -> dict[str, bytes]:
    """`feed.xml`: one Atom entry per week, newest first, with the post's full HTML."""
    if not data.weeks:
        return {}
    site = data.content.site
    feed = ET.Element("feed", {"xmlns": ATOM, XML_BASE: urls.base_url})
    _text(feed, "id", urls.base_url)
    _text(feed, "title", site.title)
    _text(feed, "subtitle", site.description)
    _text(feed, "updated", _timestamp(max(week.post.meta.date for week in data.weeks)))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=urls.base_url + FEED_FILE)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=urls.base_url)
    author = ET.SubElement(feed, "author")
    _text(author, "name", site.title)
    for week in reversed(data.weeks):
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


def sitemap_files(pages: Iterable[str], urls: Urls) -> dict[str, bytes]:
    """`sitemap.xml` listing `pages` (output paths of HTML pages), and `robots.txt` pointing to it."""
    root = ET.Element("urlset", xmlns=SITEMAP)
    for path in sorted(pages):
        entry = ET.SubElement(root, "url")
        _sub(entry, "loc", urls.base_url + path.removesuffix("index.html"))
    robots = f"User-agent: *\nAllow: /\nSitemap: {urls.base_url}{SITEMAP_FILE}\n"
    return {SITEMAP_FILE: _serialize(root), "robots.txt": robots.encode("utf-8")}


def sitemap_pages(files: Iterable[str]) -> list[str]:
    """The output paths a sitemap lists: every HTML page but the 404 page."""
    return [path for path in files if path.endswith(".html") and path != "404.html"]


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
