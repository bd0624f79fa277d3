"""The fit finder's pages and data: `/fit/`, `/hardware/<id>/` and `fit/data.json`.

Render calls these; everything the browser script needs is precomputed here, so the
page works offline and makes no request but for its own data file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from site_builder.content import Content, Model
from site_builder.figures import parse_size
from site_builder.fit import (
    DEFAULT_CONTEXT,
    DEFAULT_RAM_GB,
    Entry,
    Need,
    Setup,
    Verdict,
    device_setup,
    entries,
    estimated_vram,
    need_gb,
    offloaded_part,
    usable_vram_gb,
    verdict,
)
from site_builder.lock import ShownRow
from site_builder.merge import SiteData
from site_builder.reads import Reads
from site_builder.schema import Device, HardwareFile
from site_builder.urls import Urls

DEFAULT_VRAM_GB = 24.0


def fit_url(urls: Urls) -> str:
    return urls.path("fit/")


def fit_data_url(urls: Urls) -> str:
    return urls.path("fit/data.json")


def hardware_url(urls: Urls, device_id: str) -> str:
    return urls.path(f"hardware/{device_id}/")


def fit_page_specs(data: SiteData, urls: Urls) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(kind, URL, template, context) of the fit finder and every hardware page; none without hardware.yaml."""
    hardware = data.content.hardware
    if hardware is None:
        return []
    current = data.current
    specs: list[tuple[str, str, str, dict[str, Any]]] = [
        ("fit finder", fit_url(urls), "fit.html", {"leaderboard": current})
    ]
    for device in hardware.devices:
        specs.append(("hardware page", hardware_url(urls, device.id), "hardware.html", {"device": device}))
    return specs


