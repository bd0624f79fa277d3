"""The build cache: cached builds equal cold ones, and an edit redoes exactly what depends on it.

Nothing here measures time; `scripts/benchmark` does.
"""

from __future__ import annotations

import argparse
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import PINNED_TODAY, FixtureSite, MakeSite
from test_speed import many_posts, output_of

from site_builder import build as pipeline
from site_builder import cache as cache_module
from site_builder import cli, links, manifest
from site_builder.cache import CACHE_DIR, Cache
from site_builder.manifest import Summary
from site_builder.problems import BuildFailed
from site_builder.project import Project
from site_builder.schedule import Schedule, today_from_environment

MODEL_PAGES = {
    f"models/{model}/index.html"
    for model in (
        "gemma-3-27b-qat",
        "glm-4.7-flash",
        "glm-5",
        "llama-4-maverick",
        "llama-4-scout",
        "mimo-v2-flash",
        "qwen3.5-27b",
        "qwen3.5-35b-a3b",
    )
}


def cached_build(site: FixtureSite, out: str = "_site", in_place: bool = False) -> Summary:
    """A build through the API, to see which pages it rendered."""
    cache = Cache(site.root / CACHE_DIR)
    return pipeline.build(
        Project.at(site.root), site.root / out, Schedule(PINNED_TODAY), cache=cache, in_place=in_place
    )


def edit(site: FixtureSite, relative: str, old: str, new: str) -> None:
    path = site.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "a post's story": ("content/posts/week-06.md", "## ", "## Edited: "),
    "a record's figure": ("content/models/gemma-3-27b-qat.yaml", "name: Gemma 3 27B QAT", "name: Gemma 3 (edited)"),
    "a record's vendor": ("content/models/gemma-3-27b-qat.yaml", "vendor: Google", "vendor: Google DeepMind"),
    "a template": ("templates/model.html", "</h1>", " (edited)</h1>"),
    "a static file": ("static/style.css", "body", "html body"),
    "site.yaml": ("content/site.yaml", "title: ", "title: Edited "),
}


@pytest.mark.parametrize("what", EDITS)
def test_a_cached_build_after_an_edit_equals_a_cold_build(frozen_site: FixtureSite, what: str) -> None:
    assert frozen_site.run("build").code == 0
    edit(frozen_site, *EDITS[what])
    cached = frozen_site.run("build")
    cold = frozen_site.run("build", "--no-cache", "--out", "cold")
    assert (cached.code, cold.code) == (0, 0), cached.err + cold.err
    assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold")
    assert output_of(frozen_site, "_site") != {}


def test_cached_and_cold_builds_in_one_process_or_two_are_byte_identical(make_site: MakeSite) -> None:
    site = make_site(many_posts(60))
    assert site.run("build", "--jobs", "2").code == 0
    edit(site, "content/posts/week-30.md", "## Notes", "## More notes")
    assert site.run("build", "--jobs", "2").code == 0  # cached, in two processes
    assert site.run("build", "--jobs", "1", "--no-cache", "--out", "one").code == 0
    assert site.run("build", "--jobs", "2", "--no-cache", "--out", "two").code == 0
    assert output_of(site, "_site") == output_of(site, "one") == output_of(site, "two")


def test_editing_a_template_renders_again_exactly_the_pages_that_use_it(frozen_site: FixtureSite) -> None:
    assert len(cached_build(frozen_site).rendered) == 16
    assert cached_build(frozen_site).rendered == ()
    edit(frozen_site, *EDITS["a template"])
    assert set(cached_build(frozen_site).rendered) == MODEL_PAGES
    edit(frozen_site, "templates/base.html", "</footer>", " </footer>")
    assert len(cached_build(frozen_site).rendered) == 16  # every page extends base.html


