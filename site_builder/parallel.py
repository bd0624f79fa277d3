"""Run a pure function over many inputs in several processes, with results in input order.

Workers get their inputs and return their results by value, so the output does not depend
on how many processes ran or which finished first.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 40
"""Below this many inputs, starting processes costs more than it saves."""
CHUNKS_PER_WORKER = 4
"""Inputs go out in this many chunks per process: few round trips, yet an even share of the work."""


def default_jobs() -> int:
    """One process per core this program may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_in_order(function: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> list[Result]:
    """`function` applied to every item, in `jobs` processes when there is enough to share."""
    if jobs <= 1 or len(items) < MIN_ITEMS:
        return [function(item) for item in items]
    chunksize = math.ceil(len(items) / (jobs * CHUNKS_PER_WORKER))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        return list(pool.map(function, items, chunksize=chunksize))


def _context() -> BaseContext:
    # Forking is the cheapest start, but a process with other threads (a server) must not fork.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
