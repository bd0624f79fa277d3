"""Browser tests of the reader's tools on the frozen example site: sorting, filters in the URL,
phone cards, provenance markers, search, accessibility (axe-core) in light and dark.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_site, latest_post_date, source_date_epoch
from playwright.sync_api import Browser, Locator, Page, expect
from test_browser import (
    MODEL_PAGE,
    POST_PAGE,
    Served,
    Watch,
    build_and_serve,
    copy_frozen_site,
    goto,
    new_context,
    tier_table,
)

from site_builder.search import available as search_available

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules/axe-core/axe.min.js"
"""Installed by scripts/test from package.json (npm); the accessibility tests skip without it."""
SMALL_PHONE = {"width": 375, "height": 740}
PAGE_TYPES = ["", "tiers/24gb/", "wait-list/", MODEL_PAGE, "models/", POST_PAGE, "posts/", "404.html"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("reader-site")
    with build_and_serve(copy_frozen_site(root / "frozen"), root / "out") as served:
        yield served


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_context(browser) as ctx:
        yield ctx.new_page()


def speed_values(page: Page, label: str) -> list[float | None]:
    table = tier_table(page, label)
    cells = table.locator("tbody td[data-label=Speed]").all()
    return [float(value) if (value := cell.get_attribute("data-sort")) else None for cell in cells]


def test_sorting_by_speed_reads_back_in_order_by_click_and_keyboard(served: Served, page: Page) -> None:
    goto(page, served.url())
    table = tier_table(page, "24GB VRAM")
    header = table.locator("thead th", has_text="Speed")
    expect(header).not_to_have_attribute("aria-sort", re.compile(".*"))
    unsorted = speed_values(page, "24GB VRAM")

    header.get_by_role("button", name="Speed", exact=True).click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = speed_values(page, "24GB VRAM")
    assert ascending == sorted(unsorted, key=lambda value: (value is None, value or 0)), ascending

    header.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "descending")
    descending = speed_values(page, "24GB VRAM")
    known = [value for value in descending if value is not None]
    assert known == sorted(known, reverse=True), descending
    # Only one header of the table claims the order.
    expect(table.locator("thead th[aria-sort]")).to_have_count(1)


def test_sorting_a_text_column_orders_its_rows(served: Served, page: Page) -> None:
    goto(page, served.url())
    table = tier_table(page, "24GB VRAM")
    table.locator("thead th", has_text="Model").get_by_role("button").click()
    names = table.locator("tbody td[data-label=Model]").all_inner_texts()
    assert names == sorted(names, key=str.lower), names


def visible_models(page: Page) -> list[str]:
    return [
        row.locator("td[data-label=Model]").inner_text()
        for row in page.locator("tr[data-tier]").all()
        if row.is_visible()
    ]


def test_filters_live_in_the_url_and_survive_a_reload(served: Served, page: Page) -> None:
    goto(page, served.url())
    form = page.get_by_role("form", name="Filter the leaderboard")
    expect(form).to_be_visible()
    everything = visible_models(page)
    form.get_by_label("Architecture").select_option("dense")
    form.get_by_label("Minimum speed (t/s)").fill("20")
    # history.replaceState reaches Playwright's page.url a moment later: wait for it.
    expect(page).to_have_url(re.compile(r"\?(?=.*\barch=dense\b)(?=.*\bmin_speed=20\b)"))
    dense = visible_models(page)
    assert dense and len(dense) < len(everything), dense
    expect(form.get_by_role("status")).to_have_text(re.compile(rf"^Showing {len(dense)} of {len(everything)} picks"))

    page.reload()
    expect(form.get_by_label("Architecture")).to_have_value("dense")
    expect(form.get_by_label("Minimum speed (t/s)")).to_have_value("20")
    assert visible_models(page) == dense

    form.get_by_role("button", name="Clear filters").click()
    expect(form.locator(".filter-status")).to_have_text("")
    assert visible_models(page) == everything
    expect(page).not_to_have_url(re.compile(r"arch="))


def test_tier_and_fits_filters_from_a_shared_link(served: Served, page: Page) -> None:
    goto(page, served.url("?tier=12-16gb&fits=16"))
    expect(tier_table(page, "24GB VRAM")).to_be_hidden()
    rows = page.locator("tr[data-tier]")
    shown = [row for row in rows.all() if row.is_visible()]
    assert shown, "a 12-16GB pick that names its VRAM fits a 16 GB card"
    for row in shown:
        assert row.get_attribute("data-tier") == "12-16gb"
        assert float(row.get_attribute("data-vram") or "inf") <= 16


def test_filters_are_hidden_without_javascript(served: Served, browser: Browser) -> None:
    with new_context(browser, java_script_enabled=False) as ctx:
        page = ctx.new_page()
        goto(page, served.url("?arch=dense"))
        expect(page.locator("#table-filters")).to_be_hidden()
        # Every row is still there: filters need the script.
        expect(page.locator("tr[data-tier]").first).to_be_visible()
        assert all(row.is_visible() for row in page.locator("tr[data-tier]").all())


@pytest.mark.parametrize("relative", ["", "tiers/24gb/", "tiers/12-16gb/", "wait-list/", POST_PAGE])
def test_phone_shows_every_leaderboard_rows_figures_without_sideways_scroll(
    served: Served, browser: Browser, relative: str
) -> None:
    with new_context(browser, viewport=SMALL_PHONE) as ctx:
        page = ctx.new_page()
        goto(page, served.url(relative))
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
        cells = page.locator(
            "table.leaderboard td[data-label='VRAM used'], table.leaderboard td[data-label=Speed], "
            "table.leaderboard td[data-label='Memory needed']"
        )
        assert cells.count() > 0
        for cell in cells.all():
            cell.scroll_into_view_if_needed()
            box = cell.bounding_box()
            assert box is not None and box["width"] > 0
            assert box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"], box
            # The label says what the value is (text from the stylesheet, from data-label).
            label = cell.evaluate("td => getComputedStyle(td, '::before').content")
            assert label == json.dumps(f"{cell.get_attribute('data-label')}: "), label
            # So does the figure's provenance marker, inside the card.
            for marker in cell.locator("a.origin").all():
                mark = marker.bounding_box()
                assert mark is not None and mark["x"] >= 0 and mark["x"] + mark["width"] <= SMALL_PHONE["width"], mark


FIGURE_CELLS = (
    "table.leaderboard td[data-label='VRAM used'], table.leaderboard td[data-label=Speed], "
    "table.leaderboard td[data-label='Headline benchmark'], table.leaderboard td[data-label='Memory needed']"
)
MARKER_NAMES = {
    "vendor": r"vendor-reported; source: \S.*",
    "community": r"community-tested; source: \S.*",
    "measured": r"measured; source: \S.*",
    "reported": r"reported by \S.*",
    "published": r"as published in Week \d+; .*",
    "est.": r"est\. \(estimated by the fit finder; .*\)",
}
"""Each marker's short word, and the words its link says to screen readers and in its tooltip."""


