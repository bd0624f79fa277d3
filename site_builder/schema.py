"""The content schema: what editors may write in `content/`, one docstring per field.

Every model is strict (no "yes" becoming True, no "22" becoming 22) and rejects
unknown keys, so a misspelt key is an error instead of a silently missing figure.
The README's content reference is generated from these classes.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from site_builder.figures import CountField, SizeField, SpeedField
from site_builder.urls import check_base_url

SLUG_PATTERN = r"^[a-z0-9][a-z0-9.-]*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, Field(min_length=1)]
WeekNumber = Annotated[int, Field(ge=1)]
Origin = Literal["vendor-reported", "community-tested", "measured"]


def _safe_url(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"'{url}' must start with https:// or http://")
    return url


WebUrl = Annotated[str, AfterValidator(_safe_url)]


class Strict(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False
    )


# --- content/site.yaml -------------------------------------------------------


class Tier(Strict):
    """A leaderboard tier: the GPUs that share an amount of VRAM."""

    id: Slug
    """Short name used in URLs and in a post's `picks`, e.g. `24gb`."""
    label: Text
    """Heading readers see, e.g. `24GB VRAM`."""
    min_vram_gb: Annotated[float, Field(gt=0)]
    """Least VRAM (GB) a GPU in this tier has."""
    max_vram_gb: Annotated[float, Field(gt=0)]
    """Most VRAM (GB) a GPU in this tier has."""
    example_gpus: list[Text] = []
    """GPUs readers recognise, e.g. `RTX 3090/4090`."""
    order: int
    """Position on the home page; lower comes first."""
    description: str = ""
    """One or two sentences shown on the tier's page."""


class WaitList(Strict):
    """The list of models too large for consumer GPUs."""

    label: Text
    """Heading readers see, e.g. `The wait list`."""
    description: str = ""
    """What the list means, shown above its table."""


class Source(Strict):
    """A publication that figures come from; records cite it by `id`."""

    id: Slug
    """Short name that records use in `source:`."""
    title: Text
    """Title of the publication."""
    publisher: str = ""
    """Who published it."""
    url: WebUrl | None = None
    """Where to read it, if it is online."""
    published: dt.date | None = None
    """Publication date (YYYY-MM-DD), if known."""


DEFAULT_MAX_FILE_SIZE_MB = 8
"""Far above any real post or record, far below what would make a build take minutes."""


class SiteConfig(Strict):
    """`content/site.yaml`: settings for the whole site."""

    title: Text
    """Site name, shown in every page header."""
    description: Text
    """One sentence about the site, for the home page and search engines."""
    base_url: Annotated[str, AfterValidator(check_base_url)]
    """Where the site is published, e.g. `https://user.github.io/repo/`; every link starts here."""
    language: Text = "en"
    """Language of the content (HTML `lang`)."""
    tiers: Annotated[list[Tier], Field(min_length=1)]
    """The consumer-GPU tiers, each with its own leaderboard table."""
    wait_list: WaitList
    """How the wait list is titled and explained."""
    sources: list[Source] = []
    """Publications that records cite."""
    max_days_ahead: Annotated[int, Field(ge=0)] = 60
    """A post dated more days after today than this is refused as a likely typo (default 60)."""
    max_file_size_mb: Annotated[float, Field(gt=0)] = DEFAULT_MAX_FILE_SIZE_MB
    """Largest content file read, in MB (1,000,000 bytes); a bigger one is refused without reading it."""
    feed_entries: Annotated[int, Field(ge=1)] = 20
    """How many of the latest published weeks `feed.xml` carries in full (default 20); older ones stay archived."""

    def ordered_tiers(self) -> list[Tier]:
        return sorted(self.tiers, key=lambda tier: (tier.order, tier.id))


# --- content/models/<id>.yaml ------------------------------------------------


class Link(Strict):
    """A link about the model (weights, paper, announcement)."""

    title: Text
    """Link text."""
    url: WebUrl
    """Address (https:// or http://)."""


class Benchmark(Strict):
    """One benchmark score, with where it comes from."""

    name: Text
    """Benchmark name, e.g. `AIME 2025`."""
    score: float
    """The score as a number, e.g. `94.1`."""
    unit: Text
    """Unit of the score, shown after it: `%` for a percentage, else e.g. `Elo`, `pass@1` or `t/s`."""
    approximate: bool = False
    """True when the score is an estimate."""
    origin: Origin | None = None
    """Who produced it: `vendor-reported`, `community-tested` or `measured`; only if the source says so."""
    source: Slug
    """The `id` of the source (in `site.yaml`) that reports it."""
    as_of: dt.date | None = None
    """When the score was reported (YYYY-MM-DD), if known."""
    note: str = ""
    """What the score means or how it compares."""


