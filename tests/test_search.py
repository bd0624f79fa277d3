"""The search index in chunks: how pages are dealt into them, and that a build indexes again only
the chunks whose pages changed, with the same bytes as a build without the cache."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FixtureSite
from test_cache import EDITS, edit
from test_speed import output_of

from site_builder import search
from site_builder.search import Chunk, plan_chunks

pytestmark = pytest.mark.skipif(not search.available(), reason="the pagefind package is not installed")


def pages(count: int) -> list[str]:
    return [f"posts/week-{number:05d}/index.html" for number in range(1, count + 1)]


def chunk_of(chunks: list[Chunk], page: str) -> Chunk:
    return next(chunk for chunk in chunks if page in chunk.pages)


@pytest.mark.parametrize(("count", "chunks"), [(27, 1), (50, 1), (51, 2), (250, 8), (1207, 32), (5000, 32)])
def test_pages_are_dealt_into_a_power_of_two_of_chunks_of_about_50_pages_and_at_most_32(
    count: int, chunks: int
) -> None:
    planned = plan_chunks([*pages(count), "feed.xml", "style.css"], {})
    assert len(planned) == chunks
    assert sorted(page for chunk in planned for page in chunk.pages) == pages(count)
    assert [chunk.folder for chunk in planned] == ["pagefind/", *(f"pagefind/chunks/{n}/" for n in range(1, chunks))]
    assert max(len(chunk.pages) for chunk in planned) < 2 * count / chunks


def test_an_edited_page_changes_the_key_of_its_own_chunk_alone() -> None:
    digests = {page: "a" for page in pages(1000)}
    before = plan_chunks(digests, digests)
    edited = "posts/week-00500/index.html"
    after = plan_chunks(digests, {**digests, edited: "b"})
    changed = [chunk.folder for chunk, again in zip(before, after, strict=True) if chunk.key != again.key]
    assert changed == [chunk_of(after, edited).folder]
    assert [chunk.pages for chunk in before] == [chunk.pages for chunk in after]


def test_a_new_page_joins_one_chunk_and_the_others_keep_their_pages() -> None:
    before = plan_chunks(pages(1000), {})
    after = plan_chunks(pages(1001), {})
    new = "posts/week-01001/index.html"
    assert [set(chunk.pages) - {new} for chunk in after] == [set(chunk.pages) for chunk in before]


SMALL_CHUNKS = (2, 8)
"""Chunks of about two pages, eight at most: the 16 pages of the example site in several chunks."""


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(search, "CHUNK_PAGES", SMALL_CHUNKS[0])
    monkeypatch.setattr(search, "MOST_CHUNKS", SMALL_CHUNKS[1])
    yield


def fake_pagefind(folder: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """Builds run `script` (shell) as Pagefind, from `folder`/pagefind."""
    import pagefind_bin  # type: ignore[import-untyped]

    executable = folder / "pagefind"
    executable.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    executable.chmod(0o755)
    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: executable)


def bundle_inodes(out: Path) -> dict[str, int]:
    """Each bundle's folder, with the inode of its entry file: a new one means Pagefind ran again."""
    return {
        entry.parent.relative_to(out).as_posix() + "/": entry.stat().st_ino
        for entry in sorted(out.glob("pagefind/**/pagefind-entry.json"))
    }


