"""Build the frozen example site (tests/fixtures/site, the content as it stood at Week 6) and check
the HTML a reader gets, down to captions, figures and counts.

Pages are parsed with `html_reader.parse_html`, tables are read as rows of cell text keyed by their
<caption>, and expected figures are read from the YAML records themselves, so every quantization,
memory and hardware row is checked. Tests over the real content/ are in test_real_content.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import FROZEN_SITE, REPO, FixtureSite
from html_reader import Page, html_files, is_off_site, parse_html, squash
from invariants import REPORTED, assert_links_resolve, assert_site_shows_its_content, expected_quantization, marker
from ruamel.yaml import YAML

# --- the frozen example site's content, read straight from the YAML -------------

_yaml = YAML(typ="safe")
CONTENT = FROZEN_SITE / "content"
MODEL_IDS = sorted(path.stem for path in (CONTENT / "models").glob("*.yaml"))


def load_yaml(path: Path) -> Any:
    return _yaml.load(path.read_text(encoding="utf-8"))


def load_post(path: Path) -> tuple[dict[str, Any], str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "---"
    closing = lines.index("---", 1)
    return _yaml.load("\n".join(lines[1:closing])), "\n".join(lines[closing + 1 :])


SITE = load_yaml(CONTENT / "site.yaml")
MODELS = {model_id: load_yaml(CONTENT / "models" / f"{model_id}.yaml") for model_id in MODEL_IDS}
POST, POST_BODY = load_post(CONTENT / "posts" / "week-06.md")
SOURCES = {source["id"]: source["title"] for source in SITE["sources"]}
TIERS = sorted(SITE["tiers"], key=lambda tier: (tier["order"], tier["id"]))
PREFIX = urlsplit(SITE["base_url"]).path
WEEK = f"Week {POST['week']} ({POST['date'].isoformat()})"


def score_text(benchmark: dict[str, Any]) -> str:
    unit = benchmark.get("unit", "%")
    number = f"{benchmark['score']:g}" + (unit if unit == "%" else f" {unit}")
    return ("~" if benchmark.get("approximate") else "") + number


def expected_pick_row(pick: dict[str, Any], tier_id: str) -> list[str]:
    """A figure is followed by its marker: the record row's origin, or "reported" (by its source, or by the
    week's post for a speed the post gives)."""
    model = MODELS[pick["model"]]
    quant = expected_quantization(model, pick["quant"], tier_id) if "quant" in pick else None
    record_speed = (quant or {}).get("speed")
    speed = f"{pick['speed']} {REPORTED}" if pick.get("speed") else record_speed and f"{record_speed} {marker(quant)}"
    vram = (quant or {}).get("vram")
    headline = pick.get("benchmark") or model.get("headline_benchmark")
    benchmark = next((b for b in model.get("benchmarks", []) if b["name"] == headline), None)
    return [
        pick["category"],
        model["name"],
        pick.get("quant") or "—",
        f"{vram} {marker(quant)}" if vram else "—",
        speed or "—",
        f"{score_text(benchmark)} {benchmark['name']} {marker(benchmark)}" if benchmark else "—",
        squash(pick["why"]),
    ]


def tier_caption(tier: dict[str, Any]) -> str:
    return f"{tier['label']}: best picks, {WEEK}"


WAIT_CAPTION = f"{SITE['wait_list']['label']}: too large for consumer GPUs, {WEEK}"


# --- fixtures ------------------------------------------------------------------


@dataclass
class Built:
    site: FixtureSite
    out: Path
    stdout: str

    def page(self, relative: str) -> Page:
        return parse_html((self.out / relative).read_text(encoding="utf-8"))

    def pages(self) -> dict[str, Page]:
        return {
            path.relative_to(self.out).as_posix(): self.page(str(path.relative_to(self.out)))
            for path in html_files(self.out)
        }


