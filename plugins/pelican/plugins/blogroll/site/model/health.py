"""Feed health for /etat/ and /etat.json. Pure; shows pseudonyms and blog data only.

Every text shown here is in our own French words: errors were reduced to them before the store
(core/publicsafe.py); a redirect target or a server's message goes to the maintainer's log and
`make try`, never to these pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ...core.model import Attempt, FeedConfig, FeedHealth, Registry
from .frdates import date_time


@dataclass(frozen=True)
class AttemptView(Attempt):
    """A past attempt as /etat/ shows it."""

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


# What the store gives (newest first): Attempts, or bare booleans (ok or not, no date).
HistoryInput = Iterable[Attempt | bool]


def attempts(history: HistoryInput) -> tuple[AttemptView, ...]:
    """Newest-first attempts -> oldest first (the order a row of marks is read in)."""
    out = [AttemptView(None, item) if isinstance(item, bool) else AttemptView(item.at, item.ok, item.status, item.error)
           for item in history]
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
    history: tuple[AttemptView, ...] = ()
    # Down for at least `down_limit` days (the BLOGROLL_DOWN_DAYS setting): listed first.
    long_down: bool = False
    down_limit: int = 0
    # The next planned fetch (back-off or the blog's pace, schedule.py); None: the next build.
    next_fetch: datetime | None = None
    last_post: datetime | None = None
    # The blog's pace in words (« environ toutes les 6 heures »): coarse, so /etat/ is not
    # rendered again at every hourly attempt (next_fetch is left out of its digest).
    pace_label: str = "toutes les heures"

    @property
    def next_fetch_label(self) -> str:
        """« à la prochaine construction (toutes les heures) » / « vers le 3 mars 2025 à 14:05 »"""
        if self.state in ("inactif", "supprime"):
            return "aucune (" + ("flux désactivé" if self.state == "inactif" else "flux supprimé") + ")"
        if self.next_fetch is None:
            return f"à la prochaine construction (blog relu {self.pace_label})"
        return f"vers le {date_time(self.next_fetch)} (blog relu {self.pace_label})"
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

    def fr_day(self, d: datetime | None) -> str:
        """The day only (« 3 mars 2025 », in Paris), « aucun » without a date."""
        from .frdates import long_date

        return long_date(d) if d else "aucun"

    def as_json(self) -> dict:
        def iso(d: datetime | None) -> str | None:
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
            "long_down": self.long_down, "next_fetch": iso(self.next_fetch), "last_post": iso(self.last_post),
            "pace": self.pace_label,
            # Newest first, as before; `history` has the details, oldest first.
            "recent_attempts_ok": [a.ok for a in reversed(self.history)],
            "history": [a.as_json() for a in self.history],
        }


# The feed-state fields that matter, as etat.json names them: what a reader acts on. Attempt
# times, failure counters and the next planned fetch move at every hourly attempt without the
# state changing; the blog's pace (« environ toutes les 6 heures ») is coarse on purpose.
# Used by the build (when to render /etat/ again) and by the deploy decision (maint/publish.py).
STATE_KEYS = ("id", "title", "author", "site", "feed", "active", "state", "last_status", "last_error",
              "down_since", "permanent_redirect_to", "entry_count", "pace", "note")


def state_of(row: dict) -> dict:
    """The fields of STATE_KEYS of one etat.json row; a working feed's HTTP status (200 or
    304: both mean "works") is left out."""
    state = {k: row.get(k) for k in STATE_KEYS}
    if not state["last_error"]:
        state["last_status"] = None
    return state


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
        next_fetch=_next_fetch(h, now), pace_label=pace_label(h),
        last_post=h.last_post if h else None,
        permanent_url=h.permanent_url if h else None,
        entry_count=h.entry_count if h else 0, history=attempts(history),
        long_down=long_down, down_limit=down_limit, note=h.note if h else None,
    )


_PACES = (2, 3, 4, 6, 9, 12, 18)


def pace_label(h: FeedHealth | None) -> str:
    """How often the blog is read at its current pace, in coarse French words."""
    if h is None or h.next_poll is None or h.last_attempt is None:
        return "toutes les heures"
    hours = (h.next_poll - h.last_attempt).total_seconds() / 3600 + 5 / 60  # schedule.SLACK
    if hours >= 20:
        return "une fois par jour"
    near = min(_PACES, key=lambda p: abs(p - hours))
    return f"environ toutes les {near} heures"


def _next_fetch(h: FeedHealth | None, now: datetime) -> datetime | None:
    """When the feed is fetched next: its back-off or its pace (the later), None when that
    is the next build."""
    if h is None:
        return None
    planned = [d for d in (h.next_attempt, h.next_poll) if d is not None and d > now]
    return max(planned) if planned else None


def statuses(registry: Registry, healths: dict[str, FeedHealth], now: datetime, down_days: int,
             histories: Mapping[str, HistoryInput] | None = None) -> list[FeedStatus]:
    """Long-down feeds first (longest first), then other failures, then the rest by title.

    `histories` maps a feed id to its recent attempts, newest first, as
    `Store.history` returns them.
    """
    histories = histories or {}
    out = [feed_status(f, healths.get(f.id), now, histories.get(f.id, ()), down_days) for f in registry.feeds]

    def key(s: FeedStatus) -> tuple[int, datetime, str]:
        rank = 0 if s.long_down else 1 if s.state in ("en-panne", "supprime") else 2 if s.state != "inactif" else 3
        return (rank, s.down_since or now, s.title.casefold())

    return sorted(out, key=key)


# A blog whose last post is older than this is « en sommeil » on the listings (still followed).
DORMANT_AFTER = timedelta(weeks=52)


@dataclass(frozen=True)
class BlogState:
    """What the listings tell a reader about a blog: followed and working, or why not. Coarse on
    purpose (no attempt time): the pages that show it change only when the state does."""

    kind: str   # "suivi", "en-sommeil", "archive", "en-panne", "supprime"
    label: str  # « blog archivé, plus suivi », « flux en panne depuis le 3 mars 2026 »…

    @property
    def live(self) -> bool:
        """Its posts may still reach our feeds: worth subscribing to."""
        return self.kind in ("suivi", "en-sommeil")


FOLLOWED = BlogState("suivi", "")


def blog_state(s: FeedStatus, last_post: datetime | None, now: datetime) -> BlogState:
    """The blog's state for the listings, from its health: archived (inactive in feeds.yaml),
    gone (HTTP 410), broken (down for BLOGROLL_DOWN_DAYS days, or never read at all), dormant (no
    post for a year) or followed. A failure of an hour or two is not shown here (/etat/ has it)."""
    from .frdates import long_date

    if s.state == "inactif":
        return BlogState("archive", "blog archivé, plus suivi")
    if s.state == "supprime":
        return BlogState("supprime", "flux supprimé par le blog")
    if s.state == "en-panne" and (s.long_down or not s.entry_count):
        since = f" depuis le {long_date(s.down_since)}" if s.down_since else ""
        return BlogState("en-panne", f"flux en panne{since}")
    if last_post is not None and now - last_post > DORMANT_AFTER:
        return BlogState("en-sommeil", "en sommeil : aucun billet depuis plus d'un an")
    return FOLLOWED


_COUNTED = (("ok", "fonctionne", "fonctionnent"), ("en-panne", "en panne", "en panne"),
            ("supprime", "supprimé par son blog", "supprimés par leur blog"),
            ("jamais", "pas encore récupéré", "pas encore récupérés"), ("inactif", "désactivé", "désactivés"))


def summary(statuses: list[FeedStatus]) -> str:
    """/etat/ in one line: « 13 flux suivis : 11 fonctionnent, 1 en panne, 1 désactivé »."""
    n = len(statuses)
    parts = []
    for state, one, many in _COUNTED:
        k = sum(1 for s in statuses if s.state == state)
        if k:
            parts.append(f"{k} {one if k == 1 else many}")
    head = f"{n} flux suivi{'s' if n > 1 else ''}"
    return f"{head} : {', '.join(parts)}" if parts else head
