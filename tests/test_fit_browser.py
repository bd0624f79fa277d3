"""Browser tests of the fit finder over the real content, served under a sub-path.

Only the cases the reader issue names are asserted on the real content: GLM-5 does not fit
24 GB with 32 GB of RAM, Gemma 3 27B QAT fits 24 GB and needs offload on 12 GB, and
MiMo-V2-Flash's reported ~22 GB is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, MakeSite, copy_site, latest_post_date, source_date_epoch
from playwright.sync_api import Browser, Locator, Page, expect
from test_browser import DESKTOP, Served, Watch, build_and_serve, goto, new_context
from test_fit import DENSE_YAML, HARDWARE_YAML, SPARSE_YAML
from test_reader_tables import AXE, serious_violations

from site_builder.build import check
from site_builder.fit import Setup, entries, verdict
from site_builder.project import Project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("fit-site")
    site = copy_site(root / "real", REPO / "content")
    with pytest.MonkeyPatch.context() as patch:
        # Every week of the real content counts as published, whatever the date of its latest post.
        patch.setenv("SOURCE_DATE_EPOCH", source_date_epoch(latest_post_date(site.root / "content")))
        with build_and_serve(site, root / "out") as served:
            yield served


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_context(browser, viewport=DESKTOP) as ctx:
        yield ctx.new_page()


def results_rows(page: Page, model: str) -> Locator:
    return page.locator("#fit-results tbody tr").filter(has=page.get_by_role("rowheader", name=re.compile(model)))


def verdicts(page: Page, model: str) -> list[str]:
    rows = results_rows(page, model)
    expect(rows.first).to_be_visible()
    return [rows.nth(i).get_attribute("data-verdict") or "" for i in range(rows.count())]


def test_24_gb_with_32_gb_ram(served: Served, page: Page) -> None:
    watch = Watch().attach(page)
    goto(page, served.url("fit/?vram=24&ram=32&ctx=8192"))
    assert set(verdicts(page, "GLM-5")) == {"no"}
    gemma = results_rows(page, "Gemma 3 27B QAT")
    expect(gemma).to_have_count(1)
    expect(gemma).to_have_attribute("data-verdict", "fits")
    expect(gemma.locator("td.verdict")).to_have_text("Fits in VRAM")
    # The state came from the URL: the form shows it.
    expect(page.locator("#fit-vram")).to_have_value("24")
    expect(page.locator("#fit-ram")).to_have_value("32")
    page.wait_for_load_state("networkidle")
    assert watch.problems == []


def test_12_gb_gemma_needs_offload(served: Served, page: Page) -> None:
    goto(page, served.url("fit/?vram=12"))
    gemma = results_rows(page, "Gemma 3 27B QAT")
    expect(gemma).to_have_attribute("data-verdict", "offload")
    expect(gemma.locator("td.verdict")).to_have_text(re.compile(r"^Runs with offload \(slow\)"))


def test_typing_a_number_updates_the_url_and_the_verdict(served: Served, page: Page) -> None:
    goto(page, served.url("fit/?vram=24"))
    expect(results_rows(page, "Gemma 3 27B QAT")).to_have_attribute("data-verdict", "fits")
    page.locator("#fit-vram").fill("12")
    expect(results_rows(page, "Gemma 3 27B QAT")).to_have_attribute("data-verdict", "offload")
    assert "vram=12" in page.url


def test_mimo_figure_is_flagged_and_the_flag_explains(served: Served, page: Page) -> None:
    goto(page, served.url("fit/?vram=24&ram=32&ctx=8192"))
    row = results_rows(page, "MiMo-V2-Flash").filter(has=page.get_by_role("cell", name=re.compile(r"^Q3_K_S\b")))
    expect(row).to_have_count(1)
    flag = row.get_by_role("link", name="⚠ implausible")
    expect(flag).to_be_visible()
    flag.click()
    explanation = page.locator(":target")
    expect(explanation).to_contain_text("reported ~22 GB at Q3_K_S")
    expect(explanation).to_contain_text("likely experts held in system RAM")


def test_mimo_figure_is_flagged_in_the_tier_table(served: Served, page: Page) -> None:
    goto(page, served.url())
    table = page.get_by_role("table", name=re.compile(r"^24GB VRAM: best picks"))
    row = table.get_by_role("row").filter(has_text="MiMo-V2-Flash")
    expect(row.get_by_role("link", name="⚠ implausible")).to_be_visible()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core not installed (scripts/test installs it with npm)")
@pytest.mark.parametrize("relative", ["tiers/24gb/", "models/mimo-v2-flash/"])
def test_mimo_figure_is_flagged_in_the_speed_chart_and_its_data(
    served: Served, browser: Browser, relative: str
) -> None:
    for scheme in ("light", "dark"):
        with new_context(browser, color_scheme=scheme) as ctx:
            page = ctx.new_page()
            goto(page, served.url(relative))
            chart = page.locator("figure.chart").filter(has=page.locator("svg .dot.flagged"))
            expect(chart).to_have_count(1)
            expect(chart.get_by_role("img")).to_have_accessible_description(re.compile(r"implausible"))
            flag = chart.get_by_role("table").get_by_role("row").filter(has_text="~22 GB").first
            expect(flag.get_by_role("link", name="⚠ implausible")).to_have_attribute(
                "href", re.compile(r"/sub/fit/#fit-mimo-v2-flash-")
            )
            assert serious_violations(page) == [], scheme


def test_without_javascript_the_page_explains_the_method_and_lists_the_tiers(served: Served, browser: Browser) -> None:
    with new_context(browser, java_script_enabled=False) as ctx:
        page = ctx.new_page()
        goto(page, served.url("fit/?vram=24"))
        expect(page.get_by_role("heading", name="How the estimate works")).to_be_visible()
        expect(page.locator(".fit-no-script")).to_be_visible()
        expect(page.get_by_role("table", name=re.compile(r"^24GB VRAM: best picks"))).to_be_visible()
        expect(page.get_by_role("table", name=re.compile(r"^12-16GB VRAM: best picks"))).to_be_visible()


def test_hardware_page_links_to_its_preset(served: Served, page: Page) -> None:
    watch = Watch().attach(page)
    goto(page, served.url("hardware/rtx-4090/"))
    page.get_by_role("link", name=re.compile(r"^Open the fit finder")).click()
    page.wait_for_url(re.compile(r"/sub/fit/\?vram=24&gpus=1"))
    expect(results_rows(page, "Gemma 3 27B QAT")).to_have_attribute("data-verdict", "fits")
    page.wait_for_load_state("networkidle")
    assert watch.problems == []


def test_fit_finder_asks_only_its_own_site(served: Served, page: Page) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    goto(page, served.url("fit/?vram=24"))
    page.wait_for_load_state("networkidle")
    assert asked and all(url.startswith(served.base) for url in asked), asked
    assert any(url.endswith("/sub/fit/data.json") for url in asked)


def test_output_files_exist(served: Served) -> None:
    out = Path(served.server.folder)
    assert (out / "fit/data.json").is_file()
    assert (out / "hardware/mac-studio-128gb/index.html").is_file()


def test_picking_a_mac_counts_only_its_gpu_share(served: Served, page: Page) -> None:
    goto(page, served.url("fit/?vram=24&ram=64"))
    expect(results_rows(page, "Gemma 3 27B QAT")).to_be_visible()
    page.get_by_label("Your GPU or computer").select_option(label="Mac Studio 128GB")
    # 128 GB x the default GPU share, never all of it; the CPU's part of the same memory is not counted as RAM.
    vram = float(page.locator("#fit-vram").input_value())
    assert 0 < vram < 128
    expect(page.locator("#fit-ram")).to_have_value("0")
    assert "ram=0" in page.url
    expect(results_rows(page, "Gemma 3 27B QAT")).to_have_attribute("data-verdict", "fits")


def test_picking_a_card_keeps_the_readers_ram(served: Served, page: Page) -> None:
    goto(page, served.url("fit/?vram=24&ram=64"))
    expect(results_rows(page, "Gemma 3 27B QAT")).to_be_visible()
    page.get_by_label("Your GPU or computer").select_option(label="RTX 3060 12GB")
    expect(page.locator("#fit-vram")).to_have_value("12")
    expect(page.locator("#fit-ram")).to_have_value("64")
    expect(results_rows(page, "Gemma 3 27B QAT")).to_have_attribute("data-verdict", "offload")


SETUPS = [
    Setup(vram_gb=12, ram_gb=32),
    Setup(vram_gb=24, ram_gb=64, context=32768),
    Setup(vram_gb=24, gpus=2, ram_gb=128, context=4096),
    Setup(vram_gb=8, ram_gb=0),
]


@pytest.mark.parametrize("setup", SETUPS, ids=lambda s: f"{s.gpus}x{s.vram_gb:g}-ram{s.ram_gb:g}-ctx{s.context}")
def test_the_script_reaches_the_builds_verdicts(served: Served, page: Page, setup: Setup) -> None:
    """static/fit.js and site_builder/fit.py apply the same rules to every entry (an invariant of any content)."""
    content = check(Project.at(REPO))
    assert content.hardware is not None
    expected = [
        verdict(entry, setup, content.hardware.estimation)
        for entry in entries(content.models.values(), content.hardware.estimation)
    ]
    query = f"vram={setup.vram_gb:g}&gpus={setup.gpus}&ram={setup.ram_gb:g}&ctx={setup.context}&kv=f16"
    goto(page, served.url(f"fit/?{query}"))
    rows = page.locator("#fit-results tbody tr")
    expect(rows).to_have_count(len(expected))
    assert [rows.nth(i).get_attribute("data-verdict") for i in range(len(expected))] == expected


def test_offloaded_speed_is_not_estimated_unless_the_source_ran_offloaded(served: Served, page: Page) -> None:
    goto(page, served.url("fit/?vram=12&ram=32"))
    gemma = results_rows(page, "Gemma 3 27B QAT")
    expect(gemma).to_have_attribute("data-verdict", "offload")
    expect(gemma.locator("td").nth(3)).to_have_text("slow, not estimated")
    goto(page, served.url("fit/?vram=24&ram=256"))
    mimo = results_rows(page, "MiMo-V2-Flash").filter(has=page.get_by_role("cell", name=re.compile(r"^Q3_K_S\b")))
    expect(mimo).to_have_attribute("data-verdict", "offload")
    expect(mimo.locator("td").nth(1)).to_have_text("Runs with offload (slow): MoE experts held in system RAM")
    expect(mimo.locator("td").nth(3)).to_have_text(re.compile(r" reported on .+, with offload$"))


@pytest.mark.parametrize("relative", ["fit/?vram=24&ram=32", "hardware/mac-studio-128gb/"])
def test_phone_width_pages_never_scroll_sideways(served: Served, browser: Browser, relative: str) -> None:
    with new_context(browser, viewport={"width": 360, "height": 740}) as ctx:
        page = ctx.new_page()
        goto(page, served.url(relative))
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_at_375_px_each_verdict_is_a_card_with_its_verdict_and_memory_in_view(served: Served, browser: Browser) -> None:
    width = 375
    with new_context(browser, viewport={"width": width, "height": 740}) as ctx:
        page = ctx.new_page()
        goto(page, served.url("fit/?vram=24&ram=32"))
        rows = page.locator("#fit-results tbody tr")
        expect(rows.first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Nothing to scroll sideways inside the results either.
        box = page.locator("#fit-results .table-scroll")
        assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
        for row in rows.all():
            for label in ("Verdict", "Memory needed"):
                cell = row.locator(f"td[data-label='{label}']")
                cell.scroll_into_view_if_needed()
                where = cell.bounding_box()
                assert where is not None and where["width"] > 0
                assert where["x"] >= 0 and where["x"] + where["width"] <= width, (label, where)
                assert cell.evaluate("td => getComputedStyle(td, '::before').content") == f'"{label}: "'
            assert page.evaluate("window.scrollX") == 0


def test_at_desktop_width_every_column_of_the_verdicts_is_in_view(served: Served, page: Page) -> None:
    goto(page, served.url("fit/?vram=24&ram=32&ctx=8192"))
    box = page.locator("#fit-results .table-scroll")
    expect(box.locator("tbody tr").first).to_be_visible()
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
    source = box.get_by_role("columnheader", name="Source")
    where = source.bounding_box()
    assert where is not None and where["x"] + where["width"] <= DESKTOP["width"]


def test_each_verdict_names_the_hardware_its_figures_were_reported_on(served: Served, page: Page) -> None:
    """Two rows of one model and format (measured on two tiers' cards) are told apart (an invariant of any content)."""
    content = check(Project.at(REPO))
    assert content.hardware is not None
    expected = [
        f"{entry.format} on {entry.hardware}" if entry.hardware else entry.format
        for entry in entries(content.models.values(), content.hardware.estimation)
    ]
    goto(page, served.url("fit/?vram=24"))
    cells = page.locator("#fit-results tbody td[data-label='Format']")
    expect(cells).to_have_count(len(expected))
    assert [" ".join(text.split()) for text in cells.all_inner_texts()] == expected


def test_at_375_px_a_hardware_pages_tables_are_cards_with_nothing_off_to_the_side(
    served: Served, browser: Browser
) -> None:
    with new_context(browser, viewport={"width": 375, "height": 740}) as ctx:
        page = ctx.new_page()
        goto(page, served.url("hardware/rtx-4090/"))
        boxes = page.locator("main .table-scroll")
        assert boxes.count() > 0
        assert boxes.evaluate_all("all => all.filter(box => box.scrollWidth > box.clientWidth).length") == 0
        for cell in page.locator("main td[data-label]").all():
            label = cell.get_attribute("data-label")
            assert cell.evaluate("td => getComputedStyle(td, '::before').content") == f'"{label}: "'


# --- A fixture site: exact figures ------------------------------------------------------

TINY_YAML = """\
    name: Tiny 12B
    vendor: Tiny Co
    architecture: dense
    total_params: 12B
    quantizations:
      - format: Q3_K_S
        hardware: RTX 3090 (24GB)
        origin: community-tested
        source: src
    """


@pytest.fixture
def fixture_served(make_site: MakeSite, tmp_path: Path) -> Iterator[Served]:
    site = make_site(
        {
            "content/hardware.yaml": HARDWARE_YAML,
            "content/models/sparse.yaml": SPARSE_YAML,
            "content/models/dense.yaml": DENSE_YAML,
            "content/models/tiny.yaml": TINY_YAML,
        }
    )
    with build_and_serve(site, tmp_path / "out") as served:
        yield served


def test_the_fit_finder_rounds_estimates_as_the_hardware_page_does(fixture_served: Served, page: Page) -> None:
    # Sparse: 309B x 3.5 / 8 + 1 GB buffer = 136.1875. Dense: 27B x 8.5 / 8 + 1 GB + a tiny KV cache = 29.69.
    # Tiny: 12B x 3.5 / 8 + 1 GB = 6.25 exactly, a tie that Python's round takes to the even 6.2.
    expected = {("Sparse 309B", "Q3_K_S"): "136.2", ("Dense 27B", "8-bit"): "29.7", ("Tiny 12B", "Q3_K_S"): "6.2"}
    goto(page, fixture_served.url("hardware/card-24/"))
    verdicts = page.get_by_role("table", name=re.compile(r"^Every model and format on")).locator("tbody tr")
    on_hardware_page = {}
    for model, format in expected:
        row = verdicts.filter(has=page.get_by_role("rowheader", name=model)).filter(
            has=page.get_by_role("cell", name=re.compile(rf"^{re.escape(format)}\b"))
        )
        expect(row).to_have_count(1)
        found = re.search(r"≈ ([\d.]+) GB", row.locator("[data-label='Memory needed']").inner_text())
        on_hardware_page[model, format] = found.group(1) if found else None
    assert on_hardware_page == expected
    goto(page, fixture_served.url("fit/?vram=24&gpus=1"))
    for (model, format), figure in expected.items():
        row = results_rows(page, model).filter(
            has=page.get_by_role("cell", name=re.compile(rf"^{re.escape(format)}\b"))
        )
        expect(row.locator("td").nth(2)).to_contain_text(f"est. ≈ {figure} GB (")
    expect(page.locator("#fit-results caption")).to_contain_text("(usable VRAM ≈ 23.5 GB)")


def test_a_source_without_a_url_links_to_its_entry_on_the_model_page(fixture_served: Served, page: Page) -> None:
    goto(page, fixture_served.url("fit/?vram=24"))
    row = results_rows(page, "Tiny 12B")
    source = row.locator("td[data-label='Source']").get_by_role("link", name="Test Source")
    expect(source).to_have_attribute("href", "/sub/models/tiny/#source-src")
    source.click()
    expect(page.locator(":target")).to_have_attribute("id", "source-src")
    expect(page.locator(":target")).to_contain_text("Test Source")
