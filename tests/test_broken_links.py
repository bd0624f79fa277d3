"""Nothing broken ships: links and images in posts and on pages must lead to files of the site."""

from __future__ import annotations

import pytest
from conftest import POST_MD, MakeSite

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


def test_a_broken_link_in_a_template_is_refused_at_the_template(make_site: MakeSite) -> None:
    site = make_site()
    archive = site.root / "templates/archive.html"
    broken = '<h1>Weekly posts</h1>\n<a href="#nowhere">y</a> <a href="{{ urls.path(\'gone/\') }}">x</a>'
    archive.write_text(archive.read_text().replace("<h1>Weekly posts</h1>", broken))
    result = site.run("build")
    assert result.code == 1
    page = "templates/archive.html:1:1: page /posts/index.html links to"
    assert result.err.splitlines()[:2] == [
        f"{page} #nowhere, but that page has no element with id 'nowhere'",
        f"{page} /board/gone/, which the site does not have",
    ]
    assert not (site.root / "_site").exists()
