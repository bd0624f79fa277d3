"""No wrong figure: a pick shows only a row measured for its own tier and VRAM, and every score names its unit.

Each case is a fixture site; the expected problems are counted by hand from the fixture text
(the numbered comments beside the fixtures say which line is which). No problems means it builds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from conftest import SITE_YAML, MakeSite

ALPHA = "content/models/alpha.yaml"
GIANT = "content/models/giant.yaml"
POST = "content/posts/week-01.md"

# The default site's 12GB tier becomes 12-16GB, a tier whose cards differ in VRAM.
SITE_WITH_A_RANGE = SITE_YAML.replace("id: 12gb", "id: 12-16gb").replace("max_vram_gb: 12", "max_vram_gb: 16")
assert SITE_WITH_A_RANGE.count("12-16gb") == 1 and SITE_WITH_A_RANGE.count("max_vram_gb: 16") == 1


def post(tier: str, quant: str | None) -> str:
    """A post with one pick of alpha in `tier`; its `quant` (or, without one, its `model`) is on line 10, column 7."""
    # Lines: 6 picks, 7 tier, 8 category, 9 model, 10 quant or why.
    quant_line = f"\n      quant: {quant}" if quant is not None else ""
    return f"""---
title: Week 1 in review
week: 1
date: 2026-01-05
summary: Alpha leads.
picks:
  {tier}:
    - category: General
      model: alpha{quant_line}
      why: Fits
---
Body.
"""


def quant_row(fmt: str, tier: str | None, vram: str) -> str:
    """Five lines, six with a tier (its third line)."""
    tier_line = f"    tier: {tier}\n" if tier is not None else ""
    rest = f"    vram: {vram!r}\n    origin: measured\n    source: src\n"
    return f"  - format: {fmt}\n    hardware: A GPU\n{tier_line}{rest}"


def alpha(*rows: str) -> str:
    """Alpha's record; its quantization rows start on line 4."""
    return "name: Alpha 7B\nvendor: Alpha Labs\nquantizations:\n" + "".join(rows)


def giant_with_benchmark(benchmark: str) -> str:
    """Giant's record; the benchmark row starts on line 4."""
    return (
        "name: Giant 1T\nvendor: Giant Co\nbenchmarks:\n"
        + benchmark
        + 'memory:\n  - format: Q4\n    memory: "~600 GB"\n    source: src\n'
    )


@dataclass(frozen=True)
class Case:
    files: dict[str, str]
    problems: list[str] = field(default_factory=list)
    """Exactly what `check` prints, in order; empty when the site is valid."""


MEASURED_ELSEWHERE = (
    f"{POST}:10:7: 'Q3_K_S' of alpha is measured for tier '24gb' (quantizations[0]), not '12-16gb'; "
    "add a row for '12-16gb' or pick another quantization"
)

