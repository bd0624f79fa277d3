"""What changed since last week: row markers, dropped lines, prev/next links, the archive and model history."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from conftest import FixtureSite

from site_builder.changes import Dropped, Mark, table_changes
from site_builder.lock import ShownRow

WEEK_1 = """\
    ---
    title: Week 1
    week: 1
    date: 2026-01-05
    summary: First week.
    picks:
      24gb:
        - {category: A, model: alpha, quant: Q4_K_M, why: One}
        - {category: B, model: beta, why: Two}
        - {category: C, model: gamma, why: Three}
        - {category: D, model: delta, why: Four}
      12gb:
        - {category: Small, model: alpha, why: Fits}
    wait_list:
      - {model: giant, why: Needs a server}
    ---
    The first week.
    """

WEEK_2 = """\
    ---
    title: Week 2
    week: 2
    date: 2026-01-12
    summary: Second week.
    picks:
      24gb:
        - {category: C, model: gamma, why: Three}
        - {category: B, model: beta, why: Two}
        - {category: A, model: alpha, quant: Q4_K_M, why: One}
        - {category: E, model: epsilon, why: Five}
    ---
    The second week.
    """


def _model(name: str) -> str:
    return f"name: {name}\nvendor: Test Co\n"


@pytest.fixture
def two_weeks(make_site: Callable[..., FixtureSite]) -> FixtureSite:
    site = make_site(
        {
            "content/models/beta.yaml": _model("Beta"),
            "content/models/gamma.yaml": _model("Gamma"),
            "content/models/delta.yaml": _model("Delta"),
            "content/models/epsilon.yaml": _model("Epsilon"),
            "content/posts/week-01.md": WEEK_1,
            "content/posts/week-02.md": WEEK_2,
        }
    )
    result = site.run("build")
    assert (result.code, result.err) == (0, "")
    return site


def page(site: FixtureSite, relative: str) -> str:
    return (site.root / "_site" / relative).read_text(encoding="utf-8")


def section(html: str, section_id: str) -> str:
    """The <section> labelled by `section_id` (tier sections do not nest)."""
    start = html.index(f'<section class="tier" aria-labelledby="{section_id}">')
    return html[start : html.index("</section>", start)]


def marks(html: str) -> list[tuple[str, str, str]]:
    """(class, visible symbol, screen-reader words) of every change marker, in order."""
    pattern = (
        r'<span class="change (\w+)"><span aria-hidden="true">([^<]*)</span>'
        r'<span class="visually-hidden">([^<]*)</span></span>'
    )
    return re.findall(pattern, html)


def dropped_line(html: str) -> str:
    found = re.findall(r'<p class="dropped">(.*?)</p>', html)
    assert len(found) == 1
    return re.sub(r"<[^>]+>", "", found[0])


def test_home_page_marks_new_moved_and_same_rows(two_weeks: FixtureSite) -> None:
    tier = section(page(two_weeks, "index.html"), "tier-24gb")
    assert '<th scope="col">Since last week</th>' in tier
    assert marks(tier) == [
        ("up", "▲2", "moved up 2 places"),
        ("same", "=", "same place as last week"),
        ("down", "▼2", "moved down 2 places"),
        ("new", "New", "new this week"),
    ]
    assert dropped_line(tier) == "Dropped since last week: Delta."
    assert '<a href="/board/models/delta/"><bdi>Delta</bdi></a>' in tier


def test_an_emptied_tier_and_wait_list_say_what_was_dropped(two_weeks: FixtureSite) -> None:
    home = page(two_weeks, "index.html")
    small = section(home, "tier-12gb")
    assert "No picks for this tier in Week 2 (2026-01-12)." in small
    assert dropped_line(small) == "Dropped since last week: Alpha 7B."
    assert dropped_line(section(home, "wait-list")) == "Dropped since last week: Giant 1T."


def test_a_table_that_dropped_nothing_says_none(two_weeks: FixtureSite) -> None:
    tier = section(page(two_weeks, "tiers/24gb/index.html"), "tier-24gb")
    assert len(marks(tier)) == 4
    assert dropped_line(tier) == "Dropped since last week: Delta."
    week_two_again = WEEK_2.replace("Week 2", "Week 3").replace("week: 2", "week: 3").replace("01-12", "01-19")
    two_weeks.write("content/posts/week-03.md", week_two_again)
    assert two_weeks.run("build").code == 0
    tier = section(page(two_weeks, "index.html"), "tier-24gb")
    assert [mark[0] for mark in marks(tier)] == ["same"] * 4
    assert dropped_line(tier) == "Dropped since last week: none."


def test_the_first_week_says_once_that_it_has_nothing_to_compare_with(two_weeks: FixtureSite) -> None:
    first = page(two_weeks, "posts/week-01/index.html")
    assert first.count("Week 1 is the first week on record, so its rows are not compared with an earlier week.") == 1
    assert marks(first) == []
    assert "Since last week" not in first
    assert "Dropped since last week" not in first
    second = page(two_weeks, "posts/week-02/index.html")
    assert (
        '<p class="week-note">Each row is marked against <a href="/board/posts/week-01/">Week 1 (2026-01-05)</a>: '
        "new, moved up, moved down or in the same place.</p>"
    ) in second
    assert len(marks(second)) == 4


def test_post_pages_link_the_previous_and_next_week(two_weeks: FixtureSite) -> None:
    first, second = page(two_weeks, "posts/week-01/index.html"), page(two_weeks, "posts/week-02/index.html")
    assert '<a href="/board/posts/week-02/" rel="next">Next: Week 2 (2026-01-12) →</a>' in first
    assert 'rel="prev"' not in first
    assert '<a href="/board/posts/week-01/" rel="prev">← Previous: Week 1 (2026-01-05)</a>' in second
    assert 'rel="next"' not in second


def test_the_archive_links_each_weeks_leaderboard(two_weeks: FixtureSite) -> None:
    archive = page(two_weeks, "posts/index.html")
    for week in (1, 2):
        link = f'<a href="/board/posts/week-0{week}/#week-picks">The Week {week} leaderboard</a>'
        assert f"{link} (figures from today&#39;s records)" in archive
    assert two_weeks.run("freeze", "week-01").code == 0
    assert two_weeks.run("build").code == 0
    archive = page(two_weeks, "posts/index.html")
    assert ('<a href="/board/posts/week-01/#week-picks">The Week 1 leaderboard</a> (figures as published)') in archive


def _history(html: str) -> list[list[str]]:
    table = html[html.index('<section aria-labelledby="picked">') :]
    table = table[table.index("<tbody>") : table.index("</section>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)] for row in rows
    ]


FROM_1, FROM_2 = "as published in Week 1", "as published in Week 2"
"""The provenance marker of each week's figures."""


