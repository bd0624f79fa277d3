"""Shared fixtures: tiny inline sites written with textwrap.dedent, and the CLI run in-process."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from site_builder.cli import main

REPO = Path(__file__).resolve().parent.parent
FROZEN_SITE = REPO / "tests/fixtures/site"
"""The content as it stood at Week 6, owned by the tests: exact-output tests build it, never content/."""

SITE_YAML = """\
    title: Test Board
    description: A tiny site for tests.
    base_url: https://example.test/board/
    tiers:
      - id: 24gb
        label: 24GB VRAM
        min_vram_gb: 24
        max_vram_gb: 24
        example_gpus: [RTX 3090]
        order: 1
      - id: 12gb
        label: 12GB VRAM
        min_vram_gb: 12
        max_vram_gb: 12
        order: 2
    wait_list:
      label: The wait list
      description: Too big for now.
    sources:
      - id: src
        title: Test Source
    """

MODEL_YAML = """\
    name: Alpha 7B
    vendor: Alpha Labs
    architecture: dense
    total_params: 7B
    headline_benchmark: MMLU
    benchmarks:
      - name: MMLU
        score: 70.5
        unit: "%"
        origin: vendor-reported
        source: src
    quantizations:
      - format: Q4_K_M
        hardware: RTX 3090 (24GB)
        vram: "~5 GB"
        speed: 80-90 t/s
        origin: measured
        source: src
    memory:
      - format: FP16
        memory: 14 GB
        source: src
    """

BIG_MODEL_YAML = """\
    name: Giant 1T
    vendor: Giant Co
    memory:
      - format: Q4
        memory: "~600 GB"
        source: src
    """

POST_MD = """\
    ---
    title: Week 1 in review
    week: 1
    date: 2026-01-05
    summary: Alpha leads.
    picks:
      24gb:
        - category: General
          model: alpha
          quant: Q4_K_M
          why: Fast and small
    wait_list:
      - model: giant
        why: Needs a server
    ---

    ## Story

    Read about [Alpha](model:alpha).
    """


def default_files() -> dict[str, str]:
    return {
        "content/site.yaml": SITE_YAML,
        "content/models/alpha.yaml": MODEL_YAML,
        "content/models/giant.yaml": BIG_MODEL_YAML,
        "content/posts/week-01.md": POST_MD,
    }


PINNED_TODAY = dt.date(2026, 3, 1)
"""What counts as "today" in tests (through SOURCE_DATE_EPOCH), unless a test says otherwise."""


def source_date_epoch(day: dt.date) -> str:
    return str(int(dt.datetime.combine(day, dt.time(12), dt.UTC).timestamp()))


@pytest.fixture(scope="session")
def user_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stands in for ~/.cache, where the build cache's signing key lives."""
    return tmp_path_factory.mktemp("user-cache")


@pytest.fixture(autouse=True)
def pinned_environment(monkeypatch: pytest.MonkeyPatch, user_cache_home: Path) -> Iterator[None]:
    """Output must not depend on the machine: pin time zone, locale and today for every test,
    and keep the cache's signing key out of the real home folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(user_cache_home))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", source_date_epoch(PINNED_TODAY))
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class FixtureSite:
    """A site root in a temporary folder, with the real templates and static files."""

    root: Path

    def write(self, relative: str, text: str) -> Path:
        """Write a file; `text` is dedented, so tests can indent it inline."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *args: str) -> Result:
        """Run `site-builder ARGS` in this site's root, in-process."""
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(self.root)
            code = main(list(args), stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())


MakeSite = Callable[..., FixtureSite]
"""The `make_site` fixture: `make_site(files)` returns a fixture site."""


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """make_site(**overrides): a valid tiny site; pass `{path: text}` to replace or add files, None to delete."""

    def factory(files: dict[str, str | None] | None = None) -> FixtureSite:
        site = FixtureSite(tmp_path / "site")
        shutil.copytree(REPO / "templates", site.root / "templates")
        shutil.copytree(REPO / "static", site.root / "static")
        merged: dict[str, str | None] = {**default_files(), **(files or {})}
        for relative, text in merged.items():
            if text is not None:
                site.write(relative, text)
        return site

    return factory


def copy_site(root: Path, content: Path) -> FixtureSite:
    """A site at `root` with a copy of `content` and this repository's templates and static files."""
    site = FixtureSite(root)
    shutil.copytree(content, site.root / "content")
    for part in ("templates", "static"):
        shutil.copytree(REPO / part, site.root / part)
    return site


@pytest.fixture
def real_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FixtureSite:
    """A copy of this repository's real site; tests over it assert only what holds for any valid week.

    "Today" is the date of its latest post, so every week the editor publishes counts as published.
    """
    site = copy_site(tmp_path / "real", REPO / "content")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", source_date_epoch(latest_post_date(site.root / "content")))
    return site


def latest_post_date(content: Path) -> dt.date:
    dates = (
        re.search(r"^date: *(\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"), re.M)
        for path in (content / "posts").glob("*.md")
    )
    return max((dt.date.fromisoformat(found.group(1)) for found in dates if found), default=PINNED_TODAY)


@pytest.fixture
def frozen_site(tmp_path: Path) -> FixtureSite:
    """A copy of the frozen example site (tests/fixtures/site), for tests that compare exact output."""
    return copy_site(tmp_path / "frozen", FROZEN_SITE / "content")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module (see tests/test_browser.py for which one and its flags)."""
    from test_browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
