"""Hostile content: whatever editors (or a pasted snippet) put in the content, pages carry no markup from it.

Raw HTML in a post body and `<script>` in front matter or records are escaped, quotes stay
inside attributes, and links with script-running schemes are build errors with file:line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from conftest import BIG_MODEL_YAML, MODEL_YAML, SITE_YAML, FixtureSite, default_files
from html_reader import Page, parse_html

MakeSite = Callable[..., FixtureSite]


def payload(where: str) -> str:
    return f"<script>alert('{where}')</script>"


SITE_SCRIPT = re.compile(r'<script src="/[^"<>]*static/tables\.js\?v=[0-9a-f]{10}" defer></script>')
DATA_BLOCK = re.compile(r'<script type="application/ld\+json">([^<]*)</script>')
"""The home page's JSON-LD: data browsers never run, with no `<` inside that could close it."""


def build_ok(site: FixtureSite) -> dict[str, Page]:
    result = site.run("build")
    assert result.code == 0, result.err
    out = site.root / "_site"
    pages = {}
    for path in sorted(out.rglob("*.html")):
        raw = path.read_text(encoding="utf-8")
        name = path.relative_to(out).as_posix()
        for data in DATA_BLOCK.findall(raw):
            assert json.loads(data)["@type"] == "Dataset", name
        raw = DATA_BLOCK.sub("", raw)
        # The site's own table script is the only script a page may load; content never adds one.
        assert len(SITE_SCRIPT.findall(raw)) == 1, f"{name} does not load the site's script once"
        assert not re.search(r"<\s*script", SITE_SCRIPT.sub("", raw), re.IGNORECASE), f"{name} holds a <script> tag"
        page = parse_html(SITE_SCRIPT.sub("", raw))
        assert not [e.tag for e in page.elements if e.tag in ("script", "iframe", "object", "embed")], name
        handlers = [(e.tag, attr) for e in page.elements for attr in e.attrs if attr.lower().startswith("on")]
        assert handlers == [], f"{name}: event-handler attributes {handlers}"
        pages[name] = page
    return pages


def meta_description(page: Page) -> str:
    metas = [meta for meta in page.find("meta") if meta.attrs.get("name") == "description"]
    assert len(metas) == 1
    assert set(metas[0].attrs) == {"name", "content"}, metas[0].attrs
    return str(metas[0].attrs["content"])


def post(body: str, front: str = "") -> str:
    """A week-01 post with the default picks, extra front matter and `body`."""
    return (
        "---\n"
        "title: Week 1 in review\n"
        "week: 1\n"
        "date: 2026-01-05\n"
        "summary: Alpha leads.\n"
        f"{front}"
        "picks:\n"
        "  24gb:\n"
        "    - category: General\n"
        "      model: alpha\n"
        "      why: Fast and small\n"
        "---\n"
        "\n"
        f"{body}"
    )


# --- raw HTML in the Markdown body -------------------------------------------------


def test_raw_html_in_the_body_is_shown_as_text(make_site: MakeSite) -> None:
    body = (
        "<script>alert(1)</script>\n"
        "\n"
        "An image: <img src=x onerror=alert(1)> inline.\n"
        "\n"
        "<img src=x onerror=alert(2)>\n"
        "\n"
        '<a href="javascript:alert(3)">click</a> and <iframe src="https://evil.test/"></iframe>\n'
    )
    pages = build_ok(make_site({"content/posts/week-01.md": post(body)}))
    page = pages["posts/week-01/index.html"]
    assert "<script>alert(1)</script>" in page.text
    assert "<img src=x onerror=alert(1)>" in page.text
    assert "<img src=x onerror=alert(2)>" in page.text
    assert '<a href="javascript:alert(3)">click</a>' in page.text
    assert page.find("img") == []
    assert not [a for a in page.find("a") if "javascript" in str(a.attrs.get("href")).lower()]


# --- <script> in front matter and records ---------------------------------------------

