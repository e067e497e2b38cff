"""When to fetch a feed, and what a fetch outcome does to its health. Pure functions."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from .core.model import FeedConfig, FeedHealth, FetchResult, Outcome

# Hourly runs start a few minutes apart; a back-off ending just after a run
# must not cost a whole extra hour.
SLACK = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=24)


def due(health: FeedHealth | None, feed: FeedConfig, now: datetime) -> tuple[bool, str | None]:
    """(fetch now?, why not). A maintainer's edit of the entry lifts gone/back-off."""
    if health is None or health.config_hash != feed.config_hash:
        return True, None
    if health.gone:
        return False, "flux supprimé (HTTP 410) : modifiez son entrée dans feeds.yaml pour réessayer"
    if health.next_attempt and now < health.next_attempt:
        return False, "en attente jusqu'à " + health.next_attempt.isoformat(timespec="minutes")
    return True, None


def backoff(failures: int) -> timedelta:
    """No wait after one failure, then 2 h, 4 h, 8 h, 16 h, 24 h at most."""
    if failures <= 1:
        return timedelta(0)
    return min(timedelta(hours=2 ** (failures - 1)), MAX_BACKOFF) - SLACK


def after_fetch(health: FeedHealth | None, feed: FeedConfig, result: FetchResult,
                error: str | None = None, body_hash: str | None = None,
                entry_count: int | None = None) -> FeedHealth:
    """The feed's health once `result` (and, for a 200, its parse `error`) is known."""
    now = result.fetched_at
    h = health if health is not None and health.config_hash == feed.config_hash else FeedHealth(
        feed_id=feed.id,
        # Keep the history of an edited entry, but forget gone/back-off.
        last_success=health.last_success if health else None,
        consecutive_failures=health.consecutive_failures if health else 0,
        down_since=health.down_since if health else None,
        entry_count=health.entry_count if health else 0,
    )
    same_url = h.url == feed.feed
    h = dataclasses.replace(
        h, url=feed.feed, config_hash=feed.config_hash, last_attempt=now, last_status=result.status,
        gone=False, next_attempt=None,
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
        if entry_count is not None:
            h = dataclasses.replace(h, entry_count=entry_count)
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
