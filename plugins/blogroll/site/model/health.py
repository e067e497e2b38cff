"""Feed health for /etat/ and /etat.json. Pure; shows pseudonyms and blog data only.

Every text shown here is in our own French words: errors were reduced to them before the store
(core/publicsafe.py); a redirect target or a server's message goes to the maintainer's log and
`make try`, never to these pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Union

from ...core.model import FeedConfig, FeedHealth, Registry
from .frdates import date_time


@dataclass(frozen=True)
class Attempt:
    """One past fetch of a feed, as the store's `attempts` table keeps it."""

    at: datetime | None
    ok: bool
    status: int | None = None
    error: str | None = None

    @property
    def label(self) -> str:
        """« réussie le 3 mars 2025 à 14:05 » / « échec le … : flux introuvable (HTTP 404) »"""
        when = f" le {date_time(self.at)}" if self.at else ""
        if self.ok:
            return f"réussie{when}"
        return f"échec{when}" + (f" : {self.error}" if self.error else "")

    def as_json(self) -> dict:
        return {"at": self.at.isoformat(timespec="seconds") if self.at else None, "ok": self.ok,
                "status": self.status, "error": self.error}


# What the store gives (newest first): (at, ok, status, error) rows, or bare booleans.
HistoryInput = Iterable[Union[bool, tuple]]


def attempts(history: HistoryInput) -> tuple[Attempt, ...]:
    """Newest-first store rows -> Attempts, oldest first (the order a row of marks is read in)."""
    out = []
    for item in history:
        if isinstance(item, Attempt):
            out.append(item)
        elif isinstance(item, bool):
            out.append(Attempt(None, item))
        else:
            at, ok, status, error = item
            out.append(Attempt(at, bool(ok), status, error))
    return tuple(reversed(out))


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
    # Recent attempts, oldest first.
    history: tuple[Attempt, ...] = ()
    # Down for at least `down_limit` days (the BLOGROLL_DOWN_DAYS setting): listed first.
    long_down: bool = False
    down_limit: int = 0
    # A note for the maintainer, in our own words (links replaced by the blog's home page...).
    note: str | None = None

    @property
    def history_summary(self) -> str:
        """The row of marks in words, for screen readers and the JSON's readers alike."""
        n = len(self.history)
        if not n:
            return "aucune tentative enregistrée"
        ok = self.history[-1].ok
        if n == 1:
            return "une seule tentative, " + ("réussie" if ok else "échouée")
        failed = sum(1 for a in self.history if not a.ok)
        fails = "aucun échec" if not failed else f"{failed} échec{'s' if failed > 1 else ''}"
        return f"{fails} sur les {n} dernières tentatives ; la plus récente a " + ("réussi" if ok else "échoué")

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
            # Only whether the feed moved: the target is a server's value (maintainer's log, `try`).
            "permanent_redirect_to": bool(self.permanent_url), "entry_count": self.entry_count,
            "note": self.note,
            "long_down": self.long_down,
            # Newest first, as before; `history` has the details, oldest first.
            "recent_attempts_ok": [a.ok for a in reversed(self.history)],
            "history": [a.as_json() for a in self.history],
        }


LABELS = {
    "ok": "fonctionne",
    "en-panne": "en panne",
    "supprime": "supprimé par le blog (HTTP 410)",
    "jamais": "jamais récupéré",
    "inactif": "désactivé",
}


def feed_status(feed: FeedConfig, h: FeedHealth | None, now: datetime,
                history: HistoryInput = (), down_limit: int = 0) -> FeedStatus:
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
    long_down = bool(h and h.down_since and state in ("en-panne", "supprime")
                     and now - h.down_since >= timedelta(days=down_limit))
    return FeedStatus(
        id=feed.id, title=feed.title, author=feed.author, site=feed.site, feed=feed.feed,
        active=feed.active, state=state, state_label=LABELS[state],
        last_success=h.last_success if h else None, last_attempt=h.last_attempt if h else None,
        last_status=h.last_status if h else None, last_error=h.last_error if h else None,
        consecutive_failures=h.consecutive_failures if h else 0,
        down_since=h.down_since if h else None, down_days=down_days,
        next_attempt=h.next_attempt if h else None,
        permanent_url=h.permanent_url if h else None,
        entry_count=h.entry_count if h else 0, history=attempts(history),
        long_down=long_down, down_limit=down_limit, note=h.note if h else None,
    )


def statuses(registry: Registry, healths: dict[str, FeedHealth], now: datetime, down_days: int,
             histories: dict[str, HistoryInput] | None = None) -> list[FeedStatus]:
    """Long-down feeds first (longest first), then other failures, then the rest by title.

    `histories` maps a feed id to its recent attempts, newest first, as
    `Store.history` returns them.
    """
    histories = histories or {}
    out = [feed_status(f, healths.get(f.id), now, histories.get(f.id, ()), down_days) for f in registry.feeds]

    def key(s: FeedStatus):
        rank = 0 if s.long_down else 1 if s.state in ("en-panne", "supprime") else 2 if s.state != "inactif" else 3
        return (rank, s.down_since or now, s.title.casefold())

    return sorted(out, key=key)
