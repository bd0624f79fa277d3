"""Small static SVG charts, drawn at build time from figures that exist.

Pure functions: each returns a `Chart` (the SVG markup plus the data table that goes
beside it) or nothing when there is nothing to plot. Every piece of text is escaped; a
speed range is drawn as a segment, never as a single invented point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from site_builder.figures import Size, Speed, parse_size, parse_speed
from site_builder.lock import ShownRow
from site_builder.schema import ModelRecord, Origin

WIDTH = 560
"""Width of every chart's drawing area in SVG units; it scales down with the page."""


@dataclass(frozen=True)
class Flag:
    """An implausible VRAM figure's warning: why, and the fit finder's explanation to link to."""

    reason: str
    href: str


FLAG_LEGEND = "⚠ implausible: see the fit finder"
FLAGGED_DOT = 'r="5" class="dot flagged" fill="#fff" stroke="#b45309" stroke-width="2"'
"""Hollow (filled with the page colour, over its range) even without the stylesheet, which sets dark mode's colours."""
"""The legend beside a hollow marker, which plots a figure the fit finder flags."""


@dataclass(frozen=True)
class Chart:
    id: str
    """Unique on its page; the SVG's title and description ids derive from it."""
    title: str
    description: str
    svg: Markup
    headers: list[str]
    """Headers of the data table shown beside the chart."""
    rows: list[list[str]]
    """The plotted figures, as shown in the data table."""
    origins: list[Origin | None] | None = None
    """Per row, who produced its figures (None: the source does not say); None when rows cite no source."""
    sources: list[str] | None = None
    """Per row, the `id` of the source reporting it, for the provenance marker; None when rows cite no source."""
    flags: list[Flag | None] | None = None
    """Per row, the warning on its VRAM figure when the fit finder finds it implausible; None when no row has one."""
    flag_column: int | None = None
    """Index in `headers` of the column the flags belong to."""


@dataclass(frozen=True)
class RangePoint:
    """One thing plotted against VRAM: its speed as a low-high segment."""

    label: str
    gb: float
    low: float
    high: float
    flagged: bool = False
    """Its VRAM figure is implausible: drawn hollow and named so, never left looking like the rest."""


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most about `ticks` ticks up to `top`."""
    raw = max(top, 1e-9) / ticks
    power: float = 10.0 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _svg_open(chart_id: str, title: str, description: str, height: int) -> str:
    return (
        f'<svg class="chart-svg" role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def speed_vram_svg(chart_id: str, title: str, description: str, points: Sequence[RangePoint]) -> Markup:
    """Speed (t/s, up) against VRAM (GB, across); each point a dot, or a segment for a speed range."""
    height, left, right, top, bottom = 300, 56, 24, 16, 44
    if any(point.flagged for point in points):
        top += 20  # room for the legend line above the plot
    x_step = nice_step(max(point.gb for point in points))
    y_step = nice_step(max(point.high for point in points))
    x_max = x_step * (math.floor(max(point.gb for point in points) / x_step) + 1)
    y_max = y_step * (math.floor(max(point.high for point in points) / y_step) + 1)

    def x(gb: float) -> float:
        return left + (WIDTH - left - right) * gb / x_max

    def y(speed: float) -> float:
        return height - bottom - (height - top - bottom) * speed / y_max

    parts = [_svg_open(chart_id, title, description, height)]
    parts.append('<g class="chart-axis" aria-hidden="true">')
    for tick in _ticks(x_max, x_step):
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top}" x2="{x(tick):.1f}" y2="{height - bottom}" class="grid"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{height - bottom + 16}" text-anchor="middle">{_fmt(tick)}</text>')
    for tick in _ticks(y_max, y_step):
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{WIDTH - right}" y2="{y(tick):.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
    parts.append(f'<text x="{(left + WIDTH - right) / 2}" y="{height - 6}" text-anchor="middle">VRAM used (GB)</text>')
    parts.append(f'<text x="14" y="{top + 4}" text-anchor="start" class="axis-name">t/s</text>')
    parts.append("</g>")
    if top > 16:
        legend_x = WIDTH - right - 230
        parts.append(
            f'<g class="chart-legend" aria-hidden="true"><circle cx="{legend_x}" cy="12" {FLAGGED_DOT}/>'
            f'<text x="{legend_x + 10}" y="16">{FLAG_LEGEND}</text></g>'
        )
    parts.append('<g class="chart-marks" aria-hidden="true">')
    for point in points:
        px, low, high = x(point.gb), y(point.low), y(point.high)
        if point.low != point.high:
            parts.append(f'<line x1="{px:.1f}" y1="{low:.1f}" x2="{px:.1f}" y2="{high:.1f}" class="range"/>')
        dot = FLAGGED_DOT if point.flagged else 'r="4" class="dot"'
        parts.append(f'<circle cx="{px:.1f}" cy="{(low + high) / 2:.1f}" {dot}/>')
        anchor = "end" if px > WIDTH * 0.7 else "start"
        shift = -8 if anchor == "end" else 8
        label_y = (low + high) / 2 + 4
        label = f"{point.label} ⚠" if point.flagged else point.label
        parts.append(f'<text x="{px + shift:.1f}" y="{label_y:.1f}" text-anchor="{anchor}">{escape(label)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


def bar_svg(chart_id: str, title: str, description: str, bars: Sequence[tuple[str, float]], top_value: float) -> Markup:
    """Horizontal bars from 0 to `top_value`, each labelled with its name and value."""
    row, label_width, right = 30, 170, 56
    height = row * len(bars) + 12
    span = WIDTH - label_width - right
    parts = [_svg_open(chart_id, title, description, height), '<g class="chart-marks" aria-hidden="true">']
    for index, (label, value) in enumerate(bars):
        top = 6 + index * row
        width = span * min(value, top_value) / top_value
        parts.append(f'<text x="{label_width - 8}" y="{top + 18}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{top + 4}" width="{width:.1f}" height="{row - 10}" class="bar"/>')
        parts.append(f'<text x="{label_width + width + 6:.1f}" y="{top + 18}">{_fmt(value)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


def _ticks(top: float, step: float) -> list[float]:
    return [round(step * index, 10) for index in range(round(top / step) + 1)]


def _size(text: str | None) -> Size | None:
    try:
        return parse_size(text) if text else None
    except ValueError:
        return None


def _speed(text: str | None) -> Speed | None:
    try:
        return parse_speed(text) if text else None
    except ValueError:
        return None


def _flag_note(flags: Sequence[Flag | None]) -> str:
    """The description's sentence on flagged figures; empty when there are none."""
    count = sum(1 for flag in flags if flag)
    if not count:
        return ""
    figures = "1 VRAM figure is" if count == 1 else f"{count} VRAM figures are"
    return f" {figures} implausible (drawn hollow and marked ⚠); the fit finder explains why."


