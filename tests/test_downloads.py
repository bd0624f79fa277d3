"""Data downloads: leaderboard.json, weeks/<n>.json, models.json and one CSV per tier."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from conftest import MakeSite

SECOND_POST = """\
    ---
    title: Week 2
    week: 2
    date: 2026-01-12
    summary: Second week.
    picks:
      12gb:
        - category: Small, "quoted"
          model: alpha
          quant: Q4_K_M
          why: Fits, with a comma
    ---

    Nothing new.
    """

ROW_FIELDS = [
    "category",
    "model",
    "name",
    "quant",
    "quant_note",
    "vram",
    "vram_source",
    "vram_origin",
    "speed",
    "speed_from",
    "speed_source",
    "speed_origin",
    "benchmark",
    "why",
]


def build(make_site: MakeSite) -> Path:
    site = make_site({"content/posts/week-02.md": SECOND_POST})
    result = site.run("build")
    assert result.code == 0, result.err
    return site.root / "_site"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_each_week_is_published_as_json_with_the_documented_fields(make_site: MakeSite) -> None:
    out = build(make_site)
    week = read_json(out / "weeks/1.json")
    assert list(week) == [
        "schema_version",
        "week",
        "title",
        "date",
        "summary",
        "url",
        "frozen",
        "tiers",
        "wait_list",
    ]
    assert week["schema_version"] == 1
    assert (week["week"], week["date"], week["frozen"]) == (1, "2026-01-05", False)
    assert week["url"] == "https://example.test/board/posts/week-01/"
    assert [(tier["id"], tier["label"]) for tier in week["tiers"]] == [("24gb", "24GB VRAM"), ("12gb", "12GB VRAM")]
    [row] = week["tiers"][0]["rows"]
    assert list(row) == ROW_FIELDS
    assert row["model"] == "alpha"
    assert row["vram"] == "~5 GB"
    assert (row["vram_source"], row["vram_origin"]) == ("src", "measured")
    assert row["speed"] == "80-90 t/s"
    assert (row["speed_from"], row["speed_source"], row["speed_origin"]) == ("record", "src", "measured")
    benchmark = {"name": "MMLU", "score": 70.5, "unit": "%", "approximate": False}
    assert row["benchmark"] == {**benchmark, "source": "src", "origin": "vendor-reported"}
    assert week["tiers"][1]["rows"] == []
    assert week["wait_list"] == [
        {
            "model": "giant",
            "name": "Giant 1T",
            "memory": "~600 GB",
            "format": "Q4",
            "memory_source": "src",
            "why": "Needs a server",
        }
    ]


def test_the_leaderboard_is_the_current_week(make_site: MakeSite) -> None:
    out = build(make_site)
    assert read_json(out / "leaderboard.json") == read_json(out / "weeks/2.json")
    assert read_json(out / "leaderboard.json")["week"] == 2


def test_models_json_holds_every_record_with_its_sources(make_site: MakeSite) -> None:
    out = build(make_site)
    models = read_json(out / "models.json")
    assert models["schema_version"] == 1
    assert models["record_schema"] == "https://example.test/board/schemas/model-record.schema.json"
    assert (out / "schemas/model-record.schema.json").is_file()
    assert [source["id"] for source in models["sources"]] == ["src"]
    assert [model["id"] for model in models["models"]] == ["alpha", "giant"]
    alpha = models["models"][0]
    assert alpha["url"] == "https://example.test/board/models/alpha/"
    assert alpha["record"]["quantizations"][0]["origin"] == "measured"
    assert alpha["record"]["quantizations"][0]["source"] == "src"


def test_each_tier_csv_round_trips_with_the_csv_module(make_site: MakeSite) -> None:
    out = build(make_site)
    rows = list(csv.DictReader(io.StringIO((out / "tiers/12gb.csv").read_text(encoding="utf-8"), newline="")))
    assert rows == [
        {
            "week": "2",
            "rank": "1",
            "category": 'Small, "quoted"',
            "model": "alpha",
            "name": "Alpha 7B",
            "quant": "Q4_K_M",
            "quant_note": "",
            "vram": "~5 GB",
            "speed": "80-90 t/s",
            "speed_from": "record",
            "benchmark_name": "MMLU",
            "benchmark_score": "70.5",
            "benchmark_unit": "%",
            "benchmark_approximate": "false",
            "why": "Fits, with a comma",
        }
    ]
    empty = (out / "tiers/24gb.csv").read_text(encoding="utf-8")
    assert empty == (
        "week,rank,category,model,name,quant,quant_note,vram,speed,speed_from,"
        "benchmark_name,benchmark_score,benchmark_unit,benchmark_approximate,why\n"
    )


def test_pages_link_to_the_data_they_show(make_site: MakeSite) -> None:
    out = build(make_site)
    home = (out / "index.html").read_text()
    assert '<a href="/board/leaderboard.json" type="application/json">JSON</a>' in home
    assert '<a href="/board/tiers/12gb.csv" type="text/csv">12GB VRAM</a>' in home
    assert '<a href="/board/models.json" type="application/json">JSON</a>' in home
    assert '<a href="/board/tiers/12gb.csv" type="text/csv">CSV</a>' in (out / "tiers/12gb/index.html").read_text()
    assert (
        '<a href="/board/weeks/1.json" type="application/json">JSON</a>'
        in (out / "posts/week-01/index.html").read_text()
    )
    models = (out / "models/index.html").read_text()
    assert 'href="/board/schemas/model-record.schema.json"' in models
    assert 'href="/board/schemas/post-front-matter.schema.json"' in models


def test_csv_cells_that_would_start_a_spreadsheet_formula_are_made_inert(make_site: MakeSite) -> None:
    hostile = SECOND_POST.replace('category: Small, "quoted"', 'category: "=HYPERLINK(\\"http://x\\")"').replace(
        "why: Fits, with a comma", 'why: "@SUM(A1)"'
    )
    site = make_site({"content/posts/week-02.md": hostile})
    assert site.run("build").code == 0
    rows = list(csv.DictReader(io.StringIO((site.root / "_site/tiers/12gb.csv").read_text(encoding="utf-8"))))
    assert (rows[0]["category"], rows[0]["why"]) == ('\'=HYPERLINK("http://x")', "'@SUM(A1)")
