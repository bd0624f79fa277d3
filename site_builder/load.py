"""Stage 1, load: read every content file into plain data with positions.

Nothing here judges the content; it only reads it. Unreadable files become problems,
handed on with what could be read so that validation can report everything at once.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from site_builder.cache import Cache, digest, memo_of
from site_builder.characters import unsafe_characters
from site_builder.folders import entry_problem
from site_builder.memo import Memo, for_file
from site_builder.parallel import cached_map
from site_builder.problems import BuildFailed, LineIndex, Problem, display_path, position_of_offset
from site_builder.schema import DEFAULT_MAX_FILE_SIZE_MB
from site_builder.yaml_source import YamlDocument, YamlProblem, normalise_text, read_yaml

SITE_FILE = "site.yaml"
MODELS_DIR = "models"
POSTS_DIR = "posts"
FROZEN_DIR = "frozen"
HARDWARE_FILE = "hardware.yaml"


@dataclass(frozen=True)
class SourceFile:
    """A content file: its id (file name without extension), its path as shown in messages."""

    id: str
    path: str
    digest: str = field(default="", compare=False)
    """A hash of the file's text: what was made from it can be cached under it."""


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
    locks: list[LoadedYaml] = field(default_factory=list)
    """Lock files of frozen weeks (`frozen/<post-id>.yaml`)."""
    hardware: LoadedYaml | None = None
    """`hardware.yaml`, when the site has one."""


def load_content(content_dir: Path, root: Path, jobs: int = 1, cache: Cache | None = None) -> LoadedContent:
    """Read `site.yaml`, `models/*.yaml`, `posts/*.md`, `frozen/*.yaml` and `hardware.yaml`, keeping every problem.

    Files are parsed in `jobs` processes, or taken from `cache` when their text is unchanged; the
    result does not depend on either.
    """
    if not content_dir.is_dir():
        raise BuildFailed([Problem(display_path(content_dir, root), 1, 1, "content folder not found")])
    problems: list[Problem] = []
    memo = memo_of(cache)
    refused = _check_entries(content_dir, root, problems)
    site: LoadedYaml | None = None
    if SITE_FILE not in refused:
        site, site_problems = read_file(
            Reading(root, _megabytes(DEFAULT_MAX_FILE_SIZE_MB)), content_dir / SITE_FILE, cache
        )
        problems.extend(site_problems)
    folders = Folders(content_dir, root, Reading(root, _size_limit(site), memo), refused, jobs, problems, cache)
    model_paths, models = folders.read(MODELS_DIR, ".yaml", parse_yaml)
    post_paths, posts = folders.read(POSTS_DIR, ".md", parse_post)
    _, locks = folders.read(FROZEN_DIR, ".yaml", parse_yaml)
    hardware: LoadedYaml | None = None
    if (content_dir / HARDWARE_FILE).exists() and HARDWARE_FILE not in refused:
        hardware, hardware_problems = read_file(folders.reading, content_dir / HARDWARE_FILE, cache)
        problems.extend(hardware_problems)
    return LoadedContent(
        site=site,
        models=[model for model in models if model is not None],
        posts=[post for post in posts if post is not None],
        unreadable_model_ids={path.stem for path, model in zip(model_paths, models, strict=True) if model is None},
        post_ids={path.stem for path in post_paths},
        problems=problems,
        locks=[lock for lock in locks if lock is not None],
        hardware=hardware,
    )


Loaded = TypeVar("Loaded")


Parse = Callable[[None, tuple[SourceFile, str]], tuple[Loaded | None, list[Problem]]]
"""Turns a file's text into what was read of it (None if nothing could be) and its problems."""


@dataclass(frozen=True)
class Folders:
    """Reads the files of content/'s folders, gathering their problems; unchanged files come from
    the cache, the others are parsed in `jobs` processes."""

    content_dir: Path
    root: Path
    reading: Reading
    refused: set[str]
    jobs: int
    problems: list[Problem]
    cache: Cache | None = None

    def read(self, name: str, suffix: str, parse: Parse[Loaded]) -> tuple[list[Path], list[Loaded | None]]:
        """The folder's files and what was read of each (None where it could not be read)."""
        paths = [] if name in self.refused else _files(self.content_dir, name, suffix, self.root, self.problems)
        texts = [self.reading.text(path) for path in paths]
        readable = [(file, text) for file, text, _ in texts if file is not None and text is not None]
        keys = [digest(name, file.path, file.digest) for file, _ in readable]
        parsed = iter(cached_map(self.cache, "read", parse, None, readable, keys, self.jobs)[0])
        results: list[Loaded | None] = []
        for file, _, found in texts:
            item, parse_problems = next(parsed) if file is not None else (None, [])
            self.problems.extend(found + parse_problems)
            results.append(item)
        return paths, results


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
    memo: Memo | None = None

    def text(self, path: Path) -> tuple[SourceFile | None, str | None, list[Problem]]:
        """The file (with its digest) and its normalised text, or None and why it could not be read.
        With a memo (`serve`), a file whose size, times and inode are unchanged is not read again."""
        return for_file(self.memo, path, ("text", self.limit.bytes), lambda: self._read(path))

    def _read(self, path: Path) -> tuple[SourceFile | None, str | None, list[Problem]]:
        problems: list[Problem] = []
        shown = display_path(path, self.root)
        text = _read_text(path, shown, self.limit, problems)
        if text is None:
            return None, None, problems
        return SourceFile(path.stem, shown, digest(text)), text, problems


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


