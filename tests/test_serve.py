"""The preview server: the real build, served on 127.0.0.1 under its base URL's path."""

import functools
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from conftest import FixtureSite

from site_builder.serve import PreviewHandler


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture
def served(make_site) -> Iterator[str]:  # type: ignore[no-untyped-def]
    site: FixtureSite = make_site()
    assert site.run("build").code == 0  # base URL https://example.test/board/
    handler = functools.partial(PreviewHandler, directory=str(site.root / "_site"), prefix="/board/")
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
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
    assert "<h1>Alpha 7B</h1>" in html
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


def test_serve_refuses_a_port_out_of_range(make_site, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as caught:
        make_site().run("serve", "--port", "99999")
    assert caught.value.code == 2
    assert "argument --port: '99999' is not a port number (0-65535)" in capsys.readouterr().err
