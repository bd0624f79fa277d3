"""What the reader's table tools need from a page: sortable numbers, filter facts, charts.

Registered on the Jinja environment by `register`; every value is computed at build
time, so the one small script in `static/tables.js` only reads attributes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jinja2

from site_builder.charts import model_charts, tier_chart
from site_builder.content import Model
from site_builder.figures import Size, Speed, parse_size, parse_speed
from site_builder.fit_pages import FitView
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


def register(env: jinja2.Environment, data: SiteData, models: Mapping[str, Model]) -> None:
    """`models` is what templates see of the records (noting which ones each page reads)."""
    env.filters["size_gb"] = size_gb
    env.filters["speed_low"] = speed_low
    # Set by make_environment just before; the markers link into the same site (and to the fit method).
    urls, fit = env.globals["urls"], env.globals.get("fit")
    assert isinstance(urls, Urls)
    fit_url = fit.page_url() if isinstance(fit, FitView) else None
    env.globals.update(
        origins=Provenance(data.content, urls, fit_url),
        models=models,
        licences_of=lambda tables: licences_of(tables, models),
        tier_chart=tier_chart,
        model_charts=model_charts,
        cited_sources=cited_sources,
        search_enabled=search_available(),
    )
