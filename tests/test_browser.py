"""Browser tests: the real site, built under a sub-path and served locally, driven by Chromium.

The site is built once per module with `--base-url http://127.0.0.1:<port>/sub/` (like a
GitHub project page) and served by a small threaded HTTP server that maps `/sub/` to the
output folder and answers 404 for anything else.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import REPO, FixtureSite
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    expect,
    sync_playwright,
)

pytestmark = pytest.mark.browser

PREFIX = "/sub/"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

TIER_LABELS = ["24GB VRAM", "12-16GB VRAM"]
WAIT_LIST_MODELS = ["Llama 4 Scout", "GLM-5", "Llama 4 Maverick"]
MODEL_PAGE = "models/mimo-v2-flash/"
POST_PAGE = "posts/week-06/"


# --- Server -------------------------------------------------------------------------------


class SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the output folder at PREFIX only; every other path is a 404."""

    def send_head(self) -> Any:
        if not urlsplit(self.path).path.startswith(PREFIX):
            self.send_error(HTTPStatus.NOT_FOUND, "Outside the published site")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        # "/sub/models/x/?q" -> "/models/x/?q"; send_head has already refused other paths.
        return super().translate_path(path.removeprefix(PREFIX[:-1]))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean


@dataclass(frozen=True)
class Served:
    origin: str
    """`http://127.0.0.1:<port>/`"""
    base: str
    """`http://127.0.0.1:<port>/sub/`: the site's base URL."""
    out: Path

    def url(self, relative: str = "") -> str:
        return self.base + relative


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("browser-site")
    site = FixtureSite(root / "real")
    for part in ("content", "templates", "static"):
        shutil.copytree(REPO / part, site.root / part)
    out = root / "out"

    def handler(*args: Any, **kwargs: Any) -> SubPathHandler:
        return SubPathHandler(*args, directory=str(out), **kwargs)

    # Bind first (port 0 picks a free port), build with that port, then start serving.
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    try:
        port = server.server_address[1]
        origin = f"http://127.0.0.1:{port}/"
        result = site.run("build", "--out", str(out), "--base-url", origin + PREFIX.lstrip("/"))
        assert result.code == 0, result.err
        thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
        thread.start()
        try:
            yield Served(origin, origin + PREFIX.lstrip("/"), out)
        finally:
            server.shutdown()
            thread.join(timeout=10)
    finally:
        server.server_close()


# --- Browser ------------------------------------------------------------------------------


def chromium_path() -> str | None:
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return None  # Playwright's own download (GitHub Actions)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    with new_context(browser) as ctx:
        yield ctx