@pytest.mark.usefixtures("small_chunks")
def test_editing_a_post_indexes_its_chunk_alone_and_equals_a_cold_build(frozen_site: FixtureSite) -> None:
    assert frozen_site.run("build").code == 0
    out = frozen_site.root / "_site"
    chunks = plan_chunks([page.relative_to(out).as_posix() for page in out.rglob("*.html")], {}, *SMALL_CHUNKS)
    before = bundle_inodes(out)
    assert sorted(before) == sorted(chunk.folder for chunk in chunks)
    assert len(chunks) == 6  # of the 8 the hash deals pages into, two stay empty
    merged = json.loads((out / "pagefind/chunks.json").read_text(encoding="utf-8"))["merge"]
    assert merged == [f"chunks/{number}/" for number in range(1, 6)]
    bundle_files = {
        path.relative_to(out).as_posix(): path.stat().st_ino for path in out.glob("pagefind/**/*") if path.is_file()
    }

    edit(frozen_site, *EDITS["a post's story"])  # changes the post's page (and the feed) alone
    assert frozen_site.run("build").code == 0

    after = bundle_inodes(out)
    remade = [folder for folder in after if after[folder] != before[folder]]
    assert remade == [chunk_of(chunks, "posts/week-06/index.html").folder]
    kept = {name: inode for name, inode in bundle_files.items() if search.bundle_of(name) not in (None, remade[0])}
    assert kept and {name: (out / name).stat().st_ino for name in kept} == kept  # linked, not written again
    assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
    assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold")


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("what", EDITS)
def test_a_cached_build_in_chunks_after_an_edit_equals_a_cold_build(frozen_site: FixtureSite, what: str) -> None:
    assert frozen_site.run("build").code == 0
    edit(frozen_site, *EDITS[what])
    assert frozen_site.run("build").code == 0
    assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
    assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold")
    assert len(bundle_inodes(frozen_site.root / "cold")) == 6


@pytest.mark.usefixtures("small_chunks")
def test_after_serve_the_next_build_indexes_the_chunks_whose_pages_changed_since_the_index_was_made(
    frozen_site: FixtureSite,
) -> None:
    from test_cache import cached_build

    cached_build(frozen_site)
    out = frozen_site.root / "_site"
    before = bundle_inodes(out)
    edit(frozen_site, *EDITS["a post's story"])
    cached_build(frozen_site, in_place=True)
    assert bundle_inodes(out) == before  # serve keeps the index as it was
    assert frozen_site.run("build").code == 0
    after = bundle_inodes(out)
    assert len([folder for folder in after if after[folder] != before[folder]]) == 1
    assert frozen_site.run("build", "--no-cache", "--out", "cold").code == 0
    assert output_of(frozen_site, "_site") == output_of(frozen_site, "cold")


def test_merged_bundles_hold_their_index_and_leave_the_search_interface_to_the_first(
    frozen_site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "CHUNK_PAGES", 8)
    assert frozen_site.run("build").code == 0
    out = frozen_site.root / "_site/pagefind"
    assert (out / "pagefind-ui.js").is_file() and (out / "wasm.en.pagefind").is_file()
    merged = out / "chunks/1"
    top = sorted(path.name for path in merged.iterdir())
    assert top == ["fragment", "index", "pagefind-entry.json", next(name for name in top if name.endswith(".pf_meta"))]


@pytest.mark.usefixtures("small_chunks")
def test_a_failing_index_refuses_the_build_and_leaves_the_site_as_it_was(
    frozen_site: FixtureSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Chunks are indexed while the pages are written; one that fails stops the build before the swap."""
    assert frozen_site.run("build").code == 0
    before = output_of(frozen_site, "_site")
    fake_pagefind(tmp_path, monkeypatch, "echo 'Error: the disk is full' >&2\nexit 3")
    edit(frozen_site, *EDITS["a post's story"])
    result = frozen_site.run("build")
    assert (result.code, result.err.splitlines()) == (
        1,
        ["_site:1:1: search index failed: Error: the disk is full", "error: 1 problem found; nothing was written"],
    )
    assert output_of(frozen_site, "_site") == before
    assert sorted(path.name for path in frozen_site.root.iterdir() if path.name.startswith("._site.new-")) == []


def test_a_build_stopped_while_indexing_starts_no_more_index_runs_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = tmp_path / "runs"
    fake_pagefind(tmp_path, monkeypatch, f"echo run >> {runs}\nsleep 0.3")
    pages = {f"posts/week-{number}/index.html": b"<html><body><main>A week</main></body></html>" for number in range(8)}
    chunks = plan_chunks(pages, {}, 2, 4)
    staging = tmp_path / "._site.new-1"
    staging.mkdir()
    with pytest.raises(KeyboardInterrupt), search.indexing(pages, chunks, chunks, 1, "_site", staging):
        raise KeyboardInterrupt  # as Ctrl+C while the pages are written
    assert len(chunks) == 4
    assert runs.read_text(encoding="utf-8").splitlines() == ["run"]  # the one under way; the rest never start
    assert sorted(path.name for path in tmp_path.iterdir()) == ["._site.new-1", "pagefind", "runs"]
