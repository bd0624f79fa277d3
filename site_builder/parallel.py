"""Run a pure function over many inputs in several processes, with results in input order.

Each worker receives the shared context once, then inputs in chunks; results come back by
value and in input order, so the output does not depend on how many processes ran or which
finished first.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from site_builder import collector

if TYPE_CHECKING:
    from site_builder.cache import Cache

Context = TypeVar("Context")
Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 40
"""Below this many inputs, starting processes costs more than it saves."""
CHUNKS_PER_WORKER = 16
"""Inputs go out in this many chunks per process: few round trips, an even share of the work, and
Ctrl+C waits only for the chunks already started."""


def default_jobs() -> int:
    """One process per core this program may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_in_order(
    function: Callable[[Context, Item], Result], context: Context, items: Sequence[Item], jobs: int
) -> list[Result]:
    """`function(context, item)` for every item, in `jobs` processes when there is enough to share.

    `function` must be a module-level function; `context` and the items must pickle.
    """
    if jobs <= 1 or len(items) < MIN_ITEMS:
        return [function(context, item) for item in items]
    chunksize = math.ceil(len(items) / (jobs * CHUNKS_PER_WORKER))
    task = _Task(function, context)
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=_start_method(), initializer=_receive, initargs=(task,)
    ) as pool:
        return list(pool.map(_run, items, chunksize=chunksize))


class _Task(Generic[Context, Item, Result]):
    def __init__(self, function: Callable[[Context, Item], Result], context: Context) -> None:
        self.function = function
        self.context = context


_received: list[_Task[Any, Any, Any]] = []
"""The task of this worker process, set once when it starts (never used in the main process)."""


def _receive(task: _Task[Any, Any, Any]) -> None:
    # Ctrl+C reaches every process of the terminal; the main one alone stops the build, quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collector.in_a_worker()
    _received.append(task)


def _run(item: Any) -> Any:
    task = _received[0]
    return task.function(task.context, item)


def _start_method() -> BaseContext:
    # Forking is the cheapest start and hands the context over without pickling it, but a
    # process with other threads (a server) must not fork.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def cached_map(
    cache: Cache | None,
    kind: str,
    function: Callable[[Context, Item], Result],
    context: Context,
    items: Sequence[Item],
    keys: Sequence[str],
    jobs: int,
    still_valid: Callable[[Result], bool] = lambda result: True,
) -> tuple[list[Result], list[int]]:
    """`map_in_order(function, context, items, jobs)`, taking from `cache` every result whose key it
    holds (and that is `still_valid`), computing only the others, and keeping those for next time.
    An empty key means "never cached". Also returns which items were computed (by index)."""
    if cache is None:
        return map_in_order(function, context, items, jobs), list(range(len(items)))
    results: list[Result | None] = [cache.get(kind, key) if key else None for key in keys]
    missing = [index for index, result in enumerate(results) if result is None or not still_valid(result)]
    made = map_in_order(function, context, [items[index] for index in missing], jobs)
    for index, result in zip(missing, made, strict=True):
        results[index] = result
        if keys[index]:
            cache.put(kind, keys[index], result)
    return results, missing  # type: ignore[return-value] # every None was replaced above
