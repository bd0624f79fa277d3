"""Browser tests: the frozen example site (tests/fixtures/site), built under a sub-path and served
locally, driven by Chromium.

The site is built once per module with `--base-url http://127.0.0.1:<port>/sub/` (like a
GitHub project page) and served by a small threaded HTTP server that maps `/sub/` to the
output folder and answers 404 for anything else.
"""

from __future__ import annotations

import http.client
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import FROZEN_SITE, FixtureSite, copy_site
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    expect,
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


class RecordingServer(ThreadingHTTPServer):
    """A threaded server that remembers every request: (path, status, user agent)."""

    daemon_threads = True

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: list[tuple[str, int, str]] = []
        super().__init__(("127.0.0.1", 0), SubPathHandler)


class SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the server's folder at PREFIX only; every other path is a 404."""

    server: RecordingServer

    def __init__(self, request: Any, client_address: Any, server: RecordingServer) -> None:
        super().__init__(request, client_address, server, directory=str(server.folder))

    def send_head(self) -> Any:
        if not urlsplit(self.path).path.startswith(PREFIX):
            self.send_error(HTTPStatus.NOT_FOUND, "Outside the published site")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        # "/sub/models/x/?q" -> "/models/x/?q"; send_head has already refused other paths.
        return super().translate_path(path.removeprefix(PREFIX[:-1]))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.server.seen.append((self.path, int(code), self.headers.get("User-Agent", "")))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean


@dataclass(frozen=True)
class Served:
    origin: str
    """`http://127.0.0.1:<port>/`"""
    base: str
    """`http://127.0.0.1:<port>/sub/`: the site's base URL."""
    server: RecordingServer

    def url(self, relative: str = "") -> str:
        return self.base + relative

    def browser_paths(self) -> list[str]:
        """Every path Chromium asked this server for so far."""
        return [path for path, _, agent in list(self.server.seen) if "Chrome" in agent]


def copy_frozen_site(root: Path) -> FixtureSite:
    return copy_site(root, FROZEN_SITE / "content")


@contextmanager
def build_and_serve(site: FixtureSite, out: Path) -> Iterator[Served]:
    """Bind a free port, build the site for `http://127.0.0.1:<port>/sub/` into `out`, serve it."""
    server = RecordingServer(out)
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}/"
        base = origin + PREFIX.lstrip("/")
        result = site.run("build", "--out", str(out), "--base-url", base)
        assert result.code == 0, result.err
        thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
        thread.start()
        try:
            yield Served(origin, base, server)
        finally:
            server.shutdown()
            thread.join(timeout=10)
    finally:
        server.server_close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("browser-site")
    with build_and_serve(copy_frozen_site(root / "frozen"), root / "out") as served:
        yield served


# --- Browser ------------------------------------------------------------------------------


def chromium_path() -> str | None:
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return None  # Playwright's own download (GitHub Actions)


@contextmanager
def new_context(browser: Browser, **options: Any) -> Iterator[BrowserContext]:
    """A fresh context (desktop size, light scheme unless told otherwise), closed afterwards."""
    ctx = browser.new_context(**{"viewport": DESKTOP, "color_scheme": "light", **options})
    try:
        yield ctx
    finally:
        ctx.close()


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
        # Chromium fetches the icon after the page loads and aborts it when a test navigates on at once;
        # a missing icon still shows up as an HTTP error in _response.
        if request.failure == "net::ERR_ABORTED" and urlsplit(request.url).path.endswith("/favicon.svg"):
            return
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


def click_to_page(page: Page, link: Locator) -> Response:
    """Click a link and return the response of the document it navigates to."""
    with page.expect_response(
        lambda r: r.request.is_navigation_request() and r.request.frame == page.main_frame
    ) as nav:
        link.click()
    response = nav.value
    page.wait_for_load_state()
    assert response.status == 200, f"{response.url}: HTTP {response.status}"
    return response


def tier_table(page: Page, label: str) -> Locator:
    return page.get_by_role("table", name=re.compile(rf"^{re.escape(label)}: best picks"))


def column_index(table: Locator, header: str) -> int:
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    assert header in headers, headers
    return headers.index(header)