def test_editing_a_record_renders_again_exactly_the_pages_that_read_it(frozen_site: FixtureSite) -> None:
    cached_build(frozen_site)
    edit(frozen_site, *EDITS["a record's vendor"])
    # Gemma is picked in this week's 12-16GB tier, and its vendor shows in that tier's rows: the pages
    # showing that table (home, the tier, the week), its own page and the index of every model. The 24GB
    # tier, the wait list, the archive, the 404 page and the other seven model pages are kept.
    assert set(cached_build(frozen_site).rendered) == {
        "index.html",
        "tiers/12-16gb/index.html",
        "posts/week-06/index.html",
        "models/gemma-3-27b-qat/index.html",
        "models/index.html",
    }


def test_editing_a_posts_story_renders_again_only_its_own_page(frozen_site: FixtureSite) -> None:
    """The home page, the tier pages, the archive and the model pages show the week's front matter,
    not its story."""
    cached_build(frozen_site)
    edit(frozen_site, *EDITS["a post's story"])
    assert cached_build(frozen_site).rendered == ("posts/week-06/index.html",)
    edit(frozen_site, "content/posts/week-06.md", "summary: ", "summary: Edited. ")
    assert {"index.html", "posts/index.html", "posts/week-06/index.html"} <= set(cached_build(frozen_site).rendered)


@pytest.mark.parametrize("read", ["week.post.html", "week.post['html']", "week.post.file.digest"])
def test_a_page_showing_a_story_is_rendered_again_when_the_story_changes(frozen_site: FixtureSite, read: str) -> None:
    edit(frozen_site, "templates/archive.html", "<p>{{ week.post.meta.summary }}</p>", f"<div>{{{{ {read} }}}}</div>")
    assert frozen_site.run("build").code == 0
    edit(frozen_site, *EDITS["a post's story"])
    assert set(cached_build(frozen_site).rendered) == {"posts/week-06/index.html", "posts/index.html"}
    assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
    assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold")
    if "html" in read:
        assert "Edited: " in output_of(frozen_site, "_site")["posts/index.html"].decode()


def test_a_change_to_the_link_preview_image_renders_every_page_again(frozen_site: FixtureSite) -> None:
    """Every page names the image with a version taken from its pixels, and the image shows the picks' names."""
    cached_build(frozen_site)
    edit(frozen_site, *EDITS["a record's figure"])
    assert len(cached_build(frozen_site).rendered) == 16


def test_editing_site_yaml_renders_every_page_again(frozen_site: FixtureSite) -> None:
    cached_build(frozen_site)
    edit(frozen_site, *EDITS["site.yaml"])
    assert len(cached_build(frozen_site).rendered) == 16


def test_a_second_build_with_nothing_changed_does_nothing(frozen_site: FixtureSite) -> None:
    assert frozen_site.run("build").code == 0
    page = frozen_site.root / "_site/index.html"
    inode = page.stat().st_ino
    again = frozen_site.run("build")
    assert again.code == 0
    assert re.fullmatch(
        r"Nothing changed: _site/ is up to date \(16 pages: 1 home page, 2 tier pages, 1 wait list page, "
        r"8 model pages, 1 model index, 1 post, 1 archive, 1 404 page; and 4 static files\), checked in [\d.]+ s\n",
        again.out,
    ), again.out
    assert page.stat().st_ino == inode


@pytest.mark.parametrize("tamper", ["change", "delete", "add"])
def test_an_output_folder_changed_by_hand_is_built_again(frozen_site: FixtureSite, tamper: str) -> None:
    assert frozen_site.run("build").code == 0
    before = output_of(frozen_site, "_site")
    page = frozen_site.root / "_site/index.html"
    if tamper == "change":
        page.write_text("defaced", encoding="utf-8")
    elif tamper == "delete":
        page.unlink()
    else:
        (frozen_site.root / "_site/extra.html").write_text("stray", encoding="utf-8")
    result = frozen_site.run("build")
    assert result.code == 0
    assert result.out.startswith("Wrote 16 pages")
    assert output_of(frozen_site, "_site") == before


