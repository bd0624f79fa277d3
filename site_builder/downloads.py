"""Data downloads: the leaderboards and the records as JSON, and each tier's table as CSV.

Field names are part of the site's interface: scripts read them, so a change that renames
or removes one raises `SCHEMA_VERSION`. Rows use the field names of the lock files
(`ShownRow`, `ShownWaitRow`), which are frozen on disk already.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from site_builder.cache import Cache, digest, memo_of
from site_builder.content import Model, Post
from site_builder.json_schemas import SCHEMAS, schema_path
from site_builder.memo import call
from site_builder.merge import SiteData, Week
from site_builder.packed import Packed
from site_builder.parallel import cached_map
from site_builder.schema import SiteConfig
from site_builder.urls import Urls

SCHEMA_VERSION = 1

CSV_FIELDS = [
    "week",
    "rank",
    "category",
    "model",
    "name",
    "quant",
    "quant_note",
    "vram",
    "speed",
    "speed_from",
    "benchmark_name",
    "benchmark_score",
    "benchmark_unit",
    "benchmark_approximate",
    "why",
]
"""The columns of `tiers/<id>.csv`, in order."""


@dataclass(frozen=True)
class DownloadUrls:
    """Where each download is; templates link to them through the `downloads` global."""

    urls: Urls

    def leaderboard(self) -> str:
        return self.urls.path("leaderboard.json")

    def week(self, week_number: int) -> str:
        return self.urls.path(f"weeks/{week_number}.json")

    def models(self) -> str:
        return self.urls.path("models.json")

    def tier_csv(self, tier_id: str) -> str:
        return self.urls.path(f"tiers/{tier_id}.csv")

    def schema(self, name: str) -> str:
        """A published JSON Schema of a content file, e.g. `model-record`."""
        if name not in SCHEMAS:
            raise LookupError(f"no JSON Schema named '{name}'")
        return self.urls.path(schema_path(name))


def download_files(data: SiteData, urls: Urls, cache: Cache | None = None) -> dict[str, bytes | Packed]:
    """Every download, by output path. Published weeks only: a preview's drafts are not data yet.
    A week's file is packed (there is one per week) and kept in `cache` by what its week was made
    from; with `serve`'s memo, `models.json` is the last build's while the records and site are."""
    links = DownloadUrls(urls)
    site = data.content.site
    models = tuple(data.content.models.values())
    models_json = call(memo_of(cache), _models_json, models, site, urls.base_url)
    files: dict[str, bytes | Packed] = {_relative(links.models(), urls): models_json}
    weeks = data.published_weeks
    keys = [digest(week.made_from, urls.base_url) if week.made_from else "" for week in weeks]
    week_files, _ = cached_map(cache, "week json", _week_json, (site, urls.base_url), weeks, keys, jobs=1)
    for week, week_file in zip(weeks, week_files, strict=True):
        files[_relative(links.week(week.post.meta.week), urls)] = week_file
    current = weeks[-1] if weeks else None
    if current is not None:
        files[_relative(links.leaderboard(), urls)] = week_files[-1]
        for tier in site.ordered_tiers():
            files[_relative(links.tier_csv(tier.id), urls)] = tier_csv(current, tier.id)
    return files


def dataset_json_ld(data: SiteData, urls: Urls) -> str:
    """A schema.org `Dataset` describing the downloads, for the home page's `<script type="application/ld+json">`."""
    site = data.content.site
    links = DownloadUrls(urls)
    published = data.published_weeks
    current = published[-1] if published else None
    downloads = [("leaderboard.json", links.leaderboard(), "application/json")]
    downloads += [(f"{tier.label} (CSV)", links.tier_csv(tier.id), "text/csv") for tier in site.ordered_tiers()]
    downloads.append(("models.json", links.models(), "application/json"))
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": site.title,
        "description": site.description,
        "url": urls.base_url,
        "inLanguage": site.language,
        "distribution": [
            {"@type": "DataDownload", "name": name, "contentUrl": urls.canonical(url), "encodingFormat": kind}
            for name, url, kind in downloads
        ],
    }
    if current is not None:
        document["dateModified"] = current.post.meta.date.isoformat()
    return _script_json(document)