class Quantization(Strict):
    """A quantization tried on named hardware."""

    format: Text
    """Quantization format, e.g. `Q3_K_S`, `INT8`, `4-bit`."""
    hardware: Text
    """The hardware it ran on, e.g. `RTX 4090 (24GB)`."""
    tier: Slug | None = None
    """The tier this row was measured for; picks in other tiers never show it. Leave out if any tier fits."""
    vram: SizeField | None = None
    """VRAM used, e.g. `~22 GB`."""
    speed: SpeedField | None = None
    """Tokens per second, e.g. `20-25 t/s`."""
    quality: str = ""
    """What the quantization costs or keeps, in a few words."""
    origin: Origin | None = None
    """Who produced the figures: `vendor-reported`, `community-tested` or `measured`; only if the source says so."""
    source: Slug
    """The `id` of the source (in `site.yaml`) that reports it."""
    file_size: SizeField | None = None
    """Size of this format's file (e.g. the GGUF on the model page); the estimate uses it instead of bits per weight."""
    runtime: str = ""
    """The program and version the figures were taken with, e.g. `llama.cpp b4500`, if the source names it."""
    context: CountField | None = None
    """Context length the figures were taken at, e.g. `8K`, if the source names it."""
    settings: str = ""
    """Other settings that shaped the figures (batch size, offloading, flags), if the source names them."""


class MemoryNeed(Strict):
    """Memory needed to run the model in one format."""

    format: str = ""
    """Weight format, e.g. `FP16/BF16`, `2-bit GGUF`; empty when the source gives none."""
    memory: SizeField
    """Memory required, e.g. `~300 GB` or `200 GB+`."""
    hardware: str = ""
    """Hardware needed to provide it."""
    usable: bool = True
    """False when it runs but too slowly or badly to use; the wait list skips such rows."""
    note: str = ""
    """Anything a reader should know."""
    source: Slug
    """The `id` of the source (in `site.yaml`) that reports it."""


class HardwareStatus(Strict):
    """How the model fares on one kind of hardware."""

    hardware: Text
    """The hardware, e.g. `Mac Studio 128GB`."""
    status: Text
    """What happens there, in a few words."""
    source: Slug
    """The `id` of the source (in `site.yaml`) that reports it."""


class Attention(Strict):
    """Architecture figures that size the KV cache, all from one source."""

    layers: Annotated[int, Field(ge=1)]
    """Transformer layers (blocks)."""
    kv_heads: Annotated[int, Field(ge=1)] | None = None
    """Key/value heads per layer (fewer than query heads with grouped-query attention)."""
    head_dim: Annotated[int, Field(ge=1)] | None = None
    """Size of one attention head."""
    sliding_window: Annotated[int, Field(ge=1)] | None = None
    """Tokens a sliding-window layer attends to."""
    sliding_layers: Annotated[int, Field(ge=0)] = 0
    """How many of the layers use the sliding window; the others attend to the whole context."""
    latent_dim: Annotated[int, Field(ge=1)] | None = None
    """Latent attention (MLA): values cached per token and layer (latent rank plus rotary part)."""
    source: Slug
    """The `id` of the source (in `site.yaml`) that gives these figures."""


class ModelRecord(Strict):
    """`content/models/<id>.yaml`: the facts about one model. The file name is its id."""

    name: Text
    """Model name as its vendor writes it."""
    vendor: Text
    """Who released it."""
    license: str = ""
    """Licence of the weights, if known."""
    architecture: Literal["dense", "moe"] | None = None
    """`dense` or `moe` (mixture of experts), if known."""
    total_params: CountField | None = None
    """Total parameters, e.g. `309B`."""
    active_params: CountField | None = None
    """Parameters active per token (MoE), e.g. `15B`."""
    context_window: CountField | None = None
    """Longest context in tokens, e.g. `10M`."""
    specs_source: Slug | None = None
    """The `id` of the source (in `site.yaml`) for the licence, architecture and sizes above."""
    summary: str = ""
    """One sentence for readers, in our own words."""
    headline_benchmark: str | None = None
    """Name of the benchmark that the leaderboard shows for this model."""
    links: list[Link] = []
    """Where to get or read about the model."""
    notes: list[Text] = []
    """Architecture and practical notes, one sentence each."""
    benchmarks: list[Benchmark] = []
    """Benchmark scores."""
    quantizations: list[Quantization] = []
    """Quantizations tried on named hardware."""
    memory: list[MemoryNeed] = []
    """Memory needed per format."""
    hardware_status: list[HardwareStatus] = []
    """How it fares on particular hardware."""
    attention: Attention | None = None
    """Figures that size the KV cache; without them the fit finder leaves the KV cache out and says so."""


# --- content/hardware.yaml ---------------------------------------------------


class Device(Strict):
    """A GPU or computer that readers own."""

    id: Slug
    """Short name used in URLs, e.g. `rtx-4090`."""
    name: Text
    """Name readers see, e.g. `RTX 4090`."""
    kind: Literal["gpu", "apple"]
    """`gpu` (a graphics card with its own VRAM) or `apple` (Apple silicon with unified memory)."""
    memory_gb: Annotated[float, Field(gt=0)]
    """VRAM of one card, or all unified memory of an Apple computer, in GB."""
    gpus: Annotated[int, Field(ge=1)] = 1
    """Cards in the setup, e.g. `2` for a dual-GPU build."""
    aliases: list[Text] = []
    """Hardware names exactly as records write them (`RTX 4090 (24GB)`); rows naming one belong to this device."""