@dataclass
class Watch:
    """Everything that went wrong while a page was open."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> Watch:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        return self

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def _failed(self, request: Request) -> None:
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def goto(page: Page, url: str) -> Response:
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, f"{url}: HTTP {response.status}"
    return response


def click_to_page(page: Page, link: Any) -> Response:
    """Click a link and return the response of the document it navigates to."""
    with page.expect_response(
        lambda r: r.request.is_navigation_request() and r.request.frame == page.main_frame
    ) as nav:
        link.click()
    response = nav.value
    page.wait_for_load_state()
    assert response.status == 200, f"{response.url}: HTTP {response.status}"
    return response


def tier_table(page: Page, label: str) -> Any:
    return page.get_by_role("table", name=re.compile(rf"^{re.escape(label)}: best picks"))


def column_index(table: Any, header: str) -> int:
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    assert header in headers, headers
    return headers.index(header)


# --- Tests --------------------------------------------------------------------------------


def test_server_serves_only_the_sub_path(served: Served, page: Page) -> None:
    assert goto(page, served.url()).url == served.url()
    outside = page.goto(served.origin)
    assert outside is not None
    assert outside.status == 404


def test_home_page_loads_cleanly(served: Served, page: Page) -> None:
    watch = Watch().attach(page)
    goto(page, served.url())
    page.wait_for_load_state("networkidle")

    expect(page.locator("h1")).to_have_text("Home GPU Leaderboard")
    expect(page).to_have_title("Home GPU Leaderboard")
    table = tier_table(page, "24GB VRAM")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_be_visible()
    expect(table.locator("caption")).to_have_text(re.compile(r"^24GB VRAM: best picks, Week 6 \(2026-02-23\)$"))
    expect(table.get_by_role("row").filter(has_text="MiMo-V2-Flash")).to_have_count(1)
    # The stylesheet really applied (it is served under /sub/static/ with a version query).
    assert page.locator("table.leaderboard").first.evaluate("t => getComputedStyle(t).borderCollapse") == "collapse"
    assert watch.problems == []


def test_tier_table_link_opens_model_page(served: Served, page: Page) -> None:
    watch = Watch().attach(page)
    goto(page, served.url())
    link = tier_table(page, "24GB VRAM").get_by_role("link", name="MiMo-V2-Flash", exact=True)
    click_to_page(page, link)

    assert page.url.endswith("/sub/models/mimo-v2-flash/"), page.url
    expect(page.locator("h1")).to_have_text("MiMo-V2-Flash")
    quants = page.get_by_role("table", name="MiMo-V2-Flash quantizations on named hardware")
    expect(quants).to_be_visible()
    row = quants.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Q3_K_S", exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("th, td").nth(column_index(quants, "VRAM used"))).to_have_text("~22 GB")
    page.wait_for_load_state("networkidle")
    assert watch.problems == []


def test_header_navigation(served: Served, page: Page) -> None:
    watch = Watch().attach(page)
    goto(page, served.url())
    nav = page.get_by_role("navigation", name="Site")

    click_to_page(page, nav.get_by_role("link", name="12-16GB VRAM", exact=True))
    assert page.url == served.url("tiers/12-16gb/")
    expect(page.locator("h1")).to_have_text("Best models for 12-16GB VRAM")
    expect(nav.get_by_role("link", name="12-16GB VRAM", exact=True)).to_have_attribute("aria-current", "page")
    expect(tier_table(page, "12-16GB VRAM")).to_be_visible()
    expect(tier_table(page, "24GB VRAM")).to_have_count(0)

    click_to_page(page, nav.get_by_role("link", name="Weekly posts", exact=True))
    assert page.url == served.url("posts/")
    expect(page.locator("h1")).to_have_text("Weekly posts")

    click_to_page(page, page.locator("main").get_by_role("link", name=re.compile(r"^Week 6:")))
    assert page.url == served.url(POST_PAGE)
    expect(page.locator("h1")).to_have_text(re.compile(r"^Week 6: MiMo-V2-Flash"))

    click_to_page(page, page.locator(".prose").get_by_role("link", name="GLM-5", exact=True))
    assert page.url == served.url("models/glm-5/")
    expect(page.locator("h1")).to_have_text("GLM-5")

    click_to_page(page, page.get_by_role("link", name="Home GPU Leaderboard", exact=True))
    assert page.url == served.url()
    page.wait_for_load_state("networkidle")
    assert watch.problems == []


@pytest.mark.parametrize(
    ("relative", "scroller"),
    [
        ("", "#tier-24gb ~ .table-scroll"),
        (MODEL_PAGE, "section[aria-labelledby=quantizations] .table-scroll"),
    ],
    ids=["home", "model"],
)
def test_phone_width_tables_scroll_inside_their_box(
    served: Served, browser: Browser, relative: str, scroller: str
) -> None:
    with new_context(browser, viewport=PHONE) as ctx:
        page = ctx.new_page()
        goto(page, served.url(relative))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        box = page.locator(scroller)
        expect(box).to_have_count(1)
        width = box.evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
        assert width["scroll"] > width["client"], width
        assert width["client"] <= PHONE["width"], width
        scrolled = box.evaluate("el => { el.scrollLeft = 120; return el.scrollLeft; }")
        assert scrolled > 0
        # Scrolling the table did not scroll the page.
        assert page.evaluate("window.scrollX") == 0


@pytest.mark.parametrize(
    "relative",
    ["", "tiers/24gb/", "tiers/12-16gb/", "wait-list/", "models/", MODEL_PAGE, "models/glm-5/", "posts/", POST_PAGE],
)
def test_phone_width_page_never_scrolls_sideways(served: Served, browser: Browser, relative: str) -> None:
    with new_context(browser, viewport=PHONE) as ctx:
        page = ctx.new_page()
        goto(page, served.url(relative))
        sizes = page.evaluate("({scroll: document.documentElement.scrollWidth, client: innerWidth})")
        assert sizes["scroll"] <= PHONE["width"], sizes


def test_home_without_javascript(served: Served, browser: Browser) -> None:
    with new_context(browser, java_script_enabled=False) as ctx:
        page = ctx.new_page()
        goto(page, served.url())
        expect(page.locator("h1")).to_have_text("Home GPU Leaderboard")
        for label in TIER_LABELS:
            table = tier_table(page, label)
            expect(table).to_be_visible()
            expect(table.locator("tbody tr").first).to_be_visible()
        wait = page.get_by_role("table", name=re.compile(r"^The wait list: too large"))
        expect(wait).to_be_visible()
        for name in WAIT_LIST_MODELS:
            expect(
                wait.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))
            ).to_be_visible()
        expect(wait.locator("tbody tr")).to_have_count(len(WAIT_LIST_MODELS))


def test_no_third_party_requests(served: Served, context: BrowserContext) -> None:
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    page = context.new_page()
    for relative in ("", MODEL_PAGE, POST_PAGE):
        goto(page, served.url(relative))
        page.wait_for_load_state("networkidle")
    assert any("/sub/static/style.css" in url for url in urls), urls
    outside = [url for url in urls if not url.startswith(served.origin)]
    assert outside == []


SHOTS = [
    ("home-1280", "", DESKTOP, "Home GPU Leaderboard"),
    ("home-360", "", PHONE, "Home GPU Leaderboard"),
    ("model-mimo-v2-flash-1280", MODEL_PAGE, DESKTOP, "MiMo-V2-Flash"),
]


@pytest.mark.parametrize(("name", "relative", "viewport", "heading"), SHOTS, ids=[shot[0] for shot in SHOTS])
def test_screenshots(
    served: Served, browser: Browser, name: str, relative: str, viewport: dict[str, int], heading: str
) -> None:
    """Full-page screenshots for humans, saved to $SCREENSHOT_DIR when it is set."""
    with new_context(browser, viewport=viewport) as ctx:
        page = ctx.new_page()
        goto(page, served.url(relative))
        page.wait_for_load_state("networkidle")
        expect(page.locator("h1")).to_have_text(heading)
        png = page.screenshot(full_page=True)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        folder = os.environ.get("SCREENSHOT_DIR")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / f"{name}.png").write_bytes(png)


# --- Helpers ------------------------------------------------------------------------------


@contextmanager
def new_context(browser: Browser, **options: Any) -> Iterator[BrowserContext]:
    """A fresh context (desktop size, light scheme unless told otherwise), closed afterwards."""
    ctx = browser.new_context(**{"viewport": DESKTOP, "color_scheme": "light", **options})
    try:
        yield ctx
    finally:
        ctx.close()