def test_model_page_history_shows_each_weeks_tier_row_and_figures(two_weeks: FixtureSite) -> None:
    # Week 1 is frozen with ~5 GB; the record then changes, so Week 2 (live) shows ~6 GB.
    assert two_weeks.run("freeze", "week-01").code == 0
    path = two_weeks.root / "content/models/alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('vram: "~5 GB"', 'vram: "~6 GB"'), encoding="utf-8")
    result = two_weeks.run("build")
    assert result.code == 0
    assert "VRAM frozen at ~5 GB, record now says ~6 GB" in result.err
    assert _history(page(two_weeks, "models/alpha/index.html")) == [
        ["Week 2 (2026-01-12)", "24GB VRAM", "3", "A", "Q4_K_M", "~6 GB", "80-90 t/s", "70.5% MMLU", FROM_2, "One"],
        ["Week 1 (2026-01-05)", "24GB VRAM", "1", "A", "Q4_K_M", "~5 GB", "80-90 t/s", "70.5% MMLU", FROM_1, "One"],
        ["Week 1 (2026-01-05)", "12GB VRAM", "1", "Small", "—", "—", "—", "70.5% MMLU", FROM_1, "Fits"],
    ]
    assert _history(page(two_weeks, "models/giant/index.html")) == [
        ["Week 1 (2026-01-05)", "The wait list", "1", "—", "Q4", "~600 GB needed", "—", "—", FROM_1, "Needs a server"],
    ]


def _row(model: str) -> ShownRow:
    return ShownRow(category="Any", model=model, name=model.title(), why="Because")


def test_a_model_picked_twice_matches_its_rows_in_order() -> None:
    before = [_row("a"), _row("b"), _row("a")]
    after = [_row("a"), _row("a"), _row("c")]
    changes = table_changes(after, before)
    assert changes.marks == [Mark("same"), Mark("up", 1), Mark("new")]
    assert changes.dropped == [Dropped("b", "B")]


@pytest.mark.parametrize(
    ("mark", "symbol", "words"),
    [
        (Mark("new"), "New", "new this week"),
        (Mark("up", 1), "▲1", "moved up 1 place"),
        (Mark("down", 3), "▼3", "moved down 3 places"),
        (Mark("same"), "=", "same place as last week"),
    ],
)
def test_every_mark_has_a_symbol_and_words(mark: Mark, symbol: str, words: str) -> None:
    assert (mark.symbol, mark.words) == (symbol, words)
