"""The link-preview image (`social.png`): what chats and social sites show beside a shared link.

Drawn at build time from the latest published week: the site's title, the week, and each tier's
picks with their quantization, VRAM and speed. Social sites do not show SVG, so it is a PNG.

The font is the one built into Pillow, drawn by the FreeType its wheel bundles (no system fonts),
so the locked Pillow draws the same pixels on every machine. The file holds no date or other
metadata, so a rebuild writes the same bytes; only the zlib that compresses them comes from the
system, which is why the image's address is versioned by its pixels rather than its bytes.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from site_builder.cache import Cache, digest
from site_builder.lock import ShownRow
from site_builder.merge import ShownTable, SiteData, Week
from site_builder.parallel import cached_map
from site_builder.schema import SiteConfig
from site_builder.urls import Urls

if TYPE_CHECKING:
    # Pillow is imported where an image is drawn: a build that finds it in the cache never needs it.
    from PIL import Image, ImageDraw, ImageFont

SOCIAL_IMAGE_FILE = "social.png"
WIDTH, HEIGHT = 1200, 630
"""The size every large link preview expects (1.91:1)."""
MAX_COLUMNS = 3
ALT_LIMIT = 420
"""The longest image description some social sites keep."""

PAGE, TEXT, MUTED, ACCENT, BAND, LINE = "#ffffff", "#1b1f24", "#57606a", "#0b5cad", "#f3f5f8", "#d0d7de"
"""The stylesheet's light colours."""
MARGIN, GAP = 56, 28


@dataclass(frozen=True)
class SocialImage:
    """The link-preview image as pages name it in their `og:image` and `twitter:image` tags."""

    url: str
    """Absolute address, with a version from its pixels so social sites fetch a new week's image anew."""
    width: int
    height: int
    alt: str
    """What the image shows, in words."""


def social_image(data: SiteData, urls: Urls, cache: Cache | None = None) -> tuple[SocialImage, dict[str, bytes]]:
    """The image's description for the pages, and the file itself by output path; kept in `cache`
    while the latest published week (by what it was made from) and the site are the same (and
    Pillow, like every dependency: `cache.DEPENDENCIES`)."""
    published = data.published_weeks
    week = published[-1] if published else None
    site = data.content.site
    made_from = (week.made_from or "") if week else "no week"
    key = digest(site.model_dump_json(), made_from, urls.base_url) if made_from else ""
    [made], _ = cached_map(cache, "social", _social_image, (site, urls.base_url), [week], [key], jobs=1)
    return made


def _social_image(site_and_address: tuple[SiteConfig, str], week: Week | None) -> tuple[SocialImage, dict[str, bytes]]:
    site, base_url = site_and_address
    picture = draw(site, week, Urls(base_url))
    version = hashlib.sha256(picture.tobytes()).hexdigest()[:10]
    image = SocialImage(f"{base_url}{SOCIAL_IMAGE_FILE}?v={version}", WIDTH, HEIGHT, _alt(site, week))
    out = io.BytesIO()
    # No text chunks or timestamps: the bytes depend on the pixels (and the zlib) alone.
    picture.save(out, format="PNG", optimize=False, compress_level=6)
    return image, {SOCIAL_IMAGE_FILE: out.getvalue()}