def build(site: FixtureSite, *args: str, out: str = "_site") -> Built:
    result = site.run("build", "--out", out, *args)
    assert result.code == 0, result.err
    assert result.err == ""
    return Built(site, site.root / out, result.out)


@pytest.fixture
def built(frozen_site: FixtureSite) -> Built:
    return build(frozen_site)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def thaw(site: FixtureSite) -> None:
    """Remove the lock files, so every week shows today's records (frozen weeks are tested in test_freeze.py)."""
    shutil.rmtree(site.root / "content/frozen", ignore_errors=True)


# --- the build command ---------------------------------------------------------


def test_summary_line_names_counts_per_kind_and_seconds(built: Built) -> None:
    lines = built.stdout.strip().split("\n")
    assert len(lines) == 1
    match = re.fullmatch(r"Wrote (\d+) pages \((.+)\) and (\d+) static files to _site/ in (\d+\.\d+) s", lines[0])
    assert match, lines[0]
    kinds = match.group(2).split(", ")
    assert len(MODEL_IDS) == 8
    assert len(SITE["tiers"]) == 2
    assert kinds == [
        "1 home page",
        "2 tier pages",
        "1 wait list page",
        "8 model pages",
        "1 model index",
        "1 post",
        "1 archive",
        "1 404 page",
    ]
    pages = [p for p in built.out.rglob("*.html")]
    assert int(match.group(1)) == len(pages) == 16
    static = [p for p in (built.out / "static").rglob("*") if p.is_file()]
    assert int(match.group(3)) == len(static)


# --- the home page -------------------------------------------------------------


def test_home_page_has_one_h1_naming_the_site(built: Built) -> None:
    home = built.page("index.html")
    assert [h1.text for h1 in home.find("h1")] == [SITE["title"]]


def test_home_page_has_a_table_per_tier_in_order_then_the_wait_list(built: Built) -> None:
    captions = [table.caption for table in built.page("index.html").tables]
    assert captions == [*map(tier_caption, TIERS), WAIT_CAPTION]
    assert captions[0].startswith("24GB VRAM")
    assert captions[1].startswith("12-16GB VRAM")
    assert captions[2].startswith("The wait list")
    assert all("Week 6" in caption for caption in captions)


@pytest.mark.parametrize("page", ["index.html", "posts/week-06/index.html", "tiers/{tier}/index.html"])
@pytest.mark.parametrize("tier_id", [tier["id"] for tier in TIERS])
def test_every_pick_appears_in_its_tier_table(built: Built, page: str, tier_id: str) -> None:
    tier = next(t for t in SITE["tiers"] if t["id"] == tier_id)
    picks = POST["picks"][tier_id]
    table = built.page(page.format(tier=tier_id)).table(tier_caption(tier))
    assert table.head == [["Best for", "Model", "Quantization", "VRAM used", "Speed", "Headline benchmark", "Why"]]
    assert table.rows == [expected_pick_row(pick, tier_id) for pick in picks]
    for pick, links in zip(picks, table.row_links, strict=True):
        assert f"{PREFIX}models/{pick['model']}/" in links


def test_tier_page_shows_only_its_own_table(built: Built) -> None:
    for tier in TIERS:
        page = built.page(f"tiers/{tier['id']}/index.html")
        assert [table.caption for table in page.tables if not table.caption.startswith("Data: ")] == [
            tier_caption(tier)
        ]
        assert [h1.text for h1 in page.find("h1")] == [f"Best models for {tier['label']}"]


