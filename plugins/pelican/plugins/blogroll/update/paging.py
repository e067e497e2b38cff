"""A feed's history walk, decided purely: which paging it offers, which page comes next,
when the walk ends. walk.py fetches the pages; the hourly run (run.py, through decide.py)
seeds a walk from its own fetch of the feed (`seed`), so page 1 costs no request of its own."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..core.model import BackfillState, FeedConfig, FetchResult, Outcome, ParseOutcome
from ..core.publicsafe import public_reason
from ..core.settings import Settings

# Consecutive failures of one page before its walk is given up (a page answering 404 or
# 410 past the first one is the end of the history, not a failure).
MAX_FAILURES = 3
END_STATUSES = (400, 404, 410)


def detect(feed_url: str, links: tuple[tuple[str, str], ...], generator: str) -> str:
    """The paging a feed offers, from its first page: "rfc5005", "blogger", "wordpress" or ""."""
    rels = {rel for rel, _ in links}
    if rels & {"prev-archive", "next"}:
        return "rfc5005"
    parts = urlsplit(feed_url)
    host = (parts.hostname or "").lower()
    gen = generator.lower()
    if "blogger" in gen or ".blogspot." in f".{host}" or "/feeds/posts/" in parts.path:
        return "blogger"
    query = dict(parse_qsl(parts.query))
    if "wordpress" in gen or host.endswith(".wordpress.com") or query.get("feed", "").startswith(("rss", "atom")) \
            or parts.path.rstrip("/").endswith("/feed"):
        return "wordpress"
    return ""


def with_query(url: str, **params: str | int) -> str:
    """`url` with these query parameters set (others kept, in order)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def next_page(state: BackfillState, current_url: str, links: tuple[tuple[str, str], ...],
              on_page: int, page_size: int) -> str | None:
    """The next older page after `current_url` (page number `state.pages`, already counted),
    or None at the end. `on_page`: entries the current page held."""
    if state.strategy == "rfc5005":
        rels = dict(links)
        target = rels.get("prev-archive") or rels.get("next")
        return target if target and target != current_url else None
    if on_page == 0:
        return None
    if state.strategy == "wordpress":
        return with_query(state.feed_url, paged=state.pages + 1)
    if state.strategy == "blogger":
        start = int(dict(parse_qsl(urlsplit(current_url).query)).get("start-index", "1") or 1)
        return with_query(state.feed_url, **{"start-index": start + on_page, "max-results": page_size})
    return None


def capped(state: BackfillState, settings: Settings) -> str | None:
    """Why the walk must stop before another page (a cap reached), or None."""
    if state.pages >= settings.backfill_max_pages:
        return f"plafond atteint : {settings.backfill_max_pages} pages"
    if state.entries >= settings.backfill_max_entries:
        return f"plafond atteint : {settings.backfill_max_entries} billets"
    if state.bytes >= settings.backfill_max_bytes:
        return f"plafond atteint : {settings.backfill_max_bytes // (1024 * 1024)} Mio"
    return None


def after_page(state: BackfillState, url: str, result: FetchResult, outcome: ParseOutcome | None,
               links: tuple[tuple[str, str], ...], generator: str, on_page: int,
               settings: Settings, now: datetime, fresh: int | None = None) -> BackfillState:
    """The walk's state once page `url` was fetched (and parsed when it answered 200).
    `fresh`: how many of the page's entries the archive did not hold: an older page that
    brings nothing new (a server ignoring ?paged= and sending the feed again) ends the walk."""
    s = dataclasses.replace(state, updated=now)
    first = state.pages == 0
    if result.outcome is not Outcome.OK or outcome is None or outcome.error:
        error = public_reason((outcome.error if outcome and outcome.error else result.error) or "erreur inconnue")
        if not first and result.status in END_STATUSES:
            return dataclasses.replace(s, next_url=None, done=True,
                                       reason=f"fin de l'historique (HTTP {result.status})")
        failures = state.failures + 1
        if failures >= MAX_FAILURES or (not first and outcome is not None and outcome.error):
            return dataclasses.replace(s, failures=failures, done=True, next_url=None,
                                       reason=f"abandon : {error}")
        return dataclasses.replace(s, failures=failures, next_url=url if not first else None,
                                   reason=f"nouvel essai au prochain passage : {error}")
    s = dataclasses.replace(s, pages=state.pages + 1, entries=state.entries + on_page,
                            bytes=state.bytes + len(result.body or b""), failures=0, reason="")
    if first:
        s = dataclasses.replace(s, strategy=detect(state.feed_url, links, generator))
        if not s.strategy:
            return dataclasses.replace(s, done=True, next_url=None,
                                       reason="pas de pagination connue pour ce flux : seule la première page")
    elif on_page and fresh == 0:
        return dataclasses.replace(s, done=True, next_url=None,
                                   reason="fin de l'historique (la page ne donne que des billets déjà archivés)")
    target = next_page(s, url, links, on_page, settings.backfill_page_size)
    if target is None:
        return dataclasses.replace(s, done=True, next_url=None, reason="fin de l'historique")
    if target == state.next_url:
        return dataclasses.replace(s, done=True, next_url=None, reason="pagination en boucle : arrêt")
    why = capped(dataclasses.replace(s, next_url=target), settings)
    if why:
        return dataclasses.replace(s, done=True, next_url=None, reason=why)
    return dataclasses.replace(s, next_url=target)


def seed(feed: FeedConfig, result: FetchResult, outcome: ParseOutcome, settings: Settings,
         now: datetime) -> BackfillState:
    """The walk's state after its first page, from the hourly run's own fetch and parse of
    the feed: no request of its own for page 1."""
    return after_page(BackfillState(feed.id, feed.feed), feed.feed, result, outcome, outcome.links,
                      outcome.generator, outcome.raw_count, settings, now)