def fit_files(data: SiteData, urls: Urls) -> dict[str, bytes]:
    """`fit/data.json`: every entry and constant the browser needs."""
    hardware = data.content.hardware
    if hardware is None:
        return {}
    view = FitView(data.content, hardware, urls)
    body = json.dumps(view.json_data(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return {"fit/data.json": (body + "\n").encode("utf-8")}


VERDICT_WORDS = {
    "fits": "Fits in VRAM",
    "offload": "Runs with offload (slow)",
    "no": "Does not fit",
    "unknown": "Not enough data",
}


@dataclass(frozen=True)
class DeviceVerdict:
    entry: Entry
    verdict: Verdict
    need: Need | None


class FitView:
    """What templates ask of the estimate: row annotations, device verdicts, the method's constants."""

    def __init__(self, content: Content, hardware: HardwareFile, urls: Urls, reads: Reads | None = None) -> None:
        self._content = content
        self.hardware = hardware
        self.estimation = hardware.estimation
        self.urls = urls
        self.reads = reads or Reads()
        """Notes the records each page reads through this view, for the page cache."""
        self._entries = entries(content.models.values(), hardware.estimation)
        self.verdict_words = VERDICT_WORDS
        self.default_context = DEFAULT_CONTEXT

    @property
    def entries(self) -> list[Entry]:
        self.reads.every_model()
        return self._entries

    @property
    def flagged(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.flag]

    def _flagged_of(self, model_id: str) -> list[Entry]:
        self.reads.model(model_id)
        return [entry for entry in self._entries if entry.flag and entry.model.id == model_id]

    def _model(self, model_id: str) -> Model | None:
        self.reads.model(model_id)
        return self._content.models.get(model_id)

    def page_url(self) -> str:
        return fit_url(self.urls)

    def data_url(self) -> str:
        return fit_data_url(self.urls)

    def hardware_url(self, device: Device) -> str:
        return hardware_url(self.urls, device.id)

    def preset_url(self, device: Device) -> str:
        setup = device_setup(device, self.estimation)
        query = {"vram": f"{setup.vram_gb:g}", "gpus": str(setup.gpus)}
        if device.kind == "apple":
            query["ram"] = "0"  # the CPU's share of the same memory is not counted
        return fit_url(self.urls) + "?" + urlencode(query)

    def usable_vram(self, device: Device) -> float:
        return usable_vram_gb(device_setup(device, self.estimation), self.estimation)

    def row_estimate(self, row: ShownRow) -> Need | None:
        """The estimate for a leaderboard row with no reported VRAM."""
        model = self._model(row.model)
        return estimated_vram(model, row.quant, self.estimation) if model and not row.vram else None

    def row_flag(self, row: ShownRow) -> Entry | None:
        """The flagged entry behind a row's reported VRAM, if its figure is implausible."""
        return next(
            (
                entry
                for entry in self._flagged_of(row.model)
                if entry.format == row.quant and entry.reported_text == row.vram
            ),
            None,
        )

    def quantization_flag(self, model_id: str, index: int) -> Entry | None:
        """The flagged entry of a record's quantization row, if its VRAM figure is implausible."""
        anchor = f"fit-{model_id}-quantizations-{index}"
        return next((entry for entry in self._flagged_of(model_id) if entry.anchor == anchor), None)

    def reported_flag(self, model: Model, quant: Any) -> Entry | None:
        """The flagged entry of one of `model`'s quantization rows (the row itself, not its index)."""
        index = next(i for i, row in enumerate(model.record.quantizations) if row is quant)
        return self.quantization_flag(model.id, index)

    def row_fits(self, row: ShownRow, vram_gb: float) -> str:
        """`yes`, `no` or `unknown`: whether the row's figure (or estimate) fits one card of `vram_gb` in VRAM."""
        flagged = self.row_flag(row)
        if row.vram and not flagged:
            need = parse_size(row.vram).gb
        else:
            model = self._model(row.model)
            estimate = estimated_vram(model, row.quant, self.estimation) if model else None
            if estimate is None:
                return "unknown"
            need = estimate.gb
        return "yes" if need <= usable_vram_gb(Setup(vram_gb=vram_gb), self.estimation) else "no"

    def device_verdicts(self, device: Device) -> list[DeviceVerdict]:
        setup = device_setup(device, self.estimation)
        return [
            DeviceVerdict(entry, verdict(entry, setup, self.estimation), need_gb(entry, setup, self.estimation))
            for entry in self.entries
        ]

    def device_quantizations(self, device: Device) -> list[tuple[Model, Any]]:
        return self._rows_on(device, lambda model: model.record.quantizations)

    def device_statuses(self, device: Device) -> list[tuple[Model, Any]]:
        return self._rows_on(device, lambda model: model.record.hardware_status)

    def _rows_on(self, device: Device, rows_of: Callable[[Model], Sequence[Any]]) -> list[tuple[Model, Any]]:
        """Record rows whose `hardware` is one of the device's aliases, with their model."""
        aliases = set(device.aliases)
        self.reads.every_model()
        return [
            (model, row) for model in self._content.models.values() for row in rows_of(model) if row.hardware in aliases
        ]

    def offloaded_part(self, entry: Entry) -> str:
        return offloaded_part(entry)

    def json_data(self) -> dict[str, Any]:
        estimation = self.estimation
        sources = {source.id: source for source in self._content.site.sources}
        return {
            "defaults": {
                "vram": DEFAULT_VRAM_GB,
                "gpus": 1,
                "ram": DEFAULT_RAM_GB,
                "ctx": DEFAULT_CONTEXT,
                "kv": estimation.kv_cache_types[0].name,
            },
            "constants": {
                "compute_buffer_gb": estimation.compute_buffer_gb,
                "per_gpu_reserve_gb": estimation.per_gpu_reserve_gb,
                "multi_gpu_share": estimation.multi_gpu_share,
                "ram_reserve_gb": estimation.ram_reserve_gb,
            },
            "kv_types": [{"name": kv.name, "bytes": kv.bytes_per_value} for kv in estimation.kv_cache_types],
            "devices": [self._device_json(device) for device in self.hardware.devices],
            "entries": [self._entry_json(entry, sources) for entry in self.entries],
        }

    def _device_json(self, device: Device) -> dict[str, Any]:
        setup = device_setup(device, self.estimation)
        ram = setup.ram_gb if device.kind == "apple" else None  # a card says nothing about the reader's RAM
        return {"id": device.id, "name": device.name, "vram": setup.vram_gb, "gpus": setup.gpus, "ram": ram}

    def _source_anchor(self, entry: Entry) -> str:
        return f"{self.urls.model(entry.model.id)}#source-{entry.source}"

    def _entry_json(self, entry: Entry, sources: dict[str, Any]) -> dict[str, Any]:
        record = entry.model.record
        source = sources.get(entry.source)
        kv = entry.kv
        return {
            "model": record.name,
            "url": self.urls.model(entry.model.id),
            "format": entry.format,
            "moe": entry.moe,
            "total": str(record.total_params) if record.total_params else None,
            "active": str(record.active_params) if record.active_params else None,
            "reported_gb": entry.reported_gb,
            "reported": entry.reported_text,
            "reported_kind": entry.reported_kind,
            "hardware": entry.hardware,
            "speed": entry.speed,
            "source": source.title if source else entry.source,
            # A source that is not online is listed on the model's page, where the leaderboard's markers link too.
            "source_url": source.url if source and source.url else self._source_anchor(entry),
            "weights_gb": entry.weights.gb if entry.weights else None,
            "weights_basis": entry.weights.basis if entry.weights else None,
            "no_estimate": entry.no_estimate,
            "kv": (
                {"full": kv.full_values_per_token, "windowed": kv.windowed_values_per_token, "window": kv.window}
                if kv
                else None
            ),
            "offloaded": offloaded_part(entry),
            "flag": entry.flag,
            "flag_url": fit_url(self.urls) + "#" + entry.anchor if entry.flag else None,
        }
