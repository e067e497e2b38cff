"""Parse and clean one feed body, in a worker process: bytes in, ParseOutcome out.

`parse_and_clean` is pure and picklable and never raises: one feed's bug never loses the
run. `run_jobs` spreads the bodies over a fork pool; a worker that dies (the
out-of-memory killer, a crash in C code) costs its own feed only. This module loads the
parse and clean stages (feedparser, phonenumbers, the stemmer: ~0.2 s): run.py imports it only when a body needs
parsing, so an hourly run where every feed answered 304 never loads them.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from urllib.parse import unquote, urlsplit

from ..clean.entry import clean_changed, declared_variants
from ..core.errors import ParseError
from ..core.files import source_digest
from ..core.model import FeedConfig, ParseOutcome, Vocabulary
from ..core.procs import die_with_parent
from ..parse import parse_feed
from .plan import feed_ttl

log = logging.getLogger(__name__)

# Below this many bodies a process pool costs more than it saves.
POOL_THRESHOLD = 8
WORKER_DIED = "flux illisible : son analyse a arrêté le processus qui la menait (mémoire épuisée ou plantage)"


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
    # The raw keys the archive holds for this feed, and the run's clean scope (clean/entry.py
    # `clean_changed`): an entry the archive holds as fetched is not cleaned again.
    known: frozenset[str] = frozenset()
    scope: str = ""


def parse_and_clean(job: ParseJob) -> ParseOutcome:
    """Pure and picklable: runs in a worker process. Never raises."""
    try:
        parsed = parse_feed(job.body, base_url=job.base_url, content_type=job.content_type,
                            max_entries=job.max_entries, native=job.native_parser)
        redirected = redirect_identities(job)
        cleaned = clean_changed(parsed.entries, job.feed, job.vocabulary, excerpt_words=job.excerpt_words,
                                identities=parsed.identities, suspects=parsed.suspects, redirected=redirected,
                                known=job.known, scope=job.scope)
        ttl = feed_ttl(parsed.ttl_minutes, parsed.update_period, parsed.update_frequency)
        # What the feed declares, for the other feeds and the identity memory: its person fields,
        # the redirect's path segments (« /par/prenom-nom/flux.xml »: the identity model reads
        # no name in a server's words, « index.php », « feed ») and its channel suspects.
        declared, channel = declared_variants(job.feed, parsed.identities + redirected, parsed.suspects)
        return ParseOutcome(tuple(cleaned.entries), None, parsed.warnings, ttl, parsed.links, parsed.generator,
                            len(parsed.entries), variants=declared | channel, unchanged=cleaned.unchanged,
                            unchanged_named=cleaned.unchanged_named)
    except ParseError as exc:
        return ParseOutcome(None, str(exc), detail=exc.detail)
    except Exception as exc:  # isolation: a bug on one feed never loses the run
        return ParseOutcome(None, f"flux illisible (erreur interne : {type(exc).__name__})")


def clean_scope(vocabulary: Vocabulary) -> str:
    """What every entry of a run is cleaned with, beyond the entry and its feed: the code of the
    parse, clean and core stages (their source files) and the vocabulary. Another release or
    another specialties.yaml, and every entry is cleaned again once."""
    digest = hashlib.sha256(repr(vocabulary).encode("utf-8", "surrogatepass"))
    digest.update(source_digest("core", "parse", "clean"))
    return digest.hexdigest()


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


def run_jobs(jobs: list[ParseJob], workers: int) -> list[ParseOutcome]:
    """Parse and clean every job; results in job order. A worker that dies costs its own feed
    only: the jobs the broken pool did not answer are run again, each in a process of its own."""
    if workers <= 0 or len(jobs) < POOL_THRESHOLD:
        return [parse_and_clean(j) for j in jobs]
    ctx = multiprocessing.get_context("fork")
    prepare(jobs)
    outcomes: list[ParseOutcome | None] = [None] * len(jobs)
    try:
        with _pool(workers, ctx) as pool:
            for i, outcome in enumerate(pool.map(parse_and_clean, jobs, chunksize=4)):
                outcomes[i] = outcome
    except BrokenProcessPool:
        log.warning("a parse worker died; %d feeds parsed again one by one", sum(o is None for o in outcomes))
    return [o if o is not None else _alone(job, ctx) for job, o in zip(jobs, outcomes, strict=True)]


# A feed of one post naming its author: what `prepare` runs through parse and clean. Written for
# this project (a made-up name and text).
_WARM_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<channel><title>Carnet de garde</title><link>https://carnet.example/</link>"
    b"<item><title>Une nuit aux urgences</title><link>https://carnet.example/2026/nuit/</link>"
    b"<dc:creator>Ombeline Tavernier</dc:creator><category>garde</category><description>"
    b"&lt;p&gt;Une nuit de garde, un patient f\xc3\xa9brile, une ordonnance et un caf\xc3\xa9 froid "
    b"&lt;a href=\"https://autre.example/billet\"&gt;comme ailleurs&lt;/a&gt;.&lt;/p&gt;"
    b"</description></item></channel></rss>"
)


def prepare(jobs: list[ParseJob]) -> None:
    """Build, in this process, the tables parse and clean build on their first feed (the word
    list, the confusables, each vocabulary's matcher…: ~1.7 s of CPU), by running one made-up
    feed through them per vocabulary: the fork pool's workers then inherit them instead of each
    building its own. Its outcome is dropped; what it leaves behind are pure functions' caches."""
    vocabularies = {id(j.vocabulary): j for j in jobs}
    for job in vocabularies.values():
        parse_and_clean(ParseJob(_WARM_FEED, "https://carnet.example/feed/", "application/rss+xml",
                                 job.feed, job.vocabulary, job.max_entries, job.excerpt_words,
                                 job.native_parser))


def _pool(workers: int, ctx: BaseContext) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=die_with_parent,
                               initargs=(os.getpid(),))


def _alone(job: ParseJob, ctx: BaseContext) -> ParseOutcome:
    try:
        with _pool(1, ctx) as pool:
            return pool.submit(parse_and_clean, job).result()
    except BrokenProcessPool:
        return ParseOutcome(None, WORKER_DIED)