def test_headline_figures_as_the_week_6_post_states_them(built: Built) -> None:
    home = built.page("index.html")
    top = home.table("24GB VRAM: best picks, Week 6 (2026-02-23)").rows
    mid = home.table("12-16GB VRAM: best picks, Week 6 (2026-02-23)").rows
    mimo = next(row for row in top if row[1] == "MiMo-V2-Flash")
    # Each figure with its marker: who produced it where the record says, else "reported" (by the source,
    # or by the week's post for the speeds the post gives).
    mimo_figures = ["~22 GB community", "20-30 t/s reported", "94.1% AIME 2025 vendor"]
    assert mimo[:6] == ["Reasoning", "MiMo-V2-Flash", "Q3_K_S", *mimo_figures]
    glm = next(row for row in top if row[1] == "GLM-4.7-Flash")
    assert glm[:6] == ["Coding", "GLM-4.7-Flash", "4-bit", "—", "60-80 t/s reported", "59.2% SWE-Bench Verified vendor"]
    gemma = next(row for row in mid if row[1] == "Gemma 3 27B QAT")
    assert gemma[:5] == ["General", "Gemma 3 27B QAT", "QAT", "14.1 GB community", "20-30 t/s reported"]
    assert [row[0] for row in top] == ["Reasoning", "Coding", "General", "Quality"]
    assert [row[0] for row in mid] == ["Balanced", "Coding", "General"]


@pytest.mark.parametrize("page", ["index.html", "wait-list/index.html", "posts/week-06/index.html"])
def test_wait_list_shows_the_smallest_usable_memory(built: Built, page: str) -> None:
    table = built.page(page).table(WAIT_CAPTION)
    assert table.head == [["Model", "Memory needed (smallest usable format)", "Why wait"]]
    whys = [squash(row["why"]) for row in POST["wait_list"]]
    assert table.rows == [
        ["Llama 4 Scout", "~55 GB at Q4 reported", whys[0]],
        ["GLM-5", "~300 GB at 2-bit GGUF reported", whys[1]],
        ["Llama 4 Maverick", "200 GB+ reported", whys[2]],
    ]
    assert not any("180 GB" in cell for row in table.rows for cell in row), "1-bit GLM-5 is not usable"
    assert [row["model"] for row in POST["wait_list"]] == ["llama-4-scout", "glm-5", "llama-4-maverick"]


# --- model pages ---------------------------------------------------------------


def _model_page(built: Built, model_id: str) -> Page:
    return built.page(f"models/{model_id}/index.html")


def provenance(row: dict[str, Any]) -> str:
    """The marker a model-page row shows: who produced the figure, else the source that reports it."""
    return str(row["origin"]) if row.get("origin") else f"reported by {SOURCES[row['source']]}"


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_model_page_shows_every_row_of_its_record(built: Built, model_id: str) -> None:
    record = MODELS[model_id]
    page = _model_page(built, model_id)
    name = record["name"]
    assert [h1.text for h1 in page.find("h1")] == [name]
    tables = page.tables_by_caption

    benchmarks = [
        [
            b["name"],
            score_text(b),
            provenance(b) + (f", {b['as_of'].isoformat()}" if b.get("as_of") else ""),
            squash(b.get("note", "")),
        ]
        for b in record.get("benchmarks", [])
    ]
    quantizations = [
        [
            q["format"],
            q["hardware"],
            q.get("vram") or "—",
            q.get("speed") or "—",
            squash(q.get("quality", "")),
            provenance(q),
        ]
        for q in record.get("quantizations", [])
    ]
    memory = [
        [
            m.get("format") or "Not stated",
            m["memory"],
            m.get("hardware") or "—",
            squash(m.get("note", "") + ("" if m.get("usable", True) else " (not usable in practice)")),
            provenance(m),
        ]
        for m in record.get("memory", [])
    ]
    hardware = [[h["hardware"], squash(h["status"]), provenance(h)] for h in record.get("hardware_status", [])]

    for caption, rows in (
        (f"{name} benchmark scores", benchmarks),
        (f"{name} quantizations on named hardware", quantizations),
        (f"{name} memory needed per format", memory),
        (f"{name} on particular hardware", hardware),
    ):
        if rows:
            assert tables[caption].rows == rows, caption
        else:
            assert caption not in tables, f"{caption!r} shown for a record without such rows"


