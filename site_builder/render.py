"""Stage 4, render: plan every page, then turn each into bytes with Jinja.

Pages are planned as plain data (URL, template, context), so rendering one page
depends on nothing but its plan: it can later run in parallel or be cached.
"""

from __future__ import annotations

import functools
import hashlib
import sys
import traceback
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.ext
import jinja2.meta
import markupsafe

from site_builder.cache import Cache, digest, memo_of, tool_fingerprint
from site_builder.changes import WeekChanges, changes_by_week
from site_builder.content import Model, Post
from site_builder.downloads import DownloadUrls, dataset_json_ld, download_files, week_dataset_json_ld
from site_builder.feeds import feed_files, feed_url, sitemap_entries, sitemap_files
from site_builder.fingerprint import Unknown, fingerprint
from site_builder.fit_pages import FitView, fit_files, fit_page_specs
from site_builder.folders import tree_problems
from site_builder.json_schemas import schema_files
from site_builder.links import Anchors, LinkTracer, anchors_of
from site_builder.memo import Memo, Remembered, call, keyed
from site_builder.merge import Appearance, SiteData, Week
from site_builder.packed import Packed, SiteFiles
from site_builder.parallel import cached_map
from site_builder.problems import BuildFailed, Problem, display_path
from site_builder.reads import BODY_ATTRIBUTES, Reads, TrackedModels, body_versions, record_versions
from site_builder.search import available as search_available
from site_builder.social import SocialImage, social_image
from site_builder.table_data import register as register_table_helpers
from site_builder.template_origins import MarkOrigins, trace_links
from site_builder.urls import Urls, output_file


@dataclass(frozen=True)
class Page:
    kind: str
    """What sort of page it is, for the build summary: home, tier, model, post..."""
    url: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedSite:
    files: SiteFiles
    """Output path (relative, '/'-separated) to content, the pages packed."""
    page_counts: dict[str, int]
    """Pages of each kind, in the order they were planned."""
    static_count: int
    base_url: str
    warnings: list[Problem] = field(default_factory=list)
    """Printed by the command line; they do not stop the build."""
    templates: dict[str, str] = field(default_factory=dict)
    """Each page's output path to its template, where a broken link on the page is reported."""
    fresh_pages: list[str] = field(default_factory=list)
    """Output paths of the pages rendered by this build; the others came from the cache."""
    trace_links: LinkTracer | None = None
    """Finds the template line of each link on a page, for the link check to report."""
    anchors: dict[str, Anchors] = field(default_factory=dict)
    """Each page's ids and links, read where it was rendered, by output path."""


def plan_pages(data: SiteData, urls: Urls, memo: Memo | None = None) -> list[Page]:
    content = data.content
    current = data.current
    changes = changes_by_week(data.weeks, memo)
    now = {"leaderboard": current, "changes": changes[current.post.id] if current else None}
    pages = [Page("home page", urls.home(), "home.html", now)]
    tables = {table.tier.id: table for table in current.tiers} if current else {}
    for tier in content.site.ordered_tiers():
        context: dict[str, Any] = {**now, "tier": tier, "table": tables.get(tier.id)}
        pages.append(Page("tier page", urls.tier(tier.id), "tier.html", context))
    pages.append(Page("wait list page", urls.wait_list(), "wait_list.html", now))
    # The pages of unchanged models and weeks are `serve`'s last ones: their keys are found by identity.
    for model in content.models.values():
        pages.append(call(memo, _model_page, urls.model(model.id), model, data.appearances[model.id]))
    pages.append(Page("model index", urls.models(), "models.html", {"models": list(content.models.values())}))
    for index, week in enumerate(data.weeks):
        previous = data.weeks[index - 1].post if index else None
        following = data.weeks[index + 1].post if index + 1 < len(data.weeks) else None
        pages.append(call(memo, _post_page, urls.post(week.post.id), week, changes[week.post.id], previous, following))
    pages.append(Page("archive", urls.posts(), "archive.html", {"weeks": list(reversed(data.weeks))}))
    pages.append(Page("404 page", urls.path("404.html"), "404.html"))
    pages += [Page(*spec) for spec in fit_page_specs(data, urls)]
    return pages


