"""What the last build wrote into an output folder, kept in the build cache.

For each file: a digest of its bytes and its size, modification time and inode as written. The
next build links a file whose bytes are unchanged into its staging folder instead of writing it
again, and keeps each part of the search index whose pages are unchanged. When nothing the build reads has changed
and every file is still as written, the build has nothing to do at all.

This module uses the standard library only: a build with nothing to do never imports the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from site_builder.cache import Cache, digest, memo_of, tool_fingerprint
from site_builder.memo import Memo, for_file
from site_builder.problems import Problem
from site_builder.write import Kept, build_token, made_by_site_builder

SEARCH_FOLDER = "pagefind/"


@dataclass(frozen=True)
class Options:
    """Everything besides the files that decides what a build writes."""

    root: Path
    sources: list[Path]
    """content/, templates/ and static/."""
    today: dt.date
    include_unpublished: bool
    base_url: str | None
    search: bool
    """Whether the search index is made."""


@dataclass(frozen=True)
class Summary:
    """What a build reports once it is done."""

    page_counts: dict[str, int]
    static_count: int
    warnings: list[Problem]
    unpublished: str | None
    """The line naming drafts and scheduled posts, if any."""
    rendered: tuple[str, ...] = ()
    """Output paths of the pages this build rendered; the others came from the cache."""
    written: int = 0
    """Files written by this build; the others were unchanged and kept."""
    up_to_date: bool = False
    """True when nothing had changed, so nothing was done."""


@dataclass(frozen=True)
class WrittenFile:
    digest: str
    size: int
    modified_ns: int
    inode: int


@dataclass(frozen=True)
class Manifest:
    inputs: str
    """The digest of every file and option the build read (`input_digest`)."""
    files: dict[str, WrittenFile]
    """By path relative to the output folder."""
    search_keys: dict[str, str]
    """Each search bundle's folder, with the digest of the pages it was made from (`search.Chunk.key`)."""
    summary: Summary
    build: str
    """The token the build left in the output's marker (`write.build_token`)."""


def finished_build(cache: Cache | None, out_dir: Path, options: Options) -> tuple[str, Summary | None]:
    """The digest of the build's inputs, and the last build's summary if that build had the same
    inputs and `out_dir` still holds exactly what it wrote: then there is nothing to do."""
    if cache is None:
        return "", None
    inputs = input_digest(options, cache)
    previous = read(cache, out_dir)
    unchanged = previous is not None and previous.inputs == inputs and made_by_site_builder(out_dir)
    if previous is None or not unchanged or not still_as_written(previous, out_dir.resolve()):
        return inputs, None
    return inputs, dataclasses.replace(previous.summary, rendered=(), written=0, up_to_date=True)


SETTLED_NS = 2_000_000_000
"""A file last changed longer ago than this (2 s: coarser than any file system's clock) is known by
its size, times and inode in later builds: a write in the same tick of the clock as the build that
recorded it could otherwise go unseen."""

Signature = tuple[int, int, int, int, int]
"""A file's mode, size, modification and change times and inode: every write changes the change time."""


def input_digest(options: Options, cache: Cache | None = None) -> str:
    """A digest of every file under the sources (path and bytes) and every option. A file whose
    size, times and inode are what an earlier build recorded in `cache` (or, with `serve`'s memo,
    saw in this process) is not read again."""
    parts: list[str | bytes] = [
        tool_fingerprint(),
        str(options.root.resolve()),
        options.today.isoformat(),
        str(options.include_unpublished),
        options.base_url or "",
        str(options.search),
    ]
    key = digest(str(options.root.resolve()))
    recorded: dict[str, tuple[Signature, str]] = (cache.get("sources", key) if cache else None) or {}
    settled: dict[str, tuple[Signature, str]] = {}
    now, memo = time.time_ns(), memo_of(cache)
    for source in options.sources:
        for path in sorted(_files_under(source)):
            parts += [path, _file_digest(path, memo, recorded, settled, now)]
    if cache is not None and settled != recorded:
        cache.put("sources", key, settled)
    return digest(*parts)