def _check_entries(content_dir: Path, root: Path, problems: list[Problem]) -> set[str]:
    """Names in content/ that may not be read; a misspelt folder (content/Models) is reported too."""
    expected = [SITE_FILE, MODELS_DIR, POSTS_DIR, FROZEN_DIR, HARDWARE_FILE]
    refused = set()
    for entry in sorted(content_dir.iterdir()):
        problem = entry_problem(entry, content_dir, root, "content")
        if problem:
            problems.append(problem)
            refused.add(entry.name)
            continue
        if entry.name not in expected and not entry.name.startswith("."):
            hint = difflib.get_close_matches(entry.name.lower(), expected, n=1)
            reason = f"did you mean '{hint[0]}'?" if hint else f"content/ holds only {', '.join(expected)}"
            problems.append(Problem(display_path(entry, root), 1, 1, f"unexpected file or folder; {reason}"))
    return refused


def _files(content_dir: Path, name: str, suffix: str, root: Path, problems: list[Problem]) -> list[Path]:
    """Content files of one kind, in a stable order; stray files are reported, not ignored."""
    folder = content_dir / name
    if not folder.is_dir():
        return []
    found = []
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        # The listing tells a plain file or folder without asking the disk; anything else is looked at.
        plain = not entry.is_symlink() and (entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False))
        problem = None if plain else entry_problem(path, content_dir, root, "content")
        if problem:
            problems.append(problem)
            continue
        if path.suffix == suffix and entry.is_file():
            found.append(path)
        else:
            shown = display_path(path, root)
            problems.append(Problem(shown, 1, 1, f"unexpected file; this folder holds only *{suffix} files"))
    return found


def _read_text(path: Path, shown: str, limit: SizeLimit, problems: list[Problem]) -> str | None:
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


def read_file(reading: Reading, path: Path, cache: Cache | None = None) -> tuple[LoadedYaml | None, list[Problem]]:
    """One YAML file outside the folders (site.yaml, hardware.yaml): read here, parsed or taken from `cache`."""
    file, text, problems = reading.text(path)
    if file is None or text is None:
        return None, problems
    key = digest(file.path, file.digest)
    [(loaded, parse_problems)], _ = cached_map(cache, "read", parse_yaml, None, [(file, text)], [key], jobs=1)
    return loaded, problems + parse_problems


def parse_yaml(_: None, file_and_text: tuple[SourceFile, str]) -> tuple[LoadedYaml | None, list[Problem]]:
    file, text = file_and_text
    try:
        return LoadedYaml(file, read_yaml(text)), []
    except YamlProblem as error:
        return None, _yaml_problems(file, error)


def _yaml_problems(file: SourceFile, error: YamlProblem) -> list[Problem]:
    return [Problem(file.path, each.position.line, each.position.column, each.message) for each in error.each()]


def parse_post(_: None, file_and_text: tuple[SourceFile, str]) -> tuple[LoadedPost | None, list[Problem]]:
    file, text = file_and_text
    problems: list[Problem] = []
    return read_post(file, text, problems), problems


def read_post(file: SourceFile, text: str, problems: list[Problem]) -> LoadedPost | None:
    """Split a post's (normalised) text into front matter and Markdown body; None if it cannot be read."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.append(Problem(file.path, 1, 1, "a post must start with '---' and its front matter"))
        return None
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if closing is None:
        problems.append(Problem(file.path, 1, 1, "front matter is not closed by a '---' line"))
        return None
    body = "\n".join(lines[closing + 1 :])
    problems.extend(_unsafe_body_characters(file, body, first_line=closing + 2))
    try:
        front_matter = read_yaml("\n".join(lines[1:closing]), line_offset=1)
    except YamlProblem as error:
        problems.extend(_yaml_problems(file, error))
        return None
    return LoadedPost(file, front_matter, body, body_first_line=closing + 2)


def _unsafe_body_characters(file: SourceFile, body: str, first_line: int) -> list[Problem]:
    where = LineIndex(body, line_offset=first_line - 1)
    problems = []
    for offset, reason in unsafe_characters(body):
        position = where.at(offset)
        problems.append(Problem(file.path, position.line, position.column, f"the post contains {reason}; remove it"))
    return problems
