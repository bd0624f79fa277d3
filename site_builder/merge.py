"""Stage 3, merge: join each week's picks with the model records into leaderboard tables.

The pick says what the editor chose; the record supplies every figure the pick leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.content import Content, Model, Post
from site_builder.figures import Speed
from site_builder.schema import Benchmark, MemoryNeed, Quantization, Tier, TierPick, WaitListPick


@dataclass(frozen=True)
class LeaderboardRow:
    category: str
    model: Model
    quant: Quantization | None
    quant_label: str
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
    """One week's leaderboard: a table per tier in tier order, then the wait list."""

    post: Post
    tiers: list[TierTable]
    wait_list: list[WaitRow]


@dataclass(frozen=True)
class Appearance:
    """One week in which a model was picked, and how."""

    post: Post
    where: str
    category: str
    why: str


@dataclass(frozen=True)
class SiteData:
    content: Content
    weeks: list[Leaderboard]
    """A leaderboard per post, oldest first."""
    appearances: dict[str, list[Appearance]]
    """For each model id, the weeks it was picked, newest first."""

    @property
    def current(self) -> Leaderboard | None:
        return self.weeks[-1] if self.weeks else None


def merge(content: Content) -> SiteData:
    weeks = [leaderboard_for(post, content) for post in content.posts]
    return SiteData(content, weeks, _appearances(content, weeks))


def leaderboard_for(post: Post, content: Content) -> Leaderboard:
    tables = [
        TierTable(tier, [_row(pick, tier.id, content) for pick in post.meta.picks.get(tier.id, [])])
        for tier in content.site.ordered_tiers()
    ]
    wait_list = [_wait_row(pick, content) for pick in post.meta.wait_list]
    return Leaderboard(post, tables, wait_list)


def _row(pick: TierPick, tier_id: str, content: Content) -> LeaderboardRow:
    model = content.models[pick.model]
    quant = model.quantization_for(pick.quant, tier_id)
    record_speed = quant.speed if quant else None
    return LeaderboardRow(
        category=pick.category,
        model=model,
        quant=quant,
        quant_label=pick.quant or (quant.format if quant else ""),
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


def _wait_row(pick: WaitListPick, content: Content) -> WaitRow:
    model = content.models[pick.model]
    return WaitRow(model, smallest_usable_memory(model), pick.why)


def _appearances(content: Content, weeks: list[Leaderboard]) -> dict[str, list[Appearance]]:
    found: dict[str, list[Appearance]] = {model_id: [] for model_id in content.models}
    for week in reversed(weeks):
        for table in week.tiers:
            for row in table.rows:
                found[row.model.id].append(Appearance(week.post, table.tier.label, row.category, row.why))
        for wait in week.wait_list:
            found[wait.model.id].append(Appearance(week.post, content.site.wait_list.label, "", wait.why))
    return found
