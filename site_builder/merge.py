"""Stage 3, merge: join each week's picks with the model records into leaderboard tables.

The pick says what the editor chose; the record supplies every figure the pick leaves out.
A frozen week (one with a lock file) is shown as it was published; where today's post
and records say otherwise, the merge reports a warning instead of changing the week.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from site_builder.cache import digest
from site_builder.content import Content, Lock, Model, Post
from site_builder.figures import Speed
from site_builder.fit import plausibility_warnings
from site_builder.lock import ShownBenchmark, ShownRow, ShownWaitRow, WeekLock, drifts
from site_builder.memo import Memo, call
from site_builder.problems import Problem
from site_builder.schema import (
    Benchmark,
    MemoryNeed,
    Quantization,
    SiteConfig,
    Tier,
    TierPick,
    WaitListPick,
)

Shown = TypeVar("Shown", bound=BaseModel)


@dataclass(frozen=True)
class LeaderboardRow:
    category: str
    model: Model
    quant: Quantization | None
    quant_label: str
    quant_note: str
    speed: Speed | None
    speed_from_record: bool
    benchmark: Benchmark | None
    why: str


@dataclass(frozen=True)
class TierTable:
    tier: Tier
    rows: list[LeaderboardRow]


@dataclass(frozen=True)
class WaitRow:
    model: Model
    memory: MemoryNeed | None
    """The smallest usable memory need, if the record has one."""
    why: str


@dataclass(frozen=True)
class Leaderboard:
    """One week resolved from its post and today's records: a table per tier in tier order, then the wait list."""

    post: Post
    tiers: list[TierTable]
    wait_list: list[WaitRow]


@dataclass(frozen=True)
class ShownTable:
    tier: Tier
    rows: list[ShownRow]


@dataclass(frozen=True)
class Week:
    """One week's leaderboard as readers see it: a table per tier in tier order, then the wait list."""

    post: Post
    tiers: list[ShownTable]
    wait_list: list[ShownWaitRow]
    frozen: bool
    """True when the figures come from the week's lock file rather than today's records."""
    made_from: str = ""
    """A digest of what the week was made from: its post's front matter, its tables as shown, whether
    they come from a lock, and the site's settings. Pages' cache keys take it for the whole week
    (`fingerprint`)."""


@dataclass(frozen=True)
class Appearance:
    """One week in which a model was picked, and how."""

    post: Post
    where: str
    """The tier's label, or the wait list's."""
    row_number: int
    """1-based row of that table."""
    category: str
    why: str
    row: ShownRow | None
    """The figures shown that week (None on the wait list)."""
    wait: ShownWaitRow | None
    """The wait-list row shown that week (None in a tier)."""
    made_from: str = ""
    """A digest of the week's `made_from`, the wait list's label and the appearance's place in the week."""


@dataclass(frozen=True)
class SiteData:
    content: Content
    weeks: list[Week]
    """A leaderboard per post, oldest first."""
    appearances: dict[str, list[Appearance]]
    """For each model id, the weeks it was picked, newest first."""
    warnings: list[Problem]
    """Where frozen weeks and today's posts or records disagree."""

    @property
    def current(self) -> Week | None:
        return self.weeks[-1] if self.weeks else None

    @property
    def published_weeks(self) -> list[Week]:
        """The weeks that are out: a preview (`--drafts`) also has drafts and scheduled weeks, which the
        feed, the sitemap, the downloads and the link-preview image must not announce."""
        return [week for week in self.weeks if week.post.status == "published"]


def merge(content: Content, memo: Memo | None = None) -> SiteData:
    """Each post's week, oldest first; with a `memo` (`serve`), a week whose post, lock, site and
    picked records are the very objects of the last build is that build's week."""
    weeks: list[Week] = []
    warnings: list[Problem] = []
    settings = digest(content.site.model_dump_json())
    for post in content.posts:
        picked = tuple(content.models[model_id] for model_id in _picked_ids(post))
        week, drift = call(memo, _merged_week, post, content.locks.get(post.id), content.site, picked, settings)
        weeks.append(week)
        warnings += drift
    warnings += call(memo, plausibility_warnings, tuple(content.models.values()), content.hardware)
    return SiteData(content, weeks, _appearances(content, weeks, memo), warnings)


def _picked_ids(post: Post) -> list[str]:
    picks = [pick.model for tier_picks in post.meta.picks.values() for pick in tier_picks]
    return picks + [pick.model for pick in post.meta.wait_list]


def _merged_week(
    post: Post, lock: Lock | None, site: SiteConfig, picked: tuple[Model, ...], settings: str
) -> tuple[Week, list[Problem]]:
    """The week as readers see it, and where its lock and today's records disagree (`settings`: a
    digest of the site's)."""
    live = lock_of(_leaderboard(post, {model.id: model for model in picked}, site))
    drift = _drift_warnings(post, lock, live, site) if lock is not None else []
    tables = lock.week if lock else live
    # The tables as shown (one JSON, written in Rust), not the records: an edit of a record that
    # changes no figure of the week changes no page of it.
    made_from = digest(post.head, settings, str(lock is not None), tables.model_dump_json())
    return _week(post, tables, site, lock is not None, made_from), drift


def lock_of(board: Leaderboard) -> WeekLock:
    """A week's tables with every figure written out as readers see it: what a lock file holds."""
    tiers = {table.tier.id: [_shown_row(row) for row in table.rows] for table in board.tiers if table.rows}
    return WeekLock(tiers=tiers, wait_list=[_shown_wait_row(row) for row in board.wait_list])


def _unchecked(schema: type[Shown], /, **values: Any) -> Shown:
    """A lock model made from values the records' validation already checked, without checking
    them again. Pydantic keeps a set of the given field names in every object (40 MB at 5,000
    weeks); these share one per set of names. Pydantic copies it before any change."""
    return schema.model_construct(_names(tuple(values)), **values)


