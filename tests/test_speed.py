"""Speed features: processes give the same output, work stays linear in the input, size limits.

Nothing here measures time; `scripts/benchmark` does.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from conftest import POST_MD, FixtureSite, MakeSite

from site_builder import markdown, parallel
from site_builder.markdown import check_body
from site_builder.urls import Urls

POST = "content/posts/week-01.md"
FRONT_MATTER = "---\ntitle: W\nweek: 1\ndate: 2026-01-05\nsummary: S\n---\n"
"""Six lines: a body starts on line 7."""


def many_posts(count: int) -> dict[str, str | None]:
    """Posts with headings, tables, model links and picks: enough of them to be shared among processes."""
    posts: dict[str, str | None] = {}
    for week in range(1, count + 1):
        post = POST_MD.replace("week: 1", f"week: {week}").replace("Week 1 in review", f"Week {week} in review")
        table = "\n    | Model | Speed |\n    |---|---|\n    | [Alpha](model:alpha) | 80 t/s |\n"
        posts[f"content/posts/week-{week:02d}.md"] = post + f"\n    ## Notes for week {week}\n" + table
    return posts


def output_of(site: FixtureSite, out: str) -> dict[str, bytes]:
    folder = site.root / out
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def test_one_process_and_two_write_byte_identical_sites(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(many_posts(parallel.MIN_ITEMS + 20))
    pools: list[int] = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(kwargs["max_workers"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", CountedPool)
    one = site.run("build", "--jobs", "1", "--out", "one", "--no-cache")
    assert (one.code, pools) == (0, [])
    two = site.run("build", "--jobs", "2", "--out", "two", "--no-cache")
    assert two.code == 0, two.err
    # Posts read, bodies checked, pages rendered (their links read there too); two records are too few to share.
    assert pools == [2, 2, 2]
    assert output_of(site, "one") == output_of(site, "two")
    assert "posts/week-60/index.html" in output_of(site, "two")


def test_workers_started_without_fork_write_the_same_site(make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process with other threads (a server) must not fork; its workers get everything by pickling."""
    site = make_site(many_posts(parallel.MIN_ITEMS))
    assert site.run("build", "--jobs", "1", "--out", "one").code == 0
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert parallel._start_method().get_start_method() != "fork"
    assert site.run("build", "--jobs", "2", "--out", "two").code == 0
    assert output_of(site, "one") == output_of(site, "two")


def test_problems_found_in_other_processes_are_reported_like_any_other(make_site: MakeSite) -> None:
    posts = many_posts(parallel.MIN_ITEMS + 5)
    posts["content/posts/week-07.md"] = str(posts["content/posts/week-07.md"]).replace(
        "](model:alpha)", "](model:beta)"
    )
    site = make_site(posts)
    for jobs in ("1", "2"):
        result = site.run("check", "--jobs", jobs)
        assert result.code == 1
        assert result.err.splitlines() == [
            "content/posts/week-07.md:19:20: link 'model:beta' names no model in content/models/",
            "content/posts/week-07.md:25:11: link 'model:beta' names no model in content/models/",
            "error: 2 problems found; nothing was written",
        ]


def test_jobs_must_be_a_positive_number(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        make_site().run("build", "--jobs", "0")
    assert "--jobs: '0' is not a number of processes (1 or more)" in capsys.readouterr().err


def test_profile_prints_the_time_of_every_stage(make_site: MakeSite) -> None:
    result = make_site().run("build", "--profile")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("Wrote ")
    assert lines[1] == "Time per stage:"
    assert [line.split()[0] for line in lines[2:]] == ["load", "validate", "merge", "render", "write", "total"]
    assert all(line.endswith(" s") for line in lines[2:])


def test_a_file_over_the_default_size_limit_is_refused_without_reading_it(make_site: MakeSite) -> None:
    site = make_site()
    with site.root.joinpath(POST).open("r+b") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: nothing like 50 MB is written or read
    result = site.run("check")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"{POST}:1:1: file is 52.4 MB; the limit is 8 MB (max_file_size_mb in content/site.yaml)"
    )


def test_the_size_limit_is_set_in_site_yaml(make_site: MakeSite) -> None:
    site = make_site({POST: POST_MD + "\n    A long story." * 100})
    site_yaml = site.root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "max_file_size_mb: 0.001\n")  # records are smaller
    size = site.root.joinpath(POST).stat().st_size
    result = site.run("check")
    assert result.err.splitlines() == [
        f"{POST}:1:1: file is {size:,} bytes; the limit is 0.001 MB (max_file_size_mb in content/site.yaml)",
        "error: 1 problem found; nothing was written",
    ]
    site_yaml.write_text(site_yaml.read_text().replace("max_file_size_mb: 0.001", "max_file_size_mb: 0"))
    result = site.run("check")
    assert result.err.splitlines()[0] == "content/site.yaml:22:1: 'max_file_size_mb': Input should be greater than 0"


def counting(function: Callable[..., Any], calls: list[int]) -> Callable[..., Any]:
    def counted(*args: Any) -> Any:
        calls.append(1)
        return function(*args)

    return counted


def test_twenty_thousand_bad_links_are_each_located_measuring_every_line_once(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    links_per_line, lines = 20, 1000
    line = " ".join(f"[x](model:no-{index})" for index in range(links_per_line))
    paragraph = "\n".join(f"> {line}" for _ in range(lines))  # one block: a paragraph in a quote
    site = make_site({POST: FRONT_MATTER + paragraph + "\n"})
    measured: list[int] = []
    monkeypatch.setattr(markdown._Locator, "_indent", counting(markdown._Locator._indent, measured))
    result = site.run("check", "--jobs", "1")
    problems = result.err.splitlines()[:-1]
    assert len(problems) == links_per_line * lines
    columns, column = [], len("> ") + 1
    for index in range(links_per_line):
        columns.append(column + len("[x]("))
        column += len(f"[x](model:no-{index}) ")
    assert problems[:links_per_line] == [
        f"{POST}:7:{column}: link 'model:no-{index}' names no model in content/models/"
        for index, column in enumerate(columns)
    ]
    assert problems[-1].startswith(f"{POST}:{6 + lines}:")
    assert len(measured) == lines


def test_links_in_table_cells_of_one_row_are_located_in_order(make_site: MakeSite) -> None:
    body = "| a | b |\n|---|---|\n| [x](model:no) | [x](model:no) |\n"
    result = make_site({POST: FRONT_MATTER + body}).run("check")
    assert result.err.splitlines()[:2] == [
        f"{POST}:9:7: link 'model:no' names no model in content/models/",
        f"{POST}:9:23: link 'model:no' names no model in content/models/",
    ]


def test_thousands_of_equal_headings_get_numbered_ids() -> None:
    body = "## Same\n\n" * 5000 + "## Same-1\n"
    html = check_body(body, "T", Urls("https://example.test/"), set(), set()).html
    ids = [part.split('"')[0] for part in html.split(' id="')[1:]]
    assert ids[:3] == ["post-same", "post-same-1", "post-same-2"]
    assert ids[4999] == "post-same-4999"
    assert ids[5000] == "post-same-1-1"  # taken by the second heading, so numbered too
    assert len(set(ids)) == 5001


def test_default_jobs_is_the_cores_this_process_may_use() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert parallel.default_jobs() == cores


def test_no_pool_for_a_few_items(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    items = list(range(parallel.MIN_ITEMS - 1))
    assert parallel.map_in_order(pow, 2, items, jobs=8) == [2**item for item in items]
