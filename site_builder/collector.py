"""The garbage collector, tuned for a build.

A build makes millions of small objects that all live until it ends; the default collector walks
them again and again (a fifth of the time on a large site, and a tenth of an edited build's even
while the modules are imported and the sources are compared). Standard library only: the check
for nothing to do runs inside it, before the rest of the program is imported.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect rarely, and restore the settings afterwards for a long-running `serve`."""
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