def _model_page(url: str, model: Model, appearances: list[Appearance]) -> Page:
    return Page("model page", url, "model.html", {"model": model, "appearances": appearances})


def _post_page(url: str, week: Week, changes: WeekChanges, previous: Post | None, following: Post | None) -> Page:
    context = {
        "post": week.post,
        "leaderboard": week,
        "changes": changes,
        "previous_post": previous,
        "next_post": following,
    }
    return Page("post", url, "post.html", context)


def render_site(
    data: SiteData,
    plan: SitePlan,
    templates_dir: Path,
    static_dir: Path,
    urls: Urls,
    root: Path,
    jobs: int = 1,
    cache: Cache | None = None,
) -> RenderedSite:
    """Render every page (in `jobs` processes; from `cache` where a page's template, context and the
    records it read are unchanged) and gather static files; raise BuildFailed with every template problem."""
    refused = tree_problems(templates_dir, root, "templates") + tree_problems(static_dir, root, "static files")
    if refused:
        raise BuildFailed(refused)
    static_files = _static_files(static_dir)
    pages = plan.pages
    bytecode = TemplateBytecode(cache) if cache else None
    renderer = PageRenderer(data, pages, templates_dir, static_files, urls, root, plan.social, bytecode=bytecode)
    keys = page_keys(renderer, cache) if cache else [""] * len(pages)
    models = data.content.models
    posts = renderer.posts
    memo = memo_of(cache)
    results, fresh = cached_map(
        cache,
        "page",
        _render_one,
        renderer,
        range(len(pages)),
        keys,
        jobs,
        lambda done: _still_current(done, models, posts),
    )
    problems: list[Problem] = []
    files: dict[str, bytes | Packed] = {f"static/{name}": body for name, body in static_files.items()}
    files.update(plan.generated)
    anchors: dict[str, Anchors] = {}
    for page, done in zip(pages, results, strict=True):
        problems.extend(done.problems)
        if done.html is not None and done.anchors is not None:
            files[output_file(page.url, urls.prefix)] = done.html
            anchors[output_file(page.url, urls.prefix)] = call(memo, _shared_strings, done.anchors)
    if problems:
        raise BuildFailed(problems)
    entries = tuple(sitemap_entries(pages, data, urls))
    files.update(keyed(memo, ("sitemap", urls.base_url, entries), lambda: sitemap_files(entries, urls)))
    counts = dict(Counter(page.kind for page in pages))
    templates = {output_file(page.url, urls.prefix): page.template for page in pages}
    return RenderedSite(
        SiteFiles(files),
        counts,
        len(static_files),
        urls.base_url,
        data.warnings,
        templates,
        [output_file(pages[index].url, urls.prefix) for index in fresh],
        TemplateLinkTracer(renderer, {output_file(page.url, urls.prefix): page for page in pages}),
        anchors,
    )


def _shared_strings(anchors: Anchors) -> Anchors:
    """Most links are on many pages (the menu, the stylesheet, each model), and so are many ids:
    one string for each, not one per page, saves a tenth of a large site's memory."""
    ids = frozenset(sys.intern(name) for name in anchors.ids)
    return Anchors(ids, tuple(sys.intern(target) for target in anchors.targets), anchors.ids_key)


def page_keys(renderer: PageRenderer, cache: Cache | None = None) -> list[str]:
    """Each page's cache key: its templates, the site-wide inputs of every page, and its own context
    ("" for a page whose context cannot be described: it is always rendered)."""
    closures = template_closures(renderer.environment, renderer.templates_dir, cache)
    shared = site_wide_inputs(renderer)
    keys = []
    memo = memo_of(cache)
    remembered = memo.fingerprints if memo else Remembered()  # shared weeks described once, at least
    for page in renderer.pages:
        try:
            keys.append(digest(shared, closures.get(page.template, ""), fingerprint(page, remembered)))
        except Unknown:
            keys.append("")
    return keys


