"""When to fetch a feed, and what a fetch outcome does to its health. Pure functions.

Adaptive polling: a feed that answered well is fetched again after (time since its
newest post) / divisor, between a minimum (an hour: every build) and a maximum (a
day), and never before what the server said stays fresh (Cache-Control max-age,
Expires, RSS <ttl>, sy:updatePeriod/updateFrequency), within the same bounds. A blog
that just posted is fetched at every build; a weekly one every few hours; one silent
for years once a day. `plan` writes the decision into FeedHealth.next_poll, `due`
reads it. The entry count a health carries is the store's to derive, never set here.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from ..core.model import FeedConfig, FeedHealth, FetchResult, Outcome
from ..core.settings import Settings

# Hourly runs start a few minutes apart; a back-off ending just after a run
# must not cost a whole extra hour.
SLACK = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=24)


@dataclass(frozen=True)
class PollPolicy:
    """The bounds of adaptive polling (from settings: poll_min_hours, poll_max_hours, poll_divisor)."""

    min_interval: timedelta = timedelta(hours=1)
    max_interval: timedelta = timedelta(hours=24)
    divisor: float = 8.0


def poll_policy(settings: Settings) -> PollPolicy | None:
    """The adaptive polling bounds, or None when every feed is fetched at every build."""
    if not settings.poll_adaptive:
        return None
    return PollPolicy(timedelta(hours=settings.poll_min_hours), timedelta(hours=settings.poll_max_hours),
                      settings.poll_divisor)


def due(health: FeedHealth | None, feed: FeedConfig, now: datetime) -> tuple[bool, str | None]:
    """(fetch now?, why not). A maintainer's edit of the entry lifts gone/back-off/pace."""
    if health is None or health.config_hash != feed.config_hash:
        return True, None
    if health.gone:
        return False, "flux supprimé (HTTP 410) : modifiez son entrée dans feeds.yaml pour réessayer"
    if health.next_attempt and now < health.next_attempt:
        return False, "en attente jusqu'à " + health.next_attempt.isoformat(timespec="minutes")
    if health.next_poll and now < health.next_poll and health.last_error is None:
        return False, "rythme du blog : prochaine récupération vers " + health.next_poll.isoformat(timespec="minutes")
    return True, None


def interval(health: FeedHealth, policy: PollPolicy) -> timedelta:
    """How long after its last attempt a healthy feed is fetched again (see the module doc)."""
    at = health.last_attempt
    if at is None:
        return policy.min_interval
    pace = policy.min_interval
    if health.last_post is not None:
        pace = max(at - health.last_post, timedelta(0)) / max(policy.divisor, 1.0)
    hints = [pace]
    if health.fresh_until is not None:
        hints.append(health.fresh_until - at)
    if health.feed_ttl:
        hints.append(timedelta(seconds=health.feed_ttl))
    return min(max(max(hints), policy.min_interval), policy.max_interval)


def plan(health: FeedHealth, policy: PollPolicy | None) -> FeedHealth:
    """`health` with its next_poll set: None when the feed is due at every build (no
    policy, a failure — back-off rules then —, or an interval of one build)."""
    if policy is None or health.last_error is not None or health.gone or health.last_attempt is None:
        return dataclasses.replace(health, next_poll=None)
    wait = interval(health, policy)
    if wait <= policy.min_interval:
        return dataclasses.replace(health, next_poll=None)
    return dataclasses.replace(health, next_poll=health.last_attempt + wait - SLACK)


_MAX_AGE = re.compile(r"(?:^|[,\s])(s-)?max-age\s*=\s*\"?(\d+)", re.I)
_NO_CACHE = re.compile(r"(?:^|[,\s])(no-cache|no-store)(?:$|[,\s=])", re.I)
# sy:updatePeriod (RSS 1.0 syndication module): the period, divided by updateFrequency.
PERIODS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1),
           "monthly": timedelta(days=30), "yearly": timedelta(days=365)}


