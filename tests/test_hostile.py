"""Hostile input, one row per case: each is refused at its exact path:line:col, with no traceback,
and the site already in the output folder stays byte-identical.

A case edits the valid fixture site (replacing text in a default file, writing files, or making
links and special files), then `build` runs into an output folder holding the previous build.
`{outside}` in an expected line stands for a file outside the site, made by the test.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import FixtureSite, default_files

MakeSite = Callable[..., FixtureSite]
Setup = Callable[[Path, Path], None]
"""(site root, a folder outside the site) -> None: makes links or special files."""

ALPHA = "content/models/alpha.yaml"
GIANT = "content/models/giant.yaml"
SITE = "content/site.yaml"
POST = "content/posts/week-01.md"
RLO = "\u202e"
BIDI = "which can disguise text; remove it"
CONTROL = "(a control character), which a web page cannot hold; remove it"
DECIMAL = "whole numbers are written in decimal digits only"
ANCHOR = "YAML anchors and aliases (&name, *name) are not allowed; write the value out"
NON_FINITE = "as a finite number"


def edit(path: str, old: str, new: str) -> dict[str, str]:
    """The default file at `path`, dedented, with `old` (which must be there) replaced by `new`."""
    text = textwrap.dedent(default_files()[path])
    assert old in text, old
    return {path: text.replace(old, new, 1)}


def link_outside(relative: str, replacing: bool = False) -> Setup:
    """A link at `relative` to a file outside the site; `replacing` moves the file it replaces there."""

    def setup(root: Path, outside: Path) -> None:
        if replacing:
            (root / relative).replace(outside / "x.yaml")
        (root / relative).symlink_to(outside / "x.yaml")

    return setup


def fifo(relative: str) -> Setup:
    def setup(root: Path, outside: Path) -> None:
        os.mkfifo(root / relative)

    return setup


def folder_outside(relative: str) -> Setup:
    def setup(root: Path, outside: Path) -> None:
        (outside / "models").mkdir()
        (outside / "models/evil.yaml").write_text("name: Evil\nvendor: Elsewhere\n")
        target = root / relative
        for path in sorted(target.iterdir()):
            path.rename(outside / "models" / path.name)
        target.rmdir()
        target.symlink_to(outside / "models")

    return setup


def symlink_loop(first: Path, second: Path) -> None:
    first.symlink_to(second)
    second.symlink_to(first)


@dataclass(frozen=True)
class Case:
    id: str
    expected: list[str]
    files: dict[str, str] = field(default_factory=dict)
    setup: Setup | None = None


CASES = [
    # --- text that disguises itself or cannot be shown -------------------------------------------
    Case(
        "bidi-override-in-model-name",
        [f"{ALPHA}:1:11: 'name' contains U+202E (RIGHT-TO-LEFT OVERRIDE), {BIDI}"],
        edit(ALPHA, "name: Alpha 7B", f'name: "GLM{RLO}5-evil"'),
    ),
    Case(
        "bidi-override-in-post-title",
        [f"{POST}:2:15: 'title' contains U+202E (RIGHT-TO-LEFT OVERRIDE), {BIDI}"],
        edit(POST, "title: Week 1 in review", f"title: Week 1 {RLO}in review"),
    ),
    Case(
        "bidi-isolates-in-a-table-cell-and-a-list",
        [
            f"{ALPHA}:14:24: 'hardware' contains U+2067 (RIGHT-TO-LEFT ISOLATE), {BIDI}",
            f"{ALPHA}:14:26: 'hardware' contains U+2069 (POP DIRECTIONAL ISOLATE), {BIDI}",
            f"{SITE}:9:29: 'example_gpus' contains U+202D (LEFT-TO-RIGHT OVERRIDE), {BIDI}",
        ],
        {
            **edit(ALPHA, "hardware: RTX 3090 (24GB)", "hardware: RTX 3090 \u2067(\u206924GB)"),
            **edit(SITE, "example_gpus: [RTX 3090]", 'example_gpus: ["RTX 3090\\u202D"]'),
        },
    ),
    Case(
        "bidi-override-in-the-markdown-body",
        [f"{POST}:17:7: the post contains U+202E (RIGHT-TO-LEFT OVERRIDE), {BIDI}"],
        edit(POST, "## Story", f"## Sto{RLO}ry"),
    ),
    Case(
        "control-characters-written-as-yaml-escapes",
        [
            f"{ALPHA}:2:15: 'vendor' contains U+0000 {CONTROL}",
            f"{ALPHA}:2:17: 'vendor' contains U+000B {CONTROL}",
            f"{ALPHA}:2:23: 'vendor' contains U+007F {CONTROL}",
            f"{ALPHA}:2:29: 'vendor' contains U+001B {CONTROL}",
        ],
        edit(ALPHA, "vendor: Alpha Labs", 'vendor: "Alpha\\0\\x0bLa\\x7fbs\\e"'),
    ),
    Case(
        "raw-control-character-in-yaml",
        [f"{ALPHA}:2:14: invalid YAML: character U+0007 is not allowed"],
        edit(ALPHA, "vendor: Alpha Labs", "vendor: Alpha\x07Labs"),
    ),
    Case(
        "control-characters-in-the-markdown-body",
        [
            f"{POST}:19:1: the post contains U+001B {CONTROL}",
            f"{POST}:19:10: the post contains U+0000 {CONTROL}",
        ],
        edit(POST, "Read about [Alpha]", "\x1b[31mRead\0 about [Alpha]"),
    ),
    # --- content comes only from content/ (and templates, static files from theirs) --------------
    Case(
        "symlinked-model-file-outside-content",
        [
            "content/models/evil.yaml:1:1: symbolic link to a file outside content/ ({outside}/x.yaml); "
            "content must live inside content/"
        ],
        setup=link_outside("content/models/evil.yaml"),
    ),
    Case(
        "symlinked-site-yaml-outside-content",
        [
            f"{SITE}:1:1: symbolic link to a file outside content/ ({{outside}}/x.yaml); "
            "content must live inside content/"
        ],
        setup=link_outside(SITE, replacing=True),
    ),
    Case(
        "symlinked-models-folder-outside-content",
        [
            "content/models:1:1: symbolic link to a folder outside content/ ({outside}/models); "
            "content must live inside content/"
        ],
        # A post that names no model, so that only the link is reported.
        files={POST: "---\ntitle: Quiet\nweek: 1\ndate: 2026-01-05\nsummary: Nothing.\n---\n\nNothing.\n"},
        setup=folder_outside("content/models"),
    ),
    Case(
        "symbolic-link-loop",
        [
            "content/models/a.yaml:1:1: symbolic link that loops back on itself; remove it",
            "content/models/b.yaml:1:1: symbolic link that loops back on itself; remove it",
        ],
        setup=lambda root, outside: symlink_loop(root / "content/models/a.yaml", root / "content/models/b.yaml"),
    ),
    Case(
        "fifo-in-content-models",
        ["content/models/pipe.yaml:1:1: not a regular file; only files and folders are read"],
        setup=fifo("content/models/pipe.yaml"),
    ),
    Case(
        "symlinked-template-outside-templates",
        [
            "templates/evil.html:1:1: symbolic link to a file outside templates/ ({outside}/x.yaml); "
            "templates must live inside templates/"
        ],
        setup=link_outside("templates/evil.html"),
    ),
    Case(
        "symlinked-static-file-outside-static",
        [
            "static/evil.css:1:1: symbolic link to a file outside static/ ({outside}/x.yaml); "
            "static files must live inside static/"
        ],
        setup=link_outside("static/evil.css"),
    ),
    Case(
        "fifo-in-static",
        ["static/pipe:1:1: not a regular file; only files and folders are read"],
        setup=fifo("static/pipe"),
    ),
    # --- strict scalars, every problem in a file ---------------------------------------------------
    Case(
        "hex-week",
        [f"{POST}:3:7: 'week': {DECIMAL} (got '0x10')"],
        edit(POST, "week: 1\n", "week: 0x10\n"),
    ),
    Case(
        "octal-underscore-and-plus-counts",
        [
            f"{SITE}:7:18: 'min_vram_gb': {DECIMAL} (got '0o30')",
            f"{SITE}:8:18: 'max_vram_gb': {DECIMAL} (got '2_4')",
            f"{SITE}:10:12: 'order': {DECIMAL} (got '+1')",
        ],
        edit(
            SITE,
            "min_vram_gb: 24\n    max_vram_gb: 24\n    example_gpus: [RTX 3090]\n    order: 1",
            "min_vram_gb: 0o30\n    max_vram_gb: 2_4\n    example_gpus: [RTX 3090]\n    order: +1",
        ),
    ),
    Case(
        "every-non-finite-number-in-a-file",
        [
            f"{ALPHA}:8:12: cannot read '.nan' {NON_FINITE}",
            f"{ALPHA}:9:12: cannot read '.inf' {NON_FINITE}",
        ],
        edit(ALPHA, "    score: 70.5\n", "    score: .nan\n    extra: .inf\n"),
    ),
    Case(
        "tab-in-indentation",
        [f"{ALPHA}:2:1: tab character in indentation; indent with spaces"],
        edit(ALPHA, "vendor: Alpha Labs", "\tvendor: Alpha Labs"),
    ),
    # --- base URL ---------------------------------------------------------------------------------
    *(
        Case(
            f"base-url-{name}",
            [f"{SITE}:3:1: 'base_url': base URL '{url}' {reason}"],
            edit(SITE, "https://example.test/board/", url),
        )
        for name, url, reason in [
            ("userinfo", "https://user:pw@example.test/", "must not hold a user name or password (user:password@)"),
            ("port-too-big", "https://example.test:99999/", "has port '99999'; a port is a number from 1 to 65535"),
            ("port-zero", "https://example.test:0/", "has port '0'; a port is a number from 1 to 65535"),
            ("port-not-a-number", "https://example.test:ab/", "has port 'ab'; a port is a number from 1 to 65535"),
            ("dot-segments", "https://example.test/a/../..", "must not have '.' or '..' path segments"),
            ("encoded-dot-segment", "https://example.test/%2E%2e/", "must not have '.' or '..' path segments"),
            ("query", "https://example.test/board/?utm=1", "must not have a query (?) or fragment (#)"),
            ("fragment", "https://example.test/board/#top", "must not have a query (?) or fragment (#)"),
            (
                "backslash",
                "https://example.test\\evil.test/",
                "has a path that browsers would read as another host or misquote",
            ),
            ("not-absolute", "example.test/board/", "must be absolute, like https://user.github.io/repo/"),
        ]
    ),
    # --- earlier hostile cases ------------------------------------------------------------------
    Case(
        "yaml-python-tag",
        [f"{ALPHA}:2:9: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed here"],
        edit(ALPHA, "vendor: Alpha Labs", "vendor: !!python/object/apply:os.system [ls]"),
    ),
    Case(
        "yaml-anchor-and-alias",
        [f"{GIANT}:1:7: {ANCHOR}", f"{GIANT}:2:9: {ANCHOR}"],
        {GIANT: "name: &n Giant 1T\nvendor: *n\n"},
    ),
    Case(
        "yaml-deep-nesting",
        [f"{GIANT}:1:73: nested more than 64 levels deep"],
        {GIANT: "license: " + "[" * 100_000 + "]" * 100_000 + "\n"},
    ),
    Case(
        "yaml-duplicate-key",
        [f"{ALPHA}:2:1: duplicate key 'name'"],
        edit(ALPHA, "vendor: Alpha Labs", "name: Again"),
    ),
    Case(
        "not-utf8",
        [f"{GIANT}:1:9: not UTF-8 text; save the file as UTF-8"],
        {GIANT: "name: Gi\udcffant\n"},
    ),
    Case(
        "javascript-link",
        [
            f"{POST}:19:20: link 'javascript:alert(1)' is not allowed; "
            "use http(s)://, mailto:, model:<id> or a relative link"
        ],
        edit(POST, "(model:alpha)", "(javascript:alert(1))"),
    ),
    Case(
        "remote-image",
        [
            f"{POST}:19:21: image 'https://tracker.test/p.png' "
            "must be a file on this site (no other servers, no data: URLs)"
        ],
        edit(POST, "[Alpha](model:alpha)", "![Alpha](https://tracker.test/p.png)"),
    ),
    Case(
        "file-name-that-breaks-urls",
        ["content/models/a b.yaml:1:1: file name 'a b' must use only a-z, 0-9, '-' and '.', and not end in '.html'"],
        {"content/models/a b.yaml": textwrap.dedent(default_files()[GIANT])},
    ),
]


def write_raw(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_is_refused_at_its_place(make_site: MakeSite, tmp_path: Path, case: Case) -> None:
    site = make_site()
    assert site.run("build").code == 0
    previous = snapshot(site.root / "_site")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text("name: Secret\nvendor: Elsewhere\n")
    for relative, text in case.files.items():
        write_raw(site.root, relative, text)
    if case.setup:
        case.setup(site.root, outside)

    result = site.run("build")

    assert "Traceback" not in result.out + result.err
    assert result.code == 1, result.out
    expected = [line.replace("{outside}", outside.as_posix()) for line in case.expected]
    count = len(expected)
    assert result.err.splitlines() == [
        *expected,
        f"error: {count} problem{'s' * (count != 1)} found; nothing was written",
    ]
    assert snapshot(site.root / "_site") == previous


# --- what stays allowed, and how user text is shown ---------------------------------------------


def test_a_link_inside_content_to_a_file_inside_content_is_read(make_site: MakeSite) -> None:
    site = make_site()
    (site.root / "content/models/alpha-copy.yaml").symlink_to("alpha.yaml")
    result = site.run("check")
    assert (result.code, result.err) == (0, "")
    assert result.out == "Content is valid: 3 models, 1 post.\n"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://user:pw@example.test/", "must not hold a user name or password (user:password@)"),
        ("https://example.test:65536/", "has port '65536'; a port is a number from 1 to 65535"),
        ("https://example.test/a/%2e/", "must not have '.' or '..' path segments"),
    ],
)
def test_bad_base_url_on_the_command_line_is_an_argument_error(
    make_site: MakeSite, capsys: pytest.CaptureFixture[str], url: str, reason: str
) -> None:
    site = make_site()
    with pytest.raises(SystemExit) as caught:
        site.run("build", "--base-url", url)
    assert caught.value.code == 2
    assert f"argument --base-url: base URL '{url}' {reason}" in capsys.readouterr().err
    assert not (site.root / "_site").exists()


@pytest.mark.parametrize(
    "url", ["https://example.test:8080/board/", "https://[::1]:8443/", "http://127.0.0.1:8000/a..b/"]
)
def test_ordinary_base_urls_with_ports_are_accepted(make_site: MakeSite, url: str) -> None:
    site = make_site()
    assert site.run("build", "--base-url", url).code == 0


def test_names_and_titles_from_any_script_are_isolated_from_their_neighbours(make_site: MakeSite) -> None:
    arabic = "نموذج ألفا"
    site = make_site(
        {
            **edit(ALPHA, "name: Alpha 7B", f"name: {arabic}"),
            **edit(POST, "title: Week 1 in review", "title: مراجعة الأسبوع"),
        }
    )
    assert site.run("build").code == 0
    out = site.root / "_site"
    assert f'<a href="/board/models/alpha/"><bdi>{arabic}</bdi></a>' in (out / "index.html").read_text()
    assert f"<h1><bdi>{arabic}</bdi></h1>" in (out / "models/alpha/index.html").read_text()
    assert "<h1><bdi>مراجعة الأسبوع</bdi></h1>" in (out / "posts/week-01/index.html").read_text()
    assert "<bdi>مراجعة الأسبوع</bdi></a></h2>" in (out / "posts/index.html").read_text()
