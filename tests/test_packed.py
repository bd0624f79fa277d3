"""Pages are held compressed between rendering and writing, and read back exactly."""

from __future__ import annotations

import pytest

from site_builder.cache import digest
from site_builder.packed import Packed, SiteFiles


def test_a_packed_file_reads_back_byte_for_byte_and_knows_the_digest_of_its_bytes() -> None:
    page = ("<p>Week 6 – ½ the VRAM</p>\n" * 500).encode("utf-8")
    packed = Packed.of(page)
    assert packed.unpack() == page
    assert packed.digest == digest(page)
    assert len(packed.data) < len(page) / 10


def test_site_files_read_packed_and_plain_files_alike_in_path_order() -> None:
    files = SiteFiles({"b/index.html": Packed.of(b"<p>b</p>"), "a.css": b"body{}"})
    assert list(files) == ["a.css", "b/index.html"]
    assert dict(files.items()) == {"a.css": b"body{}", "b/index.html": b"<p>b</p>"}
    assert files.known_digest("b/index.html") == digest(b"<p>b</p>")
    assert files.known_digest("a.css") is None
    more = files.with_files({"feed.xml": b"<feed/>"})
    assert list(more) == ["a.css", "b/index.html", "feed.xml"] and len(files) == 2


def test_asking_whether_a_file_is_there_does_not_expand_it(monkeypatch: pytest.MonkeyPatch) -> None:
    files = SiteFiles({"index.html": Packed.of(b"<p>home</p>")})
    monkeypatch.setattr(Packed, "unpack", lambda self: pytest.fail("expanded"))
    assert "index.html" in files and "other.html" not in files