def site_wide_inputs(renderer: PageRenderer) -> str:
    """What every page may read besides its context: the tool, the site's address and settings, the
    devices, the static files' versions, the link-preview image and the latest published week
    (records read through globals are tracked per page)."""
    content = renderer.data.content
    statics = sorted((name, digest(body)) for name, body in renderer.static_files.items())
    return digest(
        tool_fingerprint(),
        renderer.urls.base_url,
        fingerprint(content.site),
        fingerprint(content.hardware),
        fingerprint(statics),
        str(feed_url(renderer.data, renderer.urls)),
        str(search_available()),
        fingerprint(renderer.social),
        str(bool(renderer.data.published_weeks)),
    )


def template_closures(env: jinja2.Environment, templates_dir: Path, cache: Cache | None = None) -> dict[str, str]:
    """For each template, a digest of its text and of every template it extends, includes or imports.

    A template naming another through an expression could use any: it depends on all of them.
    """
    texts = {name: (templates_dir / name).read_text(encoding="utf-8") for name in env.list_templates()}
    keys = [digest(text) for text in texts.values()]
    found, _ = cached_map(cache, "uses", _referenced_templates, env, list(texts.values()), keys, jobs=1)
    references = dict(zip(texts, found, strict=True))
    everything = digest(*(f"{name}\0{text}" for name, text in sorted(texts.items())))
    closures = {}
    for name in texts:
        reached = _reached(name, references)
        closures[name] = (
            everything if reached is None else digest(*(f"{each}\0{texts.get(each, '')}" for each in sorted(reached)))
        )
    return closures


def _referenced_templates(env: jinja2.Environment, text: str) -> set[str] | None:
    """The templates `text` names; None when it names one through an expression."""
    try:
        found = list(jinja2.meta.find_referenced_templates(env.parse(text)))
    except jinja2.TemplateSyntaxError:
        return set()  # reported when the page is rendered
    return None if None in found else {str(each) for each in found}


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates, kept in the build cache: signed there, so never loaded from a file that
    this user's builds did not write (Jinja's own file cache would load any)."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self.cache.get("template", digest(bucket.key, bucket.checksum or ""))
        if isinstance(compiled, bytes):
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put("template", digest(bucket.key, bucket.checksum or ""), bucket.bytecode_to_string())


def _reached(name: str, references: Mapping[str, set[str] | None]) -> set[str] | None:
    """Every template `name` uses, itself included; None when it may use any."""
    reached, waiting = {name}, [name]
    while waiting:
        used = references.get(waiting.pop(), set())
        if used is None:
            return None
        waiting += [each for each in used if each not in reached]
        reached |= used
    return reached


@dataclass(frozen=True)
class SitePlan:
    """What a build will write, before any page is rendered: the pages, and the generated files
    (fit finder data, feed, downloads), made once for the link check and the output alike."""

    pages: list[Page]
    generated: dict[str, bytes | Packed]
    social: SocialImage
    """The link-preview image every page names (its file is among `generated`)."""


def plan_site(data: SiteData, urls: Urls, cache: Cache | None = None) -> SitePlan:
    memo = memo_of(cache)
    social, social_files = social_image(data, urls, cache)
    generated = {**fit_files(data, urls), **feed_files(data, urls), **download_files(data, urls, cache), **social_files}
    return SitePlan(plan_pages(data, urls, memo), generated, social)


def planned_files(plan: SitePlan, urls: Urls, static_dir: Path) -> set[str]:
    """Every file a build writes (but the search index), known without rendering a page: what
    links in post bodies may lead to."""
    pages = {output_file(page.url, urls.prefix) for page in plan.pages}
    static = {f"static/{name}" for name in _static_names(static_dir)}
    return pages | set(plan.generated) | static | set(sitemap_files([], urls)) | set(schema_files(urls.base_url))


