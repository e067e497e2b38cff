"""One fetch decided: what it changes in the store, as a FeedUpdate. Pure (but for the
maintainer's log).

A fetch ends in one of four ways (`triage`): 304 Not Modified, the same body as last
time, a failure — the feed's health changes, nothing is parsed — or a new body, which is
parsed and cleaned (worker.py) before `after_parse` decides the rest. Every server value
is made publishable first (`publishable`): what the store keeps, /etat/ may show.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
from datetime import datetime
from enum import Enum

from ..clean.detect import Check, Detector, Memory, Union, texts
from ..clean.withhold import DECLARED, HISTORY, OTHER_FEED, checked, cutter_of, home_page
from ..core.entrykeys import without_takedowns
from ..core.identity import Variants
from ..core.model import (
    BackfillState,
    CleanEntry,
    FeedConfig,
    FeedHealth,
    FeedUpdate,
    FetchResult,
    Outcome,
    ParseOutcome,
    Takedowns,
)
from ..core.publicsafe import MOVED, public_reason, safe_etag, safe_last_modified
from ..core.settings import Settings
from . import paging
from .plan import PollPolicy, after_fetch, plan

log = logging.getLogger(__name__)

LINK_NAMED_NOTE = ("{n} billet(s) renvoient à l'accueil du blog : leur adresse contient un nom que le flux "
                   "déclare (voir docs/anonymity.md)")


class Fetched(Enum):
    """How a fetch ended, as far as the update path is concerned."""

    NOT_MODIFIED = "not_modified"  # 304
    SAME_BODY = "same_body"        # 200, byte for byte the body parsed last time
    FAILED = "failed"              # no usable answer (the health says why)
    NEW_BODY = "new_body"          # 200 with a body to parse


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def publishable(result: FetchResult) -> FetchResult:
    """`result` as the store may keep it (core/publicsafe.py): our own words for the error, no
    redirect target, validators that cannot hold a name. The build log is public too (a pull
    request's CI prints it): it says that the feed moved, never where (a path may hold a name,
    « /par/prenom-nom/flux.xml »); `make try` shows the maintainer the new address."""
    if result.permanent_url:
        log.warning("%s: permanent redirect to another address: update feeds.yaml (make try shows it)",
                    result.feed_id)
    error = public_reason(result.error)
    return dataclasses.replace(
        result, error=error, permanent_url=MOVED if result.permanent_url else None,
        etag=safe_etag(result.etag), last_modified=safe_last_modified(result.last_modified))


def triage(result: FetchResult, feed: FeedConfig, health: FeedHealth | None) -> Fetched:
    if result.outcome is Outcome.OK and result.body is not None:
        same = health is not None and health.body_hash == body_hash(result.body) and health.url == feed.feed \
            and health.config_hash == feed.config_hash and health.last_error is None
        return Fetched.SAME_BODY if same else Fetched.NEW_BODY
    return Fetched.NOT_MODIFIED if result.outcome is Outcome.NOT_MODIFIED else Fetched.FAILED


def without_parse(result: FetchResult, feed: FeedConfig, health: FeedHealth | None, fetched: Fetched,
                  pace: PollPolicy | None) -> FeedUpdate:
    """The update of a fetch that needs no parsing: the feed's health only."""
    digest = body_hash(result.body) if fetched is Fetched.SAME_BODY and result.body is not None else None
    return FeedUpdate(feed.id, plan(after_fetch(health, feed, result, body_hash=digest), pace))


def kept(outcome: ParseOutcome, takedowns: Takedowns) -> tuple[CleanEntry, ...] | None:
    """The parsed entries the archive may hold (None: the body could not be read)."""
    return None if outcome.entries is None else without_takedowns(outcome.entries, takedowns)  # never re-imported


def after_parse(result: FetchResult, feed: FeedConfig, health: FeedHealth | None, outcome: ParseOutcome,
                pace: PollPolicy | None, *, entries: tuple[CleanEntry, ...] | None, newest: datetime | None = None,
                walk: BackfillState | None = None) -> FeedUpdate:
    """The update of a fetch whose body was parsed (`outcome`), keeping `entries` (`kept`).
    `newest`: the newest sort date of the feed's archive once they are stored (the store
    tells it before anything is written): a new post brings the feed back to frequent polling.
    `walk`: the feed's history walk seeded from this very fetch (`seed_walk`), if any."""
    ok = outcome.error is None
    digest = body_hash(result.body) if ok and result.body is not None else None
    new = plan(after_fetch(health, feed, result, error=public_reason(outcome.error), body_hash=digest,
                           ttl=outcome.ttl, parsed=ok), pace)
    if outcome.entries is not None:
        named = sum(e.link_named for e in outcome.entries) + outcome.unchanged_named
        new = dataclasses.replace(new, note=LINK_NAMED_NOTE.format(n=named) if named else None)
    if entries and newest != new.last_post:
        new = plan(dataclasses.replace(new, last_post=newest), pace)
    return FeedUpdate(feed.id, new, entries or (), walk, identities=outcome.variants)


