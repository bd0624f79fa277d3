"""What the reader's table tools need from a page: sortable numbers, filter facts, charts.

Registered on the Jinja environment by `register`; every value is computed at build
time, so the one small script in `static/tables.js` only reads attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jinja2

from site_builder.charts import Chart, Flag, model_charts, tier_chart
from site_builder.content import Model
from site_builder.figures import Size, Speed, parse_size, parse_speed
from site_builder.fit import Entry
from site_builder.fit_pages import FitView
from site_builder.lock import ShownRow
from site_builder.merge import ShownTable, SiteData
from site_builder.provenance import Provenance, cited_sources
from site_builder.search import available as search_available
from site_builder.urls import Urls


def _number(value: float) -> str:
    return f"{value:g}"


def _parsed_number(parse: Callable[[Any], Any], pick: Callable[[Any], float]) -> Callable[[object], str]:
    """A filter giving a shown figure's number (`~22 GB` -> `22`), or `""` when there is none."""

    def number(text: object) -> str:
        if text is None or text == "":
            return ""
        if isinstance(text, Size | Speed):
            return _number(pick(text))
        try:
            return _number(pick(parse(str(text))))
        except ValueError:
            return ""

    return number


size_gb = _parsed_number(parse_size, lambda size: size.gb)
"""`~22 GB` -> `22`; the low bound of a speed sorts and filters it."""
speed_low = _parsed_number(parse_speed, lambda speed: speed.low)


def licences_of(tables: Sequence[ShownTable], models: Mapping[str, Model]) -> list[str]:
    """The licences of the models picked in these tables, for the licence filter."""
    found = {models[row.model].record.license for table in tables for row in table.rows if row.model in models}
    return sorted(licence for licence in found if licence)


def _flag(fit: FitView, entry: Entry | None) -> Flag | None:
    return Flag(entry.flag, f"{fit.page_url()}#{entry.anchor}") if entry and entry.flag else None


def flagged_tier_chart(fit: FitView | None) -> Callable[[str, str, Sequence[ShownRow]], Chart | None]:
    """`tier_chart` marking the rows whose VRAM figure the fit finder flags (through `fit`, which notes the reads)."""

    def chart(tier_id: str, tier_label: str, rows: Sequence[ShownRow]) -> Chart | None:
        flag_of = (lambda row: _flag(fit, fit.row_flag(row))) if fit else None
        return tier_chart(tier_id, tier_label, rows, flag_of)

    return chart


def flagged_model_charts(fit: FitView | None) -> Callable[[Model], list[Chart]]:
    """`model_charts` of a model, marking the quantizations whose VRAM figure the fit finder flags."""

    def charts(model: Model) -> list[Chart]:
        flag_of = (lambda index: _flag(fit, fit.quantization_flag(model.id, index))) if fit else None
        return model_charts(model.record, flag_of)

    return charts


def register(env: jinja2.Environment, data: SiteData, models: Mapping[str, Model]) -> None:
    """`models` is what templates see of the records (noting which ones each page reads)."""
    env.filters["size_gb"] = size_gb
    env.filters["speed_low"] = speed_low
    # Set by make_environment just before; the markers link into the same site (and to the fit method).
    urls, fit = env.globals["urls"], env.globals.get("fit")
    assert isinstance(urls, Urls)
    fit_view = fit if isinstance(fit, FitView) else None
    fit_url = fit_view.page_url() if fit_view else None
    env.globals.update(
        origins=Provenance(data.content, urls, fit_url),
        models=models,
        licences_of=lambda tables: licences_of(tables, models),
        tier_chart=flagged_tier_chart(fit_view),
        model_charts=flagged_model_charts(fit_view),
        cited_sources=cited_sources,
        search_enabled=search_available(),
    )
