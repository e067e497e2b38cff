"""The hourly run: every due feed fetched, each fetch decided, each decision stored.

One feed's failure never stops the run; see __init__.py for the whole update path.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from ..clean.detect import Union, shared
from ..clean.withhold import home_page
from ..core.model import (
    BackfillState,
    FeedConfig,
    FeedHealth,
    FeedUpdate,
    FetchResult,
    ParseOutcome,
    Registry,
    RunReport,
)
from ..core.settings import Settings
from ..core.timing import timed
from ..fetch import FetchRequest, fetch_all
from ..store import Store
from . import decide
from .decide import Fetched
from .plan import PollPolicy, due, poll_policy

log = logging.getLogger(__name__)


def run(registry: Registry, store: Store, settings: Settings, now: datetime | None = None, *,
        timings: dict[str, float] | None = None) -> RunReport:
    """Fetch every due feed and store what changed.

    `timings`, when given, receives the seconds spent fetching, parsing and storing."""
    timings = {} if timings is None else timings
    now = now or datetime.now(UTC)
    report = RunReport()
    pace = poll_policy(settings)
    feeds = {f.id: f for f in registry.active}
    healths = store.all_health()
    with timed(timings, "update.fetch"):
        results = _fetch_due(feeds, healths, settings, now, report)
    to_parse: list[FetchResult] = []
    with timed(timings, "update.unchanged"), store.transaction():  # most of an hourly run: one commit
        for result in results:
            feed, health = feeds[result.feed_id], healths.get(result.feed_id)
            fetched = decide.triage(result, feed, health)
            if fetched is Fetched.NEW_BODY:
                to_parse.append(result)  # the body: parsed, never stored
                continue
            _count(report, fetched, feed.id, result.error)
            update = decide.without_parse(result, feed, health, fetched, pace)
            if result.error:  # checked for names too, as every text of /etat/
                update = decide.safe_health(update, decide.checks(feed.id, None, store.memory(feed.id)))
            store.apply(update, now)
    with timed(timings, "update.parse"):
        outcomes = _parse(to_parse, feeds, registry, settings, store)
        report.unchanged_entries += sum(o.unchanged for o in outcomes)
    with timed(timings, "update.store"):
        walks = store.backfill_states() if to_parse and settings.backfill_budget > 0 else {}
        # What every feed of this run declares, in memory only: each feed's posts are checked
        # against the others' (clean/detect.py Union), then stored with their hashes.
        union = Union({r.feed_id: shared(o.variants) for r, o in zip(to_parse, outcomes, strict=True)},
                      {r.feed_id: o.variants for r, o in zip(to_parse, outcomes, strict=True)})
        homes = {f.id: home_page(f) for f in registry.feeds}
        for result, outcome in zip(to_parse, outcomes, strict=True):
            feed = feeds[result.feed_id]
            update = _after_parse(result, feed, healths.get(feed.id), outcome, registry, store, settings, pace,
                                  walk=walks.get(feed.id), union=union)
            applied = store.apply(update, now, homes=homes, screened=union)
            report.fetched += 1
            report.new_entries += applied.new
            report.updated_entries += applied.updated
            if outcome.error:
                report.failed += 1
                report.errors[feed.id] = outcome.error
    return report


def _fetch_due(feeds: dict[str, FeedConfig], healths: dict[str, FeedHealth], settings: Settings, now: datetime,
               report: RunReport) -> list[FetchResult]:
    """Fetch the feeds that are due (plan.due); the others are counted as skipped. Every
    result is made publishable before anything reads it."""
    requests = []
    for feed in feeds.values():
        health = healths.get(feed.id)
        ok, why = due(health, feed, now)
        if ok:
            requests.append(FetchRequest(feed.id, feed.feed, health.validators if health else None))
        else:
            report.skipped += 1
            log.info("%s: not fetched (%s)", feed.id, why)
    results = fetch_all(requests, settings, now) if requests else []
    return [decide.publishable(r) for r in results]


def _count(report: RunReport, fetched: Fetched, feed_id: str, error: str | None) -> None:
    if fetched is Fetched.SAME_BODY:
        report.unchanged_body += 1
    elif fetched is Fetched.NOT_MODIFIED:
        report.not_modified += 1
    else:
        report.failed += 1
        report.errors[feed_id] = error or ""


def _parse(results: list[FetchResult], feeds: dict[str, FeedConfig], registry: Registry,
           settings: Settings, store: Store) -> list[ParseOutcome]:
    """Parse and clean every new body; an entry the archive holds as fetched (its raw key) is
    not cleaned again (clean/entry.py `clean_changed`)."""
    if not results:
        return []
    # Loads the parse and clean stages (feedparser, phonenumbers…): only a run with a body to parse does.
    from .worker import ParseJob, clean_scope, run_jobs

    scope = clean_scope(registry.vocabulary)
    known = store.raw_keys([r.feed_id for r in results])
    jobs = [ParseJob(r.body or b"", r.final_url or r.url, r.content_type, feeds[r.feed_id], registry.vocabulary,
                     settings.max_entries_per_feed, settings.excerpt_words, settings.native_parser,
                     known=known.get(r.feed_id, frozenset()), scope=scope)
            for r in results]
    return run_jobs(jobs, settings.parse_workers)


def _after_parse(result: FetchResult, feed: FeedConfig, health: FeedHealth | None, outcome: ParseOutcome,
                 registry: Registry, store: Store, settings: Settings, pace: PollPolicy | None, *,
                 walk: BackfillState | None, union: Union) -> FeedUpdate:
    """decide.after_parse, given what only the store knows: the feed's newest post once the
    kept entries are archived, and the identity memory (with the run's `union`, what the
    entries and the walk's next address are checked against)."""
    if outcome.detail:
        # The error is in our own words; the detail quotes the server's document (a parser's
        # message, the addresses a page announces): a build log may be public (a CI run), so it
        # is shown only when asked for (-D, debug level).
        log.warning("%s: %s", feed.id, outcome.error)
        log.debug("%s: detail: %s", feed.id, outcome.detail)
    memory = store.memory(feed.id, union)
    entries = decide.screened(decide.kept(outcome, registry.takedowns), feed,
                              decide.checks(feed.id, union, memory), union)
    newest = store.newest(feed.id, entries, result.fetched_at) if entries else None
    against = decide.checks(feed.id, union, memory, outcome.variants)
    seeded = decide.safe_walk(decide.seed_walk(result, feed, outcome, walk, settings), feed, against)
    return decide.safe_health(decide.after_parse(result, feed, health, outcome, pace, entries=entries, newest=newest,
                                                 walk=seeded), against)


