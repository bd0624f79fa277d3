"""The real content/ builds into a site that shows it, whatever week it is at.

Only invariants (tests/invariants.py) are asserted here: no caption, week number or count of the
real content. Exact output is tested on the frozen example site (test_build_frozen_site.py).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, FixtureSite, source_date_epoch
from html_reader import html_files, parse_html
from invariants import (
    assert_changes_marked,
    assert_every_model_has_a_page,
    assert_links_resolve,
    assert_site_shows_its_content,
    expected_quantization,
    read_content,
)
from ruamel.yaml import YAML

SUMMARY = re.compile(
    r"Wrote (?P<pages>\d+) pages? \((?P<kinds>\d+ [a-z0-9 ]+(?:, \d+ [a-z0-9 ]+)*)\)"
    r" and (?P<static>\d+) static files? to (?P<out>\S+)/ in \d+\.\d\d s"
)


def build(site: FixtureSite) -> str:
    result = site.run("build")
    assert result.code == 0, result.err
    assert_only_drift_warnings(result.err)
    return result.out


PLAUSIBILITY_WARNING = re.compile(
    r"content/models/[^:]+\.yaml:\d+:\d+: warning: reported .+ at .+, "
    r"(but the weights alone are|far above the weights')"
)
"""The fit estimate's warning about a figure a source reported; it stays a warning, since the source said it."""


def assert_only_drift_warnings(err: str) -> None:
    """Weeks already published keep their figures; the build may only warn that a record moved on
    (or that a reported figure is implausible)."""
    for line in err.splitlines():
        if PLAUSIBILITY_WARNING.match(line):
            continue
        assert re.match(r"content/frozen/[^:]+\.yaml:\d+:\d+: warning: Week \d+, .* record now says ", line), line


def test_real_content_builds_into_a_site_that_shows_it(real_site: FixtureSite) -> None:
    build(real_site)
    assert_site_shows_its_content(real_site.root / "_site", real_site.root / "content")


def test_summary_line_counts_what_was_written(real_site: FixtureSite) -> None:
    printed = build(real_site).strip()
    match = SUMMARY.fullmatch(printed)
    assert match, printed
    out = real_site.root / "_site"
    kinds = [int(kind.split(" ", 1)[0]) for kind in match["kinds"].split(", ")]
    assert int(match["pages"]) == sum(kinds) == len(html_files(out))
    assert int(match["static"]) == len([path for path in (out / "static").rglob("*") if path.is_file()])
    assert match["out"] == "_site"


def test_readme_summary_example_has_the_shape_of_real_output() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("`build` ends by saying what it wrote", 1)[1].split("```")[1].strip()
    assert SUMMARY.fullmatch(example), example


def test_check_counts_the_real_records_and_posts(real_site: FixtureSite) -> None:
    result = real_site.run("check")
    assert result.code == 0
    assert all(PLAUSIBILITY_WARNING.match(line) for line in result.err.splitlines()), result.err
    models = len(list((REPO / "content/models").glob("*.yaml")))
    posts = len(list((REPO / "content/posts").glob("*.md")))
    assert result.out == f"Content is valid: {models} model{'s' * (models != 1)}, {posts} post{'s' * (posts != 1)}.\n"


# --- an editor's week ---------------------------------------------------------------------------

NEW_MODEL_ID = "editor-test-7b"
# Test data only (never published): a record an editor might add, citing the site's first source.
NEW_MODEL_YAML = """\
name: Editor Test 7B
vendor: Test Lab
quantizations:
  - format: Q4_K_M
    hardware: RTX 4070 (12GB)
    vram: "~5 GB"
    speed: 40-50 t/s
    origin: measured
    source: {source}
"""


