"""The build, as one pipeline: load -> validate -> merge -> render -> write.

Everything is read, checked and rendered in memory before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_builder import search as search_index
from site_builder.content import Content
from site_builder.json_schemas import schema_files
from site_builder.load import load_content
from site_builder.merge import SiteData, merge
from site_builder.problems import Problem
from site_builder.render import RenderedSite, render_site
from site_builder.schedule import Schedule, Selection, select_posts
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


@dataclass(frozen=True)
class Checked:
    selection: Selection
    data: SiteData
    """The merged weeks; its `warnings` say where frozen weeks drifted from the records."""


@dataclass(frozen=True)
class Built:
    rendered: RenderedSite
    selection: Selection
    warnings: list[Problem]


def check_site(project: Project, schedule: Schedule) -> Checked:
    """Load, validate, choose the posts to publish and merge them; write nothing.

    `schedule` says what counts as published: drafts and posts dated after its `today` wait unless included.
    Raises BuildFailed listing every problem.
    """
    loaded = load_content(project.content_dir, project.root)
    selection = select_posts(loaded, validate_content(loaded), schedule)
    return Checked(selection, merge(selection.content))


def build(project: Project, out_dir: Path, schedule: Schedule, base_url: str | None = None) -> Built:
    """Build the site into `out_dir`; `base_url` (already checked) overrides the one in site.yaml."""
    checked = check_site(project, schedule)
    urls = Urls(base_url or checked.selection.content.site.base_url)
    rendered = render_site(checked.data, project.templates_dir, project.static_dir, urls, project.root)
    check_output_folder(out_dir, project.root, project.sources)
    search = search_index.available()
    write_site(
        {**rendered.files, **schema_files(urls.base_url)}, out_dir, finish=search_index.index_site if search else None
    )
    no_search = [] if search else [Problem(str(out_dir), 1, 1, search_index.MISSING, severity="warning")]
    return Built(rendered, checked.selection, checked.data.warnings + no_search)
