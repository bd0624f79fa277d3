"""Frozen weeks: `site-builder freeze` writes a lock, the build renders the week from it and warns about drift."""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import PINNED_TODAY, FixtureSite
from ruamel.yaml import YAML

from site_builder.build import check_site
from site_builder.freeze import freeze_weeks
from site_builder.project import Project
from site_builder.schedule import Schedule

LOCK = "content/frozen/week-01.yaml"
POST_PAGE = "_site/posts/week-01/index.html"

EXPECTED_LOCK = """\
    # Week 1 as published. Written by `site-builder freeze`; do not edit by hand.
    # The site shows this week's tables from this file. To change them on purpose, edit the
    # post or the records, then run: site-builder freeze --refresh week-01
    tiers:
      24gb:
        - category: General
          model: alpha
          name: Alpha 7B
          quant: Q4_K_M
          vram: ~5 GB
          vram_source: src
          vram_origin: measured
          speed: 80-90 t/s
          speed_from: record
          speed_source: src
          speed_origin: measured
          benchmark:
            name: MMLU
            score: 70.5
            unit: '%'
            approximate: false
            source: src
            origin: vendor-reported
          why: Fast and small
    wait_list:
      - model: giant
        name: Giant 1T
        memory: ~600 GB
        format: Q4
        memory_source: src
        why: Needs a server
    """


def edit(site: FixtureSite, relative: str, old: str, new: str) -> None:
    path = site.root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def frozen(make_site: Callable[..., FixtureSite]) -> FixtureSite:
    """The tiny site with Week 1 frozen and built."""
    site = make_site()
    result = site.run("freeze")
    assert (result.code, result.out, result.err) == (0, f"Froze Week 1 in {LOCK}\n", "")
    built = site.run("build")
    assert (built.code, built.err) == (0, "")
    return site


def test_freeze_writes_the_figures_as_shown(frozen: FixtureSite) -> None:
    assert (frozen.root / LOCK).read_text(encoding="utf-8") == textwrap.dedent(EXPECTED_LOCK)


def test_the_function_other_commands_call_returns_what_it_wrote(make_site: Callable[..., FixtureSite]) -> None:
    site = make_site()
    written = freeze_weeks(Project.at(site.root), PINNED_TODAY, ["week-01"], refresh=False)
    assert [(item.post.id, item.path, item.refreshed) for item in written] == [("week-01", site.root / LOCK, False)]
    assert freeze_weeks(Project.at(site.root), PINNED_TODAY, [], refresh=False) == []


def test_a_frozen_page_is_byte_identical_after_a_record_edit_and_the_build_warns(frozen: FixtureSite) -> None:
    before = (frozen.root / POST_PAGE).read_bytes()
    home_before = (frozen.root / "_site/index.html").read_bytes()
    edit(frozen, "content/models/alpha.yaml", 'vram: "~5 GB"', 'vram: "~6 GB"')
    result = frozen.run("build")
    assert result.code == 0
    assert result.err == (
        "content/frozen/week-01.yaml:10:7: warning: Week 1, 24GB VRAM row 1 (Alpha 7B): "
        "VRAM frozen at ~5 GB, record now says ~6 GB\n"
    )
    assert (frozen.root / POST_PAGE).read_bytes() == before
    assert (frozen.root / "_site/index.html").read_bytes() == home_before
    model_page = (frozen.root / "_site/models/alpha/index.html").read_text(encoding="utf-8")
    # The model page has today's figure in its quantization table, and the week's in its history.
    assert '<td class="num" data-sort="6">~6 GB</td>' in model_page
    assert '<td class="num" data-sort="5">~5 GB</td>' in model_page


def test_check_and_the_merged_data_carry_the_same_warning(frozen: FixtureSite) -> None:
    edit(frozen, "content/models/alpha.yaml", "score: 70.5", "score: 71")
    expected = (
        "content/frozen/week-01.yaml:17:7: warning: Week 1, 24GB VRAM row 1 (Alpha 7B): "
        "headline benchmark frozen at 70.5% MMLU, record now says 71% MMLU"
    )
    result = frozen.run("check")
    assert (result.code, result.err) == (0, expected + "\n")
    assert [str(warning) for warning in check_site(Project.at(frozen.root), Schedule(PINNED_TODAY)).data.warnings] == [
        expected
    ]


