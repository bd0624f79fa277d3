"""Stage 2, validate: check loaded data against the schema and across files.

Every problem is collected with its file, line and column; the stage raises once.
The cross-file checks read only validated data. A record or site.yaml that fails its
own checks is left out of them, so one mistake is reported once rather than again by
everything that refers to it; of a post that fails, the parts that pass are still checked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import itertools
import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from site_builder.cache import Cache, digest, memo_of
from site_builder.content import Content, Lock, Model, Post, row_name, unknown
from site_builder.load import LoadedContent, LoadedPost, LoadedYaml
from site_builder.lock import WeekLock
from site_builder.markdown import CheckedBody, LinkProblem, check_body, knows_name
from site_builder.memo import Memo, call
from site_builder.packed import Packed
from site_builder.parallel import cached_map
from site_builder.problems import BuildFailed, Problem
from site_builder.schema import (
    SLUG_PATTERN,
    Attention,
    Benchmark,
    HardwareFile,
    HardwareStatus,
    MemoryNeed,
    ModelRecord,
    PostFrontMatter,
    Quantization,
    SiteConfig,
    Tier,
    TierPick,
    WaitListPick,
    WeekNumber,
    unwrap,
)
from site_builder.urls import Urls
from site_builder.yaml_source import Loc, YamlDocument

ModelT = TypeVar("ModelT", bound=BaseModel)
Result = TypeVar("Result")
_SLUG = re.compile(SLUG_PATTERN)


class Reporter:
    """Collects problems for one file, turning data locations into line and column."""

    def __init__(self, path: str, document: YamlDocument, problems: list[Problem]) -> None:
        self.path = path
        self.document = document
        self.problems = problems

    def at(self, loc: Loc, message: str) -> None:
        position = self.document.position(loc)
        self.problems.append(Problem(self.path, position.line, position.column, message))


@dataclass(frozen=True)
class Known:
    """What content may refer to. Ids of files that failed their own checks count as known."""

    tiers: dict[str, Tier] | None
    """By id; None when site.yaml is invalid: tier references are then not checked."""
    source_ids: set[str] | None
    models: dict[str, Model]
    invalid_model_ids: set[str]
    post_ids: set[str]

    @classmethod
    def of(
        cls,
        site: SiteConfig | None,
        models: tuple[Model, ...],
        invalid_model_ids: frozenset[str],
        post_ids: frozenset[str],
    ) -> Known:
        return cls(
            tiers={tier.id: tier for tier in site.tiers} if site else None,
            source_ids={source.id for source in site.sources} if site else None,
            models={model.id: model for model in models},
            invalid_model_ids=set(invalid_model_ids),
            post_ids=set(post_ids),
        )

    def model(self, model_id: str, loc: Loc, report: Reporter) -> Model | None:
        if model_id not in self.models and model_id not in self.invalid_model_ids:
            report.at(loc, unknown("model", model_id, set(self.models), "records in content/models/"))
        return self.models.get(model_id)

    def tier(self, tier_id: str, loc: Loc, report: Reporter) -> Tier | None:
        if self.tiers is not None and tier_id not in self.tiers:
            report.at(loc, unknown("tier", tier_id, self.tiers, "tiers in content/site.yaml"))
        return self.tiers.get(tier_id) if self.tiers is not None else None

    def check_source(self, source_id: str, loc: Loc, report: Reporter) -> None:
        if self.source_ids is not None and source_id not in self.source_ids:
            report.at(loc, unknown("source", source_id, self.source_ids, "sources in content/site.yaml"))


def validate_content(
    loaded: LoadedContent, base_url: str | None = None, jobs: int = 1, cache: Cache | None = None
) -> Content:
    """Check everything; raise BuildFailed with every problem, or return typed content.

    Post bodies are parsed once, in `jobs` processes: the parse is checked here and its HTML
    kept for rendering, with site links made from `base_url` (else the one in site.yaml).
    """
    problems = list(loaded.problems)
    memo = memo_of(cache)
    site = _parse(SiteConfig, loaded.site, problems, memo) if loaded.site else None
    if site is not None and loaded.site is not None:
        _check_site(site, _reporter(loaded.site, problems))
    models = {model.id: model for model in (_model(item, problems, memo) for item in loaded.models) if model}
    invalid_model_ids = loaded.unreadable_model_ids | ({item.file.id for item in loaded.models} - set(models))
    known = call(memo, Known.of, site, tuple(models.values()), frozenset(invalid_model_ids), frozenset(loaded.post_ids))
    _check_model_ids(loaded.models, problems)
    for item in loaded.models:
        if item.file.id in models:
            _check_record(models[item.file.id].record, known, _reporter(item, problems))
    metas = [_post_meta(item, problems, memo) for item in loaded.posts]
    urls = Urls(base_url or site.base_url) if site else None
    bodies = _check_bodies(loaded.posts, metas, urls, known, jobs, cache)
    for post, (body, _) in zip(loaded.posts, bodies, strict=True):
        problems.extend(_located(post, found) for found in body.problems)
    _check_posts(loaded.posts, metas, known, problems, memo)
    locks = {lock.file.id: lock for lock in (_lock(item, known, problems, memo) for item in loaded.locks) if lock}
    hardware = _hardware(loaded.hardware, known, problems, memo) if loaded.hardware else None
    if problems or site is None:
        raise BuildFailed(problems)
    posts = [
        call(memo, _post, item, meta, body)
        for item, meta, body in zip(loaded.posts, metas, bodies, strict=True)
        if meta
    ]
    posts.sort(key=lambda post: post.meta.week)
    return Content(site=site, models=dict(sorted(models.items())), posts=posts, locks=locks, hardware=hardware)


def _hardware(item: LoadedYaml, known: Known, problems: list[Problem], memo: Memo | None) -> HardwareFile | None:
    """`hardware.yaml`: its sources must exist and device ids and format names be unique."""
    hardware = _parse(HardwareFile, item, problems, memo)
    if hardware is None:
        return None
    report = _reporter(item, problems)
    estimation = hardware.estimation
    for index, bits in enumerate(estimation.formats):
        known.check_source(bits.source, ("estimation", "formats", index, "source"), report)
    for index, kv_type in enumerate(estimation.kv_cache_types):
        known.check_source(kv_type.source, ("estimation", "kv_cache_types", index, "source"), report)
    known.check_source(estimation.apple_gpu_share_source, ("estimation", "apple_gpu_share_source"), report)
    seen: set[str] = set()
    for index, device in enumerate(hardware.devices):
        if device.id in seen:
            report.at(("devices", index, "id"), f"device '{device.id}' is listed twice")
        seen.add(device.id)
    named: set[str] = set()
    for index, bits in enumerate(estimation.formats):
        for position, name in enumerate(bits.names):
            if name in named:
                report.at(("estimation", "formats", index, "names", position), f"format '{name}' is listed twice")
            named.add(name)
    return hardware


def _reporter(item: LoadedYaml, problems: list[Problem]) -> Reporter:
    return Reporter(item.file.path, item.document, problems)


def _parse(schema: type[ModelT], item: LoadedYaml, problems: list[Problem], memo: Memo | None = None) -> ModelT | None:
    """The file as `schema`, or None; with `memo`, the last build's object if the file is the same object."""
    return _reported(memo, problems, _parsed, schema, item)


