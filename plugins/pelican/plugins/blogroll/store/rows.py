"""Converting between the store's rows and the typed values of core/model.py."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

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


def entry(r: sqlite3.Row) -> StoredEntry:
    return StoredEntry(
        id=r["id"], feed_id=r["feed_id"], guid=r["guid"], link=r["link"], title=r["title"],
        excerpt=r["excerpt"], published=dt(r["published"]), first_seen=datetime.fromisoformat(r["first_seen"]),
        sort_date=datetime.fromisoformat(r["sort_date"]), tags=tuple(json.loads(r["tags"])),
        specialties=tuple(json.loads(r["specialties"])),
        filed_by=tuple((slug, tuple(words)) for slug, words in json.loads(r["filed_by"])),
        cites=tuple(tuple(keys) for keys in json.loads(r["cites"])),
        link_keys=tuple(json.loads(r["link_keys"])),
    )