def fresh_until(result: FetchResult) -> datetime | None:
    """Until when the server says the response stays fresh: Cache-Control max-age wins over
    Expires (RFC 9111); no-cache, no-store, a past or unreadable date: None."""
    now = result.fetched_at
    cc = result.cache_control or ""
    if cc:
        if _NO_CACHE.search(cc):
            return None
        m = _MAX_AGE.search(cc)
        if m:
            seconds = int(m.group(2)[:9])
            return now + timedelta(seconds=seconds) if seconds > 0 else None
    if result.expires:
        try:
            when = parsedate_to_datetime(result.expires.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when if when > now else None
    return None


def feed_ttl(ttl_minutes: int | None, update_period: str | None, update_frequency: int | None) -> int | None:
    """Seconds between updates the feed itself announces (<ttl>, else sy:updatePeriod /
    sy:updateFrequency), or None."""
    if ttl_minutes and ttl_minutes > 0:
        return min(ttl_minutes, 60 * 24 * 365) * 60
    period = PERIODS.get((update_period or "").strip().lower())
    if period is None:
        return None
    frequency = update_frequency if update_frequency and update_frequency > 0 else 1
    return int(period.total_seconds() // frequency)


def backoff(failures: int) -> timedelta:
    """No wait after one failure, then 2 h, 4 h, 8 h, 16 h, 24 h at most."""
    if failures <= 1:
        return timedelta(0)
    return min(timedelta(hours=2 ** (failures - 1)), MAX_BACKOFF) - SLACK


def after_fetch(health: FeedHealth | None, feed: FeedConfig, result: FetchResult,
                error: str | None = None, body_hash: str | None = None,
                ttl: int | None = None,
                parsed: bool = False) -> FeedHealth:
    """The feed's health once `result` (and, for a 200, its parse `error` and, when
    `parsed`, the feed's announced `ttl` in seconds) is known. next_poll is left to `plan`."""
    now = result.fetched_at
    h = health if health is not None and health.config_hash == feed.config_hash else FeedHealth(
        feed_id=feed.id,
        # Keep the history of an edited entry, but forget gone/back-off.
        last_success=health.last_success if health else None,
        consecutive_failures=health.consecutive_failures if health else 0,
        down_since=health.down_since if health else None,
        entry_count=health.entry_count if health else 0,
        last_post=health.last_post if health else None,
        feed_ttl=health.feed_ttl if health else None,
    )
    same_url = h.url == feed.feed
    h = dataclasses.replace(
        h, url=feed.feed, config_hash=feed.config_hash, last_attempt=now, last_status=result.status,
        gone=False, next_attempt=None, next_poll=None, fresh_until=fresh_until(result),
        etag=h.etag if same_url else None, last_modified=h.last_modified if same_url else None,
        body_hash=h.body_hash if same_url else None,
    )
    error = error or result.error
    if result.outcome in (Outcome.OK, Outcome.NOT_MODIFIED) and not error:
        h = dataclasses.replace(
            h, last_success=now, last_error=None, consecutive_failures=0, down_since=None,
            permanent_url=result.permanent_url,
        )
        if result.outcome is Outcome.OK:
            h = dataclasses.replace(h, etag=result.etag, last_modified=result.last_modified,
                                    body_hash=body_hash)
            if parsed:  # the feed was read: what it announces now replaces what it said before
                h = dataclasses.replace(h, feed_ttl=ttl)
        return h
    failures = h.consecutive_failures + 1
    h = dataclasses.replace(
        h, last_error=error or "erreur inconnue", consecutive_failures=failures,
        down_since=h.down_since or now, permanent_url=result.permanent_url or h.permanent_url,
    )
    if result.outcome is Outcome.GONE:
        return dataclasses.replace(h, gone=True)
    if result.retry_after:
        return dataclasses.replace(h, next_attempt=max(result.retry_after, now + backoff(failures)))
    wait = backoff(failures)
    return dataclasses.replace(h, next_attempt=now + wait if wait else None)