def test_mimo_quantization_table(built: Built) -> None:
    rows = _model_page(built, "mimo-v2-flash").table("MiMo-V2-Flash quantizations on named hardware").rows
    assert [(row[0], row[2], row[3]) for row in rows] == [
        ("Q3_K_S", "~22 GB", "20-25 t/s"),
        ("IQ3_XS", "~20 GB", "25-30 t/s"),
        ("INT8", "~24 GB", "18-22 t/s"),
    ]


def test_glm5_memory_table(built: Built) -> None:
    rows = _model_page(built, "glm-5").table("GLM-5 memory needed per format").rows
    assert [row[:3] for row in rows] == [
        ["FP16/BF16", "~1.5 TB", "8x H200 minimum"],
        ["2-bit GGUF", "~300 GB", "Single 24GB GPU + 300GB RAM"],
        ["1-bit", "~180 GB", "—"],
    ]
    assert "not usable in practice" in rows[2][3]
    assert "not usable" not in rows[0][3] + rows[1][3]


def test_llama_4_scout_hardware_table(built: Built) -> None:
    rows = _model_page(built, "llama-4-scout").table("Llama 4 Scout on particular hardware").rows
    assert [row[0] for row in rows] == ["RTX 4090 (24GB)", "Mac Studio 128GB", "Dual GPU (48GB)", "1.78-bit quant"]
    assert all(row[2] == "reported by Open-Weight LLM Showdown, Week 6" for row in rows)


def test_benchmarks_show_origin_and_source(built: Built) -> None:
    rows = _model_page(built, "mimo-v2-flash").table("MiMo-V2-Flash benchmark scores").rows
    assert rows[0][:3] == ["AIME 2025", "94.1%", "vendor-reported"]
    assert rows[2][:2] == ["Server throughput", "150 t/s"]


def test_model_pages_list_the_weeks_each_model_was_picked(built: Built) -> None:
    expected: dict[str, list[list[str]]] = {model_id: [] for model_id in MODEL_IDS}
    labels = {tier["id"]: tier["label"] for tier in SITE["tiers"]}
    for tier in TIERS:
        for number, pick in enumerate(POST["picks"].get(tier["id"], []), 1):
            row = [WEEK, labels[tier["id"]], str(number), pick["category"], squash(pick["why"])]
            expected[pick["model"]].append(row)
    for number, pick in enumerate(POST["wait_list"], 1):
        expected[pick["model"]].append([WEEK, SITE["wait_list"]["label"], str(number), "—", squash(pick["why"])])
    for model_id, rows in expected.items():
        tables = _model_page(built, model_id).tables_by_caption
        shown = tables[f"{MODELS[model_id]['name']} in the weekly leaderboards"].rows
        # Week, table, row, best for ... why; the figures in between are checked by tests/test_freeze.py.
        assert [row[:4] + row[-1:] for row in shown] == rows, model_id


def test_models_index_lists_every_model(built: Built) -> None:
    table = built.page("models/index.html").table("Every model with a record, by name")
    assert [row[0] for row in table.rows] == sorted((record["name"] for record in MODELS.values()), key=str.casefold)
    linked = sorted(link for links in table.row_links for link in links)
    assert linked == sorted(f"{PREFIX}models/{model_id}/" for model_id in MODEL_IDS)


# --- every page -----------------------------------------------------------------


def test_every_page_has_one_h1_lang_and_no_script(built: Built) -> None:
    pages = built.pages()
    assert len(pages) == 2 + len(TIERS) + len(MODEL_IDS) + 4  # home, 404, tiers, models, index+archive+post+wait
    for name, page in pages.items():
        assert len(page.find("h1")) == 1, name
        assert page.find("h1")[0].text, name
        assert [html.attrs.get("lang") for html in page.find("html")] == [SITE["language"]], name
        # One script, the site's own (sorting, filters, search); the page reads fully without it.
        # JSON-LD is a data block that browsers never run.
        runnable = [script for script in page.find("script") if script.attrs.get("type") != "application/ld+json"]
        scripts = [script.attrs.get("src") or "" for script in runnable]
        assert len(scripts) == 1 and re.match(rf"^{PREFIX}static/tables\.js\?v=[0-9a-f]{{10}}$", scripts[0]), name
        assert not [e for e in page.elements if any(attr.startswith("on") for attr in e.attrs)], name
        assert len(set(page.ids)) == len(page.ids), f"{name}: duplicate ids"


