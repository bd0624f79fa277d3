"""One build per output folder at a time: a second one waits, or gives up with a clear message."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FixtureSite

from site_builder.write import output_lock, write_site

MakeSite = Callable[..., FixtureSite]


def test_a_second_build_gives_up_without_touching_the_first_ones_staging(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site()
    monkeypatch.setattr("site_builder.write.LOCK_WAIT_SECONDS", 0.3)
    out = site.root / "_site"
    with output_lock(out, Path("_site"), wait=0):
        staging = site.root / "._site.new-inprogress"  # the first build's half-written folder
        staging.mkdir()
        result = site.run("build", "--today", "2026-01-20")
        assert result.code == 1
        assert result.err == (
            f"_site:1:1: another build is writing _site/ (pid {os.getpid()}); try again when it finishes\n"
            "error: 1 problem found; nothing was written\n"
        )
        assert staging.is_dir()
        assert not out.exists()
    # Once the holder is gone, what it left behind is stale and cleaned up.
    assert site.run("build", "--today", "2026-01-20").code == 0
    assert sorted(path.name for path in site.root.iterdir()) == [
        "._site.site-builder",
        ".cache",
        "_site",
        "content",
        "static",
        "templates",
    ]


def test_concurrent_builds_wait_for_each_other(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    failures: list[BaseException] = []

    def write(name: str) -> None:
        try:
            write_site({"index.html": name.encode(), f"{name}.txt": b"x"}, out)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    with output_lock(out.resolve(), Path("_site"), wait=0):
        builders = [threading.Thread(target=write, args=(f"b{index}",)) for index in range(3)]
        for builder in builders:
            builder.start()
    for builder in builders:
        builder.join()
    assert failures == []
    # Each write replaced the whole site: the last one's files only, and no staging left over; the
    # folder the last write replaced is kept, with its own files, to stage the next.
    files = sorted(path.name for path in out.iterdir())
    last = (out / "index.html").read_text()
    assert files == sorted(["index.html", f"{last}.txt"])
    assert sorted(path.name for path in tmp_path.iterdir()) == ["._site.site-builder", "._site.spare", "_site"]
    spare = tmp_path / "._site.spare"
    assert sorted(path.name for path in spare.iterdir()) == sorted(
        ["index.html", f"{(spare / 'index.html').read_text()}.txt"]
    )
