"""Build-time parts of the reader features: the SVG charts, the tables' sort numbers, provenance fields, search."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from conftest import MODEL_YAML, FixtureSite
from html_reader import html_files

from site_builder.charts import (
    FLAG_LEGEND,
    Flag,
    RangePoint,
    bar_svg,
    model_charts,
    nice_step,
    speed_vram_svg,
    tier_chart,
)
from site_builder.lock import ShownRow
from site_builder.schema import ModelRecord
from site_builder.search import MISSING
from site_builder.search import available as search_available
from site_builder.table_data import size_gb, speed_low

SVG = "{http://www.w3.org/2000/svg}"
MakeSite = Callable[..., FixtureSite]


def parsed(markup: str) -> ET.Element:
    """The SVG as XML: it must be well formed on its own."""
    return ET.fromstring(markup)


def row(name: str, vram: str | None, speed: str | None) -> ShownRow:
    return ShownRow(category="General", model="m", name=name, vram=vram, speed=speed, why="because")


def test_speed_vram_chart_is_titled_described_svg_with_one_mark_per_point() -> None:
    points = [RangePoint("A", 22, 20, 25), RangePoint("B", 14.1, 30, 30)]
    svg = parsed(speed_vram_svg("chart-x", "Title", "Description", points))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert (svg.get("aria-labelledby"), svg.get("aria-describedby")) == ("chart-x-title", "chart-x-desc")
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and (title.get("id"), title.text) == ("chart-x-title", "Title")
    assert desc is not None and (desc.get("id"), desc.text) == ("chart-x-desc", "Description")
    assert len(svg.findall(f".//{SVG}circle")) == 2
    # A range is a segment; a single speed is only a dot.
    assert len(svg.findall(f".//{SVG}line[@class='range']")) == 1
    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert "A" in labels and "B" in labels


def test_every_chart_text_is_escaped() -> None:
    hostile = '<script>alert("x")</script> & co'
    for markup in (
        speed_vram_svg("c", hostile, hostile, [RangePoint(hostile, 10, 5, 6)]),
        bar_svg("c", hostile, hostile, [(hostile, 50)], 100),
    ):
        assert "<script>" not in markup
        svg = parsed(markup)
        texts = [element.text for element in svg.iter() if element.text]
        assert hostile in texts


def test_bars_scale_to_the_top_value() -> None:
    svg = parsed(bar_svg("c", "T", "D", [("Half", 50), ("Full", 100)], 100))
    widths = [float(rect.get("width") or 0) for rect in svg.iter(f"{SVG}rect")]
    assert widths[1] == pytest.approx(2 * widths[0])


@pytest.mark.parametrize(("top", "step"), [(24, 5), (100, 20), (8, 2), (0.5, 0.1), (1500, 500)])
def test_nice_steps_are_round(top: float, step: float) -> None:
    assert nice_step(top) == pytest.approx(step)


def test_tier_chart_plots_only_rows_with_both_figures() -> None:
    rows = [row("A", "~22 GB", "20-30 t/s"), row("B", None, "60 t/s"), row("C", "10 GB", None)]
    chart = tier_chart("24gb", "24GB VRAM", rows)
    assert chart is not None
    assert chart.rows == [["A", "General", "~22 GB", "20-30 t/s"]]
    assert chart.description.endswith("for 1 of 3 picks; 2 without both figures are not plotted.")
    assert tier_chart("24gb", "24GB VRAM", [row("B", None, "60 t/s")]) is None


def test_model_charts_use_percent_benchmarks_and_complete_quantizations() -> None:
    record = ModelRecord.model_validate(
        {
            "name": "M",
            "vendor": "V",
            "benchmarks": [
                {"name": "MMLU", "score": 70.5, "unit": "%", "source": "src"},
                {"name": "Arena", "score": 1300, "unit": "Elo", "source": "src"},
            ],
            "quantizations": [
                {"format": "Q4", "hardware": "GPU", "vram": "5 GB", "speed": "80-90 t/s", "source": "src"},
                {"format": "Q8", "hardware": "GPU", "speed": "60 t/s", "source": "src"},
            ],
        },
        strict=False,
    )
    benchmarks, quants = model_charts(record)
    assert benchmarks.rows == [["MMLU", "70.5%"]]
    assert quants.rows == [["Q4", "GPU", "5 GB", "80-90 t/s"]]
    assert model_charts(ModelRecord(name="M", vendor="V")) == []


def test_a_flagged_point_is_hollow_marked_and_explained_by_a_legend() -> None:
    plain = parsed(speed_vram_svg("c", "T", "D", [RangePoint("A", 22, 20, 25)]))
    assert FLAG_LEGEND not in [text.text for text in plain.iter(f"{SVG}text")]
    assert plain.findall(f".//{SVG}circle[@class='dot flagged']") == []
    svg = parsed(speed_vram_svg("c", "T", "D", [RangePoint("A", 22, 20, 25, flagged=True), RangePoint("B", 9, 9, 9)]))
    marks = svg.find(f"{SVG}g[@class='chart-marks']")
    assert marks is not None
    assert [circle.get("class") for circle in marks.iter(f"{SVG}circle")] == ["dot flagged", "dot"]
    assert [text.text for text in marks.iter(f"{SVG}text")] == ["A ⚠", "B"]
    legend = svg.find(f"{SVG}g[@class='chart-legend']")
    assert legend is not None
    assert [text.text for text in legend.iter(f"{SVG}text")] == [FLAG_LEGEND]
    assert [circle.get("class") for circle in legend.iter(f"{SVG}circle")] == ["dot flagged"]


def test_charts_carry_the_flags_of_implausible_vram_figures() -> None:
    flag = Flag("too small", "/fit/#fit-m-quantizations-0")
    rows = [row("A", "~22 GB", "20-30 t/s"), row("B", "10 GB", "60 t/s")]
    chart = tier_chart("24gb", "24GB VRAM", rows, lambda shown: flag if shown.name == "A" else None)
    assert chart is not None
    assert (chart.flags, chart.headers[chart.flag_column or 0]) == ([flag, None], "VRAM used")
    assert chart.description.endswith(
        "for 2 of 2 picks. 1 VRAM figure is implausible (drawn hollow and marked ⚠); the fit finder explains why."
    )
    assert "dot flagged" in chart.svg
    unflagged = tier_chart("24gb", "24GB VRAM", rows, lambda shown: None)
    assert unflagged is not None and unflagged.flags is None and "flagged" not in unflagged.svg
    record = ModelRecord.model_validate(
        {
            "name": "M",
            "vendor": "V",
            "quantizations": [
                {"format": "Q8", "hardware": "GPU", "speed": "60 t/s", "source": "src"},
                {"format": "Q3", "hardware": "GPU", "vram": "~22 GB", "speed": "20 t/s", "source": "src"},
                {"format": "Q4", "hardware": "GPU", "vram": "30 GB", "speed": "18 t/s", "source": "src"},
            ],
        },
        strict=False,
    )
    # The index is the quantization's place in the record, counting the row that is not plotted.
    (quants,) = model_charts(record, lambda index: flag if index == 1 else None)
    assert quants.flags == [flag, None]
    assert quants.description.endswith(
        "1 VRAM figure is implausible (drawn hollow and marked ⚠); the fit finder explains why."
    )


@pytest.mark.parametrize(
    ("text", "gb"), [("~22 GB", "22"), ("1.5 TB", "1500"), ("55 GB+", "55"), (None, ""), ("not a size", "")]
)
def test_size_sort_values(text: str | None, gb: str) -> None:
    assert size_gb(text) == gb


@pytest.mark.parametrize(("text", "low"), [("20-30 t/s", "20"), ("~20 t/s", "20"), ("60+ t/s", "60"), ("", "")])
def test_speed_sort_values(text: str, low: str) -> None:
    assert speed_low(text) == low


PROVENANCE_MODEL = MODEL_YAML.replace("        origin: vendor-reported\n", "").replace(
    "        origin: measured\n",
    "        runtime: llama.cpp b4500\n        context: 8K\n        settings: flash attention on\n",
)


def test_origin_is_optional_and_the_kind_then_names_the_source(make_site: MakeSite) -> None:
    site = make_site({"content/models/alpha.yaml": PROVENANCE_MODEL})
    result = site.run("build")
    assert result.code == 0, result.err
    page = (site.root / "_site/models/alpha/index.html").read_text()
    assert '<a class="provenance" href="#source-src">reported by Test Source</a>' in page
    assert "; llama.cpp b4500; 8K context; flash attention on" in page
    assert '<li id="source-src">Test Source</li>' in page


def test_bad_provenance_fields_are_located(make_site: MakeSite) -> None:
    model = textwrap.dedent(MODEL_YAML).replace("origin: vendor-reported", "origin: vendor")
    model = model.replace("origin: measured", "origin: measured\n    context: 8 thousand")
    site = make_site({"content/models/alpha.yaml": model})
    result = site.run("check")
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/models/alpha.yaml:10:5: 'origin': Input should be 'vendor-reported', 'community-tested' or "
        "'measured' (got 'vendor')",
        "content/models/alpha.yaml:18:5: 'context': '8 thousand' is not a count; write it like '309B', '15B', "
        "'~8K' or '10M'",
        "error: 2 problems found; nothing was written",
    ]


def test_without_pagefind_the_site_is_built_without_search_and_says_so(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("site_builder.search.available", lambda: False)
    monkeypatch.setattr("site_builder.table_data.search_available", lambda: False)
    site = make_site()
    result = site.run("build")
    assert result.code == 0, result.err
    out = site.root / "_site"
    assert result.err.splitlines() == [f"_site:1:1: warning: {MISSING}"]
    assert not (out / "pagefind").exists()
    assert "site-search" not in (out / "index.html").read_text()


@pytest.mark.skipif(not search_available(), reason="the pagefind package is not installed")
def test_the_build_writes_the_search_index_into_the_site(make_site: MakeSite) -> None:
    site = make_site()
    result = site.run("build")
    assert result.code == 0, result.err
    out = site.root / "_site"
    assert (out / "pagefind/pagefind-ui.js").is_file()
    assert 'data-pagefind-bundle="/board/pagefind/"' in (out / "index.html").read_text()


TOUCHING_BLOCKS = re.compile(
    r"</(th|td|dt|dd|li|p|h[1-6]|caption|figcaption)>(<(?:th|td|dt|dd|li|p|h[1-6]|div|ul|ol|dl|table|section)\b)"
)
"""A block ending right where the next begins: the search index (like copying the text) reads their words as one."""


def test_no_two_blocks_touch_so_search_excerpts_never_run_words_together(real_site: FixtureSite) -> None:
    """Over the real content, so every template (fit finder and hardware pages too) is rendered."""
    result = real_site.run("build")
    assert result.code == 0, result.err
    out = real_site.root / "_site"
    touching = {
        path.relative_to(out).as_posix(): [match.group(0) for match in TOUCHING_BLOCKS.finditer(path.read_text())]
        for path in html_files(out)
        if "pagefind" not in path.parts
    }
    assert {page: found for page, found in touching.items() if found} == {}
