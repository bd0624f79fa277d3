"""Files the build keeps for itself (its cache entries, the marker and lock beside the output).

A pull request can commit any of them as a symbolic link, say to a file of the machine it is
built on, or to /dev/zero. They are read and locked without following links, only as regular
files, and never beyond a size that such a file could honestly have.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a link) of at most `limit` bytes, else None."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        # Asked for its size, not the limit: a read of `limit` bytes sets aside that much memory first
        # (three times slower for a small file, and the cache reads thousands).
        return file.read(status.st_size + 1)[:limit]


def open_regular_for_update(path: Path) -> int | None:
    """A descriptor of `path` opened for reading and writing (made if missing), if it is a regular
    file and not a link; None otherwise."""
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        return None
    return handle