def http_status(served: Served, path: str) -> int:
    """Status of a plain GET (no browser), e.g. `/` or `/sub/`."""
    connection = http.client.HTTPConnection("127.0.0.1", int(served.server.server_address[1]), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


# --- Tests --------------------------------------------------------------------------------


def test_server_serves_only_the_sub_path(served: Served) -> None:
    assert http_status(served, PREFIX) == 200
    assert http_status(served, PREFIX + "static/style.css") == 200
    assert http_status(served, "/") == 404
    assert http_status(served, "/index.html") == 404
    assert http_status(served, "/static/style.css") == 404


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
        (MODEL_PAGE, "section[aria-labelledby=benchmarks] .table-scroll"),
        (MODEL_PAGE, "section[aria-labelledby=quantizations] .table-scroll"),
    ],
    ids=["benchmarks", "quantizations"],
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


SCROLLED_RIGHT = """box => {
    box.scrollLeft = box.scrollWidth;
    const edges = rect => ({left: Math.round(rect.left), right: Math.round(rect.right)});
    const text = document.createRange();
    text.selectNodeContents(box.querySelector("caption"));
    return {
        scrollLeft: box.scrollLeft,
        box: edges(box.getBoundingClientRect()),
        captionText: edges(text.getBoundingClientRect()),
        rowName: edges(box.querySelector("tbody th[scope=row]").getBoundingClientRect()),
    };
}"""


def scrolled_right(browser: Browser, served: Served) -> dict[str, Any]:
    """Open a model page at phone width, scroll its quantizations table fully right; where its parts then are.

    (Leaderboard tables do not scroll on phones: their rows become cards.)"""
    with new_context(browser, viewport=PHONE) as ctx:
        page = ctx.new_page()
        goto(page, served.url(MODEL_PAGE))
        scroller = page.locator("section[aria-labelledby=quantizations] .table-scroll")
        where: dict[str, Any] = scroller.evaluate(SCROLLED_RIGHT)
    assert where["scrollLeft"] > 100, where
    return where


def test_phone_width_row_names_stay_in_view_when_a_table_scrolls(served: Served, browser: Browser) -> None:
    where = scrolled_right(browser, served)
    assert where["box"]["left"] <= where["rowName"]["left"] < where["rowName"]["right"] <= where["box"]["right"], where


def test_phone_width_caption_stays_in_view_when_a_table_scrolls(served: Served, browser: Browser) -> None:
    where = scrolled_right(browser, served)
    assert where["box"]["left"] <= where["captionText"]["left"] < where["box"]["right"], where


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


def test_browser_never_asks_outside_the_sub_path(served: Served, page: Page) -> None:
    """Seen from the server, so requests Playwright does not report (the default /favicon.ico) count too."""
    goto(page, served.url())
    page.wait_for_load_state("networkidle")
    # Without a declared icon Chromium asks for /favicon.ico at the host root, outside the site, once per
    # browser shortly after the first load: give it time to do so.
    deadline = time.monotonic() + 3
    while True:
        outside = [path for path in served.browser_paths() if not path.startswith(PREFIX)]
        if outside or time.monotonic() > deadline:
            break
        page.wait_for_timeout(100)
    assert outside == []
    failed = [(path, status) for path, status, agent in list(served.server.seen) if "Chrome" in agent and status >= 400]
    assert failed == []


WIDE_MARKDOWN_TABLE = """

| Model | Format | VRAM | Speed | AIME 2025 | GPQA Diamond | SWE-bench | Context |
| --- | --- | --- | --- | --- | --- | --- | --- |
| MiMo-V2-Flash | Q3_K_S | ~22 GB | 20-25 t/s | 94.1% | 89.2% | n/a | 8K |
"""


@pytest.fixture
def served_wide_post(tmp_path: Path) -> Iterator[Served]:
    """The frozen example site, with an eight-column Markdown table added to its Week 6 post."""
    site = copy_frozen_site(tmp_path / "frozen")
    post = site.root / "content/posts/week-06.md"
    post.write_text(post.read_text(encoding="utf-8") + WIDE_MARKDOWN_TABLE, encoding="utf-8")
    with build_and_serve(site, tmp_path / "out") as served:
        yield served


def test_phone_width_wide_markdown_table_stays_inside_the_page(served_wide_post: Served, browser: Browser) -> None:
    with new_context(browser, viewport=PHONE) as ctx:
        page = ctx.new_page()
        goto(page, served_wide_post.url(POST_PAGE))
        expect(page.locator(".prose table")).to_have_count(2)
        sizes = page.evaluate("({scroll: document.documentElement.scrollWidth, client: innerWidth})")
        assert sizes["scroll"] <= PHONE["width"], sizes


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
