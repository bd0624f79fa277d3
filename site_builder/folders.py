"""Sources come only from their own folders: content/, templates/ and static/.

A symbolic link may point elsewhere inside its folder, never outside it (a link in
content/models to a file elsewhere on the machine would publish that file), and only
regular files and folders are read (a FIFO would hang the build, a device could be anything).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from site_builder.problems import Problem, display_path


def entry_problem(path: Path, folder: Path, root: Path, kind: str) -> Problem | None:
    """Why `path`, found in `folder`, may not be read; `kind` names what the folder holds ("content")."""
    if path.is_symlink():
        shown, label = display_path(path, root), f"{display_path(folder, root)}/"
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a loop, on Python before 3.13
            return Problem(shown, 1, 1, "symbolic link that loops back on itself; remove it")
        if not target.is_relative_to(folder.resolve()):
            what = "folder" if target.is_dir() else "file"
            message = (
                f"symbolic link to a {what} outside {label} ({target.as_posix()}); {kind} must live inside {label}"
            )
            return Problem(shown, 1, 1, message)
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # Reading it reports the reason (a dangling link is "file not found").
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return Problem(display_path(path, root), 1, 1, "not a regular file; only files and folders are read")
    return None


def tree_problems(folder: Path, root: Path, kind: str) -> list[Problem]:
    """Every entry under `folder` that may not be read, without following links out of it."""
    if not folder.is_dir():
        return []
    problems = []
    for parent, folders, files in os.walk(folder):
        for name in sorted([*folders, *files]):
            problem = entry_problem(Path(parent) / name, folder, root, kind)
            if problem:
                problems.append(problem)
    return problems
