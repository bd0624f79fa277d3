"""Where each leaderboard figure comes from: the marker shown beside it.

A row carries the source (and, where the record says so, the origin) of each figure as the
week was published, so a frozen week keeps its markers whatever records say later. A lock
written before sources were kept has none: its figures are marked as published that week.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from site_builder.content import Content, Post
from site_builder.lock import ShownRow, ShownWaitRow
from site_builder.merge import Appearance, ShownTable
from site_builder.schema import ModelRecord, Origin
from site_builder.urls import Urls

Kind = Literal["vendor-reported", "community-tested", "measured", "reported", "published", "estimated"]

KINDS: dict[Kind, tuple[str, str]] = {
    "vendor-reported": ("vendor", "vendor-reported: the model's vendor gave it"),
    "community-tested": ("community", "community-tested: people outside the vendor tried it"),
    "measured": ("measured", "measured by the source itself"),
    "reported": ("reported", "reported by a source, or by the week's post, that does not say who produced it"),
    "published": ("published", "as published in that week's tables, which did not keep its source"),
    "estimated": ("est.", "estimated by the fit finder; no source reports it"),
}
"""Each kind's short visible form and what it means, for the legend."""


@dataclass(frozen=True)
class Marker:
    kind: Kind
    words: str
    """The full words, for screen readers and the tooltip, e.g. `reported by Some Source`."""
    href: str
    """Where the figure comes from: the source on the model's page, the week's post, or the method."""

    @property
    def short(self) -> str:
        return KINDS[self.kind][0]


@dataclass(frozen=True)
class RowMarkers:
    vram: Marker | None
    speed: Marker | None
    benchmark: Marker | None


@dataclass(frozen=True)
class LegendEntry:
    kind: Kind
    short: str
    meaning: str


class Provenance:
    """What templates ask: the markers of a leaderboard row, and the legend of a page's tables."""

    def __init__(self, content: Content, urls: Urls, fit_url: str | None) -> None:
        self.urls = urls
        self.fit_url = fit_url
        self.titles = {source.id: source.title for source in content.site.sources}

    def row(self, row: ShownRow, post: Post) -> RowMarkers:
        vram = self._figure(row.model, row.vram_source, row.vram_origin, post) if row.vram else None
        speed = None
        if row.speed and row.speed_from == "post":
            speed = Marker("reported", f"reported by the Week {post.meta.week} post", self.urls.post(post.id))
        elif row.speed:
            speed = self._figure(row.model, row.speed_source, row.speed_origin, post)
        shown = row.benchmark
        benchmark = self._figure(row.model, shown.source, shown.origin, post) if shown else None
        return RowMarkers(vram, speed, benchmark)

    def wait(self, row: ShownWaitRow, post: Post) -> Marker | None:
        return self._figure(row.model, row.memory_source, None, post) if row.memory else None

    def estimate(self) -> Marker:
        if self.fit_url is None:
            raise LookupError("an estimate needs the fit finder (content/hardware.yaml)")
        # The name starts with the visible word, so speech input ("click est.") finds the link.
        words = "est. (estimated by the fit finder; no source reports it)"
        return Marker("estimated", words, self.fit_url + "#method")

    def legend(
        self,
        tables: Sequence[ShownTable],
        wait_rows: Sequence[ShownWaitRow],
        post: Post,
        estimated: Callable[[ShownRow], object] | None = None,
    ) -> list[LegendEntry]:
        """The kinds of marker the page's tables show, in a fixed order; `estimated` says whether a row
        without a VRAM figure shows an estimate."""
        found: set[Kind] = set()
        for table in tables:
            for row in table.rows:
                found.update(marker.kind for marker in _markers(self.row(row, post)))
                if estimated is not None and not row.vram and estimated(row):
                    found.add("estimated")
        found.update(marker.kind for row in wait_rows if (marker := self.wait(row, post)))
        return [LegendEntry(kind, *KINDS[kind]) for kind in KINDS if kind in found]

    def _figure(self, model_id: str, source: str | None, origin: Origin | None, post: Post) -> Marker:
        if source is None:
            words = f"as published in Week {post.meta.week}; its source was not kept"
            return Marker("published", words, self.urls.week_leaderboard(post.id))
        title = self.titles[source]
        words = f"{origin}; source: {title}" if origin else f"reported by {title}"
        return Marker(origin or "reported", words, f"{self.urls.model(model_id)}#source-{source}")


def _markers(row: RowMarkers) -> Iterable[Marker]:
    return (marker for marker in (row.vram, row.speed, row.benchmark) if marker is not None)


def cited_sources(record: ModelRecord, appearances: Sequence[Appearance] = ()) -> list[str]:
    """The ids of the sources a model's page cites, in order of first use: its record's, then those of the
    figures its weeks showed, which leaderboard markers link to even after the record stops citing them."""
    cited: list[str | None] = [record.specs_source]
    for rows in (record.benchmarks, record.quantizations, record.memory, record.hardware_status):
        cited += [row.source for row in rows]
    for seen in appearances:
        if seen.row is not None:
            benchmark = seen.row.benchmark
            cited += [seen.row.vram_source, seen.row.speed_source, benchmark.source if benchmark else None]
        if seen.wait is not None:
            cited.append(seen.wait.memory_source)
    return list(dict.fromkeys(source for source in cited if source))
