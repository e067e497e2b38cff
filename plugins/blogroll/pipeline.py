"""One update run: registry -> fetch -> parse+clean (process pool) -> store.

No stage reaches back: this module is the only one that knows the order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, urlsplit

from . import paging, schedule
from .core.entrykeys import without_takedowns
from .core.errors import ParseError
from .core.model import FeedConfig, FetchResult, Outcome, ParseOutcome, Registry, RunReport, Vocabulary
from .core.procs import die_with_parent
from .core.publicsafe import MOVED, public_reason, safe_etag, safe_last_modified
from .core.settings import Settings
from .fetch import AddressPolicy, FetchRequest, fetch_all
from .store import Store

log = logging.getLogger(__name__)

# Below this many bodies a process pool costs more than it saves.
POOL_THRESHOLD = 8


@dataclass(frozen=True)
class ParseJob:
    body: bytes
    base_url: str
    content_type: str | None
    feed: FeedConfig
    vocabulary: Vocabulary
    max_entries: int
    excerpt_words: int
    native_parser: bool = True



def parse_feed(body: bytes, **kw):
    """parse.parse_feed, imported on first use: feedparser, nh3 and the clean stage are loaded
    only by a build that parses a body (not by one where every feed answered 304)."""
    from .parse import parse_feed as parse

    return parse(body, **kw)


def clean_entries(*args, **kw):
    """clean.entry.clean_entries, imported on first use (see parse_feed)."""
    from .clean.entry import clean_entries as clean

    return clean(*args, **kw)


def parse_and_clean(job: ParseJob) -> ParseOutcome:
    """Pure and picklable: runs in a worker process. Never raises."""
    try:
        parsed = parse_feed(job.body, base_url=job.base_url, content_type=job.content_type,
                            max_entries=job.max_entries, native=job.native_parser)
        entries = clean_entries(parsed.entries, job.feed, job.vocabulary, excerpt_words=job.excerpt_words,
                                identities=parsed.identities + redirect_identities(job))
        ttl = schedule.feed_ttl(parsed.ttl_minutes, parsed.update_period, parsed.update_frequency)
        return ParseOutcome(tuple(entries), None, parsed.warnings, ttl, parsed.links, parsed.generator,
                            len(parsed.entries))
    except ParseError as exc:
        return ParseOutcome(None, str(exc), detail=exc.detail)
    except Exception as exc:  # isolation: a bug on one feed never loses the run
        return ParseOutcome(None, f"flux illisible (erreur interne : {type(exc).__name__})")


def redirect_identities(job: ParseJob) -> tuple[str, ...]:
    """The path segments of where the server sent us (a 302 to /par/prenom-nom/flux.xml) that the
    registered URL does not have: a server's value, treated as a name the feed declares, so that
    relative links resolved against it never publish it."""
    if job.base_url == job.feed.feed:
        return ()
    try:
        ours = set(urlsplit(job.feed.feed).path.split("/"))
        theirs = urlsplit(job.base_url)
    except ValueError:
        return ()
    segments = [x for x in unquote(theirs.path).split("/")[:-1] if x and x not in ours]
    host = theirs.hostname or ""
    if host and host != urlsplit(job.feed.feed).hostname:
        segments.append(host.split(".")[0])
    return tuple(segments)


WORKER_DIED = "flux illisible : son analyse a arrêté le processus qui la menait (mémoire épuisée ou plantage)"


def run_jobs(jobs: list[ParseJob], workers: int) -> list[ParseOutcome]:
    """Parse and clean every job; results in job order. A worker that dies (killed by the
    out-of-memory killer, a crash in C code) costs its own feed only: the jobs the broken
    pool did not answer are run again, each in a process of its own."""
    if workers <= 0 or len(jobs) < POOL_THRESHOLD:
        return [parse_and_clean(j) for j in jobs]
    ctx = multiprocessing.get_context("fork")
    outcomes: list[ParseOutcome | None] = [None] * len(jobs)
    try:
        with _pool(workers, ctx) as pool:
            for i, outcome in enumerate(pool.map(parse_and_clean, jobs, chunksize=4)):
                outcomes[i] = outcome
    except BrokenProcessPool:
        log.warning("a parse worker died; %d feeds parsed again one by one",
                    sum(o is None for o in outcomes))
    for i, job in enumerate(jobs):
        if outcomes[i] is None:
            outcomes[i] = _alone(job, ctx)
    return outcomes  # type: ignore[return-value]


def _pool(workers: int, ctx) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=die_with_parent,
                               initargs=(os.getpid(),))


def _alone(job: ParseJob, ctx) -> ParseOutcome:
    try:
        with _pool(1, ctx) as pool:
            return pool.submit(parse_and_clean, job).result()
    except BrokenProcessPool:
        return ParseOutcome(None, WORKER_DIED)


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def poll_policy(settings: Settings) -> schedule.PollPolicy | None:
    """The adaptive polling bounds, or None when every feed is fetched at every build."""
    if not settings.poll_adaptive:
        return None
    return schedule.PollPolicy(timedelta(hours=settings.poll_min_hours), timedelta(hours=settings.poll_max_hours),
                               settings.poll_divisor)


LINK_NAMED_NOTE = ("{n} billet(s) renvoient à l'accueil du blog : leur adresse contient un nom que le flux "
                   "déclare (voir docs/anonymity.md)")


def publishable(result: FetchResult) -> FetchResult:
    """`result` as the store may keep it (core/publicsafe.py): our own words for the error, the
    redirect target and any server-supplied value to the log only, validators that cannot hold
    a name."""
    if result.permanent_url:
        log.warning("%s: permanent redirect to %s: update feeds.yaml", result.feed_id, result.permanent_url)
    error = public_reason(result.error)
    if result.error and error != result.error:
        log.warning("%s: %s", result.feed_id, result.error)
    return dataclasses.replace(
        result, error=error, permanent_url=MOVED if result.permanent_url else None,
        etag=safe_etag(result.etag), last_modified=safe_last_modified(result.last_modified))


def _triage(results: list[FetchResult], feeds: dict[str, FeedConfig], healths: dict, store: Store,
            report: RunReport, to_parse: list[tuple[FetchResult, str]], now: datetime,
            pace: schedule.PollPolicy | None = None) -> None:
    """Record what needs no parsing (304, same body as last time, failure); queue the rest."""
    for result in results:
        result = publishable(result)
        feed = feeds[result.feed_id]
        health = healths.get(feed.id)
        if result.outcome is Outcome.OK and result.body is not None:
            digest = body_hash(result.body)
            if health and health.body_hash == digest and health.url == feed.feed \
                    and health.config_hash == feed.config_hash and health.last_error is None:
                report.unchanged_body += 1
                store.record(schedule.plan(schedule.after_fetch(health, feed, result, body_hash=digest), pace),
                             None, now)
            else:
                to_parse.append((result, digest))  # the body: parsed, never stored
            continue
        if result.outcome is Outcome.NOT_MODIFIED:
            report.not_modified += 1
        else:
            report.failed += 1
            report.errors[feed.id] = result.error or ""
        store.record(schedule.plan(schedule.after_fetch(health, feed, result), pace), None, now)


def update(registry: Registry, store: Store, settings: Settings,
           now: datetime | None = None, *, policy: AddressPolicy | None = None,
           timings: dict[str, float] | None = None) -> RunReport:
    """Fetch every due feed and store what changed. One feed's failure never stops the run.

    `policy` overrides which addresses fetches may reach (tests of the SSRF guard only).
    `timings`, when given, receives the seconds spent fetching, parsing and storing.
    """
    timings = {} if timings is None else timings
    clock = time.perf_counter()
    now = now or datetime.now(UTC)
    report = RunReport()
    pace = poll_policy(settings)
    feeds = {f.id: f for f in registry.active}
    healths = store.all_health()
    requests = []
    for feed in feeds.values():
        ok, why = schedule.due(healths.get(feed.id), feed, now)
        if ok:
            h = healths.get(feed.id)
            requests.append(FetchRequest(feed.id, feed.feed, h.validators if h else None))
        else:
            report.skipped += 1
            log.info("%s: not fetched (%s)", feed.id, why)
    results = fetch_all(requests, settings, now, policy=policy) if requests else []
    timings["update.fetch"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()

    to_parse: list[tuple[FetchResult, str]] = []
    with store.transaction():  # health-only records, most of an hourly run: one commit for all
        _triage(results, feeds, healths, store, report, to_parse, now, pace)
    timings["update.unchanged"] = round(time.perf_counter() - clock, 3)  # 304s and same bodies recorded

    jobs = [ParseJob(r.body or b"", r.final_url or r.url, r.content_type, feeds[r.feed_id], registry.vocabulary,
                     settings.max_entries_per_feed, settings.excerpt_words,
                     settings.native_parser)
            for r, _ in to_parse]
    clock = time.perf_counter()
    outcomes = run_jobs(jobs, settings.parse_workers)
    timings["update.parse"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()
    walks = store.backfill_states() if to_parse and settings.backfill_budget > 0 else {}
    for (result, digest), outcome in zip(to_parse, outcomes, strict=True):
        feed = feeds[result.feed_id]
        health = healths.get(feed.id)
        if outcome.detail:
            log.warning("%s: %s (%s)", feed.id, outcome.error, outcome.detail)
        new_health = schedule.plan(schedule.after_fetch(
            health, feed, result, error=public_reason(outcome.error),
            body_hash=digest if outcome.error is None else None, ttl=outcome.ttl,
            parsed=outcome.error is None), pace)
        entries = outcome.entries
        if entries is not None:
            named = sum(e.link_named for e in entries)
            new_health = dataclasses.replace(new_health, note=LINK_NAMED_NOTE.format(n=named) if named else None)
        if entries is not None and registry.takedowns:  # never re-imported
            entries = without_takedowns(entries, registry.takedowns)
        with store.transaction():
            new, updated = store.record(new_health, entries, now)
            if entries:  # a new post brings the feed back to frequent polling
                latest = store.last_post(feed.id)
                if latest != new_health.last_post:
                    store.record(schedule.plan(dataclasses.replace(new_health, last_post=latest), pace), None,
                                 now, attempted=False)
            walk = walks.get(feed.id)
            if settings.backfill_budget > 0 and entries is not None and (walk is None or walk.feed_url != feed.feed):
                # The feed just parsed is the first page of its history walk: no request for it.
                store.record_backfill(paging.seed(feed, result, outcome, settings, now), None, now)
        report.fetched += 1
        report.new_entries += new
        report.updated_entries += updated
        if outcome.error:
            report.failed += 1
            report.errors[feed.id] = outcome.error
    timings["update.store"] = round(time.perf_counter() - clock, 3)
    return report
