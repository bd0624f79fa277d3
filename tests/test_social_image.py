"""The link-preview image (social.png) and the tags that point chats and social sites to it."""

from __future__ import annotations

import hashlib
import io
import re
import struct
from pathlib import Path

from conftest import MakeSite
from PIL import Image

from site_builder.social import drawable

BASE = "https://example.test/board/"


def built(make_site: MakeSite, files: dict[str, str | None] | None = None) -> Path:
    site = make_site(files)
    result = site.run("build")
    assert result.code == 0, result.err
    return site.root / "_site"


def png_chunks(data: bytes) -> list[str]:
    """The chunk types of a PNG file, in order."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append(data[at + 4 : at + 8].decode("ascii"))
        at += 12 + length
    return chunks


def meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


def test_the_image_is_a_1200_by_630_png_with_nothing_but_pixels(make_site: MakeSite) -> None:
    data = (built(make_site) / "social.png").read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "RGB")
    # No text or time chunks: nothing in the file depends on when or where it was built.
    assert set(png_chunks(data)) == {"IHDR", "IDAT", "IEND"}


def test_two_builds_write_the_same_image(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build").code == 0
    first = (site.root / "_site/social.png").read_bytes()
    assert site.run("build").code == 0
    assert (site.root / "_site/social.png").read_bytes() == first


def test_every_page_points_to_the_image_at_its_absolute_versioned_address(make_site: MakeSite) -> None:
    out = built(make_site)
    with Image.open(out / "social.png") as image:
        version = hashlib.sha256(image.tobytes()).hexdigest()[:10]
    address = f"{BASE}social.png?v={version}"
    alt = "Test Board, Week 1 (2026-01-05). 24GB VRAM: Alpha 7B (Q4_K_M, ~5 GB, 80-90 t/s)."
    pages = sorted(out.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text()
        assert meta(html, "og:image") == [address], page
        assert meta(html, "og:image:type") == ["image/png"], page
        assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == (["1200"], ["630"]), page
        assert meta(html, "og:image:alt") == [alt], page
        assert meta(html, "twitter:card") == ["summary_large_image"], page
        assert meta(html, "twitter:image") == [address], page
        assert meta(html, "twitter:image:alt") == [alt], page


SECOND_POST = """\
    ---
    title: Week 2
    week: 2
    date: 2026-01-12
    summary: Second week.
    picks:
      12gb:
        - category: Small
          model: alpha
          quant: Q4_K_M
          speed: 70-75 t/s
          why: Fits
    ---

    Nothing new.
    """


def test_the_image_shows_the_latest_week(make_site: MakeSite) -> None:
    site = make_site()
    assert site.run("build").code == 0
    first = (site.root / "_site/social.png").read_bytes()
    site.write("content/posts/week-02.md", SECOND_POST)
    assert site.run("build").code == 0
    out = site.root / "_site"
    assert (out / "social.png").read_bytes() != first
    alt = "Test Board, Week 2 (2026-01-12). 12GB VRAM: Alpha 7B (Q4_K_M, ~5 GB, 70-75 t/s)."
    assert meta((out / "index.html").read_text(), "og:image:alt") == [alt]


def test_a_site_without_a_published_week_still_has_an_image(make_site: MakeSite) -> None:
    out = built(make_site, {"content/posts/week-01.md": None})
    with Image.open(out / "social.png") as image:
        assert image.size == (1200, 630)
    assert meta((out / "index.html").read_text(), "og:image:alt") == ["Test Board: A tiny site for tests."]


def test_text_the_built_in_font_lacks_is_drawn_in_characters_it_has() -> None:
    assert drawable("Qwen3.5–27B · café “MoE” 中文 ≈20 GB") == "Qwen3.5-27B · cafe “MoE” ?? ~20 GB"
