"""What changed since the previous week: each row marked new, moved up, moved down or same.

Rows are matched by model id within the same table (a tier, or the wait list); a model
picked twice in one table matches its occurrences in order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from site_builder.cache import digest
from site_builder.lock import ShownRow, ShownWaitRow
from site_builder.memo import Memo, call
from site_builder.merge import Week

Move = Literal["new", "up", "down", "same"]


@dataclass(frozen=True)
class Mark:
    """How a row moved since the previous week."""

    move: Move
    places: int = 0

    @property
    def symbol(self) -> str:
        """What sighted readers see; `words` is what a screen reader says."""
        return {"new": "New", "up": f"▲{self.places}", "down": f"▼{self.places}", "same": "="}[self.move]

    @property
    def words(self) -> str:
        place = "place" if self.places == 1 else "places"
        return {
            "new": "new this week",
            "up": f"moved up {self.places} {place}",
            "down": f"moved down {self.places} {place}",
            "same": "same place as last week",
        }[self.move]


@dataclass(frozen=True)
class Dropped:
    model: str
    name: str


@dataclass(frozen=True)
class TableChanges:
    marks: list[Mark]
    """One per row of this week's table."""
    dropped: list[Dropped]
    """Rows of the previous week's table that this week's no longer has."""


@dataclass(frozen=True)
class WeekChanges:
    previous: Week | None
    """None for the first week: there is nothing to compare with."""
    tiers: dict[str, TableChanges]
    """By tier id; empty for the first week."""
    wait_list: TableChanges | None
    """None for the first week."""
    made_from: str = ""
    """A digest of both weeks' `made_from`: what the changes were made from."""


def changes_by_week(weeks: list[Week], memo: Memo | None = None) -> dict[str, WeekChanges]:
    """For each post id, its week compared with the week before (weeks are oldest first)."""
    return {
        week.post.id: call(memo, week_changes, week, weeks[index - 1] if index else None)
        for index, week in enumerate(weeks)
    }


def week_changes(week: Week, previous: Week | None) -> WeekChanges:
    if previous is None:
        return WeekChanges(None, {}, None)
    before = {table.tier.id: table.rows for table in previous.tiers}
    tiers = {table.tier.id: table_changes(table.rows, before.get(table.tier.id, [])) for table in week.tiers}
    made_from = digest(week.made_from, previous.made_from) if week.made_from and previous.made_from else ""
    return WeekChanges(previous, tiers, table_changes(week.wait_list, previous.wait_list), made_from)


def table_changes(rows: Sequence[ShownRow | ShownWaitRow], before: Sequence[ShownRow | ShownWaitRow]) -> TableChanges:
    """Marks for `rows` against the same table a week earlier, and what it dropped."""
    earlier = _keyed(before)
    marks = []
    for key, place in _keyed(rows).items():
        was = earlier.pop(key, None)
        if was is None:
            marks.append(Mark("new"))
        elif was == place:
            marks.append(Mark("same"))
        else:
            marks.append(Mark("up" if place < was else "down", abs(place - was)))
    dropped = [Dropped(before[place].model, before[place].name) for place in earlier.values()]
    return TableChanges(marks, dropped)


def _keyed(rows: Sequence[ShownRow | ShownWaitRow]) -> dict[tuple[str, int], int]:
    """(model id, occurrence) -> row index, in row order."""
    seen: Counter[str] = Counter()
    keyed = {}
    for index, row in enumerate(rows):
        keyed[(row.model, seen[row.model])] = index
        seen[row.model] += 1
    return keyed
