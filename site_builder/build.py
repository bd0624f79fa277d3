"""The build, as one pipeline: load -> validate -> merge -> render -> write.

Everything is read, checked and rendered in memory before anything is written.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from site_builder import search as search_index
from site_builder.content import Content
from site_builder.json_schemas import schema_files
from site_builder.links import body_link_problems, page_link_problems
from site_builder.load import load_content
from site_builder.merge import SiteData, merge
from site_builder.problems import BuildFailed, Problem
from site_builder.render import RenderedSite, SitePlan, plan_site, planned_files, render_site
from site_builder.schedule import Schedule, Selection, select_posts
from site_builder.timing import StageTimes
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


def check(project: Project, jobs: int = 1) -> Content:
    """Load and validate only; raise BuildFailed listing every problem."""
    with _fewer_collections():
        return validate_content(load_content(project.content_dir, project.root, jobs), jobs=jobs)


@dataclass(frozen=True)
class Checked:
    selection: Selection
    data: SiteData
    """The merged weeks; its `warnings` say where frozen weeks drifted from the records."""
    urls: Urls
    plan: SitePlan
    """The pages and generated files, made once: links were checked against them, and render writes them."""


@dataclass(frozen=True)
class Built:
    rendered: RenderedSite
    selection: Selection
    warnings: list[Problem]


def check_site(
    project: Project, schedule: Schedule, base_url: str | None = None, jobs: int = 1, times: StageTimes | None = None
) -> Checked:
    """Load, validate, choose the posts to publish and merge them; write nothing.

    `schedule` says what counts as published: drafts and posts dated after its `today` wait unless included.
    Bodies are parsed in `jobs` processes. Raises BuildFailed listing every problem.
    """
    times = times or StageTimes()
    with times.stage("load"):
        loaded = load_content(project.content_dir, project.root, jobs)
    with times.stage("validate"):
        selection = select_posts(loaded, validate_content(loaded, base_url, jobs), schedule)
    with times.stage("merge"):
        data = merge(selection.content)
        urls = Urls(base_url or selection.content.site.base_url)
        plan = plan_site(data, urls)
        broken = body_link_problems(data.content.posts, planned_files(plan, urls, project.static_dir), urls)
        if broken:
            raise BuildFailed(broken)
        return Checked(selection, data, urls, plan)


def build(
    project: Project,
    out_dir: Path,
    schedule: Schedule,
    base_url: str | None = None,
    jobs: int = 1,
    times: StageTimes | None = None,
) -> Built:
    """Build the site into `out_dir`; `base_url` (already checked) overrides the one in site.yaml.

    Bodies are parsed and pages rendered in `jobs` processes; the output is the same for any number.
    """
    times = times or StageTimes()
    with _fewer_collections():
        checked = check_site(project, schedule, base_url, jobs, times)
        with times.stage("render"):
            urls = checked.urls
            rendered = render_site(
                checked.data, checked.plan, project.templates_dir, project.static_dir, urls, project.root, jobs
            )
            schemas = schema_files(urls.base_url)
            broken = page_link_problems(rendered.files, urls, rendered.templates, schemas, rendered.trace_links)
            if broken:
                raise BuildFailed(broken)
        with times.stage("write"):
            check_output_folder(out_dir, project.root, project.sources)
            search = search_index.available()
            finish = search_index.index_site if search else None
            write_site({**rendered.files, **schemas}, out_dir, finish=finish)
    no_search = [] if search else [Problem(str(out_dir), 1, 1, search_index.MISSING, severity="warning")]
    return Built(rendered, checked.selection, checked.data.warnings + no_search)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build makes millions of small objects that all live until it ends; the default collector
    walks them again and again (a fifth of the time on a large site). Collect rarely, and restore
    the settings afterwards for a long-running `serve`."""
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
