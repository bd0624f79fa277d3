"""Validated content: what the validate stage hands to merge and render."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from site_builder.cache import digest
from site_builder.load import SourceFile
from site_builder.lock import WeekLock
from site_builder.markdown import PostLink, SiteLink
from site_builder.packed import Packed
from site_builder.schema import HardwareFile, ModelRecord, PostFrontMatter, Quantization, SiteConfig
from site_builder.yaml_source import YamlDocument


@dataclass(frozen=True)
class QuantizationMatch:
    """The record row whose figures a pick shows, or why no row may be shown."""

    index: int | None
    """Position of the row in the record's `quantizations`; None when no row matches."""
    problem: str | None = None
    """Why the pick's `quant` matches no row; None when nothing is wrong."""


@dataclass(frozen=True)
class Model:
    id: str
    file: SourceFile
    record: ModelRecord
    document: YamlDocument | None = field(default=None, compare=False, repr=False)
    """The record as read, for the positions of warnings about its figures."""

    def match_quantization(self, quant: str | None, tier_id: str) -> QuantizationMatch:
        """The one row a pick in `tier_id` means. Validation reports the problem; merge shows the row.

        Among the rows of the pick's format: the row tagged with the pick's tier, else the only
        untagged row. A row tagged with another tier is measured on other hardware and never
        stands for this one. A pick without `quant` takes its tier's row when there is exactly one.
        """
        rows = list(enumerate(self.record.quantizations))
        if quant is None:
            tagged = [index for index, row in rows if row.tier == tier_id]
            return QuantizationMatch(tagged[0] if len(tagged) == 1 else None)
        same_format = [(index, row) for index, row in rows if row.format == quant]
        if not same_format:
            formats = {row.format for _, row in rows}
            return QuantizationMatch(None, unknown("quantization", quant, formats, f"quantizations of {self.id}"))
        tagged = [index for index, row in same_format if row.tier == tier_id]
        untagged = [index for index, row in same_format if row.tier is None]
        if tagged:
            # Two rows for one format and tier are reported on the record itself.
            return QuantizationMatch(tagged[0])
        if len(untagged) == 1:
            return QuantizationMatch(untagged[0])
        if untagged:
            message = f"'{quant}' has several rows in {self.id}; give each a 'tier' so one matches '{tier_id}'"
            return QuantizationMatch(None, message)
        measured = " and ".join(f"tier '{row.tier}' ({row_name(index)})" for index, row in same_format)
        message = (
            f"'{quant}' of {self.id} is measured for {measured}, not '{tier_id}'; "
            f"add a row for '{tier_id}' or pick another quantization"
        )
        return QuantizationMatch(None, message)

    def quantization_for(self, quant: str | None, tier_id: str) -> Quantization | None:
        """The row whose figures a pick in `tier_id` shows, if any."""
        index = self.match_quantization(quant, tier_id).index
        return self.record.quantizations[index] if index is not None else None


def row_name(index: int) -> str:
    """How messages name a record's quantization row."""
    return f"quantizations[{index}]"


def unknown(kind: str, value: str, known: Iterable[str], where: str) -> str:
    """A message for a name that refers to nothing, suggesting the closest known one."""
    hint = difflib.get_close_matches(value, sorted(known), n=1)
    suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
    return f"unknown {kind} '{value}': not among the {where}{suggestion}"


@dataclass(frozen=True)
class Post:
    id: str
    file: SourceFile
    meta: PostFrontMatter
    body_first_line: int
    packed_html: Packed
    """The body rendered, from the same parse that validation checked (packed: see `packed`)."""
    post_links: list[PostLink] = field(default_factory=list)
    """The body's `post:` links, located in the body."""
    status: Literal["published", "draft", "scheduled"] = "published"
    """Drafts and scheduled posts are built only on request (`--drafts`, `serve`) and show a banner."""
    site_links: list[SiteLink] = field(default_factory=list)
    """The body's relative and site-root links and images, checked against the planned site."""

    @property
    def html(self) -> str:
        """The body rendered."""
        return self.packed_html.unpack().decode("utf-8")

    @functools.cached_property
    def head(self) -> str:
        """A digest of everything of the post but its body (its path, status and front matter): what
        pages that list its week show of it."""
        return digest(f"Post {self.file.path} {self.status}", self.meta.model_dump_json())


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
    hardware: HardwareFile | None = None
    """`hardware.yaml`: devices and the fit estimate's constants; no fit finder without it."""
