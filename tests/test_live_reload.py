"""`site-builder serve`: rebuild on save, reload open pages, show problems over the page until fixed.

The server runs as a real subprocess on a free port, as an editor would start it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from conftest import MODEL_YAML, POST_MD, FixtureSite
from playwright.sync_api import expect, sync_playwright
from test_browser import CHROMIUM_ARGS, chromium_path

MakeSite = Callable[..., FixtureSite]
TODAY = "2026-01-20"
WAIT_MS = 20_000

POST_MD_EDITED = textwrap.dedent(POST_MD).replace("Read about [Alpha]", "Now read all about [Alpha]")
MODEL_YAML_BROKEN = textwrap.dedent(MODEL_YAML) + "<b>bold</b>: 1\n"


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    output: list[str] = field(default_factory=list)

    def wait_for_output(self, text: str) -> None:
        deadline = time.monotonic() + WAIT_MS / 1000
        while not any(text in line for line in self.output):
            assert time.monotonic() < deadline, f"{text!r} not in {self.output}"
            time.sleep(0.05)


@pytest.fixture
def serve(make_site: MakeSite) -> Iterator[tuple[FixtureSite, Server]]:
    site = make_site()
    with running_serve(site) as server:
        yield site, server


@contextmanager
def running_serve(site: FixtureSite) -> Iterator[Server]:
    """`site-builder serve` in a subprocess, once it watches for saves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "serve", "--port", "0", "--today", TODAY],
        cwd=site.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    output: list[str] = []
    started = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line.rstrip("\n"))
            if line.startswith("Watching "):  # the watcher is in place: no save is missed from here
                started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert started.wait(WAIT_MS / 1000), output
        serving = next(line for line in output if line.startswith("Serving "))
        url = serving.split(" at ", 1)[1]
        yield Server(process, url, output)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(WAIT_MS / 1000)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join()
        process.stdout.close()


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read()


def test_serve_prints_the_url_and_stops_cleanly_on_ctrl_c(serve: tuple[FixtureSite, Server]) -> None:
    _, server = serve
    assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/board/")
    assert server.output[0].startswith("Wrote 10 pages")
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(WAIT_MS / 1000) == 0
    server.wait_for_output("Stopped.")


def test_html_responses_carry_the_script_but_the_built_files_never_do(serve: tuple[FixtureSite, Server]) -> None:
    site, server = serve
    status, kind, page = fetch(server.url + "models/alpha/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert page.endswith(b'<script src="/__live/reload.js" data-version="0"></script>\n</body>\n</html>\n')
    status, _, missing = fetch(server.url + "no/such/page/")
    assert status == 404 and b'<script src="/__live/reload.js"' in missing
    status, kind, style = fetch(server.url + "static/style.css")
    assert status == 200 and b"__live" not in style
    status, kind, script = fetch(server.url.split("/board/")[0] + "/__live/reload.js")
    assert (status, kind) == (200, "text/javascript; charset=utf-8") and b"EventSource" in script
    built = [path for path in (site.root / "_site").rglob("*") if path.is_file()]
    assert built and all(b"__live" not in path.read_bytes() for path in built)


def test_the_event_stream_reports_each_rebuild_and_its_problems(serve: tuple[FixtureSite, Server]) -> None:
    site, server = serve
    events = urllib.request.urlopen(server.url.split("/board/")[0] + "/__live/events", timeout=WAIT_MS / 1000)
    with events:

        def next_event() -> object:
            line = events.readline()
            while not line.startswith(b"data: "):
                line = events.readline()
            return json.loads(line.removeprefix(b"data: "))

        assert next_event() == {"version": 0, "problems": []}
        model = site.root / "content/models/alpha.yaml"
        model.write_text(model.read_text().replace("total_params: 7B", "total_params: seven"))
        problem = site.run("check", "--today", TODAY).err.splitlines()[0]
        assert next_event() == {"version": 0, "problems": [problem]}
        server.wait_for_output("not rebuilt; still serving the last good build")
        assert server.output[-2] == problem
        model.write_text(model.read_text().replace("total_params: seven", "total_params: 7B"))
        assert next_event() == {"version": 1, "problems": []}


@pytest.mark.browser
def test_an_open_page_follows_edits_and_shows_problems_until_fixed(serve: tuple[FixtureSite, Server]) -> None:
    site, server = serve
    post = site.root / "content/posts/week-01.md"
    model = site.root / "content/models/alpha.yaml"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(server.url + "posts/week-01/")
            expect(page.locator(".prose")).to_contain_text("Read about Alpha.")

            post.write_text(POST_MD_EDITED)
            expect(page.locator(".prose")).to_contain_text("Now read all about Alpha.", timeout=WAIT_MS)

            model.write_text(MODEL_YAML_BROKEN)
            problem = site.run("check", "--today", TODAY).err.splitlines()[0]
            assert "unknown key '<b>bold</b>'" in problem
            overlay = page.locator("#live-problems")
            expect(overlay).to_be_visible(timeout=WAIT_MS)
            expect(overlay).to_contain_text(problem)
            assert overlay.locator("b").count() == 0  # the message is text, not markup
            expect(page.locator(".prose")).to_contain_text("Now read all about Alpha.")

            model.write_text(textwrap.dedent(MODEL_YAML).replace("Alpha 7B", "Alpha 7B Fixed"))
            expect(page.locator("h1")).to_have_text("Week 1 in review", timeout=WAIT_MS)
            expect(overlay).to_have_count(0, timeout=WAIT_MS)
            page.goto(server.url + "models/alpha/")
            expect(page.locator("h1")).to_have_text("Alpha 7B Fixed")
            assert all(url.startswith("http://127.0.0.1:") for url in requests), requests
        finally:
            browser.close()


def test_serve_builds_a_new_draft_with_its_banner(serve: tuple[FixtureSite, Server]) -> None:
    site, server = serve
    draft = textwrap.dedent(POST_MD).replace("week: 1", "week: 2").replace("summary:", "draft: true\nsummary:")
    (site.root / "content/posts/week-02.md").write_text(draft)
    server.wait_for_output("Changed week-02.md: Wrote 11 pages")
    assert "Included 1 draft (week-02), each with a banner; a published build leaves them out" in server.output
    status, _, page = fetch(server.url + "posts/week-02/")
    assert status == 200
    assert b'<p class="unpublished" role="note">Draft: not published</p>' in page


def test_serve_starts_on_broken_content_with_the_previous_build(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build", "--today", TODAY).code == 0
    model = site.root / "content/models/alpha.yaml"
    model.write_text(model.read_text().replace("total_params: 7B", "total_params: seven"))
    problem = site.run("check", "--today", TODAY).err.splitlines()[0]
    with running_serve(site) as server:
        assert server.output[:2] == [
            problem,
            "Not rebuilt; serving the previous build in _site/ until a save fixes this",
        ]
        status, _, page = fetch(server.url + "models/alpha/")
        assert status == 200 and b"<h1><bdi>Alpha 7B</bdi></h1>" in page
        events = urllib.request.urlopen(server.url.split("/board/")[0] + "/__live/events", timeout=WAIT_MS / 1000)
        with events:
            assert events.readline() == f"data: {json.dumps({'version': 0, 'problems': [problem]})}\n".encode()


def test_serve_without_a_previous_build_refuses_broken_content(make_site: MakeSite) -> None:
    site = make_site({"content/models/alpha.yaml": "name: Alpha\n"})
    result = site.run("serve", "--port", "0", "--today", TODAY)
    assert result.code == 1
    assert result.err.splitlines()[0] == "content/models/alpha.yaml:1:1: missing required key 'vendor'"