@pytest.mark.parametrize("relative", ["", "tiers/24gb/", "wait-list/", POST_PAGE])
def test_every_leaderboard_figure_has_a_marker_of_its_kind_linking_to_its_source(
    served: Served, page: Page, relative: str
) -> None:
    goto(page, served.url(relative))
    figures = [cell for cell in page.locator(FIGURE_CELLS).all() if not cell.inner_text().startswith("—")]
    assert figures
    legend = page.locator(".marker-legend")
    expect(legend).to_be_visible()
    explained = set(legend.locator(".origin").all_inner_texts())
    shown, targets = set(), set()
    for cell in figures:
        marker = cell.locator("a.origin")
        expect(marker).to_have_count(1)
        expect(marker).to_be_visible()
        short = marker.inner_text()
        assert short in MARKER_NAMES, short
        expect(marker).to_have_accessible_name(re.compile(rf"^{MARKER_NAMES[short]}$"))
        assert marker.get_attribute("title") == marker.get_attribute("aria-label")
        shown.add(short)
        targets.add(marker.get_attribute("href") or "")
    # The legend explains exactly the kinds this page shows.
    assert explained == shown
    for target in sorted(targets):
        path, _, fragment = target.partition("#")
        goto(page, served.origin + path.lstrip("/"))
        if fragment:
            expect(page.locator(f"[id='{fragment}']")).to_have_count(1)