HOSTILE_MODEL = MODEL_YAML.replace("name: Alpha 7B", f'name: "Alpha {payload("name")}"').replace(
    "headline_benchmark: MMLU",
    f'headline_benchmark: MMLU\n    summary: "{payload("model-summary")}"\n    notes:\n      - "{payload("note")}"',
)
HOSTILE_POST = f"""\
    ---
    title: "Week 1 {payload("title")}"
    week: 1
    date: 2026-01-05
    summary: "{payload("summary")}"
    tags: [moe]
    picks:
      24gb:
        - category: "{payload("category")}"
          model: alpha
          quant: Q4_K_M
          why: "{payload("why")}"
    wait_list:
      - model: giant
        why: "{payload("wait-why")}"
    ---

    Body text.
    """

# Where each hostile value is shown to readers.
SHOWN_ON = {
    "title": ["index.html", "posts/index.html", "posts/week-01/index.html"],
    "summary": ["index.html", "posts/index.html", "posts/week-01/index.html"],
    "why": ["index.html", "tiers/24gb/index.html", "posts/week-01/index.html", "models/alpha/index.html"],
    "category": ["index.html", "tiers/24gb/index.html", "posts/week-01/index.html", "models/alpha/index.html"],
    "wait-why": ["index.html", "wait-list/index.html", "posts/week-01/index.html", "models/giant/index.html"],
    "name": ["index.html", "models/index.html", "models/alpha/index.html", "posts/week-01/index.html"],
    "model-summary": ["models/alpha/index.html"],
    "note": ["models/alpha/index.html"],
}


@pytest.fixture
def hostile_pages(make_site: MakeSite) -> dict[str, Page]:
    site = make_site({"content/models/alpha.yaml": HOSTILE_MODEL, "content/posts/week-01.md": HOSTILE_POST})
    return build_ok(site)


@pytest.mark.parametrize("where", sorted(SHOWN_ON))
def test_script_in_a_field_is_escaped_everywhere_it_shows(hostile_pages: dict[str, Page], where: str) -> None:
    for name in SHOWN_ON[where]:
        assert payload(where) in hostile_pages[name].text, f"{where} not shown as text on {name}"


def test_script_in_title_and_summaries_is_escaped_in_the_head(hostile_pages: dict[str, Page]) -> None:
    post_page = hostile_pages["posts/week-01/index.html"]
    assert [t.text for t in post_page.find("title")] == [f"Week 1 {payload('title')} · Test Board"]
    assert [h1.text for h1 in post_page.find("h1")] == [f"Week 1 {payload('title')}"]
    assert meta_description(post_page) == payload("summary")
    assert meta_description(hostile_pages["models/alpha/index.html"]) == payload("model-summary")


# --- quotes inside attributes ---------------------------------------------------------

QUOTED_TITLE = """Week "1": it's <b>here</b>"""
QUOTED_SUMMARY = """He said "x" onmouseover="alert(1)" and it's 'fine' & <done>"""
QUOTED_SITE = """Boards "for" everyone's GPU onfocus='alert(1)'"""


def _yaml_single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_quotes_in_front_matter_stay_inside_attributes(make_site: MakeSite) -> None:
    text = post("Body.\n").replace("title: Week 1 in review", f"title: {_yaml_single_quoted(QUOTED_TITLE)}")
    text = text.replace("summary: Alpha leads.", f"summary: {_yaml_single_quoted(QUOTED_SUMMARY)}")
    giant = "name: Giant 1T"
    files = {
        "content/posts/week-01.md": text,
        "content/site.yaml": SITE_YAML.replace(
            "description: A tiny site for tests.", f"description: {_yaml_single_quoted(QUOTED_SITE)}"
        ),
        "content/models/giant.yaml": BIG_MODEL_YAML.replace(giant, f"name: {_yaml_single_quoted(QUOTED_TITLE)}"),
    }
    pages = build_ok(make_site(files))
    post_page = pages["posts/week-01/index.html"]
    assert meta_description(post_page) == QUOTED_SUMMARY
    assert [t.text for t in post_page.find("title")] == [f"{QUOTED_TITLE} · Test Board"]
    assert [h1.text for h1 in post_page.find("h1")] == [QUOTED_TITLE]
    assert post_page.find("b") == []
    assert meta_description(pages["index.html"]) == QUOTED_SITE
    assert meta_description(pages["models/giant/index.html"]) == (
        f"{QUOTED_TITLE} on consumer GPUs: quantizations, memory and benchmarks."
    )
    archive_links = [
        a.text for a in pages["posts/index.html"].find("a") if a.attrs.get("href") == "/board/posts/week-01/"
    ]
    assert archive_links == [QUOTED_TITLE]