def seed_walk(result: FetchResult, feed: FeedConfig, outcome: ParseOutcome, walk: BackfillState | None,
              settings: Settings) -> BackfillState | None:
    """The feed's walk after its first page, when this fetch is that page: walks are on, the
    feed was read, and its walk has not started (or its URL changed in feeds.yaml)."""
    if settings.backfill_budget <= 0 or outcome.entries is None:
        return None
    if walk is not None and walk.feed_url == feed.feed:
        return None
    return paging.seed(feed, result, outcome, settings, result.fetched_at)


# --- the identity memory and the other feeds (docs/anonymity.md, « Withhold when unsure ») ------

UNSAFE_NEXT = "arrêt : l'adresse de la page suivante contient un nom déclaré (elle n'est pas conservée)"


def checks(feed_id: str, union: Union | None, memory: tuple[Memory, Memory],
           declared: Variants | None = None) -> list[tuple[Check, str]]:
    """What a feed's entries are checked against in the parent process, beyond what its own
    parse found (the worker's): the names the run's other feeds declare (`union`, in memory),
    what the feed itself declared before and what the others declared (the identity memory,
    hashed). `declared`: the feed's own variants of this fetch, for its walk's next address."""
    own_before, others_before = memory
    out: list[tuple[Check, str]] = [(Detector(declared), DECLARED)] if declared else []
    if union is not None:
        out.append((union.besides(feed_id), OTHER_FEED))
    out += [(own_before, HISTORY), (others_before, OTHER_FEED)]
    return out


def screened(entries: tuple[CleanEntry, ...] | None, feed: FeedConfig, against: list[tuple[Check, str]],
             union: Union | None = None) -> tuple[CleanEntry, ...] | None:
    """`entries` with every one in which a check finds a name withheld (clean/withhold.py); the
    names the run's other feeds declare (`union`, in the clear) are cut first, as the feed's
    own are cut by its worker."""
    if not entries:
        return entries
    home = home_page(feed)
    cutter = functools.cache(lambda: cutter_of(union.others(feed.id))) if union is not None else None
    return tuple(checked(e, feed.site, home, against, cutter) for e in entries)


def safe_walk(walk: BackfillState | None, feed: FeedConfig,
              against: list[tuple[Check, str]]) -> BackfillState | None:
    """The walk's state, its next address kept only when no check finds a name in it (what it
    adds to the feed's own host); else the walk ends there, and nothing of it is kept. Its
    reason, in our own words already (core/publicsafe.py), is checked too (`safe_text`)."""
    if walk is None:
        return walk
    walk = dataclasses.replace(walk, reason=safe_text(walk.reason, against) or "")
    if not walk.next_url:
        return walk
    found = texts("", "", (), walk.next_url, feed.feed)
    if any(check and check.hits(t) for check, _ in against for t in found):
        return dataclasses.replace(walk, next_url=None, done=True, reason=UNSAFE_NEXT)
    return walk


UNSAFE_TEXT = "erreur (son texte contient un nom déclaré : il n'est pas conservé)"


def safe_text(text: str | None, against: list[tuple[Check, str]]) -> str | None:
    """A text of /etat/ or of the walk table (an error, a note), replaced by `UNSAFE_TEXT` when
    a check finds a declared name in it: a second look, by the detector, after
    core/publicsafe.py has cut every server value it recognises."""
    if text and any(check and check.hits(text) for check, _ in against):
        return UNSAFE_TEXT
    return text


def safe_health(update: FeedUpdate, against: list[tuple[Check, str]]) -> FeedUpdate:
    """`update` with its health's error and note checked by `safe_text`."""
    h = update.health
    if h is None or not (h.last_error or h.note):
        return update
    return dataclasses.replace(update, health=dataclasses.replace(
        h, last_error=safe_text(h.last_error, against), note=safe_text(h.note, against)))
