"""Backfill: walk each feed's older pages once and archive what they hold.

A feed carries its last 10 to 25 posts; the platforms page through the rest:

- RFC 5005: `<link rel="prev-archive">` (archived feeds) or `rel="next"` (paged feeds),
  which Blogger's Atom and many others also give;
- WordPress: the same feed URL with `?paged=2`, `?paged=3`… (HTTP 404 past the end);
- Blogger: `feeds/posts/default?start-index=N&max-results=M`.

Over-blog and canalblog feeds give no paging we could evidence: their walk ends at the
first page, with the reason on record. Every page goes through the same fetch (SSRF guard,
size cap, timeouts), parse and clean (identities redacted) as the hourly run
(worker.parse_and_clean), and into the store as the same FeedUpdate; the walk's state is
committed with each page's entries (the store's `backfill` table), so a killed run resumes
where it was and a finished walk is never fetched again. Caps per feed: pages, entries, bytes; per
run: seconds. Polite: one request at a time per host, `backfill_delay` seconds apart.

Which paging a feed offers and which page comes next are pure decisions (paging.py).
`run` is what `python -m pelican.plugins.blogroll backfill` calls; `budget` is the few pages each hourly
build spends after the hourly run (update.hourly): one round, one page per feed on
distinct hosts, fetched concurrently, never waiting (so a blog's walk advances a page per
build; `make backfill` does it at once).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from ..clean.withhold import home_page
from ..core.entrykeys import without_takedowns
from ..core.identity import Variants
from ..core.model import BackfillState, FeedConfig, FeedUpdate, FetchResult, Outcome, ParseOutcome, Registry
from ..core.settings import Settings
from ..fetch import FetchRequest, fetch_all
from ..store import Store
from . import decide
from .paging import after_page

log = logging.getLogger(__name__)

# --- running ---------------------------------------------------------------------------

@dataclass
class BackfillReport:
    pages: int = 0
    new_entries: int = 0
    undated: int = 0
    finished: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    stopped: str = ""        # why the run stopped before every walk ended (time, page budget)


def pending(registry: Registry, store: Store, ids: list[str] | None = None) -> list[tuple[FeedConfig, BackfillState]]:
    """The walks still to do, new blogs first, then those with the fewest pages walked.
    A walk whose feed URL changed in feeds.yaml starts again."""
    feeds = registry.by_id()
    chosen = [feeds[i] for i in ids if i in feeds] if ids else list(registry.active)
    states = store.backfill_states()
    out = []
    for feed in chosen:
        state = states.get(feed.id)
        if state is None or state.feed_url != feed.feed:
            state = BackfillState(feed.id, feed.feed)
        if not state.done:
            out.append((feed, state))
    return sorted(out, key=lambda fs: (fs[1].pages > 0, fs[1].pages))


def _page(feed: FeedConfig, state: BackfillState, result: FetchResult, registry: Registry, store: Store,
          settings: Settings, now: datetime, report: BackfillReport) -> BackfillState:
    update = _decide_page(feed, state, result, registry, store, settings, now, report)
    new_state = update.walk
    assert new_state is not None
    report.new_entries += store.apply(update, now, homes={f.id: home_page(f) for f in registry.feeds}).new
    report.pages += result.outcome is Outcome.OK
    if new_state.done:
        report.finished.append(feed.id)
        log.info("backfill %s: %s (%d pages, %d entries)", feed.id, new_state.reason, new_state.pages,
                 new_state.entries)
    elif new_state.failures:
        report.errors[feed.id] = new_state.reason
    return new_state


def _decide_page(feed: FeedConfig, state: BackfillState, result: FetchResult, registry: Registry, store: Store,
                 settings: Settings, now: datetime, report: BackfillReport) -> FeedUpdate:
    """The page's FeedUpdate: its dated entries and the walk's next state; the feed's health
    is left alone (the hourly run owns it)."""
    url = state.next_url or feed.feed
    if state.pages and result.outcome is Outcome.OK and result.body is not None \
            and _same_as_feed(store, feed.id, result.body):
        # An "older page" that is the feed itself, byte for byte (a server ignoring the paging
        # parameter): nothing to parse, the history ends here.
        return FeedUpdate(feed.id, walk=dataclasses.replace(
            state, pages=state.pages + 1, bytes=state.bytes + len(result.body), done=True, next_url=None,
            updated=now, reason="fin de l'historique (la page répète le flux)"))
    outcome: ParseOutcome | None = None
    if result.outcome is Outcome.OK and result.body is not None:
        # Loads the parse and clean stages (feedparser, phonenumbers…) only when a page needs parsing.
        from .worker import ParseJob, parse_and_clean

        outcome = parse_and_clean(ParseJob(result.body, result.final_url or url, result.content_type, feed,
                                           registry.vocabulary, settings.max_entries_per_feed,
                                           settings.excerpt_words, native_parser=settings.native_parser))
    entries = (outcome.entries or ()) if outcome else ()
    # An undated post of an old page would be filed as today's: it is left out.
    dated = tuple(e for e in entries if e.published is not None)
    report.undated += len(entries) - len(dated)
    fresh = store.unknown(dated) if dated else None
    new_state = after_page(state, url, result, outcome, outcome.links if outcome else (),
                           outcome.generator if outcome else "", outcome.raw_count if outcome else 0,
                           settings, now, fresh)
    # What the feed declared on its first page (or any feed did), remembered as hashes: a page
    # that declares nothing is still checked against it, and so is its next address.
    declared = outcome.variants if outcome else Variants(frozenset(), frozenset())
    memory = store.memory(feed.id)
    kept = decide.screened(without_takedowns(dated, registry.takedowns), feed, decide.checks(feed.id, None, memory))
    walk = decide.safe_walk(new_state, feed, decide.checks(feed.id, None, memory, declared))
    return FeedUpdate(feed.id, entries=kept or (), walk=walk, identities=declared)


def _same_as_feed(store: Store, feed_id: str, body: bytes) -> bool:
    health = store.health(feed_id)
    return health is not None and health.body_hash == decide.body_hash(body)


def _host(url: str) -> str:
    """Host and port: politeness is per server."""
    return urlsplit(url).netloc.lower().rsplit("@", 1)[-1]


def run(registry: Registry, store: Store, settings: Settings, now: datetime, *, ids: list[str] | None = None,
        max_pages: int | None = None, max_seconds: float | None = None, rounds: int | None = None,
        progress: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> BackfillReport:
    """Walk the pending feeds' histories, in rounds of one page per feed on distinct hosts
    (fetched concurrently, never two at once on one host, `backfill_delay` apart on a host),
    until every walk ends, `max_pages` pages are fetched or `max_seconds` have passed."""
    report = BackfillReport()
    deadline = clock() + (settings.backfill_max_seconds if max_seconds is None else max_seconds)
    last_request: dict[str, float] = {}
    walks = pending(registry, store, ids)
    width = max(1, settings.concurrency)
    done_rounds = 0
    while walks:
        if rounds is not None and done_rounds >= rounds:
            break
        done_rounds += 1
        left = None if max_pages is None else max_pages - report.pages
        if left is not None and left <= 0:
            report.stopped = "budget de pages épuisé"
            break
        if clock() >= deadline:
            report.stopped = "temps imparti écoulé"
            break
        batch: list[tuple[FeedConfig, BackfillState]] = []
        hosts: set[str] = set()
        for feed, state in walks:
            host = _host(state.next_url or feed.feed)
            if host not in hosts and len(batch) < min(width, left if left is not None else width):
                hosts.add(host)
                batch.append((feed, state))
        wait = max((last_request[h] + settings.backfill_delay - clock() for h in hosts if h in last_request),
                   default=0.0)
        if wait > 0:
            if clock() + wait >= deadline:
                report.stopped = "temps imparti écoulé"
                break
            sleep(wait)
        requests = [FetchRequest(feed.id, state.next_url or feed.feed) for feed, state in batch]
        results = [decide.publishable(r) for r in fetch_all(requests, settings, now)]
        for h in hosts:
            last_request[h] = clock()
        done_now: dict[str, BackfillState] = {}
        for (feed, state), result in zip(batch, results, strict=True):
            new_state = _page(feed, state, result, registry, store, settings, now, report)
            done_now[feed.id] = new_state
            if progress:
                progress(f"{feed.id} : page {new_state.pages} "
                         + (f"— {new_state.reason}" if new_state.reason else "→ page suivante"))  # no server address
        walks = [(f, done_now.get(f.id, s)) for f, s in walks]
        # A failed page is tried again at the next run, not in this one.
        walks = [(f, s) for f, s in walks if not s.done and not (f.id in done_now and s.failures)]
    return report


def budget(registry: Registry, store: Store, settings: Settings, now: datetime) -> BackfillReport:
    """The hourly build's share: one round of at most `backfill_budget` pages, one per feed,
    on distinct hosts, fetched concurrently: no wait for the delay, no host asked twice
    (the next page of a walk comes at the next build). Bounded by `backfill_budget_seconds`."""
    if settings.backfill_budget <= 0 or settings.offline:
        return BackfillReport()
    bounded = dataclasses.replace(settings, total_timeout=min(settings.total_timeout,
                                                              settings.backfill_budget_seconds),
                                  concurrency=settings.backfill_budget)
    return run(registry, store, bounded, now, max_pages=settings.backfill_budget,
               max_seconds=settings.backfill_budget_seconds, rounds=1)
