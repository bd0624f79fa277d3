"""Validated content: what the validate stage hands to merge and render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from site_builder.load import SourceFile
from site_builder.schema import ModelRecord, PostFrontMatter, Quantization, SiteConfig


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
    status: Literal["published", "draft", "scheduled"] = "published"
    """Drafts and scheduled posts are built only on request (`--drafts`, `serve`) and show a banner."""


@dataclass(frozen=True)
class Content:
    site: SiteConfig
    models: dict[str, Model]
    """By id, in id order."""
    posts: list[Post]
    """Oldest week first."""