def test_every_template_table_has_a_caption(built: Built) -> None:
    for name, page in built.pages().items():
        for table in page.tables:
            if not table.in_prose:
                assert table.caption.strip(), f"{name}: a table has no caption"


def test_markdown_tables_in_posts_have_a_caption(built: Built) -> None:
    post = built.page("posts/week-06/index.html")
    prose = [table for table in post.tables if table.in_prose]
    assert prose, "the Week 6 post has a Markdown table"
    assert all(table.caption for table in prose)


def _content_urls() -> set[str]:
    """Off-site addresses written in the content, the only ones pages may link to."""
    urls = {source["url"] for source in SITE["sources"] if source.get("url")}
    urls |= {link["url"] for record in MODELS.values() for link in record.get("links", [])}
    written = re.findall(r"\]\(([a-z][a-z0-9+.-]*:[^)\s]+)\)", POST_BODY)
    return urls | {url for url in written if not url.startswith("model:")}


def test_no_third_party_requests_and_no_off_site_urls_but_contents(built: Built) -> None:
    allowed = _content_urls()
    for name, page in built.pages().items():
        for element, attribute, url in page.urls():
            if not is_off_site(url):
                continue
            if element.tag == "link" and element.attrs.get("rel") == "canonical":
                assert url.startswith(SITE["base_url"]), (name, url)
                continue
            assert element.tag not in ("link", "img", "script", "iframe", "source", "video", "audio", "embed"), (
                f"{name}: <{element.tag} {attribute}={url!r}> would load a third-party resource"
            )
            assert url in allowed, f"{name}: off-site {url!r} is not written in the content"
        assert page.find("style") == [], name
        assert not [e for e in page.elements if "url(" in str(e.attrs.get("style") or "")], name
    for css in (built.out / "static").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert "@import" not in text, css


def test_every_internal_link_resolves_and_every_page_is_reachable(built: Built) -> None:
    reached = assert_links_resolve(built.out, PREFIX)
    unreachable = set(html_files(built.out)) - reached - {built.out / "404.html"}
    assert not unreachable, f"pages no link leads to: {sorted(map(str, unreachable))}"


def test_frozen_site_satisfies_the_real_content_invariants(built: Built) -> None:
    assert_site_shows_its_content(built.out, CONTENT)


def test_stylesheet_link_carries_a_version_of_the_file(built: Built) -> None:
    home = built.page("index.html")
    sheets = [link.attrs["href"] for link in home.find("link") if link.attrs.get("rel") == "stylesheet"]
    assert len(sheets) == 1
    parts = urlsplit(str(sheets[0]))
    body = (built.out / parts.path.removeprefix(PREFIX)).read_bytes()
    assert parts.query == "v=" + hashlib.sha256(body).hexdigest()[:10]


# --- posts ----------------------------------------------------------------------


def test_archive_lists_the_post(built: Built) -> None:
    archive = built.page("posts/index.html")
    links = [a for a in archive.find("a") if a.attrs.get("href") == f"{PREFIX}posts/week-06/"]
    assert [a.text for a in links] == [POST["title"]]
    assert f"Week 6 · {POST['date'].isoformat()}" in archive.text
    assert squash(POST["summary"]) in archive.text