def draw(site: SiteConfig, week: Week | None, urls: Urls) -> Image.Image:
    """The picture: the title and week at the top, a column per tier, the site's address at the foot."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), PAGE)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, WIDTH, 12), fill=ACCENT)
    _logo(pen, MARGIN, 44)
    _text(pen, (MARGIN + 64, 44), site.title, 44, TEXT, WIDTH - 2 * MARGIN - 64, bold=True)
    subtitle = (
        f"Week {week.post.meta.week} · {week.post.meta.date.isoformat()} · the picks for each VRAM tier"
        if week
        else site.description
    )
    _text(pen, (MARGIN + 64, 100), subtitle, 26, MUTED, WIDTH - 2 * MARGIN - 64)
    footer = urls.base_url.split("://", 1)[-1]
    _text(pen, (MARGIN, HEIGHT - 52), footer, 22, MUTED, WIDTH - 2 * MARGIN)
    if week is not None:
        _columns(pen, week, top=160, bottom=HEIGHT - 76)
    return image


def _columns(pen: ImageDraw.ImageDraw, week: Week, top: int, bottom: int) -> None:
    tables = [table for table in week.tiers if table.rows]
    shown, hidden = tables[:MAX_COLUMNS], len(tables) - MAX_COLUMNS
    if not shown:
        _text(pen, (MARGIN, top), "No picks this week.", 28, MUTED, WIDTH - 2 * MARGIN)
        return
    width = (WIDTH - 2 * MARGIN - GAP * (len(shown) - 1)) // len(shown)
    for index, table in enumerate(shown):
        left = MARGIN + index * (width + GAP)
        _column(pen, table, left, top, width, bottom)
    if hidden > 0:
        note = f"and {hidden} more tier{'s' if hidden > 1 else ''} on the site"
        _text(pen, (WIDTH - MARGIN - 360, HEIGHT - 52), note, 22, MUTED, 360, align_right=True)


ROW_HEIGHT = 74


def _column(pen: ImageDraw.ImageDraw, table: ShownTable, left: int, top: int, width: int, bottom: int) -> None:
    pen.rounded_rectangle((left, top, left + width, bottom), radius=10, fill=BAND, outline=LINE)
    inner = width - 2 * 20
    _text(pen, (left + 20, top + 16), table.tier.label, 28, ACCENT, inner, bold=True)
    y = top + 62
    rows = list(table.rows)
    room = (bottom - y - 8) // ROW_HEIGHT
    if len(rows) > room:
        rows, more = rows[: max(room - 1, 0)], len(rows) - max(room - 1, 0)
    else:
        more = 0
    for row in rows:
        _text(pen, (left + 20, y), row.name, 28, TEXT, inner, bold=True)
        _text(pen, (left + 20, y + 34), _figures(row, _font(21), inner), 21, MUTED, inner)
        y += ROW_HEIGHT
    if more:
        _text(pen, (left + 20, y), f"and {more} more", 21, MUTED, inner)


def _figures(row: ShownRow, font: ImageFont.FreeTypeFont, width: int) -> str:
    """Quantization, VRAM and speed, after the category when there is room for all."""
    figures = " · ".join(part for part in (row.quant, row.vram, row.speed) if part)
    labelled = f"{row.category} · {figures}" if figures else row.category
    return labelled if font.getlength(drawable(labelled)) <= width else figures


def _alt(site: SiteConfig, week: Week | None) -> str:
    if week is None:
        return f"{site.title}: {site.description}"
    tiers = "; ".join(
        f"{table.tier.label}: " + ", ".join(f"{row.name} ({_alt_figures(row)})" for row in table.rows)
        for table in week.tiers
        if table.rows
    )
    text = f"{site.title}, Week {week.post.meta.week} ({week.post.meta.date.isoformat()}). {tiers or 'No picks'}."
    return text if len(text) <= ALT_LIMIT else text[: ALT_LIMIT - 1].rstrip() + "…"


def _alt_figures(row: ShownRow) -> str:
    return ", ".join(part for part in (row.quant, row.vram, row.speed) if part)


def _logo(pen: ImageDraw.ImageDraw, left: int, top: int) -> None:
    """The favicon's three bars, at 48 px."""
    pen.rounded_rectangle((left, top, left + 48, top + 48), radius=9, fill=ACCENT)
    for x, y in ((9, 27), (20.25, 18), (31.5, 9)):
        pen.rectangle((left + x, top + y, left + x + 7.5, top + 39), fill=PAGE)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    font = ImageFont.load_default(size=size)
    assert isinstance(font, ImageFont.FreeTypeFont), "Pillow was built without FreeType"
    return font


def _text(
    pen: ImageDraw.ImageDraw,
    at: tuple[int, int],
    text: str,
    size: int,
    fill: str,
    max_width: int,
    bold: bool = False,
    align_right: bool = False,
) -> None:
    font = _font(size)
    stroke = 0.6 if bold else 0
    fitted = _fit(drawable(text), font, max_width)
    x, y = at
    if align_right:
        x += max_width - int(font.getlength(fitted))
    pen.text((x, y), fitted, font=font, fill=fill, stroke_width=stroke, stroke_fill=fill)


def _fit(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> str:
    """`text`, cut with an ellipsis where it would overflow `max_width` pixels."""
    if font.getlength(text) <= max_width:
        return text
    while text and font.getlength(text + "…") > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


DRAWABLE = frozenset(chr(code) for code in range(32, 127)) | frozenset("©«°±´·»‘’“”…‹›⁄")
"""The characters of the built-in font; others would be drawn as empty boxes."""
SUBSTITUTES = {"–": "-", "—": "-", "‑": "-", "≈": "~", "×": "x", "\u00a0": " "}


def drawable(text: str) -> str:
    """`text` in the built-in font's characters: accents dropped, dashes plain, anything else `?`."""
    out: list[str] = []
    for char in text:
        if char in DRAWABLE:
            out.append(char)
            continue
        char = SUBSTITUTES.get(char, char)
        plain = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
        out.append(plain if plain and all(part in DRAWABLE for part in plain) else "?")
    return "".join(out)
