"""The fit estimate: how much memory a model needs in a format, and whether a setup holds it.

Weights = total parameters x bits per weight / 8 (or the format's real file size), plus the
KV cache when the record gives the attention figures, plus a stated compute-buffer constant.
A reported figure is preferred to the estimate unless the two disagree by more than the
stated factor; then the figure is flagged, and the estimate decides the verdict.
The same rules run in the browser (static/fit.js) over the data written by `fit_data`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from site_builder.content import Model
from site_builder.problems import Problem
from site_builder.schema import Attention, Device, Estimation, HardwareFile, ModelRecord

GB = 1e9
"""Sizes are in decimal gigabytes, as records write them."""

DEFAULT_CONTEXT = 8192
DEFAULT_RAM_GB = 32.0

Verdict = Literal["fits", "offload", "no", "unknown"]


@dataclass(frozen=True)
class KvShape:
    """Values cached per token of context, split by how far each layer looks back."""

    full_values_per_token: int
    """Summed over the layers that attend to the whole context."""
    windowed_values_per_token: int
    """Summed over sliding-window layers, which keep at most `window` tokens."""
    window: int


def kv_shape(attention: Attention) -> KvShape | None:
    """The cache's shape by attention type; None when the record lacks a figure it needs."""
    if attention.latent_dim is not None:
        # Latent attention caches one compressed vector per token and layer, not keys and values.
        return KvShape(attention.layers * attention.latent_dim, 0, 0)
    if attention.kv_heads is None or attention.head_dim is None:
        return None
    per_layer = 2 * attention.kv_heads * attention.head_dim
    sliding = min(attention.sliding_layers, attention.layers) if attention.sliding_window else 0
    return KvShape((attention.layers - sliding) * per_layer, sliding * per_layer, attention.sliding_window or 0)


def kv_cache_gb(shape: KvShape, context: int, bytes_per_value: float) -> float:
    values = shape.full_values_per_token * context + shape.windowed_values_per_token * min(context, shape.window)
    return values * bytes_per_value / GB


@dataclass(frozen=True)
class Weights:
    gb: float
    basis: str
    """How the figure was reached, for readers."""
    bits_per_weight: float | None = None


def bits_for(format_name: str, estimation: Estimation) -> float | None:
    return next((bits.bits_per_weight for bits in estimation.formats if format_name in bits.names), None)


def estimate_weights(
    record: ModelRecord, format_name: str, file_size_gb: float | None, estimation: Estimation
) -> Weights | str:
    """The weights' size, or why it cannot be estimated."""
    if file_size_gb is not None:
        return Weights(file_size_gb, "file size of the format")
    bits = bits_for(format_name, estimation)
    if bits is None:
        return f"format '{format_name}' is not specific enough to estimate"
    if record.total_params is None:
        return "the record gives no parameter count"
    gb = record.total_params.value * bits / 8 / GB
    return Weights(gb, f"{record.total_params} × {bits:g} bits / 8", bits)


@dataclass(frozen=True)
class Setup:
    """The reader's hardware and settings."""

    vram_gb: float
    gpus: int = 1
    ram_gb: float = DEFAULT_RAM_GB
    context: int = DEFAULT_CONTEXT
    kv_bytes_per_value: float = 2.0


def usable_vram_gb(setup: Setup, estimation: Estimation) -> float:
    """Two or more cards pool only a stated share of their VRAM; each card keeps a reserve."""
    pooled = setup.vram_gb * setup.gpus * (estimation.multi_gpu_share if setup.gpus > 1 else 1.0)
    return max(0.0, pooled - setup.gpus * estimation.per_gpu_reserve_gb)


def usable_ram_gb(setup: Setup, estimation: Estimation) -> float:
    return max(0.0, setup.ram_gb - estimation.ram_reserve_gb)


def device_setup(device: Device, estimation: Estimation) -> Setup:
    """A device as fit-finder inputs; a Mac counts only the GPU's default share and no separate RAM."""
    if device.kind == "apple":
        return Setup(vram_gb=round(device.memory_gb * estimation.apple_gpu_share, 1), ram_gb=0.0)
    return Setup(vram_gb=device.memory_gb, gpus=device.gpus, ram_gb=0.0)


@dataclass(frozen=True)
class Entry:
    """One model in one format: what a source reports and what the estimate says."""

    model: Model
    format: str
    reported_gb: float | None
    reported_text: str | None
    """The figure as the record writes it, e.g. `~22 GB`."""
    reported_kind: str
    """`VRAM` (a quantization row) or `memory` (a memory row)."""
    hardware: str
    speed: str | None
    source: str
    weights: Weights | None
    no_estimate: str | None
    """Why there is no estimate, when there is none."""
    kv: KvShape | None
    flag: str | None
    """Why the reported figure is implausible, if it is."""
    anchor: str
    """Fragment id of this entry's explanation on the fit page."""
    loc: tuple[str | int, ...]
    """Where the reported figure stands in the record."""

    @property
    def moe(self) -> bool:
        return self.model.record.architecture == "moe"