def week_dataset_json_ld(post: Post, data: SiteData, urls: Urls) -> str:
    """A schema.org `Dataset` for one published week's post page: the week's tables as `weeks/<n>.json`."""
    site = data.content.site
    meta = post.meta
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": meta.title,
        "description": meta.summary,
        "url": urls.canonical(urls.post(post.id)),
        "inLanguage": site.language,
        "datePublished": meta.date.isoformat(),
        "isPartOf": {"@type": "Dataset", "name": site.title, "url": urls.base_url},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f"weeks/{meta.week}.json",
                "contentUrl": urls.canonical(DownloadUrls(urls).week(meta.week)),
                "encodingFormat": "application/json",
            }
        ],
    }
    if meta.tags:
        document["keywords"] = list(meta.tags)
    return _script_json(document)


def _script_json(document: dict[str, Any]) -> str:
    """JSON for a `<script>` element: `<`, `>` and `&` become JSON escapes, so no text can close it."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _week_json(site_and_address: tuple[SiteConfig, str], week: Week) -> Packed:
    site, base_url = site_and_address
    return Packed.of(_json(week_document(week, site, Urls(base_url))))


def week_document(week: Week, site: SiteConfig, urls: Urls) -> dict[str, Any]:
    """One week's leaderboard as published: its tables in tier order, then the wait list."""
    post = week.post
    tables = {table.tier.id: table for table in week.tiers}
    return {
        "schema_version": SCHEMA_VERSION,
        "week": post.meta.week,
        "title": post.meta.title,
        "date": post.meta.date.isoformat(),
        "summary": post.meta.summary,
        "url": urls.canonical(urls.post(post.id)),
        "frozen": week.frozen,
        "tiers": [
            {
                "id": tier.id,
                "label": tier.label,
                "rows": [row.model_dump(mode="json") for row in tables[tier.id].rows] if tier.id in tables else [],
            }
            for tier in site.ordered_tiers()
        ],
        "wait_list": [row.model_dump(mode="json") for row in week.wait_list],
    }


def _models_json(models: tuple[Model, ...], site: SiteConfig, base_url: str) -> bytes:
    return _json(models_document(models, site, Urls(base_url)))


def models_document(models: tuple[Model, ...], site: SiteConfig, urls: Urls) -> dict[str, Any]:
    """Every model record as written, with the sources its figures cite."""
    return {
        "schema_version": SCHEMA_VERSION,
        "record_schema": urls.base_url + schema_path("model-record"),
        "sources": [source.model_dump(mode="json") for source in site.sources],
        "models": [
            {
                "id": model.id,
                "url": urls.canonical(urls.model(model.id)),
                "record": model.record.model_dump(mode="json"),
            }
            for model in models
        ],
    }


def tier_csv(week: Week, tier_id: str) -> bytes:
    """A tier's table of `week`, one row per pick; empty but for the header when the tier has none."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    rows = next((table.rows for table in week.tiers if table.tier.id == tier_id), [])
    for rank, row in enumerate(rows, start=1):
        benchmark = row.benchmark
        writer.writerow(
            {
                "week": week.post.meta.week,
                "rank": rank,
                "category": inert(row.category),
                "model": row.model,
                "name": inert(row.name),
                "quant": inert(row.quant or ""),
                "quant_note": inert(row.quant_note or ""),
                "vram": row.vram or "",
                "speed": row.speed or "",
                "speed_from": row.speed_from or "",
                "benchmark_name": inert(benchmark.name) if benchmark else "",
                "benchmark_score": f"{benchmark.score:g}" if benchmark else "",
                "benchmark_unit": benchmark.unit if benchmark else "",
                "benchmark_approximate": ("true" if benchmark.approximate else "false") if benchmark else "",
                "why": inert(row.why),
            }
        )
    return out.getvalue().encode("utf-8")


def inert(text: str) -> str:
    """Text a spreadsheet will not run: one that would start a formula (=, +, -, @) gets a leading `'`."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _relative(url_path: str, urls: Urls) -> str:
    return url_path.removeprefix(urls.prefix)


def _json(document: dict[str, Any]) -> bytes:
    # Compact: the data files are for programs, and json's C encoder only writes compact JSON
    # (indented JSON is written in Python, 10x slower, and there is one file per week).
    return (json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")
