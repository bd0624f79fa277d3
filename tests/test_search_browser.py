"""The search box searches every chunk of the index: a word found on one page only is found
whether that page was indexed into the first bundle or into one merged into it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FixtureSite, default_files
from playwright.sync_api import Browser, Page, expect
from test_browser import PREFIX, Served, Watch, build_and_serve, goto, new_context
from test_speed import many_posts

from site_builder import search
from site_builder.search import plan_chunks

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not search.available(), reason="the pagefind package is not installed"),
]

REPO = Path(__file__).resolve().parent.parent
CODEWORDS = ("aardvark", "bittern", "caracal", "dugong", "echidna", "fossa", "gharial", "hoatzin", "ibex", "jacana")
"""One word for each post, found on that post's page alone."""
SMALL_CHUNKS = (2, 8)


def site_with_codewords(root: Path) -> FixtureSite:
    site = FixtureSite(root)
    for part in ("templates", "static"):
        shutil.copytree(REPO / part, root / part)
    posts = many_posts(len(CODEWORDS))
    for (name, text), word in zip(sorted(posts.items()), CODEWORDS, strict=True):
        assert text is not None
        posts[name] = text + f"\n    Our codeword this week is {word}.\n"
    for relative, text in {**default_files(), **posts}.items():
        assert text is not None
        site.write(relative, text)
    return site


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("search-chunks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "CHUNK_PAGES", SMALL_CHUNKS[0])
        patch.setattr(search, "MOST_CHUNKS", SMALL_CHUNKS[1])
        with build_and_serve(site_with_codewords(root / "site"), root / "out") as served:
            yield served


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_context(browser) as ctx:
        yield ctx.new_page()


def post_in(served: Served, first_bundle: bool) -> tuple[str, str]:
    """A post indexed into the first bundle (or into a merged one), and its codeword."""
    out = Path(served.server.folder)
    chunks = plan_chunks([path.relative_to(out).as_posix() for path in out.rglob("*.html")], {}, *SMALL_CHUNKS)
    assert len(chunks) > 2
    for chunk in chunks if first_bundle else chunks[1:]:
        for page in chunk.pages:
            if page.startswith("posts/week-"):
                number = int(page.split("/")[1].removeprefix("week-"))
                return f"{PREFIX}{page.removesuffix('index.html')}", CODEWORDS[number - 1]
    raise AssertionError("no post in these chunks")


@pytest.mark.parametrize("bundle", ["the first bundle", "a merged bundle"])
def test_search_finds_a_word_of_a_page_in_any_chunk(served: Served, page: Page, bundle: str) -> None:
    path, codeword = post_in(served, bundle == "the first bundle")
    watch = Watch().attach(page)
    goto(page, served.url())
    page.get_by_role("search").get_by_role("textbox", name="Search models, posts and hardware").fill(codeword)
    results = page.locator(".pagefind-ui__result-link")
    expect(results.first).to_be_visible(timeout=10_000)
    assert [link.get_attribute("href") for link in results.all()] == [path]
    page.wait_for_load_state("networkidle")
    assert watch.problems == []
    assert f"{PREFIX}pagefind/chunks.json" in served.browser_paths()
