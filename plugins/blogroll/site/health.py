"""Feed health for /etat/ and /etat.json. Pure; shows pseudonyms and blog data only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model import FeedConfig, FeedHealth, Registry
from .frdates import date_time


@dataclass(frozen=True)
class FeedStatus:
    id: str
    title: str
    author: str
    site: str
    feed: str
    active: bool
    state: str          # "ok", "en-panne", "supprime", "jamais", "inactif"
    state_label: str
    last_success: datetime | None
    last_attempt: datetime | None
    last_status: int | None
    last_error: str | None
    consecutive_failures: int
    down_since: datetime | None
    down_days: int | None
    next_attempt: datetime | None
    permanent_url: str | None
    entry_count: int
    history: tuple[bool, ...] = ()

    def fr(self, d: datetime | None) -> str:
        return date_time(d) if d else "jamais"

    def as_json(self) -> dict:
        def iso(d):
            return d.isoformat(timespec="seconds") if d else None
        return {
            "id": self.id, "title": self.title, "author": self.author, "site": self.site,
            "feed": self.feed, "active": self.active, "state": self.state,
            "last_success": iso(self.last_success), "last_attempt": iso(self.last_attempt),
            "last_status": self.last_status, "last_error": self.last_error,
            "consecutive_failures": self.consecutive_failures, "down_since": iso(self.down_since),
            "down_days": self.down_days, "next_attempt": iso(self.next_attempt),
            "permanent_redirect_to": self.permanent_url, "entry_count": self.entry_count,
            "recent_attempts_ok": list(self.history),
        }


LABELS = {
    "ok": "fonctionne",
    "en-panne": "en panne",
    "supprime": "supprimé par le blog (HTTP 410)",
    "jamais": "jamais récupéré",
    "inactif": "désactivé",
}


def feed_status(feed: FeedConfig, h: FeedHealth | None, now: datetime,
                history: tuple[bool, ...] = ()) -> FeedStatus:
    if not feed.active:
        state = "inactif"
    elif h is None or h.last_attempt is None:
        state = "jamais"
    elif h.gone:
        state = "supprime"
    elif h.last_error:
        state = "en-panne"
    else:
        state = "ok"
    down_days = (now - h.down_since).days if h and h.down_since else None
    return FeedStatus(
        id=feed.id, title=feed.title, author=feed.author, site=feed.site, feed=feed.feed,
        active=feed.active, state=state, state_label=LABELS[state],
        last_success=h.last_success if h else None, last_attempt=h.last_attempt if h else None,
        last_status=h.last_status if h else None, last_error=h.last_error if h else None,
        consecutive_failures=h.consecutive_failures if h else 0,
        down_since=h.down_since if h else None, down_days=down_days,
        next_attempt=h.next_attempt if h else None,
        permanent_url=h.permanent_url if h else None,
        entry_count=h.entry_count if h else 0, history=history,
    )


def statuses(registry: Registry, healths: dict[str, FeedHealth], now: datetime, down_days: int,
             histories: dict[str, tuple[bool, ...]] | None = None) -> list[FeedStatus]:
    """Long-down feeds first (longest first), then other failures, then the rest by title."""
    histories = histories or {}
    out = [feed_status(f, healths.get(f.id), now, histories.get(f.id, ())) for f in registry.feeds]
    limit = timedelta(days=down_days)

    def key(s: FeedStatus):
        long_down = s.down_since is not None and now - s.down_since >= limit
        rank = 0 if long_down else 1 if s.state in ("en-panne", "supprime") else 2 if s.state != "inactif" else 3
        return (rank, s.down_since or now, s.title.casefold())

    return sorted(out, key=key)
