"""Invalid content through the real command line: every problem, located, at once, and nothing written.

Expected line numbers are counted by hand from the dedented fixture text; the numbered
comments beside the longer fixtures say which line is which.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import BIG_MODEL_YAML, MODEL_YAML, POST_MD, SITE_YAML, FixtureSite

MakeSite = Callable[..., FixtureSite]

ALPHA = "content/models/alpha.yaml"
GIANT = "content/models/giant.yaml"
POST = "content/posts/week-01.md"

# A post that names neither model, so a broken record does not also break the post.
QUIET_POST = """\
    ---
    title: Quiet week
    week: 1
    date: 2026-01-05
    summary: Nothing picked.
    ---

    Nothing to see.
    """


def summary_line(count: int) -> str:
    return f"error: {count} problem{'s' if count != 1 else ''} found; nothing was written"


def assert_fails(site: FixtureSite, *problems: str) -> None:
    """`check` and `build` both exit 1 and print exactly these problems, in order, then the summary."""
    for command in ("check", "build"):
        result = site.run(command)
        assert "Traceback" not in result.out + result.err
        assert result.code == 1, result.out
        assert result.out == ""
        assert result.err.splitlines() == [*problems, summary_line(len(problems))], command
    assert not (site.root / "_site").exists()


def assert_valid(site: FixtureSite) -> None:
    check = site.run("check")
    assert (check.code, check.err) == (0, "")
    assert check.out == "Content is valid: 2 models, 1 post.\n"
    build = site.run("build")
    assert (build.code, build.err) == (0, "")
    assert (site.root / "_site" / "index.html").is_file()


def test_the_default_fixture_is_valid(make_site: MakeSite) -> None:
    assert_valid(make_site())


# --- schema: keys ----------------------------------------------------------------------------


def test_misspelt_keys_are_unknown_with_a_suggestion(make_site: MakeSite) -> None:
    site = make_site(
        {
            POST: QUIET_POST,
            ALPHA: """\
                name: Alpha 7B
                vendr: Alpha Labs
                quantizations:
                  - format: Q4_K_M
                    hardware: RTX 3090 (24GB)
                    sped: 80-90 t/s
                    origin: measured
                    source: src
                """,
        }
    )
    assert_fails(
        site,
        f"{ALPHA}:1:1: missing required key 'vendor'",
        f"{ALPHA}:2:1: unknown key 'vendr'; did you mean 'vendor'?",
        f"{ALPHA}:6:5: unknown key 'sped'; did you mean 'speed'?",
    )


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(make_site: MakeSite) -> None:
    site = make_site({POST: QUIET_POST, GIANT: "name: Giant 1T\nvendor: Giant Co\ncolour: red\n"})
    allowed = (
        "name, vendor, license, architecture, total_params, active_params, context_window, specs_source, "
        "summary, headline_benchmark, links, notes, benchmarks, quantizations, memory, hardware_status, attention"
    )
    assert_fails(site, f"{GIANT}:3:1: unknown key 'colour'; allowed keys: {allowed}")


def test_missing_required_keys_point_at_the_enclosing_mapping(make_site: MakeSite) -> None:
    site = make_site(
        {
            POST: QUIET_POST,
            ALPHA: """\
                vendor: Alpha Labs
                benchmarks:
                  - name: MMLU
                    score: 70.5
                    source: src
                """,
        }
    )
    assert_fails(
        site,
        f"{ALPHA}:1:1: missing required key 'name'",
        f"{ALPHA}:3:5: missing required key 'unit'",
    )


# --- schema: strict types --------------------------------------------------------------------


def test_strict_types_are_not_converted(make_site: MakeSite) -> None:
    site = make_site(
        {
            POST: QUIET_POST,
            ALPHA: """\
                name: Alpha 7B
                vendor: Alpha Labs
                benchmarks:
                  - name: MMLU
                    score: "24"
                    unit: "%"
                    approximate: "yes"
                    origin: vendor-reported
                    source: src
                  - name: GPQA
                    score: 40
                    unit: "%"
                    approximate: yes
                    origin: vendor-reported
                    source: src
                quantizations:
                  - format: Q4_K_M
                    hardware: 3090
                    origin: measured
                    source: src
                """,
        }
    )
    assert_fails(
        site,
        f"{ALPHA}:5:5: 'score': Input should be a valid number (got '24')",
        f"{ALPHA}:7:5: 'approximate': Input should be a valid boolean (got 'yes')",
        f"{ALPHA}:13:5: 'approximate': Input should be a valid boolean (got 'yes')",
        f"{ALPHA}:18:5: 'hardware': Input should be a valid string (got 3090)",
    )


def test_wrong_literal_is_named(make_site: MakeSite) -> None:
    site = make_site({POST: QUIET_POST, GIANT: "name: Giant 1T\nvendor: Giant Co\narchitecture: MoE\n"})
    assert_fails(site, f"{GIANT}:3:1: 'architecture': Input should be 'dense' or 'moe' (got 'MoE')")


def test_post_front_matter_is_strict_and_located_in_the_post(make_site: MakeSite) -> None:
    site = make_site(
        {
            POST: """\
                ---
                title: Week 1
                week: "1"
                date: "2026-01-05"
                summary: 5
                ---
                Body.
                """
        }
    )
    assert_fails(
        site,
        f"{POST}:3:1: 'week': Input should be a valid integer (got '1')",
        f"{POST}:4:1: 'date': Input should be a valid date (got '2026-01-05')",
        f"{POST}:5:1: 'summary': Input should be a valid string (got 5)",
    )


# --- schema: figures -------------------------------------------------------------------------

FIGURES_MODEL = """\
    name: Alpha 7B
    vendor: Alpha Labs
    total_params: 7 billion
    quantizations:
      - format: Q4_K_M
        hardware: RTX 3090 (24GB)
        vram: "~5 GiB"
        speed: 80-90 tok/s
        origin: measured
        source: src
      - format: Q8_0
        hardware: RTX 3090 (24GB)
        speed: 90-80 t/s
        origin: measured
        source: src
    memory:
      - format: FP16
        memory: 0 GB
        source: src
    """
# Lines: 3 total_params, 7 vram, 8 speed (bad text), 13 speed (min > max), 18 memory 0.


def test_bad_figures_are_located_with_the_parser_message(make_site: MakeSite) -> None:
    site = make_site({POST: QUIET_POST, ALPHA: FIGURES_MODEL})
    assert_fails(
        site,
        f"{ALPHA}:3:1: 'total_params': '7 billion' is not a count; write it like '309B', '15B', '~8K' or '10M'",
        f"{ALPHA}:7:5: 'vram': '~5 GiB' is not a size; write it like '22 GB', '~1.5 TB' or '200 GB+'",
        f"{ALPHA}:8:5: 'speed': '80-90 tok/s' is not a speed; write it like '20-25 t/s', '~20 t/s' or '60+ t/s'",
        f"{ALPHA}:13:5: 'speed': speed '90-80 t/s' has its minimum above its maximum",
        f"{ALPHA}:18:5: 'memory': size '0 GB' must be more than 0",
    )


def test_pick_speed_is_checked_too(make_site: MakeSite) -> None:
    site = make_site(
        {
            POST: """\
                ---
                title: Week 1
                week: 1
                date: 2026-01-05
                summary: Alpha leads.
                picks:
                  24gb:
                    - category: General
                      model: alpha
                      speed: 30-20 t/s
                      why: Fast
                ---
                """
        }
    )
    assert_fails(site, f"{POST}:10:7: 'speed': speed '30-20 t/s' has its minimum above its maximum")


# --- cross-references ----------------------------------------------------------------------------


def test_unknown_source_id_suggests_the_closest(make_site: MakeSite) -> None:
    site = make_site(
        {
            GIANT: """\
                name: Giant 1T
                vendor: Giant Co
                memory:
                  - format: Q4
                    memory: "~600 GB"
                    source: srcs
                  - format: Q2
                    memory: "~300 GB"
                    source: elsewhere
                """
        }
    )
    assert_fails(
        site,
        f"{GIANT}:6:5: unknown source 'srcs': not among the sources in content/site.yaml; did you mean 'src'?",
        f"{GIANT}:9:5: unknown source 'elsewhere': not among the sources in content/site.yaml",
    )


def test_unknown_headline_benchmark(make_site: MakeSite) -> None:
    alpha = MODEL_YAML.replace("headline_benchmark: MMLU", "headline_benchmark: MMLU-Pro")
    site = make_site({ALPHA: alpha})
    assert_fails(
        site, f"{ALPHA}:5:1: unknown benchmark 'MMLU-Pro': not among the benchmarks of this model; did you mean 'MMLU'?"
    )


def test_unknown_tier_on_a_quantization_row(make_site: MakeSite) -> None:
    alpha = MODEL_YAML.replace("hardware: RTX 3090 (24GB)\n", "hardware: RTX 3090 (24GB)\n        tier: 16gb\n")
    site = make_site({POST: QUIET_POST, ALPHA: alpha})
    assert_fails(
        site, f"{ALPHA}:15:5: unknown tier '16gb': not among the tiers in content/site.yaml; did you mean '12gb'?"
    )


def test_site_yaml_cross_checks(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/site.yaml": """\
                title: Test Board
                description: A tiny site for tests.
                base_url: https://example.test/board/
                tiers:
                  - id: 24gb
                    label: 24GB VRAM
                    min_vram_gb: 32
                    max_vram_gb: 24
                    order: 1
                  - id: 24gb
                    label: Again
                    min_vram_gb: 24
                    max_vram_gb: 24
                    order: 2
                wait_list:
                  label: The wait list
                sources:
                  - id: src
                    title: Test Source
                  - id: src
                    title: Again
                """
        }
    )
    assert_fails(
        site,
        "content/site.yaml:7:5: 'min_vram_gb' is above 'max_vram_gb'",
        "content/site.yaml:10:5: tier id '24gb' is used twice",
        "content/site.yaml:20:5: source id 'src' is used twice",
    )


def test_site_yaml_errors_are_located(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/site.yaml": """\
                title: Test Board
                description: A tiny site for tests.
                base_url: javascript:alert(1)
                tiers: []
                wait_list:
                  label: The wait list
                """
        }
    )
    assert_fails(
        site,
        "content/site.yaml:3:1: 'base_url': base URL 'javascript:alert(1)' must be absolute, like https://user.github.io/repo/",
        "content/site.yaml:4:1: 'tiers': List should have at least 1 item after validation, not 0",
    )


PICKS_POST = """\
    ---
    title: Week 1 in review
    week: 1
    date: 2026-01-05
    summary: Alpha leads.
    picks:
      24gb:
        - category: General
          model: alpha
          quant: Q8_0
          why: Fast and small
        - category: Other
          model: beta
          why: Unknown model
      16gb:
        - category: General
          model: alpha
          why: Wrong tier
      12gb:
        - category: Small
          model: alpha
          quant: Q4_K_M
          benchmark: GPQA
          why: Unknown benchmark
    wait_list:
      - model: gaint
        why: Misspelt
    ---
    Body.
    """
# Lines: 10 quant Q8_0, 13 model beta, 15 tier 16gb, 23 benchmark GPQA, 26 wait-list model gaint.


def test_picks_naming_unknown_tiers_models_quantizations_and_benchmarks(make_site: MakeSite) -> None:
    site = make_site({POST: PICKS_POST})
    assert_fails(
        site,
        f"{POST}:10:7: unknown quantization 'Q8_0': not among the quantizations of alpha",
        f"{POST}:13:7: unknown model 'beta': not among the records in content/models/",
        f"{POST}:15:3: unknown tier '16gb': not among the tiers in content/site.yaml; did you mean '12gb'?",
        f"{POST}:23:7: unknown benchmark 'GPQA': not among the benchmarks of alpha",
        f"{POST}:26:5: unknown model 'gaint': not among the records in content/models/; did you mean 'giant'?",
    )


def test_pick_of_a_format_with_several_rows_needs_a_tier(make_site: MakeSite) -> None:
    second_row = (
        "      - format: Q4_K_M\n        hardware: RTX 3060 (12GB)\n        origin: measured\n        source: src\n"
    )
    alpha = MODEL_YAML.replace("    memory:\n", second_row + "    memory:\n")
    assert alpha.count("format: Q4_K_M") == 2
    site = make_site({ALPHA: alpha})
    assert_fails(site, f"{POST}:10:7: 'Q4_K_M' has several rows in alpha; give each a 'tier' so one matches '24gb'")


def test_two_posts_with_the_same_week(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/posts/week-01-again.md": """\
                ---
                title: Week 1 once more
                week: 1
                date: 2026-01-06
                summary: Again.
                ---
                """
        }
    )
    # week-01-again.md sorts before week-01.md, so it is read first and week-01.md is the repeat.
    assert_fails(site, f"{POST}:3:1: week 1 already has a post: content/posts/week-01-again.md")


def test_model_ids_equal_ignoring_case(make_site: MakeSite) -> None:
    site = make_site({"content/models/Alpha.yaml": MODEL_YAML})
    # "Alpha.yaml" sorts before "alpha.yaml": it is read first, fails the file-name check,
    # and alpha.yaml is reported as the clash.
    assert_fails(
        site,
        "content/models/Alpha.yaml:1:1: file name 'Alpha' must use only a-z, 0-9, '-' and '.', and not end in '.html'",
        f"{ALPHA}:1:1: model id 'alpha' is already used by content/models/Alpha.yaml (ids ignore case)",
    )


# --- post bodies ------------------------------------------------------------------------------------

LINKS_POST = """\
    ---
    title: Week 1 in review
    week: 1
    date: 2026-01-05
    summary: Alpha leads.
    ---

    ## Story

    Read about [Alpha](model:alpha) and [Beta](model:beta).

    Click [here](javascript:alert(1)) and see ![chart](https://evil.test/x.png).

    - a list item with ![inline](data:image/png;base64,AAAA)
    """
LINK_HELP = "use http(s)://, mailto:, model:<id> or a relative link"
IMAGE_HELP = "must be a file on this site (no other servers, no data: URLs)"
# Body lines: 10 model:beta at column 44, 12 javascript: at column 14 and the image at column 52,
# 14 data: image at column 30.


def test_body_links_unknown_model_unsafe_scheme_and_remote_images(make_site: MakeSite) -> None:
    site = make_site({POST: LINKS_POST})
    assert_fails(
        site,
        f"{POST}:10:44: link 'model:beta' names no model in content/models/",
        f"{POST}:12:14: link 'javascript:alert(1)' is not allowed; {LINK_HELP}",
        f"{POST}:12:52: image 'https://evil.test/x.png' {IMAGE_HELP}",
        f"{POST}:14:30: image 'data:image/png;base64,AAAA' {IMAGE_HELP}",
    )


def test_body_link_lines_count_from_the_top_of_the_file_with_crlf(make_site: MakeSite) -> None:
    site = make_site()
    text = "---\ntitle: W\nweek: 1\ndate: 2026-01-05\nsummary: S\n---\n\n\nSee [x](model:nope).\n"
    site.root.joinpath(POST).write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    assert_fails(site, f"{POST}:9:9: link 'model:nope' names no model in content/models/")


def test_every_bad_link_in_one_paragraph_is_reported(make_site: MakeSite) -> None:
    body = "See [a](model:nope) and\nalso [b](model:nope) here.\n"
    site = make_site({POST: "---\ntitle: W\nweek: 1\ndate: 2026-01-05\nsummary: S\n---\n" + body})
    assert_fails(
        site,
        f"{POST}:7:9: link 'model:nope' names no model in content/models/",
        f"{POST}:8:10: link 'model:nope' names no model in content/models/",
    )


def test_bad_link_is_located_at_its_destination(make_site: MakeSite) -> None:
    body = "[model:zip](model:zip)\n"
    site = make_site({POST: "---\ntitle: W\nweek: 1\ndate: 2026-01-05\nsummary: S\n---\n" + body})
    assert_fails(site, f"{POST}:7:13: link 'model:zip' names no model in content/models/")


# --- load stage: files that cannot be read as content ------------------------------------------------


def test_front_matter_not_closed(make_site: MakeSite) -> None:
    site = make_site({POST: "---\ntitle: Week 1\nweek: 1\n\nBody without a closing line.\n"})
    assert_fails(site, f"{POST}:1:1: front matter is not closed by a '---' line")


def test_post_without_front_matter(make_site: MakeSite) -> None:
    site = make_site({POST: "# Just a heading\n"})
    assert_fails(site, f"{POST}:1:1: a post must start with '---' and its front matter")


def test_invalid_yaml_in_front_matter_is_located_in_the_post(make_site: MakeSite) -> None:
    site = make_site({POST: "---\ntitle: Week 1\nweek: 1\nsummary: [a\n---\nBody.\n"})
    assert_fails(site, f"{POST}:4:12: invalid YAML: did not find expected ',' or ']'")


def test_unexpected_files_in_content_folders(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/models/notes.txt": "hello\n",
            "content/models/beta.yml": "name: Beta\n",
            "content/posts/draft.markdown": "---\n---\n",
            "content/models/.hidden.txt": "ignored: dot files are skipped\n",
        }
    )
    site.root.joinpath("content/models/subfolder").mkdir()
    assert_fails(
        site,
        "content/models/beta.yml:1:1: unexpected file; this folder holds only *.yaml files",
        "content/models/notes.txt:1:1: unexpected file; this folder holds only *.yaml files",
        "content/models/subfolder:1:1: unexpected file; this folder holds only *.yaml files",
        "content/posts/draft.markdown:1:1: unexpected file; this folder holds only *.md files",
    )


def test_yaml_anchors_in_a_model_file(make_site: MakeSite) -> None:
    site = make_site({GIANT: "name: &n Giant 1T\nvendor: *n\n"})
    message = "YAML anchors and aliases (&name, *name) are not allowed; write the value out"
    assert_fails(site, f"{GIANT}:1:7: {message}", f"{GIANT}:2:9: {message}")


def test_duplicate_key_in_a_model_file(make_site: MakeSite) -> None:
    site = make_site({GIANT: "name: Giant 1T\nvendor: Giant Co\nname: Giant 2T\n"})
    assert_fails(site, f"{GIANT}:3:1: duplicate key 'name'")


def test_model_file_that_is_not_utf8(make_site: MakeSite) -> None:
    site = make_site()
    site.root.joinpath(GIANT).write_bytes(b"name: Giant\nvendor: G\xc3\xa9ant \xe9 Co\n")
    assert_fails(site, f"{GIANT}:2:15: not UTF-8 text; save the file as UTF-8")


def test_model_file_that_is_a_list(make_site: MakeSite) -> None:
    site = make_site({POST: QUIET_POST, GIANT: "- name: Giant 1T\n"})
    assert_fails(site, f"{GIANT}:1:1: expected a mapping of keys to values at the top of the file")


def test_missing_site_yaml(make_site: MakeSite) -> None:
    site = make_site({"content/site.yaml": None})
    assert_fails(site, "content/site.yaml:1:1: file not found")


# --- valid edge cases ---------------------------------------------------------------------------------------


def test_bom_and_crlf_model_file_is_valid(make_site: MakeSite) -> None:
    site = make_site()
    alpha = site.root.joinpath(ALPHA)
    alpha.write_bytes(("\ufeff" + alpha.read_text(encoding="utf-8").replace("\n", "\r\n")).encode("utf-8"))
    assert alpha.read_bytes().startswith(b"\xef\xbb\xbfname: Alpha 7B\r\n")
    assert_valid(site)
    html = site.root.joinpath("_site/models/alpha/index.html").read_text(encoding="utf-8")
    assert "Alpha 7B" in html
    assert "\ufeff" not in html


def test_bom_and_crlf_model_file_errors_keep_their_lines(make_site: MakeSite) -> None:
    site = make_site({POST: QUIET_POST})
    text = "\ufeffname: Giant 1T\r\nvendor: Giant Co\r\nmemory:\r\n  - memory: 0 GB\r\n    source: src\r\n"
    site.root.joinpath(GIANT).write_bytes(text.encode("utf-8"))
    assert_fails(site, f"{GIANT}:4:5: 'memory': size '0 GB' must be more than 0")


# --- every problem at once ---------------------------------------------------------------------------------


def test_all_validation_problems_from_several_files_are_reported_in_one_run(make_site: MakeSite) -> None:
    site = make_site(
        {
            ALPHA: MODEL_YAML.replace("source: src\n    quantizations:", "source: nope\n    quantizations:"),
            GIANT: "name: Giant 1T\nvendor: Giant Co\nmemory:\n  - memory: 600 GB\n    source: srx\n",
            "content/posts/week-02.md": "---\ntitle: W2\nweek: 1\ndate: 2026-01-12\nsummary: S\n---\n",
            "content/posts/week-03.md": (
                "---\ntitle: W3\nweek: 3\ndate: 2026-01-19\nsummary: S\npicks:\n  8gb: []\n---\n[x](javascript:x)\n"
            ),
        }
    )
    assert "source: nope" in site.root.joinpath(ALPHA).read_text()
    assert_fails(
        site,
        f"{ALPHA}:11:5: unknown source 'nope': not among the sources in content/site.yaml",
        f"{GIANT}:5:5: unknown source 'srx': not among the sources in content/site.yaml; did you mean 'src'?",
        "content/posts/week-02.md:3:1: week 1 already has a post: content/posts/week-01.md",
        "content/posts/week-03.md:7:3: unknown tier '8gb': not among the tiers in content/site.yaml",
        f"content/posts/week-03.md:9:5: link 'javascript:x' is not allowed; {LINK_HELP}",
    )


def test_all_load_problems_from_several_files_are_reported_in_one_run(make_site: MakeSite) -> None:
    site = make_site(
        {
            ALPHA: "name: Alpha\nname: Again\n",
            GIANT: "name: &g Giant\n",
            "content/models/readme.txt": "x\n",
            POST: "---\ntitle: never closed\n",
            "content/posts/week-02.md": "---\ntitle: [\n---\n",
        }
    )
    assert_fails(
        site,
        f"{ALPHA}:2:1: duplicate key 'name'",
        f"{GIANT}:1:7: YAML anchors and aliases (&name, *name) are not allowed; write the value out",
        "content/models/readme.txt:1:1: unexpected file; this folder holds only *.yaml files",
        f"{POST}:1:1: front matter is not closed by a '---' line",
        "content/posts/week-02.md:2:9: invalid YAML: did not find expected node content",
    )


def test_a_broken_record_does_not_make_posts_call_the_model_unknown(make_site: MakeSite) -> None:
    # The default post picks alpha (with a quant) and links to model:alpha; only alpha.yaml's own error shows.
    site = make_site({ALPHA: MODEL_YAML.replace("vendor: Alpha Labs", "vendor: 7")})
    assert_fails(site, f"{ALPHA}:2:1: 'vendor': Input should be a valid string (got 7)")


# --- a failed build writes nothing ------------------------------------------------------------------------


def test_failed_build_leaves_the_previous_site_untouched(make_site: MakeSite) -> None:
    site = make_site()
    first = site.run("build")
    assert first.code == 0, first.err
    out = site.root / "_site"
    sentinel = out / "sentinel.txt"
    sentinel.write_bytes(b"from the previous build\n")
    old_index = (out / "index.html").read_bytes()
    before = sorted(path.relative_to(out).as_posix() for path in out.rglob("*"))

    site.write(GIANT, "name: Giant 1T\nvendor: [\n")
    failed = site.run("build")
    assert failed.code == 1
    assert "Traceback" not in failed.out + failed.err
    assert failed.err.splitlines()[-1] == summary_line(1)

    assert sentinel.read_bytes() == b"from the previous build\n"
    assert (out / "index.html").read_bytes() == old_index
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*")) == before
    assert sorted(path.name for path in site.root.iterdir()) == [
        "._site.site-builder",
        ".cache",
        "_site",
        "content",
        "static",
        "templates",
    ]
    assert not [path for path in site.root.iterdir() if ".new-" in path.name or ".old-" in path.name]


def test_failed_render_leaves_the_previous_site_untouched(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build").code == 0
    out = site.root / "_site"
    sentinel = out / "sentinel.txt"
    sentinel.write_bytes(b"keep me\n")
    old_index = (out / "index.html").read_bytes()

    site.write("templates/404.html", "{% if %}\n")
    failed = site.run("build")
    assert failed.code == 1
    assert "Traceback" not in failed.out + failed.err
    assert failed.err.splitlines() == [
        "templates/404.html:1:1: template syntax error: Expected an expression, got 'end of statement block'",
        summary_line(1),
    ]
    assert sentinel.read_bytes() == b"keep me\n"
    assert (out / "index.html").read_bytes() == old_index
    assert not [path for path in site.root.iterdir() if ".new-" in path.name or ".old-" in path.name]


def test_successful_rebuild_replaces_the_site_and_leaves_no_temp_folders(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build").code == 0
    (site.root / "_site" / "stale.txt").write_text("old\n")
    second = site.run("build")
    assert second.code == 0, second.err
    assert not (site.root / "_site" / "stale.txt").exists()
    assert (site.root / "_site" / "index.html").is_file()
    # The folder replaced is kept (the spare that stages the next build); no staging folder is left.
    assert sorted(path.name for path in site.root.iterdir()) == [
        "._site.site-builder",
        "._site.spare",
        ".cache",
        "_site",
        "content",
        "static",
        "templates",
    ]


def test_build_refuses_an_output_folder_it_did_not_make(make_site: MakeSite) -> None:
    site = make_site()
    mine = site.write("_site/precious.txt", "not a build\n")
    result = site.run("build")
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert result.err.splitlines() == [
        "_site:1:1: output folder exists and was not made by site-builder; remove it or choose another --out",
        summary_line(1),
    ]
    assert mine.read_text() == "not a build\n"
    assert sorted(path.name for path in (site.root / "_site").iterdir()) == ["precious.txt"]


def test_build_refuses_to_write_over_the_content_folder(make_site: MakeSite) -> None:
    site = make_site()
    before = sorted(path.name for path in (site.root / "content").rglob("*"))
    result = site.run("build", "--out", "content")
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    content = (site.root / "content").resolve()
    assert result.err.splitlines() == [
        f"content:1:1: output folder would replace {content}; choose another --out",
        summary_line(1),
    ]
    assert sorted(path.name for path in (site.root / "content").rglob("*")) == before


# --- every stage's problems in one run ----------------------------------------------------------


def test_unreadable_yaml_does_not_hide_other_files_problems(make_site: MakeSite) -> None:
    post = POST_MD.replace("quant: Q4_K_M", "quantt: Q4_K_M")
    site = make_site({GIANT: "name: [unclosed\n", POST: post})
    assert_fails(
        site,
        f"{GIANT}:2:1: invalid YAML: did not find expected ',' or ']'",
        f"{POST}:10:7: unknown key 'quantt'; did you mean 'quant'?",
    )


def test_invalid_site_yaml_does_not_hide_post_problems(make_site: MakeSite) -> None:
    site_yaml = SITE_YAML.replace("title: Test Board", "titel: Test Board")
    post = POST_MD.replace("quant: Q4_K_M", "quant: Q4_K_S")
    site = make_site({"content/site.yaml": site_yaml, POST: post})
    assert_fails(
        site,
        f"{POST}:10:7: unknown quantization 'Q4_K_S': not among the quantizations of alpha; did you mean 'Q4_K_M'?",
        "content/site.yaml:1:1: missing required key 'title'",
        "content/site.yaml:1:1: unknown key 'titel'; did you mean 'title'?",
    )


def test_invalid_record_with_a_bad_file_name_reports_both(make_site: MakeSite) -> None:
    site = make_site({"content/models/Bad_Name.yaml": "name: Bad\n"})
    assert_fails(
        site,
        "content/models/Bad_Name.yaml:1:1: file name 'Bad_Name' must use only a-z, 0-9, '-' and '.', "
        "and not end in '.html'",
        "content/models/Bad_Name.yaml:1:1: missing required key 'vendor'",
    )


def test_front_matter_that_is_not_a_mapping_points_at_its_first_line(make_site: MakeSite) -> None:
    site = make_site({POST: "---\n- just\n- a list\n---\nBody\n"})
    assert_fails(site, f"{POST}:2:1: expected a mapping of keys to values at the top of the file")


def test_a_week_dated_before_the_week_it_follows_is_refused_at_its_date(make_site: MakeSite) -> None:
    # A mistyped year: week 2 would be "this week" on the home page while dated a year before week 1.
    second = POST_MD.replace("week: 1", "week: 2").replace("date: 2026-01-05", "date: 2025-01-12")
    site = make_site({"content/posts/week-02.md": second.replace("Week 1 in review", "Week 2")})
    assert_fails(
        site,
        "content/posts/week-02.md:4:1: week 2 is dated 2025-01-12, before week 1 (2026-01-05, "
        "content/posts/week-01.md)",
    )


def test_two_weeks_may_share_a_date(make_site: MakeSite) -> None:
    second = POST_MD.replace("week: 1", "week: 2").replace("Week 1 in review", "Week 2")
    assert make_site({"content/posts/week-02.md": second}).run("check").code == 0


def test_post_links_and_their_targets(make_site: MakeSite) -> None:
    post = POST_MD.replace(
        "Read about [Alpha](model:alpha).", "See [last week](post:week-00) and [this](post:week-01)."
    )
    site = make_site({POST: post})
    assert_fails(site, f"{POST}:19:17: link 'post:week-00' names no post in content/posts/")


def test_figures_too_large_to_be_numbers(make_site: MakeSite) -> None:
    huge = "9" * 400
    site = make_site(
        {
            ALPHA: MODEL_YAML.replace("score: 70.5", "score: 1e999"),
            GIANT: BIG_MODEL_YAML.replace('memory: "~600 GB"', f"memory: {huge} GB"),
        }
    )
    assert_fails(
        site,
        f"{ALPHA}:8:12: cannot read '1e999' as a finite number",
        f"{GIANT}:5:5: 'memory': '{huge} GB' is too large",
    )


# --- the command line refuses bad arguments without a traceback --------------------------------


def test_bad_base_url_on_the_command_line(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site()
    with pytest.raises(SystemExit) as caught:
        site.run("build", "--base-url", "example.org/board")
    assert caught.value.code == 2
    assert (
        "argument --base-url: base URL 'example.org/board' must be absolute, like https://user.github.io/repo/"
        in capsys.readouterr().err
    )
    assert not (site.root / "_site").exists()


def test_base_url_with_a_query_is_refused_in_site_yaml(make_site: MakeSite) -> None:
    site_yaml = SITE_YAML.replace("https://example.test/board/", "https://example.test/board/?utm=1")
    site = make_site({"content/site.yaml": site_yaml})
    assert_fails(
        site,
        "content/site.yaml:3:1: 'base_url': base URL 'https://example.test/board/?utm=1' "
        "must not have a query (?) or fragment (#)",
    )


def test_reference_update_of_a_missing_file(make_site: MakeSite) -> None:
    result = make_site().run("reference", "--update", "NOPE.md")
    assert result.code == 1
    assert result.err == "error: No such file or directory: NOPE.md\n"


def test_unknown_specs_source(make_site: MakeSite) -> None:
    alpha = MODEL_YAML.replace("total_params: 7B", "total_params: 7B\n    specs_source: srcc")
    assert_fails(
        make_site({ALPHA: alpha}),
        f"{ALPHA}:5:1: unknown source 'srcc': not among the sources in content/site.yaml; did you mean 'src'?",
    )


def test_an_invalid_post_is_still_checked_as_far_as_its_valid_parts_allow(make_site: MakeSite) -> None:
    # Lines: 2 titel, 3 week, 10 quantt (its pick row is invalid), 13 model beta (its pick row is valid).
    week_2 = (
        "---\ntitel: W2\nweek: 1\ndate: 2026-01-12\nsummary: S\npicks:\n  24gb:\n"
        "    - category: A\n      model: alpha\n      quantt: Q4_K_M\n      why: x\n"
        "    - category: B\n      model: beta\n      why: y\n---\n"
    )
    site = make_site({"content/posts/week-02.md": week_2})
    assert_fails(
        site,
        "content/posts/week-02.md:2:1: missing required key 'title'",
        "content/posts/week-02.md:2:1: unknown key 'titel'; did you mean 'title'?",
        "content/posts/week-02.md:3:1: week 1 already has a post: content/posts/week-01.md",
        "content/posts/week-02.md:10:7: unknown key 'quantt'; did you mean 'quant'?",
        "content/posts/week-02.md:13:7: unknown model 'beta': not among the records in content/models/",
    )
