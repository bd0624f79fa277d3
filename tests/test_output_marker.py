"""The marker that lets a rebuild replace its own output stays outside the published folder."""

from __future__ import annotations

import shutil

from conftest import MakeSite

REFUSED = "_site:1:1: output folder exists and was not made by site-builder; remove it or choose another --out"


def test_the_published_folder_holds_no_marker_and_rebuilds_replace_it(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build").code == 0
    out = site.root / "_site"
    assert not (out / ".site-builder").exists()
    assert (site.root / "._site.site-builder").is_file()
    (out / "stale.txt").write_text("left from before\n")
    assert site.run("build").code == 0
    assert not (out / "stale.txt").exists()


def test_a_folder_made_again_by_hand_is_not_replaced(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build").code == 0
    out = site.root / "_site"
    shutil.rmtree(out)
    mine = site.write("_site/precious.txt", "not a build\n")
    result = site.run("build")
    assert result.code == 1
    assert result.err.splitlines()[0] == REFUSED
    assert mine.read_text() == "not a build\n"


def test_a_folder_built_by_an_earlier_version_is_still_replaced(make_site: MakeSite) -> None:
    site = make_site()
    site.write("_site/.site-builder", "Built by site-builder; replaced whole on every build.\n")
    site.write("_site/old.html", "old\n")
    assert site.run("build").code == 0
    assert not (site.root / "_site/old.html").exists()
    assert not (site.root / "_site/.site-builder").exists()