@dataclass
class PageRenderer:
    """Everything rendering a page needs; each process makes its own Jinja environment from it once."""

    data: SiteData
    pages: list[Page]
    templates_dir: Path
    static_files: Mapping[str, bytes]
    urls: Urls
    root: Path
    social: SocialImage
    reads: Reads = field(default_factory=Reads)
    """The records the page being rendered has read through the template globals."""
    bytecode: jinja2.BytecodeCache | None = None

    @functools.cached_property
    def posts(self) -> dict[str, Post]:
        """By id, for the versions of the bodies a page reads."""
        return {post.id: post for post in self.data.content.posts}

    @functools.cached_property
    def environment(self) -> jinja2.Environment:
        env = make_environment(self.templates_dir, self.urls, self.data, self.static_files, self.social, self.reads)
        env.bytecode_cache = self.bytecode
        return env

    def __getstate__(self) -> dict[str, Any]:
        # A Jinja environment does not pickle, nor should the cache: a worker started without fork
        # makes its own environment and compiles the templates itself.
        return {key: value for key, value in self.__dict__.items() if key not in ("environment", "bytecode", "posts")}


@dataclass
class TemplateLinkTracer:
    """Renders a page again with its output marked, to find the template line of each of its links."""

    renderer: PageRenderer
    pages: dict[str, Page]
    """By output path."""

    @functools.cached_property
    def environment(self) -> jinja2.Environment:
        r = self.renderer
        return make_environment(r.templates_dir, r.urls, r.data, r.static_files, r.social, extensions=(MarkOrigins,))

    def __call__(self, page: str, html: str) -> list[tuple[str, int, int]]:
        planned = self.pages.get(page)
        if planned is None:
            return []
        traced = trace_links(self.environment, planned.template, {"page": planned, **planned.context}, html)
        where = self.renderer.templates_dir
        return [(display_path(where / name, self.renderer.root), line, column) for name, line, column in traced]


@dataclass(frozen=True)
class RenderedPage:
    html: Packed | None
    """None when the page failed: its problems say why."""
    anchors: Anchors | None
    problems: list[Problem]
    records: dict[str, str]
    """The digest of each record the page read through the globals: it is reused while they match."""
    bodies: dict[str, str]
    """The file digest of each post whose body the page read: it is reused while they match."""


def _still_current(page: RenderedPage, models: Mapping[str, Model], posts: Mapping[str, Post]) -> bool:
    """A cached page is reused while the records and the bodies it read are the same."""
    return (
        record_versions(set(page.records), models) == page.records
        and body_versions(set(page.bodies), posts) == page.bodies
    )


def _render_one(renderer: PageRenderer, index: int) -> RenderedPage:
    problems: list[Problem] = []
    page = renderer.pages[index]
    reads = renderer.reads
    reads.start()
    html = _render_page(renderer.environment, page, renderer.templates_dir, renderer.root, problems)
    records = record_versions(reads.ids, renderer.data.content.models)
    bodies = body_versions(reads.bodies, renderer.posts)
    if html is None:
        return RenderedPage(None, None, problems, records, bodies)
    # Read for the link check here, while the page is text: it is then packed until written.
    return RenderedPage(Packed.of(html.encode("utf-8")), anchors_of(html), problems, records, bodies)