def test_every_drifted_figure_is_named_with_both_values(frozen: FixtureSite) -> None:
    edit(frozen, "content/models/alpha.yaml", "name: Alpha 7B", "name: Alpha 7B v2")
    edit(frozen, "content/models/alpha.yaml", "speed: 80-90 t/s", "speed: 85-95 t/s")
    edit(frozen, "content/models/giant.yaml", 'memory: "~600 GB"', 'memory: "~650 GB"')
    result = frozen.run("build")
    assert result.code == 0
    assert result.err.splitlines() == [
        "content/frozen/week-01.yaml:8:7: warning: Week 1, 24GB VRAM row 1 (Alpha 7B): "
        "model name frozen at Alpha 7B, record now says Alpha 7B v2",
        "content/frozen/week-01.yaml:13:7: warning: Week 1, 24GB VRAM row 1 (Alpha 7B): "
        "speed frozen at 80-90 t/s, record now says 85-95 t/s",
        "content/frozen/week-01.yaml:28:5: warning: Week 1, The wait list row 1 (Giant 1T): "
        "memory needed frozen at ~600 GB, record now says ~650 GB",
    ]


def test_a_changed_pick_warns_and_names_the_refresh_command(frozen: FixtureSite) -> None:
    before = (frozen.root / POST_PAGE).read_text(encoding="utf-8")
    edit(frozen, "content/posts/week-01.md", "why: Fast and small", "why: Small and fast")
    edit(frozen, "content/posts/week-01.md", "wait_list:\n  - model: giant\n    why: Needs a server\n", "")
    result = frozen.run("build")
    assert result.code == 0
    refresh = "the frozen table is still shown; to publish the change run `site-builder freeze --refresh week-01`"
    assert result.err.splitlines() == [
        f"content/frozen/week-01.yaml:24:7: warning: Week 1, 24GB VRAM row 1 (Alpha 7B): "
        f"why frozen at Fast and small, post now says Small and fast; {refresh}",
        f"content/frozen/week-01.yaml:25:1: warning: Week 1, The wait list: "
        f"the post now picks nothing; frozen with giant; {refresh}",
    ]
    after = (frozen.root / POST_PAGE).read_text(encoding="utf-8")
    # The lock wins: the tables are unchanged (only the post's own text could differ, and it did not).
    assert after == before


def test_freeze_refuses_to_overwrite_a_lock(frozen: FixtureSite) -> None:
    lock_before = (frozen.root / LOCK).read_bytes()
    edit(frozen, "content/models/alpha.yaml", 'vram: "~5 GB"', 'vram: "~6 GB"')
    again = frozen.run("freeze")
    assert (again.code, again.out) == (0, "Every published week already has a lock file; nothing to freeze.\n")
    named = frozen.run("freeze", "week-01")
    assert named.code == 1
    assert named.err == (
        "content/frozen/week-01.yaml:1:1: week-01 is already frozen; "
        "to rewrite it on purpose run `site-builder freeze --refresh week-01`\n"
        "error: 1 problem found; nothing was written\n"
    )
    assert (frozen.root / LOCK).read_bytes() == lock_before


def test_refresh_rewrites_the_lock_on_purpose(frozen: FixtureSite) -> None:
    edit(frozen, "content/models/alpha.yaml", 'vram: "~5 GB"', 'vram: "~6 GB"')
    result = frozen.run("freeze", "--refresh", "week-01")
    assert (result.code, result.out, result.err) == (0, f"Refreshed Week 1 in {LOCK}\n", "")
    expected = textwrap.dedent(EXPECTED_LOCK).replace("vram: ~5 GB", "vram: ~6 GB")
    assert (frozen.root / LOCK).read_text(encoding="utf-8") == expected
    built = frozen.run("build")
    assert (built.code, built.err) == (0, "")
    assert ">~6 GB</a>" in (frozen.root / POST_PAGE).read_text(encoding="utf-8")


def test_refresh_needs_the_weeks_it_rewrites(frozen: FixtureSite) -> None:
    result = frozen.run("freeze", "--refresh")
    assert result.code == 2
    assert result.err == (
        "error: --refresh rewrites only the weeks you name, e.g. `site-builder freeze --refresh week-06`\n"
    )


def test_freezing_an_unknown_week_writes_nothing(make_site: Callable[..., FixtureSite]) -> None:
    site = make_site()
    result = site.run("freeze", "week-01", "week-09")
    assert result.code == 1
    assert result.err == (
        "content/posts/week-09.md:1:1: no post 'week-09' to freeze; posts: week-01\n"
        "error: 1 problem found; nothing was written\n"
    )
    assert not (site.root / "content/frozen").exists()


def test_a_week_without_a_lock_follows_the_records(make_site: Callable[..., FixtureSite]) -> None:
    site = make_site()
    assert site.run("build").code == 0
    edit(site, "content/models/alpha.yaml", 'vram: "~5 GB"', 'vram: "~6 GB"')
    result = site.run("build")
    assert (result.code, result.err) == (0, "")
    assert ">~6 GB</a>" in (site.root / POST_PAGE).read_text(encoding="utf-8")


