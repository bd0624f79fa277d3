"""The build, as one pipeline: load -> validate -> merge -> render -> write.

Everything is read, checked and rendered in memory before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_builder.content import Content
from site_builder.load import load_content
from site_builder.merge import SiteData, merge
from site_builder.render import RenderedSite, render_site
from site_builder.urls import Urls
from site_builder.validate import validate_content
from site_builder.write import check_output_folder, write_site


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


def check(project: Project) -> Content:
    """Load and validate only; raise BuildFailed listing every problem."""
    return validate_content(load_content(project.content_dir, project.root))


def check_site(project: Project) -> SiteData:
    """Load, validate and merge, writing nothing; the result's `warnings` say where frozen weeks drifted."""
    return merge(check(project))


def build(project: Project, out_dir: Path, base_url: str | None = None) -> RenderedSite:
    """Build the site into `out_dir`; `base_url` (already checked) overrides the one in site.yaml."""
    loaded = load_content(project.content_dir, project.root)
    content = validate_content(loaded)
    site_data = merge(content)
    urls = Urls(base_url or content.site.base_url)
    rendered = render_site(site_data, project.templates_dir, project.static_dir, urls, project.root)
    check_output_folder(out_dir, project.root, project.sources)
    write_site(rendered.files, out_dir)
    return rendered
