"""Stage 5, write: put the rendered files in place all at once.

Files go into a staging folder beside the output, which replaces the old output only
after every file is written: a failed build leaves the previous site untouched and
no stale file from an older build survives.

The folder a build replaces is kept beside the output as the next build's staging folder
(`.<name>.spare`): pruned to the files still wanted and brought up to date, it costs a few
file operations per changed file, where making and deleting a whole tree costs several per file.

One build writes to a folder at a time: a lock file beside the output (`.<name>.lock`)
is held for the whole write, so `serve` and `build` never delete each other's staging.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import NamedTuple, NoReturn, TextIO

from site_builder.own_files import open_regular_for_update, read_regular
from site_builder.problems import BuildFailed, Problem

LEGACY_MARKER = ".site-builder"
"""Written into the output folder by earlier versions; such a folder still counts as ours."""


MARKER_BYTES = 4096
"""The marker holds three short lines; a bigger file there was not written by a build."""


def marker_path(out_dir: Path) -> Path:
    """`.<name>.site-builder` beside the output folder: which folder a build made, so a rebuild never
    deletes one it did not make. It stays outside the folder, which is published whole."""
    return out_dir.parent / f".{out_dir.name}.site-builder"


def _identity(folder: Path) -> str:
    # A folder removed and made again by hand has another inode, so the marker no longer vouches for it.
    stat = folder.stat()
    return f"{stat.st_dev}:{stat.st_ino}"


def build_token(out_dir: Path) -> str:
    """A token the marker gets afresh from every build that writes the folder: what was recorded of an
    earlier build (say, before a `--no-cache` one) is known to be out of date when it differs."""
    lines = _marker_lines(out_dir.resolve())
    return lines[1] if len(lines) > 2 else ""


def _marker_lines(out_dir: Path) -> list[str]:
    data = read_regular(marker_path(out_dir), MARKER_BYTES)
    return data.decode("utf-8", "replace").split("\n") if data is not None else []


def made_by_site_builder(out_dir: Path) -> bool:
    """True when the last build wrote `out_dir` (the marker beside it names this very folder)."""
    out = out_dir.resolve()
    if not out.is_dir():
        return False
    if (out / LEGACY_MARKER).is_file():
        return True
    lines = _marker_lines(out)
    return bool(lines) and lines[0] == _identity(out)


FOREIGN_FOLDER = "output folder exists and was not made by site-builder; remove it or choose another --out"


def check_output_folder(out_dir: Path, root: Path, sources: list[Path]) -> None:
    """Refuse an output folder that would replace the site or its sources, land inside a source folder,
    or be sent out of the project by a link inside it (a pull request can commit `_site` as one)."""
    out = out_dir.resolve()
    if _as_written(out_dir).is_relative_to(_as_written(root)) and not out.is_relative_to(root.resolve()):
        _refuse(out_dir, f"output folder leads through a link to {out.as_posix()}, outside the project; remove it")
    for folder in [root.resolve(), *(source.resolve() for source in sources)]:
        if out == folder or out in folder.parents:
            _refuse(out_dir, f"output folder would replace {folder}; choose another --out")
    for folder in (source.resolve() for source in sources):
        if folder in out.parents:
            _refuse(out_dir, f"output folder is inside {folder}, which is read as input; choose another --out")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not made_by_site_builder(out))):
        _refuse(out_dir, FOREIGN_FOLDER)


def _as_written(path: Path) -> Path:
    """The absolute path, without following links."""
    return Path(os.path.normpath(path.absolute()))


def _refuse(out_dir: Path, message: str) -> NoReturn:
    raise BuildFailed([Problem(str(out_dir), 1, 1, message)])


LOCK_WAIT_SECONDS = 10.0
"""How long a build waits for another one writing the same folder before giving up."""


class Kept(NamedTuple):
    """An existing file that already holds a file's bytes: linked, not written again."""

    path: Path
    inode: int


