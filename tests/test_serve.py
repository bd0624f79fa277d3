"""The preview server: the real build, served on 127.0.0.1 under its base URL's path."""

import functools
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from conftest import MakeSite

from site_builder.serve import PreviewHandler


class QuietPreviewHandler(PreviewHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged to the test output."""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture
def served(make_site: MakeSite) -> Iterator[str]:
    site = make_site()
    assert site.run("build").code == 0  # base URL https://example.test/board/
    handler = functools.partial(QuietPreviewHandler, directory=str(site.root / "_site"), prefix="/board/")
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()
        thread.join()


def test_serves_pages_under_the_base_path(served: str) -> None:
    with urllib.request.urlopen(f"{served}/board/models/alpha/") as response:
        assert response.status == 200
        html = response.read().decode()
    assert "<h1><bdi>Alpha 7B</bdi></h1>" in html
    assert 'href="/board/static/style.css?v=' in html
    with urllib.request.urlopen(f"{served}/board/static/style.css") as response:
        assert response.status == 200


def test_the_root_redirects_to_the_base_path(served: str) -> None:
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(f"{served}/")
    with caught.value as error:
        assert error.code == 302
        assert error.headers["Location"] == "/board/"


@pytest.mark.parametrize("path", ["/board/no/such/page/", "/models/alpha/", "/index.html"])
def test_anything_else_gets_the_sites_404_page(served: str, path: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{served}{path}")
    with caught.value as error:
        assert error.code == 404
        assert "<h1>Page not found</h1>" in error.read().decode()


def test_serve_refuses_a_port_out_of_range(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        make_site().run("serve", "--port", "99999")
    assert caught.value.code == 2
    assert "argument --port: '99999' is not a port number (0-65535)" in capsys.readouterr().err
