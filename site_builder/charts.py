"""Small static SVG charts, drawn at build time from figures that exist.

Pure functions: each returns a `Chart` (the SVG markup plus the data table that goes
beside it) or nothing when there is nothing to plot. Every piece of text is escaped; a
speed range is drawn as a segment, never as a single invented point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from site_builder.figures import Size, Speed, parse_size, parse_speed
from site_builder.lock import ShownRow
from site_builder.schema import ModelRecord, Origin

WIDTH = 560
"""Width of every chart's drawing area in SVG units; it scales down with the page."""


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


@dataclass(frozen=True)
class RangePoint:
    """One thing plotted against VRAM: its speed as a low-high segment."""

    label: str
    gb: float
    low: float
    high: float


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
    parts.append('<g class="chart-marks" aria-hidden="true">')
    for point in points:
        px, low, high = x(point.gb), y(point.low), y(point.high)
        if point.low != point.high:
            parts.append(f'<line x1="{px:.1f}" y1="{low:.1f}" x2="{px:.1f}" y2="{high:.1f}" class="range"/>')
        parts.append(f'<circle cx="{px:.1f}" cy="{(low + high) / 2:.1f}" r="4" class="dot"/>')
        anchor = "end" if px > WIDTH * 0.7 else "start"
        shift = -8 if anchor == "end" else 8
        label_y = (low + high) / 2 + 4
        parts.append(
            f'<text x="{px + shift:.1f}" y="{label_y:.1f}" text-anchor="{anchor}">{escape(point.label)}</text>'
        )
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


def tier_chart(tier_id: str, tier_label: str, rows: Sequence[ShownRow]) -> Chart | None:
    """Speed against VRAM for the picks of one tier that show both figures; None when none do."""
    points = []
    for row in rows:
        size, speed = _size(row.vram), _speed(row.speed)
        if size and speed:
            points.append((row, RangePoint(row.name, size.gb, speed.low, speed.high)))
    if not points:
        return None
    chart_id = f"chart-{tier_id}"
    title = f"{tier_label}: speed against VRAM used"
    left_out = len(rows) - len(points)
    description = (
        f"Generation speed in tokens per second against VRAM used in GB, for {len(points)} of {len(rows)} picks"
    )
    description += f"; {left_out} without both figures are not plotted." if left_out else "."
    svg = speed_vram_svg(chart_id, title, description, [point for _, point in points])
    table = [[row.name, row.category, row.vram or "", row.speed or ""] for row, _ in points]
    return Chart(chart_id, title, description, svg, ["Model", "Best for", "VRAM used", "Speed"], table)


def model_charts(record: ModelRecord) -> list[Chart]:
    """A model page's charts: its percentage benchmarks as bars, its quantizations' speed against VRAM."""
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
    plotted = [q for q in record.quantizations if q.vram and q.speed]
    if plotted:
        title = f"{record.name}: quantizations, speed against VRAM used"
        description = f"Tokens per second against VRAM used in GB for {len(plotted)} of {len(record.quantizations)} "
        description += "quantizations; ranges are drawn as segments."
        points = [RangePoint(q.format, q.vram.gb, q.speed.low, q.speed.high) for q in plotted if q.vram and q.speed]
        svg = speed_vram_svg("chart-quantizations", title, description, points)
        table = [[q.format, q.hardware, str(q.vram), str(q.speed)] for q in plotted]
        headers = ["Format", "Hardware", "VRAM used", "Speed"]
        origins, sources = [q.origin for q in plotted], [q.source for q in plotted]
        charts.append(Chart("chart-quantizations", title, description, svg, headers, table, origins, sources))
    return charts