Keep = Callable[[str], Kept | None]
"""For an output path, the existing file that already holds its bytes, if any."""

Finish = Callable[[Path], AbstractContextManager[Callable[[], None]]]
"""Work on the staging folder that may begin while its files are written: entered before they are,
it gives the function that completes the work once they all are (before the swap). Leaving it
waits for anything still running."""


def write_site(
    files: Mapping[str, bytes],
    out_dir: Path,
    lock_wait: float | None = None,
    finish: Finish | None = None,
    keep: Keep | None = None,
    linked: Mapping[str, Path] | None = None,
) -> int:
    """Write `files` as the new `out_dir`; `finish` works on the staging folder (from before its files
    are written) and completes on the complete folder before the swap.

    A file `keep` finds unchanged in the old output is hard-linked into the staging folder rather
    than written again, and so is each of the `linked` files (say, parts of the last build's search
    index), copied where links fail. Returns how many files were written.
    """
    # Swap the real folder: renaming a symlink would leave its target holding the old site.
    shown = out_dir
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out_dir, shown, LOCK_WAIT_SECONDS if lock_wait is None else lock_wait):
        _remove_leftovers(out_dir)
        return _write_and_swap(files, out_dir, finish, keep or (lambda name: None), linked or {})


@contextlib.contextmanager
def output_lock(out_dir: Path, shown: Path, wait: float) -> Iterator[None]:
    """Hold `.<name>.lock` beside `out_dir` for the whole write; the kernel releases it if the holder dies.

    The holder removes the file when done, so a waiter that locked the removed file tries again.
    """
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    deadline = time.monotonic() + wait
    while True:
        handle = open_regular_for_update(lock_path)
        if handle is None:
            _refuse(shown, f"{lock_path.name} beside {shown}/ is a link or not a file; remove it")
        lock = open(handle, "a+", encoding="utf-8")  # noqa: PTH123, SIM115 - a descriptor; closed when the lock ends
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(lock)
            lock.close()
            if time.monotonic() >= deadline:
                _refuse(shown, f"another build is writing {shown}/ (pid {holder}); try again when it finishes")
            time.sleep(0.1)
            continue
        if _still_in_place(lock, lock_path):
            break
        lock.close()
    try:
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        lock.close()


def _lock_holder(lock: TextIO) -> str:
    lock.seek(0)
    return lock.read().strip() or "unknown"


def _still_in_place(lock: TextIO, lock_path: Path) -> bool:
    try:
        return os.fstat(lock.fileno()).st_ino == lock_path.lstat().st_ino
    except FileNotFoundError:
        return False


def _make_way(staging: Path, relative: str, present: Mapping[str, int], existing: int | None, made: set[Path]) -> bool:
    """Clear the place of a file in `staging`; True when the spare put the `existing` file (by its
    inode) there already."""
    target = staging / relative
    inode = present.get(relative)
    if inode is not None:
        if inode == existing:
            return True
        # The spare's file may be the very file the live site links to: never write into it.
        target.unlink()
    else:
        make_parent(target, made)
    return False


def make_parent(target: Path, made: set[Path]) -> None:
    """Make the folder `target` goes into, once however many files go there (`made` remembers)."""
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)


def link_or_copy(existing: Path, target: Path) -> None:
    if not link_file(existing, target):
        shutil.copyfile(existing, target)


def spare_path(out_dir: Path) -> Path:
    """`.<name>.spare` beside the output: the folder the last build replaced, kept to stage the next one."""
    return out_dir.parent / f".{out_dir.name}.spare"