class FormatBits(Strict):
    """Bits per weight of a quantization format, with where the figure comes from."""

    names: Annotated[list[Text], Field(min_length=1)]
    """Format names exactly as records write them, e.g. `Q3_K_S`."""
    bits_per_weight: Annotated[float, Field(gt=0, le=32)]
    """Average bits stored per weight."""
    source: Slug
    """The `id` of the source (in `site.yaml`) that gives the figure."""
    note: str = ""
    """How the figure was read from the source, or the rule behind it."""


class KvCacheType(Strict):
    """A type the KV cache can be stored in."""

    name: Text
    """Name as llama.cpp writes it, e.g. `q8_0`."""
    bytes_per_value: Annotated[float, Field(gt=0)]
    """Bytes per cached value (a block's size divided by the values in it)."""
    source: Slug
    """The `id` of the source (in `site.yaml`) that gives the layout."""


class Estimation(Strict):
    """Constants of the memory estimate. Figures without a source are stated assumptions."""

    formats: list[FormatBits] = []
    """Bits per weight per format; a format not listed is not estimated."""
    kv_cache_types: Annotated[list[KvCacheType], Field(min_length=1)]
    """KV cache types readers may choose; the first is the default."""
    compute_buffer_gb: Annotated[float, Field(ge=0)]
    """Assumed GPU memory for the compute buffer and runtime, added to every estimate (an assumption)."""
    per_gpu_reserve_gb: Annotated[float, Field(ge=0)]
    """Assumed VRAM on each card that the driver and desktop keep (an assumption)."""
    multi_gpu_share: Annotated[float, Field(gt=0, le=1)]
    """Share of the pooled VRAM of two or more cards counted as usable (an assumption)."""
    ram_reserve_gb: Annotated[float, Field(ge=0)]
    """Assumed system RAM kept by the operating system, never counted for offloading (an assumption)."""
    apple_gpu_share: Annotated[float, Field(gt=0, le=1)]
    """Share of an Apple computer's unified memory that its GPU may use by default."""
    apple_gpu_share_source: Slug
    """The `id` of the source (in `site.yaml`) for `apple_gpu_share`."""
    flag_factor: Annotated[float, Field(gt=1)]
    """A reported VRAM figure this many times below (or above) the estimate is flagged as implausible."""


class HardwareFile(Strict):
    """`content/hardware.yaml`: devices for the fit finder and hardware pages, and the estimate's constants."""

    devices: list[Device] = []
    """GPUs and computers, in the order the fit finder lists them."""
    estimation: Estimation
    """Constants and sources of the memory estimate."""


# --- content/posts/<name>.md front matter -----------------------------------


class TierPick(Strict):
    """One row of a tier's leaderboard: the best model for a purpose."""

    category: Text
    """What it is best for, e.g. `Reasoning`."""
    model: Slug
    """The model's id (its file name in `content/models/`)."""
    quant: str | None = None
    """Quantization format: the record's row of this format tagged with this tier, else its only untagged one."""
    quant_note: str = ""
    """Where `quant` comes from when the source's table does not give it, e.g. `from the takeaways`; shown beside it."""
    speed: SpeedField | None = None
    """Speed in this tier; the record's figure is used when left out."""
    benchmark: str | None = None
    """Benchmark to show instead of the record's `headline_benchmark`."""
    why: Text
    """Why it is the pick, in a few words."""


class WaitListPick(Strict):
    """One row of the wait list."""

    model: Slug
    """The model's id (its file name in `content/models/`)."""
    why: Text
    """Why to wait, or what it would take to run it."""


class PostFrontMatter(Strict):
    """The YAML between the `---` lines at the top of `content/posts/<name>.md`."""

    title: Text
    """Post title."""
    week: WeekNumber
    """Week number; one post per week."""
    date: dt.date
    """Publication date (YYYY-MM-DD), not before the date of the week before."""
    summary: Text
    """One or two sentences for the home page and the archive."""
    tags: list[Slug] = []
    """Topics, lower-case, e.g. `moe`."""
    picks: dict[Slug, list[TierPick]] = {}
    """The week's leaderboard: for each tier id, its rows in order."""
    wait_list: list[WaitListPick] = []
    """The week's wait list, in order."""
    draft: bool = False
    """True while the post is being written: left out of the site unless built with `--drafts`."""


def unwrap(annotation: Any) -> Any:
    """The type inside Annotated[...] and Optional[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
        else:
            return annotation


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The schema class a field holds directly or in a list or mapping, if any."""
    annotation = unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, dict):
        return nested_model(typing.get_args(annotation)[-1])
    return None