CASES = {
    "a 12-16GB pick of a row measured for 24GB is refused at the pick's quant": Case(
        {POST: post("12-16gb", "Q3_K_S"), ALPHA: alpha(quant_row("Q3_K_S", "24gb", "~22 GB"))},
        [MEASURED_ELSEWHERE],
    ),
    "a row of the pick's tier is taken over one of another tier": Case(
        {
            POST: post("12-16gb", "Q3_K_S"),
            ALPHA: alpha(quant_row("Q3_K_S", "24gb", "~22 GB"), quant_row("Q3_K_S", "12-16gb", "~15 GB")),
        }
    ),
    "a row of another tier is never taken, even when an untagged row would fit": Case(
        {
            POST: post("24gb", "Q3_K_S"),
            ALPHA: alpha(quant_row("Q3_K_S", "12-16gb", "~15 GB"), quant_row("Q3_K_S", None, "~14 GB")),
        }
    ),
    "an untagged ~24 GB row picked in the 12-16GB tier is too big for it": Case(
        {POST: post("12-16gb", "Q4_K_M"), ALPHA: alpha(quant_row("Q4_K_M", None, "~24 GB"))},
        [
            f"{POST}:10:7: 'Q4_K_M' of alpha uses ~24 GB of VRAM (quantizations[0]), "
            "more than tier '12-16gb' has (12-16 GB)"
        ],
    ),
    "a row tagged for the tier but bigger than the tier's cards is refused too": Case(
        {POST: post("24gb", "Q2"), ALPHA: alpha(quant_row("Q2", "24gb", "200 GB+"))},
        [f"{POST}:10:7: 'Q2' of alpha uses 200 GB+ of VRAM (quantizations[0]), more than tier '24gb' has (24 GB)"],
    ),
    "a pick without quant is checked against the row of its tier, at its model": Case(
        {POST: post("24gb", None), ALPHA: alpha(quant_row("INT8", "24gb", "~25 GB"))},
        [f"{POST}:9:7: 'INT8' of alpha uses ~25 GB of VRAM (quantizations[0]), more than tier '24gb' has (24 GB)"],
    ),
    "a figure at the top of the tier's range fits": Case(
        {POST: post("12-16gb", "Q4_K_M"), ALPHA: alpha(quant_row("Q4_K_M", None, "~16 GB"))}
    ),
    "several untagged rows of one format must be tagged": Case(
        {
            POST: post("12-16gb", "Q4_K_M"),
            ALPHA: alpha(quant_row("Q4_K_M", None, "~9 GB"), quant_row("Q4_K_M", None, "~10 GB")),
        },
        [f"{POST}:10:7: 'Q4_K_M' has several rows in alpha; give each a 'tier' so one matches '12-16gb'"],
    ),
    # Rows: the first on lines 4-9, the second on lines 10-15 with its tier on line 12.
    "two rows of one format tagged with one tier are refused at the second": Case(
        {
            POST: post("12-16gb", "Q4_K_M"),
            ALPHA: alpha(quant_row("Q4_K_M", "12-16gb", "~9 GB"), quant_row("Q4_K_M", "12-16gb", "~10 GB")),
        },
        [
            f"{ALPHA}:12:5: 'Q4_K_M' already has a row for tier '12-16gb' (quantizations[0]); "
            "a pick could not tell which one it means"
        ],
    ),
    "a pick in an unknown tier is reported once, as an unknown tier": Case(
        {POST: post("16gb", "Q3_K_S"), ALPHA: alpha(quant_row("Q3_K_S", "24gb", "~22 GB"))},
        [f"{POST}:7:3: unknown tier '16gb': not among the tiers in content/site.yaml; did you mean '12-16gb'?"],
    ),
    "a benchmark without a unit is refused at its row": Case(
        {GIANT: giant_with_benchmark("  - name: Codeforces\n    score: 1974\n    origin: measured\n    source: src\n")},
        [f"{GIANT}:4:5: missing required key 'unit'"],
    ),
    "a benchmark's unit may not be empty": Case(
        {
            GIANT: giant_with_benchmark(
                "  - name: Codeforces\n    score: 1974\n    unit: ''\n    origin: measured\n    source: src\n"
            )
        },
        [f"{GIANT}:6:5: 'unit': String should have at least 1 character"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_no_wrong_figure(make_site: MakeSite, case: Case) -> None:
    site = make_site({"content/site.yaml": SITE_WITH_A_RANGE, **case.files})
    result = site.run("check")
    assert "Traceback" not in result.err
    if case.problems:
        count = len(case.problems)
        summary = f"error: {count} problem{'s' if count != 1 else ''} found; nothing was written"
        assert (result.code, result.err.splitlines()) == (1, [*case.problems, summary])
    else:
        assert (result.code, result.err) == (0, "")


def test_a_fitting_row_shows_its_own_figure_in_the_tier_table(make_site: MakeSite) -> None:
    rows = alpha(quant_row("Q3_K_S", "24gb", "~22 GB"), quant_row("Q3_K_S", "12-16gb", "~15 GB"))
    site = make_site({"content/site.yaml": SITE_WITH_A_RANGE, POST: post("12-16gb", "Q3_K_S"), ALPHA: rows})
    assert site.run("build").code == 0
    table = (site.root / "_site/tiers/12-16gb/index.html").read_text()
    assert "~15 GB" in table
    assert "~22 GB" not in table


def test_scores_are_shown_with_their_own_unit(make_site: MakeSite) -> None:
    benchmarks = (
        "  - name: Codeforces\n    score: 1974\n    unit: Elo\n    origin: measured\n    source: src\n"
        "  - name: AIME 2025\n    score: 94.1\n    unit: '%'\n    origin: measured\n    source: src\n"
    )
    giant = "headline_benchmark: Codeforces\n" + giant_with_benchmark(benchmarks)
    site = make_site({GIANT: giant, POST: post("24gb", None).replace("model: alpha", "model: giant")})
    assert site.run("build").code == 0
    assert ">1974 Elo Codeforces</a>" in (site.root / "_site/index.html").read_text()
    page = (site.root / "_site/models/giant/index.html").read_text()
    assert '<td class="num" data-sort="1974">1974 Elo</td>' in page
    assert '<td class="num" data-sort="94.1">94.1%</td>' in page
    assert "1974%" not in page