# --- unsafe links ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(document.cookie))",
        "[x](&#106;avascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "<javascript:alert(1)>",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        "![x](https://tracker.example/pixel.png)",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
    ],
)
def test_unsafe_link_is_a_build_error_with_file_and_line(make_site: MakeSite, link: str) -> None:
    body = f"Intro paragraph.\n\nSecond paragraph.\n\nSee {link} for more.\n"
    text = post(body)
    line = text.split("\n").index(f"See {link} for more.") + 1
    site = make_site({"content/posts/week-01.md": text})
    result = site.run("build")
    assert result.code == 1
    assert result.out == ""
    assert re.search(rf"^content/posts/week-01\.md:{line}:\d+: (link|image) '.+'", result.err, re.MULTILINE), result.err
    assert "nothing was written" in result.err
    assert not (site.root / "_site").exists()


def test_unsafe_link_column_points_at_the_url(make_site: MakeSite) -> None:
    text = post("Hello.\n\nA [bad](javascript:alert(1)) link.\n")
    line = text.split("\n").index("A [bad](javascript:alert(1)) link.") + 1
    result = make_site({"content/posts/week-01.md": text}).run("build")
    assert result.code == 1
    column = len("A [bad](") + 1
    assert f"content/posts/week-01.md:{line}:{column}: link 'javascript:alert(1)' is not allowed" in result.err


def test_failed_build_leaves_the_previous_site_untouched(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build").code == 0
    out = site.root / "_site"
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    site.write("content/posts/week-01.md", post("[x](javascript:alert(1))\n"))
    assert site.run("build").code == 1
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


@pytest.mark.parametrize(
    ("path", "old", "new", "key_line"),
    [
        (
            "content/models/alpha.yaml",
            "headline_benchmark: MMLU",
            "headline_benchmark: MMLU\n    links:\n      - title: Weights\n        url: javascript:alert(1)",
            "url: javascript:alert(1)",
        ),
        (
            "content/site.yaml",
            "title: Test Source",
            "title: Test Source\n        url: data:text/html,hi",
            "url: data:text/html,hi",
        ),
    ],
)
def test_unsafe_urls_in_records_are_build_errors(
    make_site: MakeSite, path: str, old: str, new: str, key_line: str
) -> None:
    original = default_files()[path]
    assert old in original
    site = make_site({path: original.replace(old, new)})
    line = next(i for i, text in enumerate((site.root / path).read_text().split("\n"), 1) if key_line in text)
    result = site.run("build")
    assert result.code == 1
    assert re.search(rf"^{re.escape(path)}:{line}:\d+: .*must start with https:// or http://", result.err, re.M), (
        result.err
    )
    assert not (site.root / "_site").exists()


# --- headings ------------------------------------------------------------------------------


def test_h1_in_the_body_becomes_h2(make_site: MakeSite) -> None:
    body = "# Big heading\n\nText.\n\n## Smaller heading\n\nMore.\n\nSetext heading\n===\n"
    pages = build_ok(make_site({"content/posts/week-01.md": post(body)}))
    page = pages["posts/week-01/index.html"]
    assert [h1.text for h1 in page.find("h1")] == ["Week 1 in review"]
    h2s = [h2.text for h2 in page.find("h2")]
    assert h2s[:3] == ["Big heading", "Smaller heading", "Setext heading"]
    for name, other in pages.items():
        assert len(other.find("h1")) == 1, name