@functools.cache
def _names(keys: tuple[str, ...]) -> set[str]:
    return set(keys)


def _shown_row(row: LeaderboardRow) -> ShownRow:
    return _unchecked(
        ShownRow,
        category=row.category,
        model=row.model.id,
        name=row.model.record.name,
        quant=row.quant_label or None,
        quant_note=row.quant_note or None,
        vram=str(row.quant.vram) if row.quant and row.quant.vram else None,
        vram_source=row.quant.source if row.quant and row.quant.vram else None,
        vram_origin=row.quant.origin if row.quant and row.quant.vram else None,
        speed=str(row.speed) if row.speed else None,
        speed_from=("record" if row.speed_from_record else "post") if row.speed else None,
        speed_source=row.quant.source if row.quant and row.speed_from_record else None,
        speed_origin=row.quant.origin if row.quant and row.speed_from_record else None,
        benchmark=_shown_benchmark(row.benchmark) if row.benchmark else None,
        why=row.why,
    )


def _shown_benchmark(benchmark: Benchmark) -> ShownBenchmark:
    return _unchecked(
        ShownBenchmark,
        name=benchmark.name,
        score=benchmark.score,
        unit=benchmark.unit,
        approximate=benchmark.approximate,
        source=benchmark.source,
        origin=benchmark.origin,
    )


def _shown_wait_row(row: WaitRow) -> ShownWaitRow:
    memory = row.memory
    return _unchecked(
        ShownWaitRow,
        model=row.model.id,
        name=row.model.record.name,
        memory=str(memory.memory) if memory else None,
        format=(memory.format or None) if memory else None,
        memory_source=memory.source if memory else None,
        why=row.why,
    )


def _week(post: Post, tables: WeekLock, site: SiteConfig, frozen: bool, made_from: str) -> Week:
    tiers = [ShownTable(tier, tables.tiers.get(tier.id, [])) for tier in site.ordered_tiers()]
    return Week(post, tiers, tables.wait_list, frozen, made_from)


def _drift_warnings(post: Post, lock: Lock, live: WeekLock, site: SiteConfig) -> list[Problem]:
    labels = {tier.id: tier.label for tier in site.ordered_tiers()}
    warnings = []
    for drift in drifts(lock.week, live, labels, site.wait_list.label):
        message = f"Week {post.meta.week}, {drift.message}"
        if drift.pick_changed:
            refresh = f"site-builder freeze --refresh {post.id}"
            message += f"; the frozen table is still shown; to publish the change run `{refresh}`"
        where = lock.document.position(drift.loc)
        warnings.append(Problem(lock.file.path, where.line, where.column, message, severity="warning"))
    return warnings


def leaderboard_for(post: Post, content: Content) -> Leaderboard:
    return _leaderboard(post, content.models, content.site)


def _leaderboard(post: Post, models: Mapping[str, Model], site: SiteConfig) -> Leaderboard:
    tables = [
        TierTable(tier, [_row(pick, tier.id, models) for pick in post.meta.picks.get(tier.id, [])])
        for tier in site.ordered_tiers()
    ]
    wait_list = [_wait_row(pick, models) for pick in post.meta.wait_list]
    return Leaderboard(post, tables, wait_list)


def _row(pick: TierPick, tier_id: str, models: Mapping[str, Model]) -> LeaderboardRow:
    model = models[pick.model]
    quant = model.quantization_for(pick.quant, tier_id)
    record_speed = quant.speed if quant else None
    return LeaderboardRow(
        category=pick.category,
        model=model,
        quant=quant,
        quant_label=pick.quant or (quant.format if quant else ""),
        quant_note=pick.quant_note,
        speed=pick.speed or record_speed,
        speed_from_record=pick.speed is None and record_speed is not None,
        benchmark=_benchmark(model, pick.benchmark or model.record.headline_benchmark),
        why=pick.why,
    )


def _benchmark(model: Model, name: str | None) -> Benchmark | None:
    return next((b for b in model.record.benchmarks if b.name == name), None)


def smallest_usable_memory(model: Model) -> MemoryNeed | None:
    usable = [need for need in model.record.memory if need.usable]
    return min(usable, key=lambda need: need.memory.gb, default=None)


def _wait_row(pick: WaitListPick, models: Mapping[str, Model]) -> WaitRow:
    model = models[pick.model]
    return WaitRow(model, smallest_usable_memory(model), pick.why)


def _appearances(content: Content, weeks: list[Week], memo: Memo | None) -> dict[str, list[Appearance]]:
    found: dict[str, list[Appearance]] = {model_id: [] for model_id in content.models}
    for week in reversed(weeks):
        for model_id, seen in call(memo, _week_appearances, week, content.site.wait_list.label):
            found[model_id].append(seen)
    return found


def _week_appearances(week: Week, wait_list_label: str) -> list[tuple[str, Appearance]]:
    """Each model the week picked, and how, in table order."""
    found: list[tuple[str, Appearance]] = []
    for table in week.tiers:
        for number, row in enumerate(table.rows, 1):
            made_from = _appearance_origin(week, wait_list_label, len(found))
            seen = Appearance(week.post, table.tier.label, number, row.category, row.why, row, None, made_from)
            found.append((row.model, seen))
    for number, wait in enumerate(week.wait_list, 1):
        made_from = _appearance_origin(week, wait_list_label, len(found))
        found.append((wait.model, Appearance(week.post, wait_list_label, number, "", wait.why, None, wait, made_from)))
    return found


def _appearance_origin(week: Week, wait_list_label: str, place: int) -> str:
    return digest(week.made_from, wait_list_label, str(place)) if week.made_from else ""