def plausibility_flag(
    record: ModelRecord, format_name: str, reported_gb: float, reported_text: str, weights: Weights, factor: float
) -> str | None:
    """Why a reported figure cannot be right, or None when it is within `factor` of the estimate."""
    if reported_gb * factor < weights.gb:
        where = "experts held in system RAM" if record.architecture == "moe" else "layers offloaded to system RAM"
        return (
            f"reported {reported_text} at {format_name}, but the weights alone are ≈ {_gb(weights.gb)} "
            f"({weights.basis}); likely {where}"
        )
    if reported_gb > factor * weights.gb:
        return (
            f"reported {reported_text} at {format_name}, far above the weights' ≈ {_gb(weights.gb)} "
            f"({weights.basis}); the figure may include a long context or another format"
        )
    return None


def _gb(gb: float) -> str:
    return f"{gb:.0f} GB" if gb >= 10 else f"{gb:.1f} GB"


def entries(models: Iterable[Model], estimation: Estimation) -> list[Entry]:
    """Every quantization and memory row of every model, in model order."""
    found = []
    for model in models:
        record = model.record
        kv = kv_shape(record.attention) if record.attention else None
        for index, quant in enumerate(record.quantizations):
            file_size = quant.file_size.gb if quant.file_size else None
            reported = quant.vram
            found.append(
                _entry(
                    model,
                    quant.format,
                    (reported.gb, str(reported)) if reported else None,
                    "VRAM",
                    quant.hardware,
                    str(quant.speed) if quant.speed else None,
                    quant.source,
                    estimate_weights(record, quant.format, file_size, estimation),
                    kv,
                    estimation,
                    ("quantizations", index, "vram"),
                )
            )
        for index, need in enumerate(record.memory):
            format_name = need.format or "format not stated"
            found.append(
                _entry(
                    model,
                    format_name,
                    (need.memory.gb, str(need.memory)),
                    "memory",
                    need.hardware,
                    None,
                    need.source,
                    estimate_weights(record, need.format, None, estimation),
                    kv,
                    estimation,
                    ("memory", index, "memory"),
                )
            )
    return found


def _entry(
    model: Model,
    format_name: str,
    reported: tuple[float, str] | None,
    reported_kind: str,
    hardware: str,
    speed: str | None,
    source: str,
    weights: Weights | str,
    kv: KvShape | None,
    estimation: Estimation,
    loc: tuple[str | int, ...],
) -> Entry:
    estimate = weights if isinstance(weights, Weights) else None
    flag = None
    if reported and estimate:
        flag = plausibility_flag(model.record, format_name, reported[0], reported[1], estimate, estimation.flag_factor)
    return Entry(
        model=model,
        format=format_name,
        reported_gb=reported[0] if reported else None,
        reported_text=reported[1] if reported else None,
        reported_kind=reported_kind,
        hardware=hardware,
        speed=speed,
        source=source,
        weights=estimate,
        no_estimate=None if estimate else str(weights),
        kv=kv,
        flag=flag,
        anchor=f"fit-{model.id}-{loc[0]}-{loc[1]}",
        loc=loc,
    )


@dataclass(frozen=True)
class Need:
    gb: float
    estimated: bool
    kv_included: bool


def need_gb(entry: Entry, setup: Setup, estimation: Estimation) -> Need | None:
    """Memory the entry needs: the reported figure, unless flagged or missing; else the estimate."""
    if entry.reported_gb is not None and entry.flag is None:
        return Need(entry.reported_gb, estimated=False, kv_included=True)
    if entry.weights is None:
        return None
    kv = kv_cache_gb(entry.kv, setup.context, setup.kv_bytes_per_value) if entry.kv else 0.0
    return Need(entry.weights.gb + kv + estimation.compute_buffer_gb, estimated=True, kv_included=entry.kv is not None)


def verdict(entry: Entry, setup: Setup, estimation: Estimation) -> Verdict:
    need = need_gb(entry, setup, estimation)
    if need is None:
        return "unknown"
    vram = usable_vram_gb(setup, estimation)
    if need.gb <= vram:
        return "fits"
    if need.gb <= vram + usable_ram_gb(setup, estimation):
        return "offload"
    return "no"


def offloaded_part(entry: Entry) -> str:
    return "MoE experts held in system RAM" if entry.moe else "some layers run on the CPU from system RAM"


def estimated_vram(model: Model, format_name: str | None, estimation: Estimation) -> Need | None:
    """The estimate for a leaderboard row that reports no VRAM (at the default context)."""
    if format_name is None:
        return None
    weights = estimate_weights(model.record, format_name, None, estimation)
    if not isinstance(weights, Weights):
        return None
    kv = kv_shape(model.record.attention) if model.record.attention else None
    extra = kv_cache_gb(kv, DEFAULT_CONTEXT, 2.0) if kv else 0.0
    return Need(weights.gb + extra + estimation.compute_buffer_gb, estimated=True, kv_included=kv is not None)


def plausibility_warnings(models: Iterable[Model], hardware: HardwareFile | None) -> list[Problem]:
    """A `check` warning at each reported figure that the estimate says cannot be right."""
    if hardware is None:
        return []
    warnings = []
    for entry in entries(models, hardware.estimation):
        if entry.flag is None:
            continue
        model = entry.model
        where = model.document.position(entry.loc) if model.document else None
        line, column = (where.line, where.column) if where else (1, 1)
        warnings.append(Problem(model.file.path, line, column, entry.flag, severity="warning"))
    return warnings
