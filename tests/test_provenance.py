"""The provenance marker beside every leaderboard figure, and the legend that explains them.

Built from the tiny fixture site (tests/conftest.py): Alpha's quantization is `measured` and its
MMLU score `vendor-reported`, both from Test Source; Giant's memory need names no origin.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import POST_MD, SITE_YAML, FixtureSite
from html_reader import Element, parse_html

MakeSite = Callable[..., FixtureSite]
LOCK = "content/frozen/week-01.yaml"

OLD_LOCK = """\
    tiers:
      24gb:
        - category: General
          model: alpha
          name: Alpha 7B
          quant: Q4_K_M
          vram: ~5 GB
          speed: 80-90 t/s
          speed_from: record
          benchmark:
            name: MMLU
            score: 70.5
            unit: '%'
            approximate: false
          why: Fast and small
    wait_list:
      - model: giant
        name: Giant 1T
        memory: ~600 GB
        format: Q4
        why: Needs a server
    """
"""A lock as `freeze` wrote it before it kept each figure's source."""


def built_page(site: FixtureSite, relative: str) -> str:
    return (site.root / "_site" / relative).read_text(encoding="utf-8")


def build(site: FixtureSite) -> None:
    result = site.run("build")
    assert (result.code, result.err) == (0, ""), result.err


def markers(html: str) -> list[tuple[str, str, str, str]]:
    """Each leaderboard marker as (short word, accessible name, tooltip, link), in page order."""
    found = []
    for element in parse_html(html).find("a"):
        if "origin" in str(element.attrs.get("class") or "").split():
            label, title = str(element.attrs["aria-label"]), str(element.attrs["title"])
            found.append((element.text, label, title, str(element.attrs["href"])))
    return found


def legend(html: str) -> Element:
    [paragraph] = [p for p in parse_html(html).find("p") if "marker-legend" in str(p.attrs.get("class"))]
    return paragraph


def test_each_figure_is_marked_with_its_records_origin_and_links_to_the_source(make_site: MakeSite) -> None:
    site = make_site()
    build(site)
    vram = (
        "measured",
        "measured; source: Test Source",
        "measured; source: Test Source",
        "/board/models/alpha/#source-src",
    )
    speed = vram
    benchmark = (
        "vendor",
        "vendor-reported; source: Test Source",
        "vendor-reported; source: Test Source",
        "/board/models/alpha/#source-src",
    )
    memory = ("reported", "reported by Test Source", "reported by Test Source", "/board/models/giant/#source-src")
    for page in ("index.html", "posts/week-01/index.html"):
        assert markers(built_page(site, page)) == [vram, speed, benchmark, memory], page
    assert markers(built_page(site, "tiers/24gb/index.html")) == [vram, speed, benchmark]
    assert markers(built_page(site, "wait-list/index.html")) == [memory]
    # The link leads to the source's entry on the model's page.
    assert 'id="source-src"' in built_page(site, "models/alpha/index.html")


def test_the_legend_explains_the_markers_the_page_shows_and_no_others(make_site: MakeSite) -> None:
    site = make_site()
    build(site)
    home = legend(built_page(site, "index.html")).text
    assert home == (
        "Beside each figure a marker says where it comes from and links to its source: "
        "vendor vendor-reported: the model's vendor gave it; "
        "measured measured by the source itself; "
        "reported reported by a source, or by the week's post, that does not say who produced it."
    )
    assert "reported by a source" not in legend(built_page(site, "tiers/24gb/index.html")).text
    assert legend(built_page(site, "wait-list/index.html")).text.endswith(
        ": reported reported by a source, or by the week's post, that does not say who produced it."
    )


def test_a_speed_the_post_gives_is_reported_by_the_weeks_post(make_site: MakeSite) -> None:
    post = POST_MD.replace("quant: Q4_K_M\n", "quant: Q4_K_M\n          speed: 70 t/s\n")
    site = make_site({"content/posts/week-01.md": post})
    build(site)
    speed = markers(built_page(site, "index.html"))[1]
    assert speed == (
        "reported",
        "reported by the Week 1 post",
        "reported by the Week 1 post",
        "/board/posts/week-01/",
    )


def test_a_record_without_an_origin_is_reported_by_its_source(make_site: MakeSite) -> None:
    site = make_site()
    path = site.root / "content/models/alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    origin: measured\n", ""), encoding="utf-8")
    build(site)
    assert markers(built_page(site, "index.html"))[0][:2] == ("reported", "reported by Test Source")


def test_a_frozen_week_keeps_its_markers_when_the_record_changes_its_source(make_site: MakeSite) -> None:
    second_source = "      - id: other\n        title: Other Source\n"
    site = make_site({"content/site.yaml": SITE_YAML.rstrip(" ") + second_source})
    assert site.run("freeze").code == 0
    build(site)
    path = site.root / "content/models/alpha.yaml"
    record = path.read_text(encoding="utf-8")
    path.write_text(record.replace("    origin: measured\n    source: src\n", "    source: other\n"), encoding="utf-8")
    build(site)
    vram = markers(built_page(site, "posts/week-01/index.html"))[0]
    assert vram == ("measured", "measured; source: Test Source", "measured; source: Test Source", vram[3])
    # The model page lists today's source and the one the frozen week cites, so the marker's link resolves.
    model_page = built_page(site, "models/alpha/index.html")
    assert vram[3] == "/board/models/alpha/#source-src"
    assert 'id="source-src"' in model_page and 'id="source-other"' in model_page


def test_a_lock_from_before_sources_were_kept_marks_its_figures_as_published(make_site: MakeSite) -> None:
    site = make_site()
    site.write(LOCK, OLD_LOCK)
    build(site)
    published = (
        "published",
        "as published in Week 1; its source was not kept",
        "as published in Week 1; its source was not kept",
        "/board/posts/week-01/#week-picks",
    )
    assert markers(built_page(site, "posts/week-01/index.html")) == [published] * 4
    assert "published as published in that week's tables" in legend(built_page(site, "index.html")).text
    # Refreshing the lock writes the sources; the markers then name them.
    assert site.run("freeze", "--refresh", "week-01").code == 0
    build(site)
    assert [marker[0] for marker in markers(built_page(site, "index.html"))] == [
        "measured",
        "measured",
        "vendor",
        "reported",
    ]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("vram: ~5 GB\n", "vram: ~5 GB\n          vram_source: gone\n", "8:7"),
        ("format: Q4\n", "format: Q4\n        memory_source: gone\n", "21:5"),
    ],
    ids=["vram", "memory"],
)
def test_a_lock_naming_a_source_site_yaml_no_longer_has_is_refused_at_its_line(
    make_site: MakeSite, old: str, new: str, where: str
) -> None:
    site = make_site()
    site.write(LOCK, OLD_LOCK.replace(old, new))
    result = site.run("build")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{LOCK}:{where}: frozen with source 'gone', which content/site.yaml no longer has; "
        "restore it, or run `site-builder freeze --refresh week-01`",
        "error: 1 problem found; nothing was written",
    ]