def _reported(
    memo: Memo | None, problems: list[Problem], check: Callable[..., tuple[Result, list[Problem]]], *args: Any
) -> Result:
    """What `check(*args)` made (or, with `memo`, made for the same objects before); its problems join `problems`."""
    result, found = call(memo, check, *args)
    problems.extend(found)
    return result


def _parsed(schema: type[ModelT], item: LoadedYaml) -> tuple[ModelT | None, list[Problem]]:
    problems: list[Problem] = []
    return parse_document(schema, item.file.path, item.document, problems), problems


def parse_document(schema: type[ModelT], path: str, document: YamlDocument, problems: list[Problem]) -> ModelT | None:
    """Validate one document against `schema`, reporting each error where it stands."""
    reporter = Reporter(path, document, problems)
    if not isinstance(document.data, dict):
        reporter.at((), "expected a mapping of keys to values at the top of the file")
        return None
    try:
        return schema.model_validate(document.data)
    except ValidationError as error:
        for detail in error.errors():
            reporter.at(detail["loc"], describe_error(schema, detail))
        return None


def describe_error(schema: type[BaseModel], detail: ErrorDetails) -> str:
    """A message an editor can act on, naming the key and what was expected."""
    loc = detail["loc"]
    key = next((str(part) for part in reversed(loc) if isinstance(part, str) and not part.startswith("[")), "")
    kind = detail["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(schema, loc[:-1])
        hint = difflib.get_close_matches(key, allowed, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; allowed keys: {', '.join(allowed)}"
        return f"unknown key '{key}'{suggestion}"
    if kind == "missing":
        return f"missing required key '{key}'"
    message = detail["msg"].removeprefix("Value error, ")
    if kind.endswith("_type") or kind in ("literal_error", "string_pattern_mismatch"):
        message = f"{message} (got {_show(detail.get('input'))})"
    return f"'{key}': {message}" if key else message


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value)


def _allowed_keys(schema: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The keys of the schema class found at `loc`, walking fields, list items and mapping values."""
    annotation: Any = schema
    for part in loc:
        annotation = unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            annotation = field.annotation if field else None
        elif typing.get_origin(annotation) in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return []
    annotation = unwrap(annotation)
    is_schema = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return list(annotation.model_fields) if is_schema else []


def _valid_file_id(file_id: str) -> bool:
    # A page folder named like a page file would collide with it (models/index.html).
    return bool(_SLUG.fullmatch(file_id)) and not file_id.endswith(".html")


def _check_file_id(file_id: str, path: str, problems: list[Problem]) -> None:
    if not _valid_file_id(file_id):
        message = f"file name {file_id!r} must use only a-z, 0-9, '-' and '.', and not end in '.html'"
        problems.append(Problem(path, 1, 1, message))


def _model(item: LoadedYaml, problems: list[Problem], memo: Memo | None = None) -> Model | None:
    """The file's record (with `memo`, the last build's if the file is the same object), or None."""
    return _reported(memo, problems, _model_of, item)


def _model_of(item: LoadedYaml) -> tuple[Model | None, list[Problem]]:
    problems: list[Problem] = []
    _check_file_id(item.file.id, item.file.path, problems)
    record = _parse(ModelRecord, item, problems)
    model = Model(item.file.id, item.file, record, item.document) if record and _valid_file_id(item.file.id) else None
    return model, problems


def _post_meta(item: LoadedPost, problems: list[Problem], memo: Memo | None = None) -> PostFrontMatter | None:
    """The post's front matter (with `memo`, the last build's if the file is the same object), or None."""
    return _reported(memo, problems, _post_meta_of, item)


def _post_meta_of(item: LoadedPost) -> tuple[PostFrontMatter | None, list[Problem]]:
    problems: list[Problem] = []
    _check_file_id(item.file.id, item.file.path, problems)
    return parse_document(PostFrontMatter, item.file.path, item.front_matter, problems), problems


def _post(item: LoadedPost, meta: PostFrontMatter, checked: tuple[CheckedBody, Packed]) -> Post:
    body, html = checked
    return Post(item.file.id, item.file, meta, item.body_first_line, html, body.post_links, site_links=body.site_links)


def _check_bodies(
    posts: list[LoadedPost],
    metas: list[PostFrontMatter | None],
    urls: Urls | None,
    known: Known,
    jobs: int,
    cache: Cache | None,
) -> list[tuple[CheckedBody, Packed]]:
    """Parse and check each body, or take it from `cache` when the body, its title and the site's
    address are unchanged and its `model:`/`post:` links still name the same known things."""
    # Every model file counts as known, valid or not: a record's own mistakes are reported on it.
    targets = LinkTargets(urls, set(known.models) | known.invalid_model_ids, known.post_ids)
    bodies = [(item.body, meta.title if meta else "") for item, meta in zip(posts, metas, strict=True)]
    base = urls.base_url if urls else ""
    memo = memo_of(cache)
    keys = [call(memo, digest, body, title, base) for body, title in bodies]
    return cached_map(cache, "body", _check_body, targets, bodies, keys, jobs, targets.still_holds)[0]


@dataclass(frozen=True)
class LinkTargets:
    urls: Urls | None
    model_ids: set[str]
    post_ids: set[str]

    def still_holds(self, checked: tuple[CheckedBody, Packed]) -> bool:
        """Whether a body checked against other targets passes the same way against these."""
        names = checked[0].names
        return all(knows_name(url, self.model_ids, self.post_ids) == known for url, known in names.items())


def _check_body(targets: LinkTargets, body_and_title: tuple[str, str]) -> tuple[CheckedBody, Packed]:
    """The body checked, and its HTML packed where it was made: it is not read again until its
    page is rendered (see `packed`)."""
    body, title = body_and_title
    checked = check_body(body, title, targets.urls, targets.model_ids, targets.post_ids)
    return dataclasses.replace(checked, html=""), Packed.of(checked.html.encode("utf-8"))


def _located(item: LoadedPost, found: LinkProblem) -> Problem:
    line = item.body_first_line + found.position.line - 1
    return Problem(item.file.path, line, found.position.column, found.message)


def _lock(item: LoadedYaml, known: Known, problems: list[Problem], memo: Memo | None) -> Lock | None:
    report = _reporter(item, problems)
    if item.file.id not in known.post_ids:
        no_post = unknown("post", item.file.id, known.post_ids, "posts in content/posts/")
        problems.append(Problem(item.file.path, 1, 1, f"{no_post}; a lock file is named after its post"))
    week = _parse(WeekLock, item, problems, memo)
    if week is None:
        return None
    refresh = f"restore it, or run `site-builder freeze --refresh {item.file.id}`"
    for tier_id, rows in week.tiers.items():
        if known.tiers is not None and tier_id not in known.tiers:
            report.at(
                ("tiers", tier_id), f"frozen with tier '{tier_id}', which content/site.yaml no longer has; {refresh}"
            )
        for index, row in enumerate(rows):
            _check_locked_model(row.model, ("tiers", tier_id, index, "model"), known, report, refresh)
            sources = {"vram_source": row.vram_source, "speed_source": row.speed_source}
            for key, source_id in sources.items():
                _check_locked_source(source_id, ("tiers", tier_id, index, key), known, report, refresh)
            if row.benchmark is not None:
                loc: Loc = ("tiers", tier_id, index, "benchmark", "source")
                _check_locked_source(row.benchmark.source, loc, known, report, refresh)
    for index, wait in enumerate(week.wait_list):
        _check_locked_model(wait.model, ("wait_list", index, "model"), known, report, refresh)
        _check_locked_source(wait.memory_source, ("wait_list", index, "memory_source"), known, report, refresh)
    return call(memo, Lock, item.file, item.document, week)


def _check_locked_model(model_id: str, loc: Loc, known: Known, report: Reporter, refresh: str) -> None:
    if model_id not in known.models and model_id not in known.invalid_model_ids:
        report.at(loc, f"frozen with model '{model_id}', which has no record in content/models/ any more; {refresh}")


def _check_locked_source(source_id: str | None, loc: Loc, known: Known, report: Reporter, refresh: str) -> None:
    """A lock names the source of each figure it froze; the leaderboards link to it."""
    if source_id is not None and known.source_ids is not None and source_id not in known.source_ids:
        report.at(loc, f"frozen with source '{source_id}', which content/site.yaml no longer has; {refresh}")


def _duplicates(values: list[str]) -> dict[int, str]:
    """Indexes of values seen before (ignoring case), with the value."""
    seen: set[str] = set()
    repeated = {}
    for index, value in enumerate(values):
        if value.lower() in seen:
            repeated[index] = value
        seen.add(value.lower())
    return repeated


def _check_site(site: SiteConfig, report: Reporter) -> None:
    for index, tier_id in _duplicates([tier.id for tier in site.tiers]).items():
        report.at(("tiers", index, "id"), f"tier id '{tier_id}' is used twice")
    for index, source_id in _duplicates([source.id for source in site.sources]).items():
        report.at(("sources", index, "id"), f"source id '{source_id}' is used twice")
    for index, tier in enumerate(site.tiers):
        if tier.min_vram_gb > tier.max_vram_gb:
            report.at(("tiers", index, "min_vram_gb"), "'min_vram_gb' is above 'max_vram_gb'")


def _check_model_ids(loaded: list[LoadedYaml], problems: list[Problem]) -> None:
    first_path: dict[str, str] = {}
    for item in loaded:
        folded = item.file.id.lower()
        if folded in first_path:
            message = f"model id '{item.file.id}' is already used by {first_path[folded]} (ids ignore case)"
            problems.append(Problem(item.file.path, 1, 1, message))
        first_path.setdefault(folded, item.file.path)


def _check_record(record: ModelRecord, known: Known, report: Reporter) -> None:
    cited: tuple[tuple[str, Sequence[Benchmark | Quantization | MemoryNeed | HardwareStatus]], ...] = (
        ("benchmarks", record.benchmarks),
        ("quantizations", record.quantizations),
        ("memory", record.memory),
        ("hardware_status", record.hardware_status),
    )
    for key, rows in cited:
        for index, row in enumerate(rows):
            known.check_source(row.source, (key, index, "source"), report)
    if record.specs_source is not None:
        known.check_source(record.specs_source, ("specs_source",), report)
    for index, quant in enumerate(record.quantizations):
        if quant.tier is not None:
            known.tier(quant.tier, ("quantizations", index, "tier"), report)
    _check_one_row_per_format_and_tier(record.quantizations, report)
    if record.attention is not None:
        _check_attention(record.attention, known, report)
    names = {benchmark.name for benchmark in record.benchmarks}
    if record.headline_benchmark is not None and record.headline_benchmark not in names:
        message = unknown("benchmark", record.headline_benchmark, names, "benchmarks of this model")
        report.at(("headline_benchmark",), message)


def _check_attention(attention: Attention, known: Known, report: Reporter) -> None:
    """The KV-cache figures must describe one consistent model; a half-given group would be silently ignored."""
    known.check_source(attention.source, ("attention", "source"), report)
    if attention.sliding_layers > attention.layers:
        message = f"sliding_layers ({attention.sliding_layers}) is more than layers ({attention.layers})"
        report.at(("attention", "sliding_layers"), message)
    if attention.sliding_layers and attention.sliding_window is None:
        report.at(("attention", "sliding_layers"), "sliding_layers needs sliding_window, the window's size in tokens")
    if attention.latent_dim is None and (attention.kv_heads is None or attention.head_dim is None):
        report.at(("attention",), "give kv_heads and head_dim, or latent_dim for latent attention (MLA)")


def _check_one_row_per_format_and_tier(rows: Sequence[Quantization], report: Reporter) -> None:
    first: dict[tuple[str, str], int] = {}
    for index, row in enumerate(rows):
        if row.tier is None:
            continue
        key = (row.format, row.tier)
        if key in first:
            message = (
                f"'{row.format}' already has a row for tier '{row.tier}' ({row_name(first[key])}); "
                "a pick could not tell which one it means"
            )
            report.at(("quantizations", index, "tier"), message)
        first.setdefault(key, index)


@dataclass(frozen=True)
class CrossCheckedPost:
    """What other files are checked against in a post: everything of a valid post, and the valid
    parts of an invalid one, so that one run reports every problem. Rows keep their list index,
    which locates them in the front matter."""

    week: int | None
    picks: dict[str, list[tuple[int, TierPick]]]
    wait_list: list[tuple[int, WaitListPick]]
    date: dt.date | None = None

    @classmethod
    def of(cls, meta: PostFrontMatter) -> CrossCheckedPost:
        picks = {tier_id: list(enumerate(rows)) for tier_id, rows in meta.picks.items()}
        return cls(meta.week, picks, list(enumerate(meta.wait_list)), meta.date)

    @classmethod
    def salvage(cls, data: Any) -> CrossCheckedPost:
        """The parts that pass their own schema, from front matter that failed as a whole."""
        fields = data if isinstance(data, dict) else {}
        picks = fields.get("picks")
        return cls(
            week=_valid(_WEEK, fields.get("week")),
            picks={
                tier_id: _valid_rows(TierPick, rows)
                for tier_id, rows in (picks.items() if isinstance(picks, dict) else [])
                if isinstance(tier_id, str)
            },
            wait_list=_valid_rows(WaitListPick, fields.get("wait_list")),
            date=_valid(_DATE, fields.get("date")),
        )


_WEEK: TypeAdapter[int] = TypeAdapter(WeekNumber)
_DATE: TypeAdapter[dt.date] = TypeAdapter(dt.date)
Valid = TypeVar("Valid")


def _valid(adapter: TypeAdapter[Valid], value: Any) -> Valid | None:
    """`value` if it passes `adapter` as strictly as the schema checks it, else None."""
    try:
        return adapter.validate_python(value, strict=True)
    except ValidationError:
        return None


def _valid_rows(schema: type[ModelT], rows: Any) -> list[tuple[int, ModelT]]:
    valid = []
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        try:
            valid.append((index, schema.model_validate(row)))
        except ValidationError:
            continue
    return valid


def _check_posts(
    items: list[LoadedPost],
    metas: list[PostFrontMatter | None],
    known: Known,
    problems: list[Problem],
    memo: Memo | None,
) -> None:
    """Each post's picks against the records and tiers (with `memo`, the last build's answer while the post
    and `known` are the same objects), then what posts must agree on among themselves."""
    weeks: dict[int, str] = {}
    checked = []
    for item, meta in zip(items, metas, strict=True):
        post, found = call(memo, _cross_checked, item, meta, known)
        checked.append((item, post))
        if post.week is not None:
            if post.week in weeks:
                message = f"week {post.week} already has a post: {weeks[post.week]}"
                Reporter(item.file.path, item.front_matter, problems).at(("week",), message)
            weeks.setdefault(post.week, item.file.path)
        problems.extend(found)
    _check_weeks_in_date_order(checked, problems)


def _cross_checked(
    item: LoadedPost, meta: PostFrontMatter | None, known: Known
) -> tuple[CrossCheckedPost, list[Problem]]:
    post = CrossCheckedPost.of(meta) if meta else CrossCheckedPost.salvage(item.front_matter.data)
    problems: list[Problem] = []
    report = Reporter(item.file.path, item.front_matter, problems)
    for tier_id, rows in post.picks.items():
        tier = known.tier(tier_id, ("picks", tier_id), report)
        for index, pick in rows:
            _check_pick(pick, tier_id, tier, ("picks", tier_id, index), known, report)
    for index, wait in post.wait_list:
        known.model(wait.model, ("wait_list", index, "model"), report)
    return post, problems


def _check_weeks_in_date_order(loaded: list[tuple[LoadedPost, CrossCheckedPost]], problems: list[Problem]) -> None:
    """No week dated before the one it follows: "this week", "last week" and the feed go by week number,
    so a mistyped year would put a week in the wrong place everywhere."""
    dated = sorted(
        ((post.week, post.date, item) for item, post in loaded if post.week is not None and post.date is not None),
        key=lambda row: row[0],
    )
    for (week, date, item), (later_week, later_date, later) in itertools.pairwise(dated):
        if later_week > week and later_date < date:
            message = f"week {later_week} is dated {later_date}, before week {week} ({date}, {item.file.path})"
            Reporter(later.file.path, later.front_matter, problems).at(("date",), message)


def _check_pick(pick: TierPick, tier_id: str, tier: Tier | None, loc: Loc, known: Known, report: Reporter) -> None:
    model = known.model(pick.model, (*loc, "model"), report)
    if model is None:
        return
    names = {b.name for b in model.record.benchmarks}
    if pick.benchmark is not None and pick.benchmark not in names:
        message = unknown("benchmark", pick.benchmark, names, f"benchmarks of {model.id}")
        report.at((*loc, "benchmark"), message)
    if tier is None and known.tiers is not None:
        return  # The tier is unknown and reported; no row can be measured for it.
    where = (*loc, "quant") if pick.quant is not None else (*loc, "model")
    match = model.match_quantization(pick.quant, tier_id)
    if match.problem is not None:
        report.at(where, match.problem)
    if match.index is not None and tier is not None:
        row = model.record.quantizations[match.index]
        if row.vram is not None and row.vram.gb > tier.max_vram_gb:
            message = (
                f"'{row.format}' of {model.id} uses {row.vram} of VRAM ({row_name(match.index)}), "
                f"more than tier '{tier.id}' has ({_vram_range(tier)})"
            )
            report.at(where, message)


def _vram_range(tier: Tier) -> str:
    low, high = f"{tier.min_vram_gb:g}", f"{tier.max_vram_gb:g}"
    return f"{high} GB" if low == high else f"{low}-{high} GB"
