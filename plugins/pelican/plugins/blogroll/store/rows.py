"""Converting between the store's rows and the typed values of core/model.py."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from functools import lru_cache

from ..core.model import BackfillState, FeedHealth, StoredEntry

HEALTH_COLUMNS = (
    "url", "config_hash", "last_attempt", "last_success", "last_status", "last_error",
    "consecutive_failures", "down_since", "next_attempt", "gone", "permanent_url", "etag",
    "last_modified", "body_hash", "entry_count", "last_post", "fresh_until", "feed_ttl", "next_poll", "note",
)
_DATES = {"last_attempt", "last_success", "down_since", "next_attempt", "last_post", "fresh_until", "next_poll"}
WALK_COLUMNS = ("feed_url", "strategy", "next_url", "pages", "entries", "bytes", "failures", "done",
                "reason", "updated")


def iso(d: datetime | None) -> str | None:
    return d.astimezone(UTC).isoformat(timespec="seconds") if d else None


def dt(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def health_values(health: FeedHealth, entry_count: int) -> tuple:
    """The `feeds` row of `health`, id first, in HEALTH_COLUMNS order; the entry count is the
    store's own (derived from the archive, never taken from the caller)."""
    values = {c: getattr(health, c) for c in HEALTH_COLUMNS}
    values["entry_count"] = entry_count
    for c in _DATES:
        values[c] = iso(values[c])
    values["gone"] = int(values["gone"])
    return (health.feed_id, *values.values())


def health(row: sqlite3.Row) -> FeedHealth:
    values = {c: row[c] for c in HEALTH_COLUMNS}
    for c in _DATES:
        values[c] = dt(values[c])
    values["gone"] = bool(values["gone"])
    return FeedHealth(feed_id=row["id"], **values)


def walk_values(state: BackfillState) -> tuple:
    """The `backfill` row of `state`, feed id first, in WALK_COLUMNS order."""
    values = [getattr(state, c) for c in WALK_COLUMNS]
    values[WALK_COLUMNS.index("done")] = int(state.done)
    values[WALK_COLUMNS.index("updated")] = iso(state.updated)
    return (state.feed_id, *values)


def walk(row: sqlite3.Row) -> BackfillState:
    values = {c: row[c] for c in WALK_COLUMNS}
    values["done"] = bool(values["done"])
    values["updated"] = dt(values["updated"])
    return BackfillState(feed_id=row["feed_id"], **values)


ENTRY_COLUMNS = ("id", "feed_id", "guid", "link", "title", "excerpt", "published", "first_seen", "sort_date",
                 "tags", "specialties", "filed_by", "cites", "link_keys")


def entry(r: tuple) -> StoredEntry:
    """The entry of a row of ENTRY_COLUMNS, in that order (a plain tuple: sqlite3.Row's lookups
    by name were a fifth of reading 50,000 entries)."""
    (id_, feed_id, guid, link, title, excerpt, published, first_seen, sort_date,
     tags, specialties, filed_by, cites, link_keys) = r
    return StoredEntry(
        id=id_, feed_id=feed_id, guid=guid, link=link, title=title, excerpt=excerpt, published=dt(published),
        first_seen=datetime.fromisoformat(first_seen), sort_date=datetime.fromisoformat(sort_date),
        tags=_strings(tags), specialties=_strings(specialties), filed_by=_filed(filed_by), cites=_cites(cites),
        link_keys=_strings(link_keys),
    )


# The JSON columns hold few distinct values over an archive (« [] », a blog's specialties, its
# usual tags): each distinct text is decoded once. Pure functions of the text, into tuples, so
# what they remember is never changed by a caller.
@lru_cache(maxsize=16384)
def _strings(text: str) -> tuple:
    return tuple(json.loads(text))


@lru_cache(maxsize=4096)
def _filed(text: str) -> tuple:
    return tuple((slug, tuple(words)) for slug, words in json.loads(text))


@lru_cache(maxsize=4096)
def _cites(text: str) -> tuple:
    return tuple(tuple(keys) for keys in json.loads(text))