def test_a_hand_edited_lock_is_checked_like_other_content(frozen: FixtureSite) -> None:
    edit(frozen, LOCK, "      speed_from: record\n", "      speed_form: record\n")
    edit(frozen, LOCK, "  - model: giant\n", "  - model: gone\n")
    result = frozen.run("build")
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/frozen/week-01.yaml:14:7: unknown key 'speed_form'; did you mean 'speed_from'?",
        "error: 1 problem found; nothing was written",
    ]
    edit(frozen, LOCK, "      speed_form: record\n", "      speed_from: record\n")
    result = frozen.run("build")
    assert result.err.splitlines() == [
        "content/frozen/week-01.yaml:26:5: frozen with model 'gone', which has no record in content/models/ "
        "any more; restore it, or run `site-builder freeze --refresh week-01`",
        "error: 1 problem found; nothing was written",
    ]


def test_refresh_repairs_a_lock_that_names_a_deleted_model(frozen: FixtureSite) -> None:
    (frozen.root / "content/models/giant.yaml").unlink()
    edit(frozen, "content/posts/week-01.md", "wait_list:\n  - model: giant\n    why: Needs a server\n", "")
    broken = frozen.run("build")
    assert broken.err.splitlines()[0] == (
        "content/frozen/week-01.yaml:26:5: frozen with model 'giant', which has no record in content/models/ "
        "any more; restore it, or run `site-builder freeze --refresh week-01`"
    )
    result = frozen.run("freeze", "--refresh", "week-01")
    assert (result.code, result.out, result.err) == (0, f"Refreshed Week 1 in {LOCK}\n", "")
    assert "giant" not in (frozen.root / LOCK).read_text(encoding="utf-8")
    built = frozen.run("build")
    assert (built.code, built.err) == (0, "")


def test_refresh_replaces_a_lock_that_is_not_even_yaml(frozen: FixtureSite) -> None:
    (frozen.root / LOCK).write_text("tiers: [\n", encoding="utf-8")
    assert frozen.run("check").code == 1
    assert frozen.run("freeze", "--refresh", "week-01").code == 0
    assert (frozen.root / LOCK).read_text(encoding="utf-8") == textwrap.dedent(EXPECTED_LOCK)


def test_a_lock_without_its_post_is_an_error(frozen: FixtureSite) -> None:
    shutil.copy(frozen.root / LOCK, frozen.root / "content/frozen/week-1.yaml")
    result = frozen.run("check")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/frozen/week-1.yaml:1:1: unknown post 'week-1': not among the posts in content/posts/; "
        "did you mean 'week-01'?; a lock file is named after its post"
    )


# --- the real content: an invariant, whatever weeks it holds ---------------------------


def _edit_every_record(models: Path) -> None:
    """Change every figure a leaderboard can show, in every record."""
    yaml = YAML()
    for path in sorted(models.glob("*.yaml")):
        record: Any = yaml.load(path)
        record["name"] = f"{record['name']} (renamed)"
        for quant in record.get("quantizations", []):
            quant["vram"] = "~11 GB"  # still fits every tier, so the picks stay valid
            quant["speed"] = "1 t/s"
        for benchmark in record.get("benchmarks", []):
            benchmark["score"] = 1.5
        for need in record.get("memory", []):
            need["memory"] = "999 GB"
        yaml.dump(record, path)


def test_record_edits_leave_every_frozen_week_byte_identical(real_site: FixtureSite) -> None:
    locks = sorted((real_site.root / "content/frozen").glob("*.yaml"))
    assert locks, "published weeks are frozen: content/frozen/ holds their locks"
    first = real_site.run("build")
    assert first.code == 0, first.err
    pages = {lock.stem: (real_site.root / f"_site/posts/{lock.stem}/index.html").read_bytes() for lock in locks}
    _edit_every_record(real_site.root / "content/models")
    second = real_site.run("build")
    assert second.code == 0, second.err
    for post_id, before in pages.items():
        assert (real_site.root / f"_site/posts/{post_id}/index.html").read_bytes() == before, post_id
    plausibility = re.compile(r"content/models/[^:]+\.yaml:\d+:\d+: warning: reported ")
    warnings = [line for line in second.err.splitlines() if not plausibility.match(line)]
    assert warnings
    assert all(re.match(r"content/frozen/[^:]+\.yaml:\d+:\d+: warning: Week \d+, ", line) for line in warnings)
    assert all("frozen at" in line and "record now says" in line for line in warnings)