def test_a_marker_leads_to_its_source_on_the_models_page(served: Served, page: Page) -> None:
    goto(page, served.url())
    row = tier_table(page, "24GB VRAM").get_by_role("row").filter(has_text="MiMo-V2-Flash")
    marker = row.locator("td[data-label='VRAM used'] a.origin")
    source = re.sub(r"^.*; source: ", "", marker.get_attribute("aria-label") or "")
    marker.click()
    expect(page).to_have_url(re.compile(r"/sub/models/mimo-v2-flash/#source-[^/]+$"))
    expect(page.locator(":target")).to_contain_text(source)


def figure_numbers(cells: Locator) -> list[float]:
    """The first number of each cell's text as the reader sees it (`~22 GB` -> 22)."""
    found = [re.search(r"\d+(?:\.\d+)?", text) for text in cells.all_inner_texts()]
    return [float(match.group(0)) for match in found if match]


def test_a_model_page_table_sorts_by_a_numeric_column_by_click_and_keyboard(served: Served, page: Page) -> None:
    goto(page, served.url(MODEL_PAGE))
    table = page.get_by_role("table", name="MiMo-V2-Flash quantizations on named hardware")
    header = table.locator("thead th", has_text="VRAM used")
    column = table.locator("thead th").all_inner_texts().index(header.inner_text())
    cells = table.locator(f"tbody tr > :nth-child({column + 1})")
    unsorted = figure_numbers(cells)
    assert len(unsorted) >= 2 and unsorted != sorted(unsorted), "the example needs rows out of order"
    expect(header).not_to_have_attribute("aria-sort", re.compile(".*"))

    header.get_by_role("button", name="VRAM used", exact=True).click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert figure_numbers(cells) == sorted(unsorted)

    header.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "descending")
    assert figure_numbers(cells) == sorted(unsorted, reverse=True)
    expect(table.locator("thead th[aria-sort]")).to_have_count(1)
    # Every table of the model page has its sort buttons.
    for other in page.locator("main section:not([aria-labelledby=charts]) table").all():
        expect(other.locator("thead th").first.get_by_role("button")).to_have_count(1)


def test_sticky_headers_stay_on_screen_on_wide_screens(served: Served, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 300})
    goto(page, served.url("tiers/24gb/"))
    table = tier_table(page, "24GB VRAM")
    header = table.locator("thead th").first
    # Scroll the page so the table's top (caption and header row) is 60 px above the window.
    top = table.evaluate("t => t.getBoundingClientRect().top + window.scrollY")
    page.evaluate(f"window.scrollTo(0, {top + 60})")
    table_box, header_box = table.bounding_box(), header.bounding_box()
    assert table_box is not None and header_box is not None
    assert table_box["y"] < -50 and table_box["y"] + table_box["height"] > 100, table_box
    assert header_box["y"] == pytest.approx(0, abs=1), header_box


