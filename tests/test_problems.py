"""How problems name their files: as the editor typed the path, relative to the site root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.problems import display_path


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("content/posts/week-06.md", "content/posts/week-06.md"),
        ("content/../content/site.yaml", "content/site.yaml"),
        ("content/models/./glm-5.yaml", "content/models/glm-5.yaml"),
        (".", "."),
    ],
)
def test_a_path_inside_the_site_is_shown_from_its_root(tmp_path: Path, path: str, shown: str) -> None:
    assert display_path(tmp_path / path, tmp_path) == shown


def test_a_path_outside_the_site_or_beside_it_is_shown_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert display_path(tmp_path / "elsewhere/notes.md", site) == (tmp_path / "elsewhere/notes.md").as_posix()
    # A folder whose name merely starts like the site's is not inside it.
    assert display_path(tmp_path / "site-old/x.md", site) == (tmp_path / "site-old/x.md").as_posix()


def test_a_relative_path_is_taken_from_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(Path("content/site.yaml"), tmp_path) == "content/site.yaml"
    assert display_path(Path("content/site.yaml"), Path(os.curdir)) == "content/site.yaml"