class _PageEnvironment(jinja2.Environment):
    """Jinja's environment, noting each post whose body a template reads (`post.html`)."""

    def __init__(self, reads: Reads, **options: Any) -> None:
        super().__init__(**options)
        self.reads = reads

    def getattr(self, obj: Any, attribute: str) -> Any:
        self._note(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self._note(obj, argument)
        return super().getitem(obj, argument)

    def _note(self, obj: Any, name: Any) -> None:
        if isinstance(obj, Post) and isinstance(name, str) and name in BODY_ATTRIBUTES:
            self.reads.body(obj.id)


def make_environment(
    templates_dir: Path,
    urls: Urls,
    data: SiteData,
    static_files: Mapping[str, bytes],
    social: SocialImage,
    reads: Reads | None = None,
    extensions: Sequence[type[jinja2.ext.Extension]] = (),
) -> jinja2.Environment:
    """The Jinja environment of every page; `reads` notes which records a page reads through its globals."""
    reads = reads or Reads()
    env = _PageEnvironment(
        reads,
        extensions=extensions,
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    versions = {name: hashlib.sha256(body).hexdigest()[:10] for name, body in static_files.items()}
    env.globals.update(
        site=data.content.site,
        urls=urls,
        tiers=data.content.site.ordered_tiers(),
        sources={source.id: source for source in data.content.site.sources},
        asset=functools.partial(_asset_url, urls, versions),
        fit=FitView(data.content, data.content.hardware, urls, reads) if data.content.hardware else None,
        feed_url=feed_url(data, urls),
        downloads=DownloadUrls(urls),
        dataset_json_ld=functools.partial(_dataset, data, urls, reads),
        week_dataset_json_ld=functools.partial(_week_dataset, data, urls),
        social_image=social,
        has_published_week=bool(data.published_weeks),
        unpublished_data_note=_unpublished_data_note,
    )
    env.filters["number"] = lambda value: f"{value:g}"
    register_table_helpers(env, data, TrackedModels(data.content.models, reads))
    return env


def _dataset(data: SiteData, urls: Urls, reads: Reads) -> markupsafe.Markup:
    reads.every_model()
    return markupsafe.Markup(dataset_json_ld(data, urls))


def _week_dataset(data: SiteData, urls: Urls, post: Post) -> markupsafe.Markup:
    return markupsafe.Markup(week_dataset_json_ld(post, data, urls))


def _unpublished_data_note(post: Post) -> str:
    """Said in a preview where a published page links the week's downloads."""
    state = "a draft" if post.status == "draft" else f"scheduled for {post.meta.date.isoformat()}"
    return (
        f"Week {post.meta.week} is {state}: the data downloads and the feed hold published weeks only, "
        "so it is not in them yet."
    )


def _asset_url(urls: Urls, versions: Mapping[str, str], name: str) -> str:
    """A static file's URL, versioned by its content so browsers never keep a stale copy."""
    if name not in versions:
        raise LookupError(f"static file '{name}' not found in static/")
    return f"{urls.static(name)}?v={versions[name]}"


def _static_files(static_dir: Path) -> dict[str, bytes]:
    if not static_dir.is_dir():
        return {}
    return {name: (static_dir / name).read_bytes() for name in _static_names(static_dir)}


def _static_names(static_dir: Path) -> list[str]:
    if not static_dir.is_dir():
        return []
    files = (path for path in static_dir.rglob("*") if path.is_file() and not path.name.startswith("."))
    return [path.relative_to(static_dir).as_posix() for path in sorted(files)]


def _render_page(
    env: jinja2.Environment, page: Page, templates_dir: Path, root: Path, problems: list[Problem]
) -> str | None:
    try:
        return env.get_template(page.template).render(page=page, **page.context)
    except jinja2.TemplateSyntaxError as error:
        path = display_path(templates_dir / (error.name or page.template), root)
        problems.append(Problem(path, error.lineno, 1, f"template syntax error: {error.message}"))
    except jinja2.TemplateNotFound as error:
        missing = display_path(templates_dir / str(error.name), root)
        problems.append(Problem(missing, 1, 1, "template not found"))
    except Exception as error:  # noqa: BLE001 - any template failure becomes a located problem
        where, line = _template_frame(error, templates_dir, page.template)
        problems.append(Problem(display_path(where, root), line, 1, f"template error: {error}"))
    return None


def _template_frame(error: Exception, templates_dir: Path, fallback: str) -> tuple[Path, int]:
    """The innermost template line in the traceback (Jinja maps frames to template lines)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.suffix == ".html" and frame.lineno is not None:
            return path, frame.lineno
    return templates_dir / fallback, 1
