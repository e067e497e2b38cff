"""The update path: bring the store up to date with the feeds, one FeedUpdate per fetch.

    hourly(registry, store, settings, now):                         # generator.py calls this
        for each active feed:  due?            plan.due(health)      # adaptive polling, back-off
        results = fetch_all(due feeds)                                 # fetch stage, concurrent
        for each result:       publishable(result)                     # decide.py: no server value kept
            304 / same body / failure  -> FeedUpdate(health)           # decide.without_parse
            new body                   -> queued for parsing
        outcomes = run_jobs(bodies)     # worker.py: parse + clean in a fork pool, never raises
                                        # (redaction, then the detector: a hit withholds the text)
        union = what every outcome declares, in memory only              # clean/detect.py Union
        for each outcome:                                              # decide.after_parse
            entries checked against the other feeds (union) and the identity memory  # decide.screened
            FeedUpdate(health + polling plan, entries, first walk page, declared variants)
        store.apply(update)             # one transaction per feed (the no-parse ones: one for all);
                                        # variants kept as keyed hashes, a new one re-checks the archive
        walk.budget(...)                # a few older pages of the feeds' history walks:
                                        # fetch -> worker -> FeedUpdate(entries, walk) -> store.apply

The rooms: plan.py and paging.py decide purely when to fetch and how a history walk goes
on; decide.py turns a fetch (and its parse) into a FeedUpdate; worker.py parses and
cleans; run.py is the hourly run; walk.py the history walk (`make backfill` and the
hourly budget). Only run.py and walk.py touch the network and the store.
"""

from __future__ import annotations

import logging
from datetime import datetime

from ..core.model import Registry, RunReport
from ..core.settings import Settings
from ..core.timing import timed
from ..store import Store
from . import walk
from .run import run

__all__ = ["hourly", "run"]

log = logging.getLogger(__name__)


def hourly(registry: Registry, store: Store, settings: Settings, now: datetime, *,
           timings: dict[str, float] | None = None) -> RunReport:
    """The hourly build's update: the due feeds, then its share of the history walks, which
    never fails the build."""
    timings = {} if timings is None else timings
    report = run(registry, store, settings, now, timings=timings)
    if settings.backfill_budget <= 0:
        return report
    with timed(timings, "update.backfill"):
        try:
            report.backfilled = walk.budget(registry, store, settings, now).new_entries
        except Exception as exc:  # isolation: the history walk never costs the hourly build
            log.warning("backfill: %s", exc)
    return report
