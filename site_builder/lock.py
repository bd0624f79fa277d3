"""Lock files, `content/frozen/<post-id>.yaml`: a published week's tables as readers saw them.

`site-builder freeze` writes them; the build renders a frozen week from its lock and
compares the lock with what the post and the records say today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from site_builder.schema import Origin, Slug, Strict, Text
from site_builder.yaml_source import Loc

FigureSource = Literal["record", "post"]


class ShownBenchmark(Strict):
    """The benchmark a row shows."""

    name: Text
    """Benchmark name."""
    score: float
    """Score as a number."""
    unit: str
    """Unit shown after the score."""
    approximate: bool
    """True when the score was shown as an estimate (`~`)."""
    source: Slug | None = None
    """The `id` of the source (in `site.yaml`) that reports the score; absent in locks written before it was kept."""
    origin: Origin | None = None
    """Who produced the score, where the record says so."""

    def __str__(self) -> str:
        unit = self.unit if self.unit == "%" else f" {self.unit}"
        return f"{'~' if self.approximate else ''}{self.score:g}{unit} {self.name}"


class ShownRow(Strict):
    """One leaderboard row, every figure written out as shown."""

    category: Text
    """What the pick is best for."""
    model: Slug
    """The model's id."""
    name: Text
    """The model's name."""
    quant: str | None = None
    """Quantization label."""
    quant_note: str | None = None
    """Where the quantization label comes from, when the post says (e.g. `from the takeaways`)."""
    vram: str | None = None
    """VRAM used, e.g. `~22 GB`."""
    vram_source: Slug | None = None
    """The `id` of the source of the VRAM figure; absent in locks written before it was kept."""
    vram_origin: Origin | None = None
    """Who produced the VRAM figure, where the record says so."""
    speed: str | None = None
    """Speed, e.g. `20-25 t/s`."""
    speed_from: FigureSource | None = None
    """Where the speed came from: the model's `record` or the week's `post`."""
    speed_source: Slug | None = None
    """The `id` of the source of a speed from the record."""
    speed_origin: Origin | None = None
    """Who produced a speed from the record, where the record says so."""
    benchmark: ShownBenchmark | None = None
    """The headline benchmark shown."""
    why: Text
    """Why it is the pick."""


class ShownWaitRow(Strict):
    """One wait-list row as shown."""

    model: Slug
    """The model's id."""
    name: Text
    """The model's name."""
    memory: str | None = None
    """Smallest usable memory need, e.g. `~300 GB`."""
    format: str | None = None
    """The format of that memory need."""
    memory_source: Slug | None = None
    """The `id` of the source of that memory need; absent in locks written before it was kept."""
    why: Text
    """Why to wait."""


class WeekLock(Strict):
    """A week's tables as published: per tier id, its rows; then the wait list."""

    tiers: dict[Slug, list[ShownRow]] = Field(default_factory=dict)
    """For each tier id with picks, its rows in order."""
    wait_list: list[ShownWaitRow] = Field(default_factory=list)
    """The wait list, in order."""


@dataclass(frozen=True)
class Drift:
    """One way a lock differs from what the post and records say today."""

    loc: Loc
    """Where in the lock file the frozen value stands."""
    message: str
    pick_changed: bool
    """True when the post changed (not a record): the editor should refresh the lock or undo the edit."""


# (key, name in messages, whether the post supplies it): a change the post made edits the week's picks.
_ROW_FIGURES: list[tuple[str, str, bool]] = [
    ("category", "category", True),
    ("quant", "quantization", True),
    ("quant_note", "quantization note", True),
    ("why", "why", True),
    ("name", "model name", False),
    ("vram", "VRAM", False),
    ("speed", "speed", False),
    ("benchmark", "headline benchmark", False),
]
_WAIT_FIGURES: list[tuple[str, str, bool]] = [
    ("why", "why", True),
    ("name", "model name", False),
    ("memory", "memory needed", False),
    ("format", "memory format", False),
]


def drifts(frozen: WeekLock, live: WeekLock, tier_labels: dict[str, str], wait_label: str) -> list[Drift]:
    """Every difference between a week's lock and the same week resolved today."""
    found: list[Drift] = []
    for tier_id in sorted(set(frozen.tiers) | set(live.tiers), key=list(tier_labels).index):
        old, new = frozen.tiers.get(tier_id, []), live.tiers.get(tier_id, [])
        loc: Loc = ("tiers", tier_id) if tier_id in frozen.tiers else ("tiers",)
        found += _table_drifts(loc, tier_labels[tier_id], old, new, _ROW_FIGURES)
    found += _table_drifts(("wait_list",), wait_label, frozen.wait_list, live.wait_list, _WAIT_FIGURES)
    return found


def _table_drifts(
    loc: Loc,
    label: str,
    old: Sequence[ShownRow | ShownWaitRow],
    new: Sequence[ShownRow | ShownWaitRow],
    figures: list[tuple[str, str, bool]],
) -> list[Drift]:
    old_models, new_models = [row.model for row in old], [row.model for row in new]
    if old_models != new_models:
        message = f"{label}: the post now picks {_ids(new_models)}; frozen with {_ids(old_models)}"
        return [Drift(loc, message, pick_changed=True)]
    found = []
    for index, (was, now) in enumerate(zip(old, new, strict=True)):
        for key, figure, from_post in figures:
            old_value, new_value = getattr(was, key), getattr(now, key)
            # Compared as shown: a lock written before sources were kept still matches its figures.
            if _shown(old_value) == _shown(new_value):
                continue
            post_side = from_post or _speed_from_post(key, was, now)
            who = "post" if post_side else "record"
            message = (
                f"{label} row {index + 1} ({was.name}): {figure} frozen at {_shown(old_value)}, "
                f"{who} now says {_shown(new_value)}"
            )
            found.append(Drift((*loc, index, key), message, pick_changed=post_side))
    return found


def _speed_from_post(key: str, was: ShownRow | ShownWaitRow, now: ShownRow | ShownWaitRow) -> bool:
    return key == "speed" and "post" in (getattr(was, "speed_from", None), getattr(now, "speed_from", None))


def _ids(models: list[str]) -> str:
    return ", ".join(models) if models else "nothing"


def _shown(value: object) -> str:
    return "nothing" if value is None or value == "" else str(value)
