"""merge: picks joined with model records into leaderboard tables, on small validated content."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import FixtureSite

from site_builder.build import check
from site_builder.content import Content
from site_builder.figures import Size, Speed
from site_builder.merge import leaderboard_for, merge, smallest_usable_memory
from site_builder.project import Project

SITE = """\
    title: Merge Board
    description: Tiers listed out of order on purpose.
    base_url: https://example.test/
    tiers:
      - id: 8gb
        label: 8GB VRAM
        min_vram_gb: 8
        max_vram_gb: 8
        order: 2
      - id: 12gb
        label: 12GB VRAM
        min_vram_gb: 12
        max_vram_gb: 12
        order: 2
      - id: 24gb
        label: 24GB VRAM
        min_vram_gb: 24
        max_vram_gb: 24
        order: 1
    wait_list:
      label: The wait list
    sources:
      - id: src
        title: Test Source
    """

ALPHA = """\
    name: Alpha 7B
    vendor: Alpha Labs
    headline_benchmark: MMLU
    benchmarks:
      - name: MMLU
        score: 70.5
        unit: "%"
        origin: vendor-reported
        source: src
      - name: GPQA
        score: 40
        unit: "%"
        origin: measured
        source: src
    quantizations:
      - format: Q4_K_M
        hardware: RTX 3090 (24GB)
        tier: 24gb
        vram: "~5 GB"
        speed: 80-90 t/s
        origin: measured
        source: src
      - format: Q4_K_M
        hardware: RTX 3060 (12GB)
        tier: 12gb
        vram: "5.5 GB"
        speed: 30-35 t/s
        origin: community-tested
        source: src
      - format: Q8_0
        hardware: RTX 3090 (24GB)
        vram: 8 GB
        origin: measured
        source: src
    memory:
      - format: FP16
        memory: 14 GB
        source: src
      - format: Q2
        memory: 2 GB
        usable: false
        source: src
      - format: Q4
        memory: 5 GB
        source: src
    """

GIANT = """\
    name: Giant 1T
    vendor: Giant Co
    memory:
      - format: Q1
        memory: "~150 GB"
        usable: false
        source: src
      - format: Q4
        memory: "~600 GB"
        source: src
      - format: Q2
        memory: 300 GB+
        source: src
      - format: FP8
        memory: "~1 TB"
        source: src
    """

TINY = """\
    name: Tiny 1B
    vendor: Tiny Co
    memory:
      - format: Q1
        memory: 1 GB
        usable: false
        source: src
    """

WEEK_1 = """\
    ---
    title: Week 1
    week: 1
    date: 2026-01-05
    summary: First.
    picks:
      12gb:
        - category: Small
          model: alpha
          quant: Q4_K_M
          why: Fits
        - category: Any
          model: alpha
          benchmark: GPQA
          why: No quant named
      24gb:
        - category: General
          model: alpha
          quant: Q4_K_M
          why: Record speed
        - category: Fast
          model: alpha
          quant: Q4_K_M
          speed: "~100 t/s"
          why: Pick speed
        - category: Big
          model: alpha
          quant: Q8_0
          why: No speed anywhere
      8gb:
        - category: Plain
          model: alpha
          why: No quant, no tier row
    wait_list:
      - model: giant
        why: Too big
      - model: tiny
        why: Nothing usable
    ---
    Week one.
    """

WEEK_2 = """\
    ---
    title: Week 2
    week: 2
    date: 2026-01-12
    summary: Second.
    picks:
      24gb:
        - category: Reasoning
          model: giant
          why: Somehow
    wait_list:
      - model: alpha
        why: Not really
    ---
    Week two.
    """


@pytest.fixture
def content(make_site: Callable[..., FixtureSite]) -> Content:
    site = make_site(
        {
            "content/site.yaml": SITE,
            "content/models/alpha.yaml": ALPHA,
            "content/models/giant.yaml": GIANT,
            "content/models/tiny.yaml": TINY,
            # Written in reverse file order on purpose: weeks are ordered by number, not by file name.
            "content/posts/week-01.md": WEEK_2,
            "content/posts/week-02.md": WEEK_1,
        }
    )
    return check(Project.at(site.root))


def test_content_is_valid_and_ordered(content: Content) -> None:
    assert list(content.models) == ["alpha", "giant", "tiny"]
    assert [post.meta.week for post in content.posts] == [1, 2]
    assert [post.id for post in content.posts] == ["week-02", "week-01"]


def test_tiers_come_in_order_then_id(content: Content) -> None:
    board = leaderboard_for(content.posts[0], content)
    # 24gb has order 1; 12gb and 8gb share order 2 and fall back to their ids ("12gb" < "8gb").
    assert [table.tier.id for table in board.tiers] == ["24gb", "12gb", "8gb"]
    assert [len(table.rows) for table in board.tiers] == [3, 2, 1]
    assert [row.category for row in board.tiers[0].rows] == ["General", "Fast", "Big"]
    assert board.post is content.posts[0]


def test_every_tier_has_a_table_even_without_picks(content: Content) -> None:
    board = leaderboard_for(content.posts[1], content)
    assert [(table.tier.id, len(table.rows)) for table in board.tiers] == [("24gb", 1), ("12gb", 0), ("8gb", 0)]


def test_record_supplies_vram_and_speed_when_the_pick_omits_them(content: Content) -> None:
    row = leaderboard_for(content.posts[0], content).tiers[0].rows[0]
    assert (row.category, row.why) == ("General", "Record speed")
    assert row.model.id == "alpha"
    assert row.quant is not None
    assert row.quant.tier == "24gb"
    assert row.quant.vram == Size(5.0, approximate=True)
    assert row.quant_label == "Q4_K_M"
    assert row.speed == Speed(80.0, 90.0)
    assert row.speed_from_record is True


def test_the_picks_speed_wins_when_given(content: Content) -> None:
    row = leaderboard_for(content.posts[0], content).tiers[0].rows[1]
    assert row.category == "Fast"
    assert row.speed == Speed(100.0, 100.0, approximate=True)
    assert row.speed_from_record is False
    # The record still supplies the VRAM.
    assert row.quant is not None
    assert row.quant.vram == Size(5.0, approximate=True)


def test_no_speed_anywhere_is_none_and_not_from_the_record(content: Content) -> None:
    row = leaderboard_for(content.posts[0], content).tiers[0].rows[2]
    assert row.quant is not None
    assert row.quant.format == "Q8_0"
    assert row.quant.vram == Size(8.0)
    assert row.speed is None
    assert row.speed_from_record is False


def test_a_format_with_rows_in_two_tiers_resolves_by_tier(content: Content) -> None:
    board = leaderboard_for(content.posts[0], content)
    big, small = board.tiers[0].rows[0], board.tiers[1].rows[0]
    assert big.quant is not None
    assert small.quant is not None
    assert (big.quant.tier, big.quant.hardware, big.speed) == ("24gb", "RTX 3090 (24GB)", Speed(80.0, 90.0))
    assert (small.quant.tier, small.quant.hardware, small.speed) == ("12gb", "RTX 3060 (12GB)", Speed(30.0, 35.0))
    assert small.quant.vram == Size(5.5)
    assert small.speed_from_record is True


def test_pick_without_quant_uses_the_row_for_its_tier(content: Content) -> None:
    row = leaderboard_for(content.posts[0], content).tiers[1].rows[1]
    assert row.why == "No quant named"
    assert row.quant is not None
    assert row.quant.tier == "12gb"
    assert row.quant_label == "Q4_K_M"
    assert row.speed == Speed(30.0, 35.0)
    assert row.speed_from_record is True


def test_pick_without_quant_and_no_row_for_its_tier_has_no_figures(content: Content) -> None:
    # No alpha row is tagged 8gb, and the untiered Q8_0 row is not guessed.
    row = leaderboard_for(content.posts[0], content).tiers[2].rows[0]
    assert row.why == "No quant, no tier row"
    assert row.quant is None
    assert row.quant_label == ""
    assert row.speed is None
    assert row.speed_from_record is False


def test_benchmark_is_the_headline_unless_the_pick_names_one(content: Content) -> None:
    board = leaderboard_for(content.posts[0], content)
    headline, chosen = board.tiers[0].rows[0].benchmark, board.tiers[1].rows[1].benchmark
    assert headline is not None
    assert chosen is not None
    assert (headline.name, headline.score) == ("MMLU", 70.5)
    assert (chosen.name, chosen.score) == ("GPQA", 40.0)


def test_model_without_headline_or_quantizations(content: Content) -> None:
    row = leaderboard_for(content.posts[1], content).tiers[0].rows[0]
    assert row.model.id == "giant"
    assert row.benchmark is None
    assert row.quant is None
    assert row.quant_label == ""
    assert row.speed is None
    assert row.speed_from_record is False


def test_wait_list_uses_the_smallest_usable_memory_row(content: Content) -> None:
    wait = leaderboard_for(content.posts[0], content).wait_list
    assert [(row.model.id, row.why) for row in wait] == [("giant", "Too big"), ("tiny", "Nothing usable")]
    giant = wait[0].memory
    assert giant is not None
    # ~150 GB is smaller but not usable; 300 GB+ beats ~600 GB and ~1 TB.
    assert (giant.format, giant.memory, str(giant.memory)) == ("Q2", Size(300.0, at_least=True), "300 GB+")
    assert wait[1].memory is None


def test_smallest_usable_memory_compares_terabytes_and_gigabytes(content: Content) -> None:
    alpha, giant, tiny = (content.models[name] for name in ("alpha", "giant", "tiny"))
    alpha_need = smallest_usable_memory(alpha)
    assert alpha_need is not None
    assert (alpha_need.format, alpha_need.memory) == ("Q4", Size(5.0))
    giant_need = smallest_usable_memory(giant)
    assert giant_need is not None
    assert giant_need.format == "Q2"
    assert smallest_usable_memory(tiny) is None


@pytest.mark.parametrize(
    ("quant", "tier", "expected"),
    [
        ("Q4_K_M", "24gb", ("Q4_K_M", "24gb")),
        ("Q4_K_M", "12gb", ("Q4_K_M", "12gb")),
        ("Q4_K_M", "8gb", None),
        ("Q8_0", "8gb", ("Q8_0", None)),
        ("Q8_0", "24gb", ("Q8_0", None)),
        ("Q2_K", "24gb", None),
        (None, "24gb", ("Q4_K_M", "24gb")),
        (None, "12gb", ("Q4_K_M", "12gb")),
        (None, "8gb", None),
    ],
)
def test_quantization_for(content: Content, quant: str | None, tier: str, expected: tuple[str, str] | None) -> None:
    found = content.models["alpha"].quantization_for(quant, tier)
    assert (None if found is None else (found.format, found.tier)) == expected


@pytest.mark.parametrize(
    ("quant", "tier", "problem"),
    [
        (
            "Q4_K_M",
            "8gb",
            "'Q4_K_M' of alpha is measured for tier '24gb' (quantizations[0]) and tier '12gb' (quantizations[1]), "
            "not '8gb'; add a row for '8gb' or pick another quantization",
        ),
        ("Q2_K", "24gb", "unknown quantization 'Q2_K': not among the quantizations of alpha; did you mean 'Q4_K_M'?"),
        ("Q4_K_M", "24gb", None),
        (None, "8gb", None),
    ],
)
def test_match_quantization_says_why_no_row_matches(
    content: Content, quant: str | None, tier: str, problem: str | None
) -> None:
    assert content.models["alpha"].match_quantization(quant, tier).problem == problem


def test_quantization_for_on_a_model_without_rows(content: Content) -> None:
    assert content.models["giant"].quantization_for(None, "24gb") is None
    assert content.models["giant"].quantization_for("Q4", "24gb") is None


def test_merge_builds_a_leaderboard_per_week_oldest_first(content: Content) -> None:
    data = merge(content)
    assert data.content is content
    assert [board.post.meta.week for board in data.weeks] == [1, 2]
    assert data.current is data.weeks[-1]
    assert data.current.post.meta.title == "Week 2"
    assert [row.model for row in data.current.tiers[0].rows] == ["giant"]
    assert [row.model for row in data.current.wait_list] == ["alpha"]


def test_merge_lists_each_models_appearances_newest_first(content: Content) -> None:
    appearances = merge(content).appearances
    assert set(appearances) == {"alpha", "giant", "tiny"}
    assert [(a.post.meta.week, a.where, a.category, a.why) for a in appearances["giant"]] == [
        (2, "24GB VRAM", "Reasoning", "Somehow"),
        (1, "The wait list", "", "Too big"),
    ]
    alpha = [(a.post.meta.week, a.where, a.category) for a in appearances["alpha"]]
    assert alpha == [
        (2, "The wait list", ""),
        (1, "24GB VRAM", "General"),
        (1, "24GB VRAM", "Fast"),
        (1, "24GB VRAM", "Big"),
        (1, "12GB VRAM", "Small"),
        (1, "12GB VRAM", "Any"),
        (1, "8GB VRAM", "Plain"),
    ]
    assert [a.why for a in appearances["tiny"]] == ["Nothing usable"]


def test_merge_without_posts_has_no_current_week(make_site: Callable[..., FixtureSite]) -> None:
    site = make_site({"content/posts/week-01.md": None})
    data = merge(check(Project.at(site.root)))
    assert data.weeks == []
    assert data.current is None
    assert data.appearances == {"alpha": [], "giant": []}


def test_rows_made_without_validating_again_equal_validated_ones(content: Content) -> None:
    """The merge makes lock rows from checked values without checking them again: they must be
    exactly what validating the same values gives (a lock file read back is compared with them)."""
    week = merge(content).weeks[0]
    rows = [row for table in week.tiers for row in table.rows]
    assert rows and week.wait_list
    for row in [*rows, *week.wait_list]:
        again = type(row).model_validate(row.model_dump())
        assert again == row and again.model_dump_json() == row.model_dump_json()
        assert again.model_fields_set == row.model_fields_set