def _write_and_swap(
    files: Mapping[str, bytes],
    out_dir: Path,
    finish: Finish | None,
    keep: Keep,
    linked: Mapping[str, Path],
) -> int:
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        with (finish or _nothing_more)(staging) as complete:
            present = _take_spare(out_dir, staging, {*files, *linked})
            written = _fill(staging, files, present, keep, linked)
            complete()
        _swap_in(staging, out_dir)
        note = "the folder site-builder last built here; it replaces that folder whole on every build"
        replace_file(marker_path(out_dir), f"{_identity(out_dir)}\n{secrets.token_hex(8)}\n{note}\n".encode())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _fill(
    staging: Path, files: Mapping[str, bytes], present: Mapping[str, int], keep: Keep, linked: Mapping[str, Path]
) -> int:
    """Put every file in `staging` (by a link where one is unchanged); returns how many were written."""
    written = 0
    made: set[Path] = set()
    for relative in files:
        existing = keep(relative)
        if _make_way(staging, relative, present, existing.inode if existing else None, made):
            continue
        if not link_file(existing.path if existing else None, staging / relative):
            # Read here, not before: a large site's pages are expanded one at a time (`packed`).
            (staging / relative).write_bytes(files[relative])
            written += 1
    for relative, source in linked.items():
        if not _make_way(staging, relative, present, source.stat().st_ino, made):
            link_or_copy(source, staging / relative)
    staging.chmod(0o755)
    return written


@contextlib.contextmanager
def _nothing_more(staging: Path) -> Iterator[Callable[[], None]]:
    yield lambda: None


def replace_file(path: Path, body: bytes) -> None:
    """Write `path` through a temporary file beside it, so a reader sees the old bytes or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.new-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(body)
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def link_file(existing: Path | None, target: Path) -> bool:
    """Hard-link `existing` as `target`; False (and nothing done) where there is none or links fail."""
    if existing is None:
        return False
    try:
        os.link(existing, target)
    except OSError:
        return False
    return True


def _remove_leftovers(out_dir: Path) -> None:
    """Staging folders of builds that were killed before they could clean up.

    Only the lock holder makes staging folders, so any found while holding the lock are stale.
    """
    for pattern in (f".{out_dir.name}.new-*", f".{out_dir.name}.old-*"):
        for leftover in out_dir.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def _take_spare(out_dir: Path, staging: Path, wanted: set[str]) -> dict[str, int]:
    """Move the spare folder (if any) into `staging`, keeping only the `wanted` files and their folders;
    returns the inode of each kept file, by path."""
    spare = spare_path(out_dir)
    if spare.is_symlink() or not spare.is_dir():
        spare.unlink(missing_ok=True)
        return {}
    spare.rename(staging)  # onto the empty folder just made
    wanted_folders = {parent for name in wanted for parent in _parents(name)}
    return _prune(staging, "", wanted, wanted_folders)


def _parents(name: str) -> Iterator[str]:
    parts = name.split("/")[:-1]
    for end in range(1, len(parts) + 1):
        yield "/".join(parts[:end])


def _prune(folder: Path, prefix: str, wanted_files: set[str], wanted_folders: set[str]) -> dict[str, int]:
    """Remove everything under `folder` that is not wanted (links and odd files included, never followed)."""
    present: dict[str, int] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if relative in wanted_folders:
                    present.update(_prune(Path(entry.path), relative + "/", wanted_files, wanted_folders))
                else:
                    shutil.rmtree(entry.path)
            elif entry.is_file(follow_symlinks=False) and relative in wanted_files:
                present[relative] = entry.inode()
            else:
                Path(entry.path).unlink()
    return present


def _swap_in(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    out_dir.rename(retired / out_dir.name)
    try:
        staging.rename(out_dir)
    except BaseException:
        (retired / out_dir.name).rename(out_dir)
        retired.rmdir()
        raise
    _keep_as_spare(retired / out_dir.name, out_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _keep_as_spare(folder: Path, out_dir: Path) -> None:
    """The new site is already in place: a spare that cannot be kept is removed, never an error."""
    spare = spare_path(out_dir)
    try:
        if spare.is_symlink() or spare.exists():
            raise FileExistsError(spare)  # made by hand meanwhile: left alone, and ours is not kept
        folder.rename(spare)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
