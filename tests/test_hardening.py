"""Hostile or careless input found in review: each case is refused with a located message or handled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MODEL_YAML, POST_MD, FixtureSite

from site_builder.problems import Problem
from site_builder.reference import content_reference
from site_builder.urls import check_base_url
from site_builder.write import write_site

MakeSite = Callable[..., FixtureSite]
POST = "content/posts/week-01.md"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://example.org//evil.com/", "has a path that browsers would read as another host or misquote"),
        ("https://example.org/a?", "must not have a query (?) or fragment (#)"),
        ("https://example.org/a#", "must not have a query (?) or fragment (#)"),
        ('https://example.org/a"b/', "has a path that browsers would read as another host or misquote"),
    ],
)
def test_base_urls_that_would_break_links_are_refused(url: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_base_url(url)
    assert str(caught.value) == f"base URL '{url}' {reason}"


def test_build_through_a_symlinked_output_folder_updates_its_target(make_site: MakeSite) -> None:
    site = make_site()
    target = site.root / "www"
    assert site.run("build", "--out", "www").code == 0
    (site.root / "_site").symlink_to(target)
    site.write("content/site.yaml", (site.root / "content/site.yaml").read_text().replace("Test Board", "New Name"))
    assert site.run("build").code == 0
    assert (site.root / "_site").is_symlink()
    assert "New Name" in (target / "index.html").read_text()


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    for leftover in ("._site.new-abc123", "._site.old-def456"):
        (tmp_path / leftover / "static").mkdir(parents=True)
    (tmp_path / ".unrelated").mkdir()
    write_site({"index.html": b"<p>hi</p>\n"}, out)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["._site.site-builder", ".unrelated", "_site"]


def test_an_interrupted_write_removes_its_staging_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def killed(*args: object) -> None:
        raise SystemExit(143)

    monkeypatch.setattr("site_builder.write._swap_in", killed)
    with pytest.raises(SystemExit):
        write_site({"index.html": b"x"}, tmp_path / "_site")
    assert list(tmp_path.iterdir()) == []


def test_schemes_are_case_sensitive(make_site: MakeSite) -> None:
    post = POST_MD.replace("Read about [Alpha](model:alpha).", "Read about [Alpha](MODEL:alpha).")
    result = make_site({POST: post}).run("check")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{POST}:19:20: link 'MODEL:alpha' is not allowed; use http(s)://, mailto:, model:<id> or a relative link"
    )


@pytest.mark.parametrize(
    ("name", "shown"), [("index.html", "index.html"), ("x\n", "x\\n")], ids=["page-file-name", "newline"]
)
def test_file_names_that_would_collide_or_break_urls_are_refused(make_site: MakeSite, name: str, shown: str) -> None:
    site = make_site({f"content/models/{name}.yaml": MODEL_YAML})
    result = site.run("build")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"content/models/{shown}.yaml:1:1: file name '{shown}' must use only a-z, 0-9, '-' and '.', "
        "and not end in '.html'"
    )
    assert not (site.root / "_site").exists()


def test_messages_cannot_forge_lines_or_drive_the_terminal() -> None:
    problem = Problem("content/models/x.yaml", 3, 5, "unknown quantization 'Q4\nsrc/evil.py:1:1: injected\x1b[31m'")
    assert str(problem) == ("content/models/x.yaml:3:5: unknown quantization 'Q4\\nsrc/evil.py:1:1: injected\\x1b[31m'")


def test_a_table_under_an_empty_heading_is_captioned_with_the_post_title(make_site: MakeSite) -> None:
    post = POST_MD.replace("## Story", "##\n\n    | a | b |\n    | - | - |\n    | 1 | 2 |")
    site = make_site({POST: post})
    assert site.run("build").code == 0
    html = (site.root / "_site/posts/week-01/index.html").read_text()
    assert "<caption><span>Week 1 in review</span></caption>" in html


def test_a_misspelt_content_folder_is_reported(make_site: MakeSite) -> None:
    site = make_site()
    (site.root / "content/models").rename(site.root / "content/Models")
    result = site.run("check")
    assert result.code == 1
    assert result.err.splitlines()[0] == "content/Models:1:1: unexpected file or folder; did you mean 'models'?"


def test_reference_names_ids_inside_optional_fields() -> None:
    reference = content_reference()
    assert "| `specs_source` | id: `a-z`, `0-9`, `-`, `.` | no |" in reference
    assert "| `tier` | id: `a-z`, `0-9`, `-`, `.` | no |" in reference