def test_post_page_renders_the_markdown_body(built: Built) -> None:
    post = built.page("posts/week-06/index.html")
    assert [h1.text for h1 in post.find("h1")] == [POST["title"]]
    body_headings = [line.removeprefix("## ").strip() for line in POST_BODY.split("\n") if line.startswith("## ")]
    assert len(body_headings) == 5
    h2s = [h2.text for h2 in post.find("h2")]
    assert h2s[: len(body_headings)] == body_headings
    assert "##" not in post.text
    model_links = re.findall(r"\[([^\]]+)\]\(model:([^)]+)\)", POST_BODY)
    assert len(model_links) == 5
    anchors = [(a.text, a.attrs.get("href")) for a in post.find("a")]
    for text, model_id in model_links:
        assert (text, f"{PREFIX}models/{model_id}/") in anchors
    assert not [href for _, href in anchors if str(href).startswith("model:")]
    prose = [table for table in post.tables if table.in_prose]
    assert [table.head for table in prose] == [[["If you want", "Try", "Expect"]]]
    assert prose[0].rows[0] == ["Reasoning on 24GB", "MiMo-V2-Flash, Q3_K_S GGUF", "20-30 t/s"]


# --- builds and base URLs -----------------------------------------------------------


def test_two_builds_are_byte_identical(frozen_site: FixtureSite) -> None:
    first = build(frozen_site, out="out-a").out
    second = build(frozen_site, out="out-b").out

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    files = tree(first)
    assert len(files) > len(MODEL_IDS)
    assert files == tree(second)


@pytest.mark.parametrize("base_url", ["https://user.github.io/repo/", "https://user.github.io/repo"])
def test_base_url_on_a_sub_path(frozen_site: FixtureSite, base_url: str) -> None:
    built = build(frozen_site, "--base-url", base_url)
    assert_links_resolve(built.out, "/repo/")
    for path in html_files(built.out):
        page = parse_html(path.read_text(encoding="utf-8"))
        internal = [url for _, _, url in page.urls() if not is_off_site(url) and not url.startswith("#")]
        assert internal, path
        assert all(url.startswith("/repo/") for url in internal), path
        assert "home-gpu-leaderboard" not in path.read_text(encoding="utf-8"), path
        relative = path.relative_to(built.out).as_posix()
        expected = "https://user.github.io/repo/" + relative.removesuffix("index.html")
        canonical = [link.attrs["href"] for link in page.find("link") if link.attrs.get("rel") == "canonical"]
        assert canonical == [expected], path


def test_base_url_at_a_domain_root(frozen_site: FixtureSite) -> None:
    built = build(frozen_site, "--base-url", "https://example.org/")
    assert_links_resolve(built.out, "/")
    for path in html_files(built.out):
        page = parse_html(path.read_text(encoding="utf-8"))
        for _, _, url in page.urls():
            if not is_off_site(url) and not url.startswith("#"):
                assert url.startswith("/") and not url.startswith("//"), (path, url)
                assert not url.startswith("/home-gpu-leaderboard/"), (path, url)
        relative = path.relative_to(built.out).as_posix()
        canonical = [link.attrs["href"] for link in page.find("link") if link.attrs.get("rel") == "canonical"]
        assert canonical == ["https://example.org/" + relative.removesuffix("index.html")], path


def test_rebuild_removes_output_of_a_deleted_model(frozen_site: FixtureSite) -> None:
    first = build(frozen_site)
    assert (first.out / "models/llama-4-maverick/index.html").is_file()
    (frozen_site.root / "content/models/llama-4-maverick.yaml").unlink()
    edit(
        frozen_site.root / "content/posts/week-06.md",
        '  - model: llama-4-maverick\n    why: "Upwards of 200 GB"\n',
        "",
    )
    second = build(frozen_site)
    assert not (second.out / "models/llama-4-maverick").exists()
    for path in second.out.rglob("*.html"):
        assert "Llama 4 Maverick" not in path.read_text(encoding="utf-8"), path
        assert "llama-4-maverick" not in path.read_text(encoding="utf-8"), path
    assert [row[0] for row in second.page("index.html").table(WAIT_CAPTION).rows] == ["Llama 4 Scout", "GLM-5"]
    leftovers = sorted(p.name for p in frozen_site.root.iterdir() if p.name.startswith("."))
    assert leftovers == ["._site.site-builder", "._site.spare", ".cache"], "staging folders left behind"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("out", ["content", "content/", ".", "templates", "static", "../frozen"])