def round_trip() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def publish_next_week(site: FixtureSite, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Start next week's post with the scaffold, as the README's routine says, and make it publishable."""
    content = site.root / "content"
    latest = read_content(content).latest
    scaffold = site.run("new-week")
    assert scaffold.code == 0, scaffold.err
    week = latest.front["week"] + 1
    new_post = content / "posts" / f"week-{week:02d}.md"
    assert new_post.is_file(), scaffold.out
    assert (content / "frozen" / f"{latest.slug}.yaml").is_file(), "the published week is frozen"

    def publish(front: Any) -> None:
        assert front.pop("draft") is True, "the scaffold starts a draft"
        assert front["date"] == latest.front["date"] + datetime.timedelta(days=7)
        front.update(title=f"Week {week}: an editor's test week", summary="What changed in the editor's test week.")

    edit_front_matter(new_post, publish)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", source_date_epoch(latest.front["date"] + datetime.timedelta(days=7)))
    return new_post


def edit_front_matter(post: Path, change: Callable[[Any], object]) -> None:
    _, front_text, body = post.read_text(encoding="utf-8").split("---\n", 2)
    yaml = round_trip()
    front = yaml.load(front_text)
    change(front)
    text = io.StringIO()
    yaml.dump(front, text)
    post.write_text(f"---\n{text.getvalue()}---\n{body}", encoding="utf-8")


def edit_record(path: Path, change: Callable[[Any], object]) -> None:
    yaml = round_trip()
    record = yaml.load(path.read_text(encoding="utf-8"))
    change(record)
    text = io.StringIO()
    yaml.dump(record, text)
    path.write_text(text.getvalue(), encoding="utf-8")


def change_picks(front: Any, tiers: list[str]) -> None:
    """Reverse one tier's order, drop another's last pick, and pick the new model."""
    picks = front.setdefault("picks", {})
    crowded = [tier for tier in tiers if len(picks.get(tier) or []) >= 2]
    if crowded:
        picks[crowded[0]].reverse()
        picks[crowded[-1]].pop()
    first_tier = next((tier for tier in tiers if picks.get(tier)), tiers[0])
    picks.setdefault(first_tier, []).append(
        {"category": "Editor test", "model": NEW_MODEL_ID, "quant": "Q4_K_M", "why": "Added by the editor test"}
    )


def test_an_editor_publishes_a_new_week(real_site: FixtureSite, monkeypatch: pytest.MonkeyPatch) -> None:
    content = real_site.root / "content"
    facts = read_content(content)
    tiers = [tier["id"] for tier in facts.tiers]
    source = facts.site["sources"][0]["id"]
    (content / "models" / f"{NEW_MODEL_ID}.yaml").write_text(NEW_MODEL_YAML.format(source=source), encoding="utf-8")

    new_post = publish_next_week(real_site, monkeypatch)
    edit_front_matter(new_post, lambda front: change_picks(front, tiers))
    # Change a record a pick relies on: the leaderboard must follow the record.
    week = read_content(content).latest
    records = read_content(content).models
    candidates = [
        (tier_id, pick)
        for tier_id, picks in week.front["picks"].items()
        for pick in picks
        if "quant" in pick and expected_quantization(records[pick["model"]], pick["quant"], tier_id) is not None
    ]
    # A record that was already there if any pick relies on one; the new record otherwise.
    tier_id, pick = sorted(candidates, key=lambda candidate: candidate[1]["model"] == NEW_MODEL_ID)[0]

    def set_vram(record: Any) -> None:
        row = expected_quantization(record, pick["quant"], tier_id)
        assert row is not None
        row["vram"] = "~1 GB"

    edit_record(content / "models" / f"{pick['model']}.yaml", set_vram)

    check = real_site.run("check")
    assert check.code == 0, check.err
    assert_only_drift_warnings(check.err)
    build(real_site)
    out = real_site.root / "_site"
    assert_site_shows_its_content(out, content)
    assert read_content(content).latest.slug == new_post.stem
    assert (out / "posts" / new_post.stem / "index.html").is_file()
    assert (out / "posts" / facts.latest.slug / "index.html").is_file(), "last week's post stays published"
    assert "~1 GB" in (out / "index.html").read_text(encoding="utf-8")
    home = parse_html((out / "index.html").read_text(encoding="utf-8"))
    published = read_content(content)
    assert_changes_marked(home, published, published.latest, published.posts[facts.latest.slug])
    marked = " ".join(" ".join(row) for table in home.tables for row in table.rows)
    assert "new this week" in marked and "moved" in marked, "the editor's changes show as marks"
    assert any(p.text.startswith("Dropped since last week:") and "none" not in p.text for p in home.find("p"))
    assert "Editor Test 7B" in (out / "index.html").read_text(encoding="utf-8")


# --- the invariants catch a site that does not show its content ----------------------------------


def test_invariants_catch_a_figure_the_site_does_not_show(real_site: FixtureSite) -> None:
    build(real_site)
    content = real_site.root / "content"
    latest = read_content(content).latest
    tier_id, pick = next((tier_id, picks[0]) for tier_id, picks in latest.front["picks"].items() if picks)
    lock = content / "frozen" / f"{latest.slug}.yaml"
    if lock.exists():  # A published week shows its lock's figures.
        edit_record(lock, lambda frozen: frozen["tiers"][tier_id][0].update(speed="1-2 t/s"))
    else:
        edit_front_matter(
            content / "posts" / f"{latest.slug}.md", lambda front: front["picks"][tier_id][0].update(speed="1-2 t/s")
        )
    with pytest.raises(AssertionError, match=f"pick {re.escape(pick['model'])} shows"):
        assert_site_shows_its_content(real_site.root / "_site", content)


def test_invariants_catch_a_week_missing_from_the_home_page(
    real_site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(real_site)
    content = real_site.root / "content"
    new_post = publish_next_week(real_site, monkeypatch)
    week = read_content(content).latest.front["week"]
    (real_site.root / "_site/posts" / new_post.stem).mkdir()
    with pytest.raises(AssertionError, match=f"is not Week {week}"):
        assert_site_shows_its_content(real_site.root / "_site", content)


def test_invariants_catch_a_missing_model_page_and_a_broken_link(real_site: FixtureSite) -> None:
    build(real_site)
    out, content = real_site.root / "_site", real_site.root / "content"
    model_id = sorted(read_content(content).models)[0]
    page = out / "models" / model_id / "index.html"
    page.rename(out / "moved.html")
    with pytest.raises(AssertionError, match=f"no page for model {re.escape(model_id)}"):
        assert_every_model_has_a_page(out, read_content(content))
    with pytest.raises(AssertionError, match=r"-> missing .*index\.html"):
        assert_links_resolve(out, read_content(content).prefix())
