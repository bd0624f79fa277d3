"""Nothing broken ships: links and images in posts and on pages must lead to files of the site."""

from __future__ import annotations

import pytest
from conftest import POST_MD, MakeSite

from site_builder import links
from site_builder.template_origins import column_in_line

POST = "content/posts/week-01.md"


def post_with(line: str) -> str:
    """The default post with `line` as the body's last line (line 21 of the file)."""
    return POST_MD + f"\n    {line}\n"


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (
            "![img](/static/missing.png)",
            8,
            "link '/static/missing.png' leads to /static/missing.png, which the site does not have",
        ),
        ("See [x](../week-99/) now.", 9, "link '../week-99/' leads to /posts/week-99/, which the site does not have"),
        ("[x](/nowhere/)", 5, "link '/nowhere/' leads to /nowhere/, which the site does not have"),
        ("[x](../../../up/)", 5, "link '../../../up/' leads above the site's root"),
        (
            "[x](//evil.com)",
            5,
            "link '//evil.com' leads to another server; write https:// before a host, or one / for a page of this site",
        ),
        (
            "[x](#story)",
            5,
            "link '#story' names no heading; heading ids start with 'post-': write '#post-story'",
        ),
    ],
)
def test_a_broken_link_in_a_post_is_refused_at_its_position(
    make_site: MakeSite, line: str, column: int, message: str
) -> None:
    site = make_site({POST: post_with(line)})
    for command in ("check", "build"):
        result = site.run(command)
        assert result.code == 1, command
        assert f"{POST}:21:{column}: {message}\n" in result.err, result.err
    assert not (site.root / "_site").exists()


@pytest.mark.parametrize(
    "line",
    [
        "![favicon](/static/favicon.svg) [models](/models/) [alpha](../../models/alpha/)",
        "[week](../week-01/) [self](./) [data](/leaderboard.json) [feed](/feed.xml) [csv](/tiers/24gb.csv)",
        "[top](#post-story) [picks](#week-picks) [tier](/tiers/24gb) [schema](/schemas/site.schema.json)",
    ],
)
def test_links_to_files_of_the_site_build(make_site: MakeSite, line: str) -> None:
    result = make_site({POST: post_with(line)}).run("build")
    assert result.code == 0, result.err


def test_a_broken_link_in_a_template_is_refused_at_its_line_and_column(make_site: MakeSite) -> None:
    site = make_site()
    archive = site.root / "templates/archive.html"
    broken = '<h1>Weekly posts</h1>\n<a href="#nowhere">y</a> <a href="{{ urls.path(\'gone/\') }}">x</a>'
    archive.write_text(archive.read_text().replace("<h1>Weekly posts</h1>", broken))
    assert archive.read_text().splitlines()[5].startswith('<a href="#nowhere">')
    result = site.run("build")
    assert result.code == 1
    assert result.err.splitlines() == [
        "templates/archive.html:6:4: page /posts/index.html links to #nowhere, "
        "but that page has no element with id 'nowhere'",
        "templates/archive.html:6:29: page /posts/index.html links to /board/gone/, which the site does not have",
        "error: 2 problems found; nothing was written",
    ]
    assert not (site.root / "_site").exists()


def test_a_broken_link_on_every_page_is_reported_once_at_the_shared_template(make_site: MakeSite) -> None:
    site = make_site()
    base = site.root / "templates/base.html"
    footer = '<footer class="site-footer">\n'
    base.write_text(
        base.read_text().replace(footer, footer + "  <p><a href=\"{{ urls.path('about/') }}\">About</a></p>\n")
    )
    line = base.read_text().splitlines().index("  <p><a href=\"{{ urls.path('about/') }}\">About</a></p>") + 1
    result = site.run("build")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"templates/base.html:{line}:9: page /404.html (and 9 more) links to /board/about/, "
        "which the site does not have",
        "error: 1 problem found; nothing was written",
    ]


def test_a_broken_link_written_by_a_macro_is_reported_in_the_macros_file(make_site: MakeSite) -> None:
    site = make_site()
    site.write(
        "templates/_links.html",
        """\
        {% macro week_link(post) %}
        <p>
          See <a class="more" href="{{ urls.post(post.id) }}extra/">more</a>.
        </p>
        {% endmacro %}
        """,
    )
    archive = site.root / "templates/archive.html"
    text = archive.read_text().replace(
        "{% block main %}\n", '{% block main %}\n{% from "_links.html" import week_link %}\n'
    )
    archive.write_text(text.replace("<p>{{ week.post.meta.summary }}</p>", "{{ week_link(week.post) }}"))
    result = site.run("build")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "templates/_links.html:3:23: page /posts/index.html links to /board/posts/week-01/extra/, "
        "which the site does not have"
    )


@pytest.mark.parametrize(
    ("source_line", "attribute", "literal", "column"),
    [
        ('<a href="/board/">home</a> <a href="#nowhere">x</a>', "href", "#nowhere", 31),
        ('<a href="/board/">home</a> <a href="{{ urls.path(\'x/\') }}">x</a>', "href", None, 31),
        ('<img alt="" src="{{ asset(\'x.png\') }}"> <a href="#top">top</a>', "src", None, 13),
        ("  {{ link_to(model) }}", "href", None, 3),
    ],
)
def test_the_column_is_the_attribute_that_wrote_the_value(
    source_line: str, attribute: str, literal: str | None, column: int
) -> None:
    assert column_in_line(source_line, attribute, literal) == column


@pytest.mark.parametrize(
    "page",
    [
        '<a href="/a/?x=1&amp;y=2" id="top">x</a><img src="i.png" alt=""><a name="old">o</a><meta name="d">',
        "<a href='/single/'>single quotes</a><p id=bare>x</p>",
        '<!-- <a href="/in-a-comment/"> --><a href="/after/">x</a>',
        '<script>document.write("<a href=\\"/x/\\">")</script><a href = "/spaced/">x</a>',
        '<script type="application/ld+json">{"url": "a"}</script>'
        '<section id="s">\n<a\nhref="/multi/line/">x</a></section>',
    ],
)
def test_links_and_ids_are_read_as_an_html_parser_reads_them(page: str) -> None:
    """The quick reading of our own pages, and the parser it falls back to for anything unusual."""
    parser = links._Page()
    parser.feed(page)
    parser.close()
    read = links.page_anchors(None, page.encode("utf-8"))
    assert (read.ids, read.targets) == (frozenset(parser.ids), tuple(parser.targets))
    assert read.targets  # every case has a link to find


def test_an_html_file_among_the_static_files_has_its_links_checked_too(make_site: MakeSite) -> None:
    """Pages have their links read where they are rendered; a static HTML file is read by the check itself."""
    site = make_site()
    site.write("static/about.html", '<p><a href="/board/nowhere/">gone</a> <a href="/board/models/">ok</a></p>\n')
    result = site.run("build")
    assert result.code == 1
    assert "page /static/about.html links to /board/nowhere/, which the site does not have" in result.err
    assert "/board/models/" not in result.err
