"""Where a build's time goes: seconds per phase, for `make bench` (state/last-build.json)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def timed(timings: dict[str, float], phase: str) -> Iterator[None]:
    """Add the seconds the block takes to `timings[phase]` (to the millisecond), even when it raises."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[phase] = round(timings.get(phase, 0.0) + time.perf_counter() - started, 3)