def test_unchanged_files_are_linked_into_the_new_folder_not_written_again(frozen_site: FixtureSite) -> None:
    cached_build(frozen_site)
    out = frozen_site.root / "_site"
    kept, changed = out / "models/glm-5/index.html", out / "models/gemma-3-27b-qat/index.html"
    inodes = {kept: kept.stat().st_ino, changed: changed.stat().st_ino}
    edit(frozen_site, *EDITS["a record's vendor"])
    summary = cached_build(frozen_site)
    assert kept.stat().st_ino == inodes[kept]
    assert changed.stat().st_ino != inodes[changed]
    assert "Google DeepMind" in changed.read_text(encoding="utf-8")
    assert 0 < summary.written < len(output_of(frozen_site, "_site"))


def test_serve_updates_only_the_changed_files_in_place(frozen_site: FixtureSite) -> None:
    cached_build(frozen_site)
    out = frozen_site.root / "_site"
    folder_inode = out.stat().st_ino
    (frozen_site.root / "content/models/llama-4-maverick.yaml").unlink()
    edit(frozen_site, "content/posts/week-06.md", '  - model: llama-4-maverick\n    why: "Upwards of 200 GB"\n', "")
    edit(frozen_site, *EDITS["a record's figure"])
    summary = cached_build(frozen_site, in_place=True)
    assert out.stat().st_ino == folder_inode  # the same folder, not a new one swapped in
    assert not (out / "models/llama-4-maverick/index.html").exists()
    assert summary.written > 0
    assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
    served, cold = output_of(frozen_site, "_site"), output_of(frozen_site, "cold")
    # The search index is kept from the last full build (it takes seconds to make); the next build remakes it.
    assert {name: body for name, body in served.items() if not name.startswith("pagefind/")} == {
        name: body for name, body in cold.items() if not name.startswith("pagefind/")
    }
    assert served != cold
    assert frozen_site.run("build").out.startswith("Wrote")
    assert output_of(frozen_site, "_site") == cold


def test_files_changed_by_hand_after_serve_updated_in_place_are_written_again(frozen_site: FixtureSite) -> None:
    """serve's update keeps the last build's record of every file it did not touch; a file changed
    since no longer matches that record, so the next build does not trust it."""
    cached_build(frozen_site)
    edit(frozen_site, *EDITS["a post's story"])
    cached_build(frozen_site, in_place=True)
    out = frozen_site.root / "_site"
    untouched_page = out / "models/glm-5/index.html"
    search_file = next(path for path in sorted((out / "pagefind").rglob("*")) if path.is_file())
    for path in (untouched_page, search_file):
        path.write_bytes(b"changed by hand")
    assert frozen_site.run("build").out.startswith("Wrote 16 pages")
    assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
    assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold")


def test_serves_first_build_with_nothing_to_do_writes_nothing_but_fills_the_memo(frozen_site: FixtureSite) -> None:
    """So that the first save after `serve` starts is as quick as the next ones."""
    assert frozen_site.run("build").code == 0
    before = {path: path.stat().st_ino for path in (frozen_site.root / "_site").rglob("*")}
    cache = Cache(frozen_site.root / CACHE_DIR, remember=True)  # as serve makes it
    args = argparse.Namespace(jobs=1)
    schedule = Schedule(today_from_environment(os.environ))
    project, out = Project.at(frozen_site.root), frozen_site.root / "_site"
    line = cli._timed_build(project, out, schedule, args, io.StringIO(), cache, warm_up=True)
    assert line.startswith("Nothing changed: ")
    assert {path: path.stat().st_ino for path in out.rglob("*")} == before
    assert cache.memo is not None and len(cache.memo) > 0


def cache_entries(site: FixtureSite) -> list[Path]:
    return [path for path in (site.root / CACHE_DIR).rglob("*") if path.is_file()]


