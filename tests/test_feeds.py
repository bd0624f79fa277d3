"""The Atom feed, the sitemap and robots.txt: what feed readers and crawlers read."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
from conftest import SITE_YAML, MakeSite

SECOND_POST = """\
    ---
    title: Week 2 & more
    week: 2
    date: 2026-01-12
    summary: Second <week>.
    tags: [moe]
    ---

    Back to [week 1](post:week-01) with **bold** & <tricky> text.
    """


def build(make_site: MakeSite, files: dict[str, str | None] | None = None) -> Path:
    site = make_site({"content/posts/week-02.md": SECOND_POST, **(files or {})})
    result = site.run("build")
    assert result.code == 0, result.err
    return site.root / "_site"


def test_the_feed_has_one_entry_per_week_newest_first_with_full_content(make_site: MakeSite) -> None:
    out = build(make_site)
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Test Board"
    assert feed.feed.id == "https://example.test/board/"
    assert feed.feed.updated == "2026-01-12T00:00:00Z"
    assert [entry.title for entry in feed.entries] == ["Week 2 & more", "Week 1 in review"]
    newest, oldest = feed.entries
    assert newest.id == "https://example.test/board/posts/week-02/"
    assert newest.link == "https://example.test/board/posts/week-02/"
    assert newest.published == newest.updated == "2026-01-12T00:00:00Z"
    assert oldest.published == "2026-01-05T00:00:00Z"
    assert newest.summary == "Second <week>."
    assert [tag.term for tag in newest.tags] == ["moe"]
    html = newest.content[0].value
    # xml:base makes the body's site-root links absolute for the reader.
    assert '<a href="https://example.test/board/posts/week-01/">week 1</a>' in html
    assert "<strong>bold</strong> &amp; &lt;tricky&gt; text." in html


def test_every_page_links_to_the_feed(make_site: MakeSite) -> None:
    out = build(make_site)
    link = '<link rel="alternate" type="application/atom+xml" title="Test Board: weekly posts" href="/board/feed.xml">'
    pages = sorted(out.rglob("*.html"))
    assert pages
    for page in pages:
        assert link in page.read_text(), page


def test_a_site_without_weeks_has_no_feed_and_links_to_none(make_site: MakeSite) -> None:
    out = build(make_site, {"content/posts/week-01.md": None, "content/posts/week-02.md": None})
    assert not (out / "feed.xml").exists()
    assert "application/atom+xml" not in (out / "index.html").read_text()


def test_rebuilds_write_the_same_feed_and_sitemap(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-02.md": SECOND_POST})
    names = ("feed.xml", "sitemap.xml", "robots.txt")
    assert site.run("build").code == 0
    first = {name: (site.root / "_site" / name).read_bytes() for name in names}
    assert site.run("build").code == 0
    assert {name: (site.root / "_site" / name).read_bytes() for name in names} == first


def test_the_sitemap_lists_exactly_the_built_pages(make_site: MakeSite) -> None:
    out = build(make_site)
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert root.tag == f"{namespace}urlset"
    assert all(child.tag == f"{namespace}url" for child in root)
    assert all([part.tag for part in child] == [f"{namespace}loc"] for child in root)
    listed = [loc.text or "" for loc in root.iter(f"{namespace}loc")]
    pages = sorted(
        "https://example.test/board/" + page.relative_to(out).as_posix().removesuffix("index.html")
        for page in out.rglob("*.html")
        if page.relative_to(out).as_posix() != "404.html" and page.relative_to(out).parts[0] != "pagefind"
    )
    assert sorted(listed) == pages
    assert "https://example.test/board/" in listed
    assert "https://example.test/board/posts/week-02/" in listed


def test_every_page_describes_itself(make_site: MakeSite) -> None:
    out = build(make_site)
    descriptions: dict[str, str] = {}
    for page in sorted(out.rglob("*.html")):
        found = re.findall(r'<meta name="description" content="([^"]*)">', page.read_text())
        assert len(found) == 1 and found[0].strip(), page
        descriptions[page.relative_to(out).as_posix()] = found[0]
    assert descriptions["index.html"] == "A tiny site for tests."
    shared = [path for path, text in descriptions.items() if list(descriptions.values()).count(text) > 1]
    assert shared == []


def test_robots_txt_points_to_the_sitemap(make_site: MakeSite) -> None:
    out = build(make_site)
    assert (out / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\nSitemap: https://example.test/board/sitemap.xml\n"
    )


def test_every_page_has_a_link_preview_of_its_own(make_site: MakeSite) -> None:
    out = build(make_site)
    post = (out / "posts/week-02/index.html").read_text()
    assert '<meta property="og:type" content="article">' in post
    assert '<meta property="og:title" content="Week 2 &amp; more · Test Board">' in post
    assert '<meta property="og:description" content="Second &lt;week&gt;.">' in post
    assert '<meta property="og:url" content="https://example.test/board/posts/week-02/">' in post
    home = (out / "index.html").read_text()
    assert '<meta property="og:type" content="website">' in home
    assert '<meta name="twitter:card" content="summary">' in home


def test_the_home_page_describes_the_data_as_a_schema_org_dataset(make_site: MakeSite) -> None:
    out = build(make_site)
    home = (out / "index.html").read_text()
    [text] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', home)
    dataset = json.loads(text)
    assert dataset["@type"] == "Dataset"
    assert dataset["dateModified"] == "2026-01-12"
    urls = [download["contentUrl"] for download in dataset["distribution"]]
    assert urls == [
        "https://example.test/board/leaderboard.json",
        "https://example.test/board/tiers/24gb.csv",
        "https://example.test/board/tiers/12gb.csv",
        "https://example.test/board/models.json",
    ]
    assert all((out / url.removeprefix("https://example.test/board/")).is_file() for url in urls)


def test_json_ld_text_cannot_close_its_script_element(make_site: MakeSite) -> None:
    hostile = SITE_YAML.replace("A tiny site for tests.", "'Tests </script><b>&amp;'")
    out = build(make_site, {"content/site.yaml": hostile})
    home = (out / "index.html").read_text()
    [text] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', home)
    assert json.loads(text)["description"] == "Tests </script><b>&amp;"