def test_build_refuses_to_write_over_the_sources(frozen_site: FixtureSite, out: str) -> None:
    before = _snapshot(frozen_site.root)
    assert frozen_site.root.name == "frozen"
    result = frozen_site.run("build", "--out", out)
    assert result.code == 1
    assert "output folder would replace" in result.err
    assert "nothing was written" in result.err
    assert result.out == ""
    assert _snapshot(frozen_site.root) == before
    assert sorted(p.name for p in frozen_site.root.iterdir()) == ["content", "static", "templates"]


@pytest.mark.parametrize(
    "out",
    ["static/site", "content/models/site", "templates/out"],
)
def test_build_refuses_an_output_folder_inside_the_sources(frozen_site: FixtureSite, out: str) -> None:
    before = _snapshot(frozen_site.root)
    result = frozen_site.run("build", "--out", out)
    assert result.code == 1, result.out
    assert "which is read as input; choose another --out" in result.err
    assert _snapshot(frozen_site.root) == before


def test_check_runs_as_a_module_from_the_site_root(frozen_site: FixtureSite) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, "-m", "site_builder", "check"],
        cwd=frozen_site.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Content is valid")
    assert f"{len(MODEL_IDS)} models" in result.stdout
    assert result.stderr == ""
    assert sorted(p.name for p in frozen_site.root.iterdir()) == ["content", "static", "templates"]


def test_check_counts_one_post_in_the_singular(frozen_site: FixtureSite) -> None:
    result = frozen_site.run("check")
    assert result.code == 0
    assert result.out.strip().endswith("8 models, 1 post.")


# --- figures a reader must not misread ---------------------------------------------


def test_leaderboard_benchmark_with_a_unit_is_spaced_as_on_the_model_page(frozen_site: FixtureSite) -> None:
    edit(
        frozen_site.root / "content/posts/week-06.md",
        "      quant: Q3_K_S\n",
        "      quant: Q3_K_S\n      benchmark: Server throughput\n",
    )
    home = build(frozen_site).page("index.html")
    mimo = next(row for row in home.table(tier_caption(TIERS[0])).rows if row[1] == "MiMo-V2-Flash")
    assert mimo[5] == "150 t/s Server throughput vendor"


def test_leaderboard_marks_an_approximate_benchmark(frozen_site: FixtureSite) -> None:
    edit(
        frozen_site.root / "content/models/mimo-v2-flash.yaml",
        "    score: 94.1\n",
        "    score: 94.1\n    approximate: true\n",
    )
    built = build(frozen_site)
    model_rows = _model_page(built, "mimo-v2-flash").table("MiMo-V2-Flash benchmark scores").rows
    assert model_rows[0][1] == "~94.1%"
    mimo = next(row for row in built.page("index.html").table(tier_caption(TIERS[0])).rows if row[1] == "MiMo-V2-Flash")
    assert mimo[5] == "~94.1% AIME 2025 vendor"


def test_post_heading_ids_do_not_collide_with_page_ids(frozen_site: FixtureSite) -> None:
    edit(
        frozen_site.root / "content/posts/week-06.md",
        "## What to do now\n",
        "## Wait list\n\nSoon.\n\n## What to do now\n",
    )
    post = build(frozen_site).page("posts/week-06/index.html")
    assert "Wait list" in [h2.text for h2 in post.find("h2")]
    assert len(set(post.ids)) == len(post.ids), sorted(i for i in post.ids if post.ids.count(i) > 1)
