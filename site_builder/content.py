"""Validated content: what the validate stage hands to merge and render."""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.load import SourceFile
from site_builder.schema import ModelRecord, PostFrontMatter, SiteConfig


@dataclass(frozen=True)
class Model:
    id: str
    file: SourceFile
    record: ModelRecord


@dataclass(frozen=True)
class Post:
    id: str
    file: SourceFile
    meta: PostFrontMatter
    body: str
    body_first_line: int


@dataclass(frozen=True)
class Content:
    site: SiteConfig
    models: dict[str, Model]
    """By id, in id order."""
    posts: list[Post]
    """Oldest week first."""

    @property
    def latest_post(self) -> Post | None:
        return self.posts[-1] if self.posts else None
