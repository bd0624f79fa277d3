"""Where a site's parts are: content/, templates/ and static/ under its root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """Where a site's parts are."""

    root: Path
    content_dir: Path
    templates_dir: Path
    static_dir: Path

    @classmethod
    def at(cls, root: Path, content_dir: Path | None = None) -> Project:
        return cls(root, content_dir or root / "content", root / "templates", root / "static")

    @property
    def sources(self) -> list[Path]:
        return [self.content_dir, self.templates_dir, self.static_dir]