def test_a_second_weeks_wider_leaderboard_stays_inside_its_border(
    tmp_path_factory: pytest.TempPathFactory, page: Page
) -> None:
    """From the second week on, a leaderboard has a "Since last week" column and is wider than the page
    at 1,280 px: its bordered box grows with it rather than leaving the table sticking out."""
    root = tmp_path_factory.mktemp("two-weeks")
    site = copy_frozen_site(root / "site")
    week_six = (site.root / "content/posts/week-06.md").read_text(encoding="utf-8")
    # Dated as week 6 is: the tests' pinned today would hold a later date back as scheduled.
    week_seven = week_six.replace("week: 6", "week: 7")
    (site.root / "content/posts/week-07.md").write_text(week_seven, encoding="utf-8")
    with build_and_serve(site, root / "out") as served:
        page.set_viewport_size({"width": 1280, "height": 900})
        goto(page, served.url())
        boxes = page.locator(".table-scroll.scroll-leaderboard")
        assert boxes.count() == 3
        for box in boxes.all():
            widths = box.evaluate("b => [b.getBoundingClientRect().width, b.querySelector('table').scrollWidth]")
            assert widths[0] >= widths[1], widths
        assert page.locator("table.leaderboard thead th", has_text="Since last week").count() == 3


def test_every_figure_on_a_model_page_has_a_provenance_marker(served: Served, page: Page) -> None:
    goto(page, served.url(MODEL_PAGE))
    # Every table row on the page holds figures (the Sources list is not a table).
    rows = page.locator("main tbody tr")
    assert rows.count() > 0
    markers = [row.locator("a.provenance") for row in rows.all()]
    markers.append(page.locator(".specs a.provenance"))
    for marker in markers:
        expect(marker).to_have_count(1)
        expect(marker).to_have_text(
            re.compile(
                r"^(vendor-reported|community-tested|measured|estimated|reported by \S.*|as published in Week \d+)$"
            )
        )
        target = marker.get_attribute("href") or ""
        if target.startswith("#"):
            assert target.startswith("#source-"), target
            expect(page.locator(target)).to_have_count(1)
        else:
            assert re.match(r"^/sub/posts/[^/]+/$", target), target


def test_model_page_charts_have_title_description_and_data(served: Served, page: Page) -> None:
    goto(page, served.url(MODEL_PAGE))
    charts = page.locator("figure.chart")
    assert charts.count() >= 1
    for chart in charts.all():
        svg = chart.get_by_role("img")
        expect(svg).to_have_count(1)
        expect(svg).to_have_accessible_name(re.compile(r"\S"))
        expect(svg).to_have_accessible_description(re.compile(r"\S"))
        expect(chart.get_by_role("table")).to_have_count(1)


@pytest.mark.skipif(not search_available(), reason="the pagefind package is not installed")
def test_search_finds_glm_from_the_home_page(served: Served, page: Page) -> None:
    watch = Watch().attach(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    goto(page, served.url())
    search = page.get_by_role("search").get_by_role("textbox", name="Search models, posts and hardware")
    search.fill("GLM")
    results = page.locator(".pagefind-ui__result-link")
    expect(results.first).to_be_visible(timeout=10_000)
    assert any("GLM" in text for text in results.all_inner_texts())
    page.wait_for_load_state("networkidle")
    assert [url for url in requests if not url.startswith(served.origin)] == []
    assert watch.problems == []


@pytest.mark.skipif(not search_available(), reason="the pagefind package is not installed")
def test_search_excerpts_keep_a_space_between_a_label_and_its_value(served: Served, page: Page) -> None:
    """A model page's specifications are <dt>/<dd> pairs: the excerpt reads "Vendor Zhipu AI", never "VendorZhipu"."""
    goto(page, served.url())
    page.get_by_role("search").get_by_role("textbox", name="Search models, posts and hardware").fill("Zhipu")
    result = page.locator(".pagefind-ui__result").filter(has=page.get_by_role("link", name="GLM-5", exact=True))
    excerpt = result.locator(".pagefind-ui__result-excerpt")
    expect(excerpt).to_contain_text("Vendor Zhipu AI", timeout=10_000)
    assert "VendorZhipu" not in excerpt.inner_text()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document)).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))}))"""
    )
    return found


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core not installed (scripts/test installs it with npm)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_on_any_page_type(served: Served, browser: Browser, scheme: str) -> None:
    failures = {}
    with new_context(browser, color_scheme=scheme) as ctx:
        page = ctx.new_page()
        for relative in PAGE_TYPES:
            page.goto(served.url(relative))
            page.wait_for_load_state("networkidle")
            if found := serious_violations(page):
                failures[relative or "home"] = found
    assert failures == {}


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core not installed (scripts/test installs it with npm)")
def test_no_serious_accessibility_violations_on_the_real_sites_fit_and_hardware_pages(
    tmp_path: Path, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example site has no hardware data; the real one has the fit finder, hardware pages and flags."""
    content = REPO / "content"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", source_date_epoch(latest_post_date(content)))
    out = tmp_path / "out"
    with build_and_serve(copy_site(tmp_path / "real", content), out) as served:
        hardware = sorted(path.parent.name for path in (out / "hardware").glob("*/index.html"))
        models = sorted(path.parent.name for path in (out / "models").glob("*/index.html"))
        pages = ["", "fit/?vram=12&ram=32&ctx=8192", f"hardware/{hardware[0]}/", *(f"models/{m}/" for m in models)]
        failures = {}
        for scheme in ("light", "dark"):
            with new_context(browser, color_scheme=scheme) as ctx:
                page = ctx.new_page()
                for relative in pages:
                    page.goto(served.url(relative))
                    page.wait_for_load_state("networkidle")
                    if found := serious_violations(page):
                        failures[f"{scheme} {relative or 'home'}"] = found
    assert failures == {}


