"""`new-week` and `new-model`: scaffolds that keep the editor's comments and never overwrite."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from conftest import FixtureSite

MakeSite = Callable[..., FixtureSite]
TODAY = "2026-01-20"

COMMENTED_POST = """\
    ---
    # yaml-language-server: $schema=https://example.test/board/schemas/post-front-matter.schema.json
    title: Week 1 in review
    week: 1
    date: 2026-01-05
    summary: Alpha leads.
    tags: [alpha]
    picks:
      24gb:
        # Alpha stays on top until something faster fits.
        - category: General
          model: alpha
          quant: Q4_K_M  # the only format measured
          why: "Fast and small"
    wait_list:
      - model: giant
        why: Needs a server  # check again next month
    ---

    ## Story

    Read about [Alpha](model:alpha).
    """

EXPECTED_WEEK_2 = """\
    ---
    # yaml-language-server: $schema=https://example.test/board/schemas/post-front-matter.schema.json
    title: 'Week 2: replace this title'
    week: 2
    date: 2026-01-12
    summary: Replace this with one or two sentences for the home page and the archive.
    draft: true
    picks:
      24gb:
        # Alpha stays on top until something faster fits.
        - category: General
          model: alpha
          quant: Q4_K_M  # the only format measured
          why: "Fast and small"
    wait_list:
      - model: giant
        why: Needs a server  # check again next month
    ---

    ## Replace this heading

    Write the week's story here. Link a model as `[its name](model:<id>)` and last week's post
    as [last week](post:week-01). Delete `draft: true` above when the post is ready.
    """


def test_new_week_carries_picks_over_with_comments(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-01.md": COMMENTED_POST})
    result = site.run("new-week")
    assert result.code == 0, result.err
    assert result.out == (
        "Froze Week 1 in content/frozen/week-01.yaml: it is published, so its figures stay.\n"
        "Wrote content/posts/week-02.md: week 2, dated 2026-01-12, marked draft: true.\n"
        "Next: replace the title, summary and story, update the picks and wait list,\n"
        "preview with `site-builder serve`, and delete the `draft: true` line to publish.\n"
    )
    written = (site.root / "content/posts/week-02.md").read_text()
    assert written == textwrap.dedent(EXPECTED_WEEK_2)
    assert (site.root / "content/frozen/week-01.yaml").is_file(), "last week is published, so it is frozen"


def test_the_new_week_checks_as_a_draft_and_publishes_once_undrafted(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-01.md": COMMENTED_POST})
    assert site.run("new-week").code == 0
    check = site.run("check", "--today", TODAY)
    assert check.out.splitlines()[1] == "Left out 1 draft (week-02); build with --drafts to include them"
    path = site.root / "content/posts/week-02.md"
    path.write_text(path.read_text().replace("draft: true\n", ""))
    assert site.run("check", "--today", TODAY).out == "Content is valid: 2 models, 2 posts.\n"


def test_new_week_starts_from_the_latest_week(make_site: MakeSite) -> None:
    site = make_site({"content/posts/week-01.md": COMMENTED_POST})
    assert site.run("new-week").code == 0
    result = site.run("new-week")
    assert result.out.splitlines()[0] == "Wrote content/posts/week-03.md: week 3, dated 2026-01-19, marked draft: true."


def test_new_week_refuses_to_overwrite(make_site: MakeSite) -> None:
    # Week 2 saved under the name new-week gives week 3.
    misnamed = COMMENTED_POST.replace("week: 1", "week: 2").replace("2026-01-05", "2026-01-12")
    site = make_site({"content/posts/week-03.md": misnamed})
    before = (site.root / "content/posts/week-03.md").read_text()
    result = site.run("new-week")
    assert result.code == 1
    assert result.err == (
        "content/posts/week-03.md:1:1: file already exists; it was left as it is\n"
        "error: 1 problem found; nothing was written\n"
    )
    assert (site.root / "content/posts/week-03.md").read_text() == before


def test_new_week_refuses_invalid_content(make_site: MakeSite) -> None:
    site = make_site({"content/models/alpha.yaml": "name: Alpha\n"})
    result = site.run("new-week")
    assert result.code == 1
    assert result.err.splitlines()[0] == "content/models/alpha.yaml:1:1: missing required key 'vendor'"
    assert sorted(path.name for path in (site.root / "content/posts").iterdir()) == ["week-01.md"]


def test_new_model_skeleton_passes_check_once_name_and_vendor_are_filled(make_site: MakeSite) -> None:
    site = make_site()
    result = site.run("new-model", "beta-8b")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "Wrote content/models/beta-8b.yaml."
    path = site.root / "content/models/beta-8b.yaml"
    text = path.read_text()
    assert text.splitlines()[0] == (
        "# yaml-language-server: $schema=https://example.test/board/schemas/model-record.schema.json"
    )
    check = site.run("check", "--today", TODAY)
    assert check.err.splitlines()[:2] == [
        "content/models/beta-8b.yaml:5:1: 'name': String should have at least 1 character",
        "content/models/beta-8b.yaml:6:1: 'vendor': String should have at least 1 character",
    ]
    path.write_text(text.replace('name: ""', "name: Beta 8B").replace('vendor: ""', "vendor: Beta Labs"))
    assert site.run("check", "--today", TODAY).out == "Content is valid: 3 models, 1 post.\n"


def test_new_model_refuses_to_overwrite(make_site: MakeSite) -> None:
    site = make_site()
    before = (site.root / "content/models/alpha.yaml").read_text()
    result = site.run("new-model", "alpha")
    assert result.code == 1
    assert result.err.splitlines()[0] == "content/models/alpha.yaml:1:1: file already exists; it was left as it is"
    assert (site.root / "content/models/alpha.yaml").read_text() == before


def test_new_model_refuses_an_id_that_is_not_a_file_name(make_site: MakeSite) -> None:
    site = make_site()
    result = site.run("new-model", "Beta_8B")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/models/Beta_8B.yaml:1:1: model id 'Beta_8B' must use only a-z, 0-9, '-' and '.', "
        "start with a letter or digit, and not end in '.html'"
    )
    assert not (site.root / "content/models/Beta_8B.yaml").exists()


def test_every_field_the_model_skeleton_offers_is_one_the_schema_accepts(make_site: MakeSite) -> None:
    """Uncommented and filled in, the whole skeleton is a valid record: it cannot drift from the schema."""
    site = make_site()
    assert site.run("new-model", "beta-8b").code == 0
    path = site.root / "content/models/beta-8b.yaml"
    filled = {
        '""  # as the vendor writes it': "Beta 8B",
        '""  # who released it': "Beta Labs",
        "SOURCE-ID": "src",
        "tier: 24gb": "tier: 24gb",
        'vram: ""': 'vram: "~6 GB"',
        'speed: ""': "speed: 50-60 t/s",
        'memory: ""': 'memory: "16 GB"',
        "score:  #": "score: 61.5  #",
        'headline_benchmark: ""': "headline_benchmark: MMLU",
        'total_params: ""': "total_params: 8B",
        'active_params: ""': "active_params: 8B",
        'context_window: ""': "context_window: 128K",
        "url: https://": "url: https://example.org/beta",
        "architecture: dense  # dense or moe": "architecture: moe",
        '- name: ""': "- name: MMLU",
    }
    lines = []
    for line in path.read_text().splitlines()[4:]:
        line = line.removeprefix("# ")
        for old, new in filled.items():
            line = line.replace(old, new)
        lines.append(line.replace('""', '"Beta value"'))
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    result = site.run("check", "--today", TODAY)
    assert (result.code, result.err) == (0, ""), text
