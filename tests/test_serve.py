"""The preview server: the built site on 127.0.0.1, with the site's own 404 page."""

import functools
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from conftest import FixtureSite

from site_builder.serve import PreviewHandler


@pytest.fixture
def served(make_site) -> Iterator[str]:  # type: ignore[no-untyped-def]
    site: FixtureSite = make_site()
    assert site.run("build", "--base-url", "http://127.0.0.1/").code == 0
    handler = functools.partial(PreviewHandler, directory=str(site.root / "_site"))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()
        thread.join()


def test_serves_pages(served: str) -> None:
    with urllib.request.urlopen(f"{served}/models/alpha/") as response:
        assert response.status == 200
        assert "<h1>Alpha 7B</h1>" in response.read().decode()


def test_missing_page_gets_the_sites_404_page(served: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{served}/no/such/page/")
    with caught.value as error:
        assert error.code == 404
        assert "<h1>Page not found</h1>" in error.read().decode()
