"""The garbage collector, tuned for a build.

A build makes millions of small objects that all live until it ends; the collector would only walk
them again and again (a fifth of the time on a large site, and a twentieth of an edited build's,
imports and the check for nothing to do included). The build's own process makes hardly any
cycles, so it does not collect at all while it builds; its worker processes, which render pages
and parse files (whose parsers do leave cycles), collect rarely. Standard library only: the check
for nothing to do runs inside it, before the rest of the program is imported.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

RARELY = (100_000, 50, 100)
"""Collection thresholds for the worker processes: a collection per 100,000 new objects, not 700."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """No collections in this process, rare ones in the workers it starts; the settings come back
    afterwards for a long-running `serve`."""
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.disable()
    gc.set_threshold(*RARELY)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if enabled:
            gc.enable()


def in_a_worker() -> None:
    """A worker forked inside `fewer_collections` collects again, rarely, and never what it inherited:
    walking the parent's objects would copy every page of them into the worker."""
    gc.freeze()
    gc.set_threshold(*RARELY)
    gc.enable()
