"""Validated content: what the validate stage hands to merge and render."""

from __future__ import annotations

from dataclasses import dataclass, field

from site_builder.load import SourceFile
from site_builder.lock import WeekLock
from site_builder.schema import ModelRecord, PostFrontMatter, Quantization, SiteConfig
from site_builder.yaml_source import YamlDocument


@dataclass(frozen=True)
class Model:
    id: str
    file: SourceFile
    record: ModelRecord

    def quantization_for(self, quant: str | None, tier_id: str) -> Quantization | None:
        """The row a pick means: its format, narrowed to the pick's tier when several rows match."""
        rows = [q for q in self.record.quantizations if quant is None or q.format == quant]
        if len(rows) > 1 or quant is None:
            rows = [q for q in rows if q.tier == tier_id]
        return rows[0] if len(rows) == 1 else None


@dataclass(frozen=True)
class Post:
    id: str
    file: SourceFile
    meta: PostFrontMatter
    body: str
    body_first_line: int


@dataclass(frozen=True)
class Lock:
    """A published week's lock file (`content/frozen/<post-id>.yaml`); its id is the post's."""

    file: SourceFile
    document: YamlDocument
    """Kept for the positions of drift warnings."""
    week: WeekLock


@dataclass(frozen=True)
class Content:
    site: SiteConfig
    models: dict[str, Model]
    """By id, in id order."""
    posts: list[Post]
    """Oldest week first."""
    locks: dict[str, Lock] = field(default_factory=dict)
    """Lock files by post id: the weeks that are frozen."""
