"""The Atom feed, the sitemap and robots.txt: what feed readers and crawlers read."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from conftest import MODEL_YAML, REPO, SITE_YAML, FixtureSite, MakeSite
from lxml import etree

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


def test_the_feed_carries_only_the_latest_weeks_set_in_site_yaml(make_site: MakeSite) -> None:
    site_yaml = SITE_YAML.replace(
        "base_url: https://example.test/board/", "base_url: https://example.test/board/\n    feed_entries: 1"
    )
    out = build(make_site, {"content/site.yaml": site_yaml})
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert [entry.title for entry in feed.entries] == ["Week 2 & more"]
    # The week left out of the feed still has its page and its place in the sitemap.
    assert (out / "posts/week-01/index.html").is_file()
    assert "posts/week-01/" in (out / "sitemap.xml").read_text()


def test_a_feed_of_no_entries_is_refused_at_its_line(make_site: MakeSite) -> None:
    site_yaml = SITE_YAML.replace(
        "base_url: https://example.test/board/", "base_url: https://example.test/board/\n    feed_entries: 0"
    )
    result = make_site({"content/site.yaml": site_yaml}).run("check")
    assert result.code == 1
    assert (
        result.err.splitlines()[0]
        == "content/site.yaml:4:1: 'feed_entries': Input should be greater than or equal to 1"
    )


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
    assert all([part.tag for part in child] == [f"{namespace}loc", f"{namespace}lastmod"] for child in root)
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


@pytest.mark.parametrize(
    ("explained", "description"),
    [
        ("      description: Too big for now.\n", "Too big for now."),
        ("", "The wait list: open-weight models too large for consumer GPUs, and what it would take to run them."),
    ],
    ids=["editors-sentence", "fallback"],
)
def test_the_wait_list_page_describes_itself_in_one_sentence(
    make_site: MakeSite, explained: str, description: str
) -> None:
    site_yaml = SITE_YAML.replace("      description: Too big for now.\n", explained)
    out = build(make_site, {"content/site.yaml": site_yaml})
    page = (out / "wait-list/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<meta name="description" content="([^"]*)">', page) == [description]


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
    assert '<meta name="twitter:card" content="summary_large_image">' in home


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


SITEMAP_SCHEMA = REPO / "tests/fixtures/sitemap.xsd"
"""The sitemaps.org 0.9 schema, kept in the repository: tests never fetch it."""
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_problems(document: bytes) -> list[str]:
    """What the schema finds wrong with a sitemap (lxml stops at the first problem)."""
    schema = etree.XMLSchema(etree.parse(SITEMAP_SCHEMA))
    try:
        schema.assertValid(etree.fromstring(document))
    except etree.DocumentInvalid as invalid:
        return [str(invalid)]
    return []


def lastmods(out: Path) -> dict[str, str]:
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    base = "https://example.test/board/"
    return {
        (entry.findtext(f"{SITEMAP_NS}loc") or "").removeprefix(base): entry.findtext(f"{SITEMAP_NS}lastmod") or ""
        for entry in root
    }


def test_the_sitemap_is_valid_against_the_sitemaps_org_schema(make_site: MakeSite) -> None:
    out = build(make_site)
    assert sitemap_problems((out / "sitemap.xml").read_bytes()) == []


def test_the_real_sites_sitemap_is_valid_and_dates_every_page(real_site: FixtureSite) -> None:
    assert real_site.run("build").code == 0
    sitemap = (real_site.root / "_site/sitemap.xml").read_bytes()
    assert sitemap_problems(sitemap) == []
    root = ET.fromstring(sitemap)
    assert all(entry.findtext(f"{SITEMAP_NS}lastmod") for entry in root)


def test_the_schema_check_refuses_a_sitemap_that_breaks_it() -> None:
    bad = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://example.test/</loc><lastmod>last week</lastmod></url></urlset>"
    )
    [problem] = sitemap_problems(bad)
    assert "lastmod" in problem and "last week" in problem


def test_each_page_is_dated_by_the_content_it_shows(make_site: MakeSite) -> None:
    beta = MODEL_YAML.replace("Alpha 7B", "Beta 3B")
    out = build(make_site, {"content/models/beta.yaml": beta})
    assert lastmods(out) == {
        # Posts: their own date.
        "posts/week-01/": "2026-01-05",
        "posts/week-02/": "2026-01-12",
        # Model pages: the latest week that picked the model, or the latest week when none did.
        "models/alpha/": "2026-01-05",
        "models/giant/": "2026-01-05",
        "models/beta/": "2026-01-12",
        # Pages that show the current week or list every week: the latest week.
        "": "2026-01-12",
        "tiers/24gb/": "2026-01-12",
        "tiers/12gb/": "2026-01-12",
        "wait-list/": "2026-01-12",
        "models/": "2026-01-12",
        "posts/": "2026-01-12",
    }


def test_a_site_without_published_weeks_lists_its_pages_without_dates(make_site: MakeSite) -> None:
    out = build(make_site, {"content/posts/week-01.md": None, "content/posts/week-02.md": None})
    assert set(lastmods(out).values()) == {""}
    assert sitemap_problems((out / "sitemap.xml").read_bytes()) == []


DRAFT_POST = """\
    ---
    title: Week 3, not out yet
    week: 3
    date: 2026-01-19
    summary: A draft.
    draft: true
    picks:
      24gb:
        - category: General
          model: alpha
          quant: Q4_K_M
          why: Draft pick
    ---

    Still writing.
    """

SCHEDULED_POST = """\
    ---
    title: Week 4, coming
    week: 4
    date: 2026-03-09
    summary: Scheduled.
    ---

    Soon.
    """

PICKS = """summary: Scheduled.
    picks:
      24gb:
        - category: General
          model: alpha
          quant: Q4_K_M
          why: Still fast"""

MACHINE_FILES = (
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "leaderboard.json",
    "models.json",
    "weeks/1.json",
    "weeks/2.json",
    "tiers/24gb.csv",
    "tiers/12gb.csv",
    "social.png",
)


def test_a_preview_build_announces_only_published_weeks(make_site: MakeSite) -> None:
    """`--drafts` (and `serve`) show drafts and scheduled posts as pages with a banner, but the feed,
    the sitemap, the downloads and the link-preview image stay as a published build writes them."""
    site = make_site({"content/posts/week-02.md": SECOND_POST})
    assert site.run("build").code == 0
    published = {name: (site.root / "_site" / name).read_bytes() for name in MACHINE_FILES}
    site.write("content/posts/week-03.md", DRAFT_POST)
    site.write("content/posts/week-04.md", SCHEDULED_POST)
    result = site.run("build", "--drafts")
    assert result.code == 0, result.err
    out = site.root / "_site"
    assert "Draft: not published" in (out / "posts/week-03/index.html").read_text()
    assert "Scheduled for 2026-03-09" in (out / "posts/week-04/index.html").read_text()
    assert {name: (out / name).read_bytes() for name in MACHINE_FILES} == published
    assert not (out / "weeks/3.json").exists() and not (out / "weeks/4.json").exists()
    home = (out / "index.html").read_text()
    [json_ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', home)
    assert json.loads(json_ld)["dateModified"] == "2026-01-12"


@pytest.mark.parametrize(
    ("page", "note"),
    [
        ("posts/week-03/index.html", "Week 3 is a draft"),
        ("posts/week-04/index.html", "Week 4 is scheduled for 2026-03-09"),
        ("index.html", "Week 4 is scheduled for 2026-03-09"),
        ("tiers/24gb/index.html", "Week 4 is scheduled for 2026-03-09"),
    ],
)
def test_a_preview_page_of_an_unpublished_week_says_its_data_is_not_out(
    make_site: MakeSite, page: str, note: str
) -> None:
    site = make_site(
        {
            "content/posts/week-02.md": SECOND_POST,
            "content/posts/week-03.md": DRAFT_POST,
            "content/posts/week-04.md": SCHEDULED_POST.replace("summary: Scheduled.", PICKS),
        }
    )
    assert site.run("build", "--drafts").code == 0
    html = (site.root / "_site" / page).read_text()
    assert f"{note}: the data downloads and the feed hold published weeks only, so it is not in them yet." in html
    assert 'href="/board/leaderboard.json"' not in html and 'href="/board/weeks/' not in html


def test_each_published_weeks_post_describes_its_data_as_a_schema_org_dataset(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-02.md": SECOND_POST, "content/posts/week-03.md": DRAFT_POST})
    result = site.run("build", "--drafts")
    assert result.code == 0, result.err
    out = site.root / "_site"
    post = (out / "posts/week-02/index.html").read_text()
    [text] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', post)
    assert "<" not in text and "&" not in text  # nothing in the title or summary can close the element
    assert json.loads(text) == {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Week 2 & more",
        "description": "Second <week>.",
        "url": "https://example.test/board/posts/week-02/",
        "inLanguage": "en",
        "datePublished": "2026-01-12",
        "keywords": ["moe"],
        "isPartOf": {"@type": "Dataset", "name": "Test Board", "url": "https://example.test/board/"},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": "weeks/2.json",
                "contentUrl": "https://example.test/board/weeks/2.json",
                "encodingFormat": "application/json",
            }
        ],
    }
    assert (out / "weeks/2.json").is_file()
    # A week without tags names no keywords.
    [untagged] = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', (out / "posts/week-01/index.html").read_text()
    )
    assert "keywords" not in json.loads(untagged)
    # A draft's data is not out yet, so its page describes none.
    assert "application/ld+json" not in (out / "posts/week-03/index.html").read_text()
