"""A small static server for previewing a built site on this machine only.

The site is served under its base URL's path (e.g. /home-gpu-leaderboard/), so the
preview is the very build that gets published, links and all. With live reload, the
sources are watched, each save rebuilds, and open pages reload or show the problems.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO, TextIO
from urllib.parse import urlsplit

import watchfiles

from site_builder.livereload import EVENTS_PATH, SCRIPT, SCRIPT_PATH, LiveState, inject_script
from site_builder.problems import BuildFailed

HEARTBEAT_SECONDS = 15.0
"""A comment sent this often on the event stream finds closed pages, so their threads end."""


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the folder at `prefix`; the site's own 404.html for anything missing, as GitHub Pages does."""

    def __init__(self, *args: object, prefix: str = "/", **kwargs: object) -> None:
        self.prefix = prefix
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        if self.prefix != "/" and self.path in ("/", ""):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def send_head(self) -> BinaryIO | None:
        if not self.path.startswith(self.prefix):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        page = self._html_page()
        if page is None:
            return super().send_head()
        body = self.html_body(page.read_bytes())
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)

    def _html_page(self) -> Path | None:
        """The HTML file the request names, if any; a folder without its trailing '/' is left to redirect."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return None
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def html_body(self, body: bytes) -> bytes:
        """Every HTML response passes here; the live preview adds its script."""
        return body

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = self.html_body(not_found.read_bytes())
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class LiveHandler(PreviewHandler):
    """The preview plus `/__live/`: the reload script and the event stream that drives it."""

    def __init__(self, *args: object, live: LiveState, **kwargs: object) -> None:
        self.live = live
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        route = urlsplit(self.path).path
        if route == SCRIPT_PATH:
            self._send_script()
        elif route == EVENTS_PATH:
            self._stream_events()
        else:
            super().do_GET()

    def html_body(self, body: bytes) -> bytes:
        return inject_script(body, self.live.status.version)

    def _send_script(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/javascript; charset=utf-8")
        self.send_header("Content-Length", str(len(SCRIPT)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(SCRIPT)

    def _stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        seen = -1
        try:
            while (status := self.live.wait(seen, HEARTBEAT_SECONDS)) is not None:
                self.wfile.write(status.event() if status.generation != seen else b": still here\n\n")
                self.wfile.flush()
                seen = status.generation
        except (BrokenPipeError, ConnectionResetError):
            return


@contextmanager
def live_server(folder: Path, port: int, prefix: str, live: LiveState) -> Iterator[str]:
    """Serve `folder` in a background thread; yields the exact URL to open."""
    handler = functools.partial(LiveHandler, directory=str(folder), prefix=prefix, live=live)
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
        finally:
            live.close()
            server.shutdown()
            thread.join()


def watch_and_rebuild(
    sources: list[Path],
    rebuild: Callable[[], str],
    live: LiveState,
    out: TextIO,
    on_ready: Callable[[], None],
    stop: threading.Event | None = None,
) -> None:
    """Rebuild on every change under `sources`; `rebuild` returns a summary line or raises BuildFailed.

    Problems go to the terminal and to open pages; the last good site stays served.
    `on_ready` runs once the watcher is in place, so a save after it is never missed.
    """
    watched = [source for source in sources if source.exists()]
    ready = False
    # An empty batch on each quiet interval tells when the watcher has started.
    batches = watchfiles.watch(
        *watched, debounce=300, rust_timeout=500, yield_on_timeout=True, stop_event=stop, raise_interrupt=False
    )
    for changes in batches:
        if not ready:
            ready = True
            on_ready()
        if not changes:
            continue
        # Editors save through temporary files; name only what is still there.
        changed = ", ".join(sorted({Path(path).name for _, path in changes if Path(path).exists()})) or "a file"
        try:
            summary = rebuild()
        except BuildFailed as failure:
            report_failure(failure, live, out, f"Changed {changed}: not rebuilt; still serving the last good build")
        except OSError as error:
            problem = f"error: {error.strerror or error}{f': {error.filename}' if error.filename else ''}"
            print(problem, file=out, flush=True)
            live.failed([problem])
        else:
            print(f"Changed {changed}: {summary}", file=out, flush=True)
            live.built()


def report_failure(failure: BuildFailed, live: LiveState, out: TextIO, note: str) -> None:
    """Problems go to the terminal, then to every open page."""
    problems = [str(problem) for problem in failure.problems]
    print(*problems, sep="\n", file=out)
    print(note, file=out, flush=True)
    live.failed(problems)