def tier_chart(
    tier_id: str, tier_label: str, rows: Sequence[ShownRow], flag_of: Callable[[ShownRow], Flag | None] | None = None
) -> Chart | None:
    """Speed against VRAM for the picks of one tier that show both figures; None when none do.

    `flag_of` gives a row's warning when its VRAM figure is implausible.
    """
    points = []
    for row in rows:
        size, speed = _size(row.vram), _speed(row.speed)
        if size and speed:
            flag = flag_of(row) if flag_of else None
            points.append((row, flag, RangePoint(row.name, size.gb, speed.low, speed.high, flag is not None)))
    if not points:
        return None
    chart_id = f"chart-{tier_id}"
    title = f"{tier_label}: speed against VRAM used"
    left_out = len(rows) - len(points)
    description = (
        f"Generation speed in tokens per second against VRAM used in GB, for {len(points)} of {len(rows)} picks"
    )
    description += f"; {left_out} without both figures are not plotted." if left_out else "."
    flags = [flag for _, flag, _ in points]
    description += _flag_note(flags)
    svg = speed_vram_svg(chart_id, title, description, [point for _, _, point in points])
    table = [[row.name, row.category, row.vram or "", row.speed or ""] for row, _, _ in points]
    headers = ["Model", "Best for", "VRAM used", "Speed"]
    return Chart(chart_id, title, description, svg, headers, table, flags=flags if any(flags) else None, flag_column=2)


def model_charts(record: ModelRecord, flag_of: Callable[[int], Flag | None] | None = None) -> list[Chart]:
    """A model page's charts: its percentage benchmarks as bars, its quantizations' speed against VRAM.

    `flag_of` gives the warning of the quantization at that index when its VRAM figure is implausible.
    """
    charts = []
    scored = [benchmark for benchmark in record.benchmarks if benchmark.unit == "%"]
    if scored:
        title = f"{record.name}: benchmark scores"
        description = "Scores in percent on a 0 to 100 scale; benchmarks in other units are in the table only."
        bars = [(benchmark.name, benchmark.score) for benchmark in scored]
        svg = bar_svg("chart-benchmarks", title, description, bars, 100)
        table = [[b.name, f"{'~' if b.approximate else ''}{_fmt(b.score)}%"] for b in scored]
        origins, sources = [b.origin for b in scored], [b.source for b in scored]
        charts.append(
            Chart("chart-benchmarks", title, description, svg, ["Benchmark", "Score"], table, origins, sources)
        )
    indexed = [(index, q) for index, q in enumerate(record.quantizations) if q.vram and q.speed]
    if indexed:
        plotted = [q for _, q in indexed]
        flags = [flag_of(index) if flag_of else None for index, _ in indexed]
        title = f"{record.name}: quantizations, speed against VRAM used"
        description = f"Tokens per second against VRAM used in GB for {len(plotted)} of {len(record.quantizations)} "
        description += "quantizations; ranges are drawn as segments." + _flag_note(flags)
        points = [
            RangePoint(q.format, q.vram.gb, q.speed.low, q.speed.high, flag is not None)
            for q, flag in zip(plotted, flags, strict=True)
            if q.vram and q.speed
        ]
        svg = speed_vram_svg("chart-quantizations", title, description, points)
        table = [[q.format, q.hardware, str(q.vram), str(q.speed)] for q in plotted]
        headers = ["Format", "Hardware", "VRAM used", "Speed"]
        origins, sources = [q.origin for q in plotted], [q.source for q in plotted]
        shown_flags = flags if any(flags) else None
        charts.append(
            Chart("chart-quantizations", title, description, svg, headers, table, origins, sources, shown_flags, 2)
        )
    return charts