@pytest.mark.parametrize(("paper", "printable_width"), [("A4", 703), ("Letter", 725)])
def test_a_leaderboard_prints_whole_without_navigation_and_with_model_addresses(
    served: Served, browser: Browser, paper: str, printable_width: int
) -> None:
    """Printable width in CSS pixels: the paper's width at 96 dpi less the print stylesheet's 12 mm margins."""
    with new_context(browser, viewport={"width": printable_width, "height": 1000}) as ctx:
        page = ctx.new_page()
        page.emulate_media(media="print")
        goto(page, served.url())
        expect(page.get_by_role("navigation", name="Site")).to_be_hidden()
        tables = page.locator("table.leaderboard")
        assert tables.count() >= 2
        for index in range(tables.count()):
            table = tables.nth(index)
            width = table.evaluate("t => [t.scrollWidth, document.documentElement.clientWidth]")
            assert width[0] <= width[1], f"{paper}: table {index} is {width[0]} px wide on a {width[1]} px page"
            for header in table.locator("thead th").all():
                expect(header).to_be_visible()
        link = page.locator("table.leaderboard [data-print-url]").first
        address = link.get_attribute("data-print-url")
        assert address is not None and address.startswith(served.base) and "/models/" in address
        after = link.evaluate("cell => getComputedStyle(cell, '::after').content")
        assert after == f'" ({address})"'


BROKEN_WORDS = """cells => cells.flatMap(cell => {
    const room = cell.getBoundingClientRect().width;
    const probe = document.createElement("span");
    probe.style.whiteSpace = "nowrap";
    cell.append(probe);
    const broken = cell.innerText.split(/\\s+/).filter(word => {
        probe.textContent = word;
        return probe.getBoundingClientRect().width > room;
    });
    probe.remove();
    return broken;
})"""
"""The words of each cell that are wider than the cell itself, so print breaks them letter by letter."""


@pytest.mark.parametrize(("paper", "printable_width"), [("A4", 703), ("Letter", 725)])
def test_a_printed_leaderboard_keeps_its_headers_and_row_names_whole(
    served: Served, browser: Browser, paper: str, printable_width: int
) -> None:
    with new_context(browser, viewport={"width": printable_width, "height": 1000}) as ctx:
        page = ctx.new_page()
        page.emulate_media(media="print")
        goto(page, served.url())
        headers = page.locator("table.leaderboard thead th, table.leaderboard tbody th")
        assert headers.count() > 0
        assert headers.evaluate_all(BROKEN_WORDS) == [], paper