def _file_digest(
    path: str,
    memo: Memo | None,
    recorded: Mapping[str, tuple[Signature, str]],
    settled: dict[str, tuple[Signature, str]],
    now: int,
) -> str:
    """The digest of a file's content (`_content_of`), read only if its signature is new; a settled
    file's signature and digest are added to `settled` for the next build."""
    # A link stands for itself (`_content_of`), so it is its own times that matter.
    try:
        status = os.lstat(path)
    except OSError:
        return _content_digest(path)
    signature = (status.st_mode, status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
    earlier = recorded.get(path)
    if earlier is not None and earlier[0] == signature:
        found = earlier[1]
    else:
        found = for_file(memo, path, "input", functools.partial(_content_digest, path), follow_links=False)
    if max(status.st_mtime_ns, status.st_ctime_ns) < now - SETTLED_NS:
        settled[path] = (signature, found)
    return found


def _content_digest(path: str) -> str:
    return digest(_content_of(Path(path)))


LARGEST_READ = 8_000_000
"""Bigger files (the build refuses them unread) are known by size and time, not read."""


def _content_of(path: Path) -> bytes | str:
    """What stands for a file in the digest, read without following links or opening anything that
    is not a regular file (a FIFO would never end, a link could lead to a device)."""
    try:
        stat = path.lstat()
        if path.is_symlink():
            return f"link to {path.readlink()}"
        if not S_ISREG(stat.st_mode) or stat.st_size > LARGEST_READ:
            return f"mode {stat.st_mode} size {stat.st_size} time {stat.st_mtime_ns} inode {stat.st_ino}"
        return path.read_bytes()
    except OSError as error:
        return f"unreadable: {error}"


def _files_under(folder: Path) -> Iterator[str]:
    """The path of every file under `folder`, as text: thousands of `Path`s cost more than the walk."""
    if not folder.is_dir():
        return
    for directory, folders, files in os.walk(folder):
        folders.sort()
        for name in files:
            yield os.path.join(directory, name)  # noqa: PTH118


def read(cache: Cache | None, out_dir: Path) -> Manifest | None:
    """What the last build recorded of `out_dir`, if that build is the one that wrote it last."""
    if cache is None:
        return None
    manifest = cache.get("manifest", _key(out_dir))
    if not isinstance(manifest, Manifest) or manifest.build != build_token(out_dir):
        return None
    return manifest


def store(cache: Cache | None, out_dir: Path, manifest: Manifest) -> None:
    if cache is not None:
        cache.put("manifest", _key(out_dir), manifest)


def _key(out_dir: Path) -> str:
    return digest(str(out_dir.resolve()))


def files_in(out_dir: Path, folder: str) -> list[str]:
    """The files under `out_dir`/`folder`, as output paths (`folder` ends in `/`), in order."""
    return sorted(relative for relative, _ in _output_files(out_dir, folder))


def _output_files(out_dir: Path, folder: str = "") -> Iterator[tuple[str, str]]:
    """(output path, path) of each file under `out_dir`/`folder`."""
    start = len(os.path.join(out_dir, ""))  # noqa: PTH118 - text paths: see `_files_under`
    for path in _files_under(out_dir / folder):
        yield path[start:].replace(os.sep, "/"), path


def still_as_written(manifest: Manifest, out_dir: Path) -> bool:
    """True when `out_dir` holds exactly the manifest's files, none changed since it was written."""
    found = 0
    for relative, path in _output_files(out_dir):
        written = manifest.files.get(relative)
        if written is None or not _unchanged(path, written):
            return False
        found += 1
    return found == len(manifest.files)


def holds_any_of_its_files(manifest: Manifest, out_dir: Path) -> bool:
    """True when at least one file the last build wrote is still there, untouched: a folder deleted
    and made again by hand may get the old folder's inode (and so pass the marker), never its files'."""
    return not manifest.files or any(_unchanged(out_dir / name, written) for name, written in manifest.files.items())


def _unchanged(path: Path | str, written: WrittenFile) -> bool:
    try:
        stat = os.stat(path)  # noqa: PTH116 - of a text path too
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (written.size, written.modified_ns, written.inode)


def known_digest(manifest: Manifest | None, out_dir: Path, relative: str) -> str | None:
    """The digest the manifest holds for a file still as it wrote it (say, one linked into a new folder)."""
    written = manifest.files.get(relative) if manifest else None
    return written.digest if written and _unchanged(out_dir / relative, written) else None


def reusable(manifest: Manifest | None, out_dir: Path, relative: str, file_digest: str) -> Kept | None:
    """The file in `out_dir` that already holds these bytes and is unchanged since written, if any."""
    if manifest is None:
        return None
    written = manifest.files.get(relative)
    if written is None or written.digest != file_digest:
        return None
    path = os.path.join(out_dir, relative)  # noqa: PTH118 - a `Path` only for the file kept
    return Kept(Path(path), written.inode) if _unchanged(path, written) else None


def all_unchanged(manifest: Manifest, out_dir: Path, names: Iterable[str]) -> bool:
    """True when each of these files of the manifest is still in `out_dir` as written."""
    return all(_unchanged(out_dir / name, manifest.files[name]) for name in names)


def record_written(out_dir: Path, digests: Mapping[str, str], names: Iterable[str]) -> dict[str, WrittenFile]:
    """Each file's digest and stat as it now stands in `out_dir`."""
    written = {}
    for name in names:
        stat = os.stat(os.path.join(out_dir, name))  # noqa: PTH116, PTH118 - text paths: see `_files_under`
        written[name] = WrittenFile(digests[name], stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return written
