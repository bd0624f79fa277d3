"""Wall time of each pipeline stage, for `site-builder build --profile`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class StageTimes:
    """Seconds spent in each stage, in the order the stages ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def report(self) -> str:
        """One line per stage, then the total."""
        width = max((len(name) for name in self.seconds), default=0)
        lines = [f"  {name:<{width}}  {seconds:6.2f} s" for name, seconds in self.seconds.items()]
        total = sum(self.seconds.values())
        return "\n".join(["Time per stage:", *lines, f"  {'total':<{width}}  {total:6.2f} s"])