def test_a_corrupt_cache_is_ignored_and_rebuilt(frozen_site: FixtureSite) -> None:
    assert frozen_site.run("build").code == 0
    entries = cache_entries(frozen_site)
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")
    edit(frozen_site, *EDITS["a post's story"])
    summary = cached_build(frozen_site)
    assert len(summary.rendered) == 16
    assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
    assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold")


def test_a_cache_made_elsewhere_is_never_trusted(
    frozen_site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries copied in from another machine (or committed in a pull request) fail the signature check."""
    assert frozen_site.run("build").code == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    edit(frozen_site, *EDITS["a post's story"])
    assert len(cached_build(frozen_site).rendered) == 16


def test_no_cache_neither_reads_nor_writes_one(frozen_site: FixtureSite) -> None:
    result = frozen_site.run("build", "--no-cache")
    assert result.code == 0
    assert not (frozen_site.root / ".cache").exists()
    again = frozen_site.run("build", "--no-cache")
    assert again.out.startswith("Wrote 16 pages")


def test_the_cache_keeps_only_what_the_last_build_used(frozen_site: FixtureSite) -> None:
    assert frozen_site.run("build").code == 0
    count = len(cache_entries(frozen_site))
    for number in range(3):
        edit(frozen_site, "content/posts/week-06.md", "## ", f"## Edit {number}: ")
        assert frozen_site.run("build").code == 0
    assert len(cache_entries(frozen_site)) <= count


def test_a_build_without_the_cache_in_between_is_not_taken_for_a_folder_made_by_hand(frozen_site: FixtureSite) -> None:
    """What the cache recorded of `_site/` is out of date once a `--no-cache` build has replaced it."""
    assert frozen_site.run("build").code == 0
    for _ in range(3):  # a folder's inode may come round again
        assert frozen_site.run("build", "--no-cache").code == 0
    edit(frozen_site, *EDITS["a post's story"])
    result = frozen_site.run("build")
    assert result.code == 0, result.err
    assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
    assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold")


def test_a_cache_made_by_another_version_is_not_used_and_is_removed(
    frozen_site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached_build(frozen_site)
    folders = {path.name for path in (frozen_site.root / CACHE_DIR).iterdir()}
    assert len(folders) == 1
    # Another version of this tool, or of a dependency: every key changes with it.
    monkeypatch.setattr(cache_module, "tool_fingerprint", lambda: "another-version-of-site-builder")
    assert len(cached_build(frozen_site).rendered) == 16
    assert {path.name for path in (frozen_site.root / CACHE_DIR).iterdir()}.isdisjoint(folders)


def test_a_cache_folder_that_is_a_link_out_of_the_site_is_not_used(frozen_site: FixtureSite, tmp_path: Path) -> None:
    """A pull request could commit `.cache` as a link elsewhere; the build then neither reads nor writes it."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (frozen_site.root / ".cache").symlink_to(elsewhere)
    assert frozen_site.run("build").code == 0
    assert list(elsewhere.iterdir()) == []
    assert frozen_site.run("build").out.startswith("Wrote 16 pages")  # nothing cached, so a full build


def test_one_cache_kept_through_a_run_of_edits_builds_what_a_cold_build_does(frozen_site: FixtureSite) -> None:
    """As `serve` keeps it: what a build made from files that did not change is found again by identity."""
    cache, project = Cache.in_memory(), Project.at(frozen_site.root)
    schedule = Schedule(today_from_environment(os.environ))

    def build_both_ways(after: str) -> None:
        pipeline.build(project, frozen_site.root / "_site", schedule, cache=cache)
        assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
        assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold"), f"differs after {after}"

    build_both_ways("the first build")
    assert frozen_site.run("freeze").code == 0
    build_both_ways("freezing the week")
    week_07 = frozen_site.root / "content/posts/week-07.md"
    week_07.write_text(
        (frozen_site.root / "content/posts/week-06.md").read_text(encoding="utf-8").replace("week: 6", "week: 7"),
        encoding="utf-8",
    )
    build_both_ways("adding a week")
    edits = {
        **EDITS,
        "a pick of a frozen week": ("content/posts/week-06.md", "Scores 59.2%", "Scored 59.2%"),
        "a pick of a live week": ("content/posts/week-07.md", "speed: 20-25 t/s", "speed: 21-25 t/s"),
        "a lock file": ("content/frozen/week-06.yaml", "why: ", "why: Locked, "),
    }
    for what, change in edits.items():
        edit(frozen_site, *change)
        build_both_ways(what)
    week_07.unlink()
    build_both_ways("removing a week")


@pytest.mark.parametrize("kept_in", ["memory", "the cache folder"])
def test_links_of_unchanged_pages_into_a_page_whose_ids_changed_are_checked_again(
    frozen_site: FixtureSite, kept_in: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page's link check is kept while its bytes, the site's files and every page's ids are the same."""
    cache = Cache.in_memory() if kept_in == "memory" else Cache(frozen_site.root / CACHE_DIR)
    project, schedule = Project.at(frozen_site.root), Schedule(today_from_environment(os.environ))
    link = '<a href="{{ urls.post(week.post.id) }}#post-what-to-do-now">What to do</a>'
    edit(frozen_site, "templates/archive.html", "<p>{{ week.post.meta.summary }}</p>", link)

    def build() -> Summary:
        return pipeline.build(project, frozen_site.root / "_site", schedule, cache=cache, in_place=kept_in == "memory")

    build()
    edit(frozen_site, "content/posts/week-06.md", "## What to do now", "## What to do next")
    with pytest.raises(BuildFailed) as refused:
        build()
    assert [str(problem) for problem in refused.value.problems] == [
        "templates/archive.html:12:8: page /posts/index.html links to /home-gpu-leaderboard/posts/week-06/"
        "#post-what-to-do-now, but that page has no element with id 'post-what-to-do-now'"
    ]
    edit(frozen_site, "content/posts/week-06.md", "## What to do next", "## What to do now")
    assert build().rendered == ("posts/week-06/index.html",)
    checked: list[str] = []
    check_page = links._broken_links

    def counted(path: str, *rest: Any) -> Any:
        checked.append(path)
        return check_page(path, *rest)

    monkeypatch.setattr(links, "_broken_links", counted)
    edit(frozen_site, "content/posts/week-06.md", "The headline this week", "This week's headline")
    assert build().rendered == ("posts/week-06/index.html",)
    assert checked == ["posts/week-06/index.html"]  # the other pages' links were checked by the build before


def test_sources_unchanged_since_a_build_are_not_read_again_to_see_that_nothing_changed(
    frozen_site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manifest, "SETTLED_NS", 0)  # the fixture's files were written a moment ago
    read: list[str] = []
    content_digest = manifest._content_digest

    def counted(path: str) -> str:
        read.append(Path(path).name)
        return content_digest(path)

    monkeypatch.setattr(manifest, "_content_digest", counted)
    assert frozen_site.run("build").code == 0
    assert "week-06.md" in read  # the first build reads every source
    read.clear()
    assert frozen_site.run("build").out.startswith("Nothing changed")
    edit(frozen_site, *EDITS["a post's story"])
    assert frozen_site.run("build").out.startswith("Wrote ")
    assert read == ["week-06.md"]


def test_a_source_rewritten_with_its_size_and_time_kept_is_still_seen_to_change(
    frozen_site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every write changes a file's change time, which no tool sets back."""
    monkeypatch.setattr(manifest, "SETTLED_NS", 0)
    assert frozen_site.run("build").code == 0
    post = frozen_site.root / "content/posts/week-06.md"
    before = post.stat()
    post.write_text(
        post.read_text(encoding="utf-8").replace("## What to do now", "## What to do n0w"), encoding="utf-8"
    )
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert post.stat().st_size == before.st_size
    assert frozen_site.run("build").out.startswith("Wrote ")
    assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
    assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold")
