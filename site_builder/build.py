"""The build, as one pipeline: load -> validate -> merge -> render -> write.

Everything is read, checked and rendered in memory before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_builder import manifest
from site_builder import search as search_index
from site_builder.cache import Cache, digest, memo_of
from site_builder.collector import fewer_collections
from site_builder.content import Content
from site_builder.json_schemas import schema_files
from site_builder.links import body_link_problems, page_link_problems
from site_builder.load import load_content
from site_builder.manifest import Summary
from site_builder.memo import Memo, call
from site_builder.merge import SiteData, merge
from site_builder.output import Output
from site_builder.packed import SiteFiles
from site_builder.problems import BuildFailed, Problem
from site_builder.project import Project
from site_builder.render import SitePlan, plan_site, planned_files, render_site
from site_builder.schedule import Schedule, Selection, describe_unpublished, select_posts
from site_builder.timing import StageTimes
from site_builder.urls import Urls
from site_builder.validate import validate_content
from site_builder.write import check_output_folder


def check(project: Project, jobs: int = 1) -> Content:
    """Load and validate only; raise BuildFailed listing every problem."""
    with fewer_collections():
        return validate_content(load_content(project.content_dir, project.root, jobs), jobs=jobs)


@dataclass(frozen=True)
class Checked:
    selection: Selection
    data: SiteData
    """The merged weeks; its `warnings` say where frozen weeks drifted from the records."""
    urls: Urls
    plan: SitePlan
    """The pages and generated files, made once: links were checked against them, and render writes them."""


def check_site(
    project: Project,
    schedule: Schedule,
    base_url: str | None = None,
    jobs: int = 1,
    times: StageTimes | None = None,
    cache: Cache | None = None,
) -> Checked:
    """Load, validate, choose the posts to publish and merge them; write nothing.

    `schedule` says what counts as published: drafts and posts dated after its `today` wait unless included.
    Files are parsed in `jobs` processes, or taken from `cache` when unchanged. Raises BuildFailed
    listing every problem.
    """
    times = times or StageTimes()
    memo = memo_of(cache)
    with times.stage("load"):
        loaded = load_content(project.content_dir, project.root, jobs, cache)
    with times.stage("validate"):
        selection = select_posts(loaded, validate_content(loaded, base_url, jobs, cache), schedule, memo)
    with times.stage("merge"):
        data = merge(selection.content, memo)
        urls = Urls(base_url or selection.content.site.base_url)
        plan = plan_site(data, urls, cache)
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
    cache: Cache | None = None,
    inputs: str = "",
    in_place: bool = False,
) -> Summary:
    """Build the site into `out_dir`; `base_url` (already checked) overrides the one in site.yaml.

    Bodies are parsed and pages rendered in `jobs` processes; with a `cache`, only what changed since
    an earlier build is parsed and rendered, and files whose bytes are unchanged are kept. The output
    is the same either way. `inputs` is the digest of everything read (`manifest.input_digest`),
    recorded so that the next build can tell when there is nothing to do. `in_place` (for `serve`)
    replaces only the changed files of the last build, one by one, and keeps its search index.
    """
    times = times or StageTimes()
    check_output_folder(out_dir, project.root, project.sources)  # before anything is made, even cache entries
    if cache is not None:
        cache.start_build()
    with fewer_collections():
        checked = check_site(project, schedule, base_url, jobs, times, cache)
        memo = memo_of(cache)
        with times.stage("render"):
            urls = checked.urls
            rendered = render_site(
                checked.data, checked.plan, project.templates_dir, project.static_dir, urls, project.root, jobs, cache
            )
            schemas = schema_files(urls.base_url)
            files = rendered.files.with_files(schemas)
            # Each file hashed once (a page where it was rendered), for the cache alone: it finds
            # pages' links and unchanged files by them.
            digests = {name: _digest(files, name, memo) for name in files} if cache is not None else {}
            broken = page_link_problems(
                rendered.files,
                urls,
                rendered.templates,
                schemas,
                rendered.trace_links,
                jobs,
                cache,
                digests,
                rendered.anchors,
            )
            if broken:
                raise BuildFailed(broken)
        with times.stage("write"):
            output = Output(files, digests, out_dir, manifest.read(cache, out_dir))
            output.refuse_a_folder_made_by_hand()
            search = search_index.available()
            written = (
                output.update_in_place() if in_place and output.can_update_in_place() else output.write(search, jobs)
            )
    no_search = [] if search else [Problem(str(out_dir), 1, 1, search_index.MISSING, severity="warning")]
    summary = Summary(
        rendered.page_counts,
        rendered.static_count,
        checked.data.warnings + no_search,
        describe_unpublished(checked.selection),
        rendered=tuple(rendered.fresh_pages),
        written=written,
    )
    if cache is not None:
        manifest.store(cache, out_dir, output.manifest(inputs, summary))
        cache.forget_unused()
    return summary


def _digest(files: SiteFiles, name: str, memo: Memo | None) -> str:
    return files.known_digest(name) or call(memo, digest, files[name])
