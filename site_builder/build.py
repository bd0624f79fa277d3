"""The build, as one pipeline: load -> validate -> merge -> render -> write.

Everything is read and checked before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_builder.content import Content
from site_builder.load import load_content
from site_builder.merge import merge
from site_builder.render import RenderedSite, render_site
from site_builder.urls import Urls
from site_builder.validate import validate_content
from site_builder.write import check_output_folder, write_site


@dataclass(frozen=True)
class Project:
    """Where a site's parts are; paths relative to the site root."""

    root: Path
    content_dir: Path
    templates_dir: Path
    static_dir: Path

    @classmethod
    def at(cls, root: Path, content_dir: Path | None = None) -> Project:
        return cls(root, content_dir or root / "content", root / "templates", root / "static")


def check(project: Project) -> Content:
    """Load and validate the content; raise BuildFailed listing every problem."""
    return validate_content(load_content(project.content_dir, project.root))


def render(project: Project, base_url: str | None = None) -> RenderedSite:
    content = check(project)
    urls = Urls.from_base(base_url or content.site.base_url)
    return render_site(merge(content), project.templates_dir, project.static_dir, urls, project.root)


def build(project: Project, out_dir: Path, base_url: str | None = None) -> RenderedSite:
    check_output_folder(out_dir, project.root, [project.content_dir, project.templates_dir, project.static_dir])
    site = render(project, base_url)
    write_site(site.files, out_dir)
    return site
