"""Editor commands that start a file: `new-week` and `new-model`.

Both refuse to overwrite, and both start with a `# yaml-language-server: $schema=...` line so
an editor's YAML tooling completes and checks keys as they are typed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from site_builder import build as pipeline
from site_builder.json_schemas import schema_comment
from site_builder.load import MODELS_DIR, POSTS_DIR, SITE_FILE
from site_builder.problems import BuildFailed, Problem, display_path
from site_builder.project import Project
from site_builder.schema import SLUG_PATTERN, SiteConfig
from site_builder.validate import parse_document
from site_builder.yaml_source import YamlProblem, read_yaml

SCHEMA_LINE = re.compile(r"^# yaml-language-server:")
TITLE_PLACEHOLDER = "Week {week}: replace this title"
SUMMARY_PLACEHOLDER = "Replace this with one or two sentences for the home page and the archive."
BODY_PLACEHOLDER = """\

## Replace this heading

Write the week's story here. Link a model as `[its name](model:<id>)` and last week's post
as [last week](post:{previous}). Delete `draft: true` above when the post is ready.
"""


@dataclass(frozen=True)
class NewWeek:
    path: Path
    week: int
    date: dt.date


def new_week(project: Project) -> NewWeek:
    """Write the post after the latest one: week + 1, date + 7 days, its picks and wait list kept, marked draft."""
    content = pipeline.check(project)
    posts_dir = project.content_dir / POSTS_DIR
    if not content.posts:
        shown = display_path(posts_dir, project.root)
        raise BuildFailed([Problem(shown, 1, 1, "no post to start from; write the first week by hand")])
    latest = content.posts[-1]
    week, date = latest.meta.week + 1, latest.meta.date + dt.timedelta(days=7)
    front_matter = _round_trip_front_matter(project.root / latest.file.path)
    front_matter["title"] = TITLE_PLACEHOLDER.format(week=week)
    front_matter["week"] = week
    front_matter["date"] = date
    front_matter["summary"] = SUMMARY_PLACEHOLDER
    front_matter.pop("tags", None)
    if "draft" in front_matter:
        front_matter["draft"] = True
    else:
        front_matter.insert(list(front_matter).index("summary") + 1, "draft", True)
    text = "\n".join(
        [
            "---",
            schema_comment(content.site.base_url, "post-front-matter"),
            _dump(front_matter).rstrip("\n"),
            "---",
            BODY_PLACEHOLDER.format(previous=latest.id),
        ]
    )
    path = posts_dir / f"week-{week:02d}.md"
    _write_new(path, text, project.root)
    return NewWeek(path, week, date)


def _round_trip_front_matter(path: Path) -> CommentedMap:
    """The front matter with its comments; the post was validated, so it has one and it is a mapping."""
    lines = path.read_text(encoding="utf-8").split("\n")
    closing = next(index for index, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "..."))
    # The schema line is written fresh, so an older one is not repeated.
    kept = [line for line in lines[1:closing] if not SCHEMA_LINE.match(line)]
    data = _yaml().load("\n".join(kept))
    assert isinstance(data, CommentedMap)
    return data


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(data: object) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


MODEL_SKELETON = """\
{schema_line}
# The facts about one model; its id is this file's name. Fill in name and vendor, then
# uncomment what your source reports. Every figure cites a source by the id it has in
# content/site.yaml: leave out what no source gives, never guess.
name: ""  # as the vendor writes it
vendor: ""  # who released it
# license: ""
# architecture: dense  # dense or moe
# total_params: ""  # e.g. 309B
# active_params: ""  # MoE only, e.g. 15B
# context_window: ""  # e.g. 128K
# specs_source: SOURCE-ID  # the source for licence, architecture and sizes
# summary: ""  # one sentence for readers, in our own words
# headline_benchmark: ""  # the benchmark the leaderboard shows; one of those below
# links:
#   - title: ""
#     url: https://
# notes:
#   - ""
# benchmarks:
#   - name: ""
#     score:  # the number the source gives, e.g. 94.1
#     unit: "%"  # %, Elo, pass@1, t/s...: every score names its unit
#     origin: vendor-reported  # vendor-reported, community-tested or measured: only if the source says who
#     source: SOURCE-ID
# quantizations:
#   - format: ""  # e.g. Q4_K_M
#     hardware: ""  # e.g. RTX 4090 (24GB)
#     tier: 24gb  # the tier this result stands for (a tier id in content/site.yaml)
#     vram: ""  # e.g. "~22 GB"
#     speed: ""  # e.g. 20-25 t/s
#     origin: community-tested  # only if the source says who produced the figures
#     runtime: ""  # e.g. llama.cpp b4500, if the source names it
#     source: SOURCE-ID
# memory:
#   - format: ""  # e.g. FP16/BF16
#     memory: ""  # e.g. "~300 GB"
#     source: SOURCE-ID
# hardware_status:
#   - hardware: ""
#     status: ""
#     source: SOURCE-ID
"""


def new_model(project: Project, model_id: str) -> Path:
    """Write a commented record skeleton for `model_id`; it passes `check` once name and vendor are filled in."""
    path = project.content_dir / MODELS_DIR / f"{model_id}.yaml"
    shown = display_path(path, project.root)
    if not re.fullmatch(SLUG_PATTERN, model_id) or model_id.endswith(".html") or len(model_id) > 80:
        message = (
            f"model id {model_id!r} must use only a-z, 0-9, '-' and '.', start with a letter or digit, "
            "and not end in '.html'"
        )
        raise BuildFailed([Problem(shown, 1, 1, message)])
    site = read_site_config(project)
    _write_new(path, MODEL_SKELETON.format(schema_line=schema_comment(site.base_url, "model-record")), project.root)
    return path


def read_site_config(project: Project) -> SiteConfig:
    """Only site.yaml, so a half-written record elsewhere does not stop a new one (or the preview)."""
    path = project.content_dir / SITE_FILE
    shown = display_path(path, project.root)
    problems: list[Problem] = []
    try:
        site = parse_document(SiteConfig, shown, read_yaml(path.read_text(encoding="utf-8")), problems)
    except YamlProblem as error:
        problems.append(Problem(shown, error.position.line, error.position.column, error.message))
        site = None
    if site is None:
        raise BuildFailed(problems)
    return site


def _write_new(path: Path, text: str, root: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        shown = display_path(path, root)
        raise BuildFailed([Problem(shown, 1, 1, "file already exists; it was left as it is")]) from None
