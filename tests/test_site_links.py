"""Links in post bodies follow the base URL, and every page linked from the navigation exists."""

from __future__ import annotations

import re
from collections.abc import Callable

from conftest import POST_MD, FixtureSite

MakeSite = Callable[..., FixtureSite]
POST = "content/posts/week-01.md"
SECOND_POST = """\
    ---
    title: Week 2
    week: 2
    date: 2026-01-12
    summary: Second week.
    ---

    Back to [week 1](post:week-01), the [models](/models/) and [a section](#post-a-table-of-codes).

    ## A *table* of `codes`

    | a | b |
    | - | - |
    | 1 | 2 |
    """


def test_site_links_in_bodies_get_the_base_path(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-02.md": SECOND_POST})
    assert site.run("build", "--base-url", "https://user.github.io/repo/").code == 0
    html = (site.root / "_site/posts/week-02/index.html").read_text()
    assert '<a href="/repo/posts/week-01/">week 1</a>' in html
    assert '<a href="/repo/models/">models</a>' in html
    assert '<a href="#post-a-table-of-codes">a section</a>' in html


def test_table_captions_are_the_headings_plain_text(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-02.md": SECOND_POST})
    assert site.run("build").code == 0
    html = (site.root / "_site/posts/week-02/index.html").read_text()
    assert '<h2 id="post-a-table-of-codes">A <em>table</em> of <code>codes</code></h2>' in html
    assert "<caption><span>A table of codes</span></caption>" in html
    assert '<div class="table-scroll" role="region" aria-label="A table of codes" tabindex="0">' in html


def test_a_site_without_posts_has_every_page_its_navigation_links_to(make_site: MakeSite) -> None:
    site = make_site({POST: None})
    result = site.run("build")
    assert result.code == 0, result.err
    out = site.root / "_site"
    home = (out / "index.html").read_text()
    assert "No weekly post has been published yet." in home
    for href in re.findall(r'href="(/board/[^"#?]*)"', home):
        target = out / href.removeprefix("/board/")
        assert (target / "index.html" if href.endswith("/") else target).is_file(), href
    tier_page = (out / "tiers/24gb/index.html").read_text()
    assert "<h1>Best models for 24GB VRAM</h1>" in tier_page
    assert "this tier has no picks" in tier_page


def test_tier_ids_never_clash_with_page_ids(make_site: MakeSite) -> None:
    site_yaml = (
        (site := make_site()).root.joinpath("content/site.yaml").read_text().replace("id: 12gb", "id: wait-list")
    )
    site.write("content/site.yaml", site_yaml)
    site.write(POST, POST_MD.replace("  24gb:", "  wait-list:"))
    assert site.run("build").code == 0
    home = (site.root / "_site/index.html").read_text()
    ids = re.findall(r'\sid="([^"]+)"', home)
    assert len(ids) == len(set(ids)), sorted(ids)


def test_specifications_name_their_source(make_site: MakeSite) -> None:
    site = make_site()
    alpha = site.root / "content/models/alpha.yaml"
    alpha.write_text(alpha.read_text().replace("total_params: 7B", "total_params: 7B\nspecs_source: src"))
    assert site.run("build").code == 0
    html = (site.root / "_site/models/alpha/index.html").read_text()
    assert "<dt>Total parameters</dt> <dd>7B</dd>" in html
    assert '<dt>Provenance</dt> <dd><a class="provenance" href="#source-src">reported by Test Source</a></dd>' in html
    assert '<li id="source-src">Test Source</li>' in html
