"""What a pull request may commit beside the output or in the cache (links to files of the machine, to
/dev/zero, out of the project) never makes the build write or read outside the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeSite

from site_builder import cache as cache_module
from site_builder.cache import Cache


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("precious data\n")
    return outside / "precious.txt"


def test_a_lock_file_committed_as_a_link_is_refused_and_its_target_left_alone(
    make_site: MakeSite, victim: Path
) -> None:
    site = make_site()
    (site.root / "._site.lock").symlink_to(victim)
    result = site.run("build")
    assert result.code == 1
    assert result.err.splitlines()[0] == "_site:1:1: ._site.lock beside _site/ is a link or not a file; remove it"
    assert victim.read_text() == "precious data\n"
    assert not (site.root / "_site").exists()


def test_a_marker_committed_as_a_link_is_replaced_not_written_through(make_site: MakeSite, victim: Path) -> None:
    site = make_site()
    marker = site.root / "._site.site-builder"
    marker.symlink_to(victim)
    assert site.run("build").code == 0
    assert victim.read_text() == "precious data\n"
    assert not marker.is_symlink()
    assert site.run("build").code == 0  # the marker it wrote names the folder


def test_a_marker_linked_to_an_endless_file_is_not_read(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build").code == 0
    marker = site.root / "._site.site-builder"
    marker.unlink()
    marker.symlink_to("/dev/zero")
    result = site.run("build")
    assert result.code == 1
    assert "output folder exists and was not made by site-builder" in result.err


def test_an_output_folder_linked_out_of_the_project_is_refused(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    elsewhere = tmp_path / "elsewhere" / "site"
    (site.root / "_site").symlink_to(elsewhere)
    result = site.run("build")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"_site:1:1: output folder leads through a link to {elsewhere.as_posix()}, outside the project; remove it"
    )
    assert not (tmp_path / "elsewhere").exists()


def test_an_output_folder_given_outside_the_project_is_built_there(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    elsewhere = tmp_path / "elsewhere" / "site"
    assert site.run("build", "--out", str(elsewhere)).code == 0
    assert (elsewhere / "index.html").is_file()


def test_cache_entries_that_are_links_or_too_big_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path / "cache", tmp_path / "key")
    cache.put("page", "linked", "a page")
    cache.put("page", "big", "x" * 100)
    entries = {path.name: path for path in (tmp_path / "cache").rglob("page-*")}
    entries["page-linked"].unlink()
    entries["page-linked"].symlink_to("/dev/zero")
    monkeypatch.setattr(cache_module, "MAX_ENTRY_BYTES", 64)
    fresh = Cache(tmp_path / "cache", tmp_path / "key")
    assert fresh.get("page", "linked") is None
    assert fresh.get("page", "big") is None
    monkeypatch.setattr(cache_module, "MAX_ENTRY_BYTES", 1024)
    assert Cache(tmp_path / "cache", tmp_path / "key").get("page", "big") == "x" * 100
