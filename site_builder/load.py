"""Stage 1, load: read every content file into plain data with positions.

Nothing here judges the content; it only reads it. Unreadable files become problems,
handed on with what could be read so that validation can report everything at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.parallel import map_in_order
from site_builder.problems import BuildFailed, Problem, display_path, position_of_offset
from site_builder.schema import DEFAULT_MAX_FILE_SIZE_MB
from site_builder.yaml_source import YamlDocument, YamlProblem, normalise_text, read_yaml

SITE_FILE = "site.yaml"
MODELS_DIR = "models"
POSTS_DIR = "posts"


@dataclass(frozen=True)
class SourceFile:
    """A content file: its id (file name without extension), its path as shown in messages."""

    id: str
    path: str


@dataclass(frozen=True)
class LoadedYaml:
    file: SourceFile
    document: YamlDocument


@dataclass(frozen=True)
class LoadedPost:
    file: SourceFile
    front_matter: YamlDocument
    body: str
    body_first_line: int
    """Line of the file on which the Markdown body starts (1-based)."""


@dataclass(frozen=True)
class LoadedContent:
    site: LoadedYaml | None
    """None when `site.yaml` could not be read."""
    models: list[LoadedYaml]
    posts: list[LoadedPost]
    unreadable_model_ids: set[str]
    """Model files that exist but could not be read; posts naming them are not told "unknown model"."""
    post_ids: set[str]
    """Every post file's id, readable or not, for `post:` links."""
    problems: list[Problem]


def load_content(content_dir: Path, root: Path, jobs: int = 1) -> LoadedContent:
    """Read `site.yaml`, `models/*.yaml` and `posts/*.md`, keeping every problem met on the way.

    Files are read in `jobs` processes; the result does not depend on how many.
    """
    if not content_dir.is_dir():
        raise BuildFailed([Problem(display_path(content_dir, root), 1, 1, "content folder not found")])
    problems: list[Problem] = []
    _check_entries(content_dir, root, problems)
    site, site_problems = _load_yaml(Reading(root, _megabytes(DEFAULT_MAX_FILE_SIZE_MB)), content_dir / SITE_FILE)
    problems.extend(site_problems)
    reading = Reading(root, _size_limit(site))
    model_paths = _files(content_dir / MODELS_DIR, ".yaml", root, problems)
    models = map_in_order(_load_yaml, reading, model_paths, jobs)
    post_paths = _files(content_dir / POSTS_DIR, ".md", root, problems)
    posts = map_in_order(_load_post, reading, post_paths, jobs)
    for _, found in [*models, *posts]:
        problems.extend(found)
    return LoadedContent(
        site=site,
        models=[model for model, _ in models if model is not None],
        posts=[post for post, _ in posts if post is not None],
        unreadable_model_ids={path.stem for path, (model, _) in zip(model_paths, models, strict=True) if model is None},
        post_ids={path.stem for path in post_paths},
        problems=problems,
    )


@dataclass(frozen=True)
class SizeLimit:
    bytes: int
    shown: str
    """How the limit is written in messages, e.g. `8 MB`."""


@dataclass(frozen=True)
class Reading:
    """What reading one file needs to know."""

    root: Path
    limit: SizeLimit


def _megabytes(limit: float) -> SizeLimit:
    return SizeLimit(int(limit * 1_000_000), f"{limit:g} MB")


def _size_limit(site: LoadedYaml | None) -> SizeLimit:
    """`max_file_size_mb` from site.yaml, read before the other files; a wrong value is reported by
    validation, and meanwhile the default applies."""
    data: Any = site.document.data if site else None
    value = data.get("max_file_size_mb") if isinstance(data, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < float("inf"):
        return _megabytes(value)
    return _megabytes(DEFAULT_MAX_FILE_SIZE_MB)


def _check_entries(content_dir: Path, root: Path, problems: list[Problem]) -> None:
    """A misspelt folder (content/Models) would otherwise build a site without its models."""
    expected = [SITE_FILE, MODELS_DIR, POSTS_DIR]
    for entry in sorted(content_dir.iterdir()):
        if entry.name not in expected and not entry.name.startswith("."):
            hint = difflib.get_close_matches(entry.name.lower(), expected, n=1)
            reason = f"did you mean '{hint[0]}'?" if hint else f"content/ holds only {', '.join(expected)}"
            problems.append(Problem(display_path(entry, root), 1, 1, f"unexpected file or folder; {reason}"))


def _files(folder: Path, suffix: str, root: Path, problems: list[Problem]) -> list[Path]:
    """Content files of one kind, in a stable order; stray files are reported, not ignored."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix == suffix and path.is_file():
            found.append(path)
        else:
            shown = display_path(path, root)
            problems.append(Problem(shown, 1, 1, f"unexpected file; this folder holds only *{suffix} files"))
    return found


def _read_text(path: Path, root: Path, limit: SizeLimit, problems: list[Problem]) -> str | None:
    shown = display_path(path, root)
    try:
        size = path.stat().st_size
        if size > limit.bytes:
            shown_size = f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"
            message = f"file is {shown_size}; the limit is {limit.shown} (max_file_size_mb in content/site.yaml)"
            problems.append(Problem(shown, 1, 1, message))
            return None
        return normalise_text(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        problems.append(Problem(shown, 1, 1, "file not found"))
    except UnicodeDecodeError as error:
        readable = error.object[: error.start].decode("utf-8", "replace")
        where = position_of_offset(readable, len(readable))
        problems.append(Problem(shown, where.line, where.column, "not UTF-8 text; save the file as UTF-8"))
    except OSError as error:
        problems.append(Problem(shown, 1, 1, f"cannot read: {error.strerror}"))
    return None


def _load_yaml(reading: Reading, path: Path) -> tuple[LoadedYaml | None, list[Problem]]:
    problems: list[Problem] = []
    text = _read_text(path, reading.root, reading.limit, problems)
    if text is None:
        return None, problems
    file = SourceFile(path.stem, display_path(path, reading.root))
    try:
        return LoadedYaml(file, read_yaml(text)), problems
    except YamlProblem as error:
        problems.append(Problem(file.path, error.position.line, error.position.column, error.message))
        return None, problems


def _load_post(reading: Reading, path: Path) -> tuple[LoadedPost | None, list[Problem]]:
    problems: list[Problem] = []
    text = _read_text(path, reading.root, reading.limit, problems)
    if text is None:
        return None, problems
    file = SourceFile(path.stem, display_path(path, reading.root))
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.append(Problem(file.path, 1, 1, "a post must start with '---' and its front matter"))
        return None, problems
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if closing is None:
        problems.append(Problem(file.path, 1, 1, "front matter is not closed by a '---' line"))
        return None, problems
    try:
        front_matter = read_yaml("\n".join(lines[1:closing]), line_offset=1)
    except YamlProblem as error:
        problems.append(Problem(file.path, error.position.line, error.position.column, error.message))
        return None, problems
    body = "\n".join(lines[closing + 1 :])
    return LoadedPost(file, front_matter, body, body_first_line=closing + 2), problems
