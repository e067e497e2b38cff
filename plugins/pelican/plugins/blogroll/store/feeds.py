"""The `feeds` table (each feed's health, validators and polling plan) and `attempts` (its
recent fetches, for /etat/'s history), and the `backfill` table (each feed's history walk)."""

from __future__ import annotations

import dataclasses
import sqlite3

from ..core.model import Attempt, BackfillState, FeedHealth
from . import entries, rows, sealed

ATTEMPTS_KEPT = 24 * 90  # about 90 days of hourly runs per feed

_HEALTH_INSERT = (f"INSERT OR REPLACE INTO feeds (id, {', '.join(rows.HEALTH_COLUMNS)}) "
                  f"VALUES (?, {', '.join('?' for _ in rows.HEALTH_COLUMNS)})")
_WALK_INSERT = (f"INSERT OR REPLACE INTO backfill (feed_id, {', '.join(rows.WALK_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' for _ in rows.WALK_COLUMNS)})")


def write_health(db: sqlite3.Connection, health: FeedHealth, *, attempted: bool) -> None:
    """The feed's new health, its entry count taken from the archive; with `attempted`, one
    more row of its fetch history (the oldest beyond ATTEMPTS_KEPT dropped)."""
    db.execute(_HEALTH_INSERT, rows.health_values(health, entries.count(db, health.feed_id)))
    if not attempted:
        return
    db.execute("INSERT INTO attempts VALUES (?, ?, ?, ?, ?)",
               (health.feed_id, rows.iso(health.last_attempt), int(health.last_error is None),
                health.last_status, health.last_error))
    db.execute("DELETE FROM attempts WHERE feed_id = ? AND rowid NOT IN "
               "(SELECT rowid FROM attempts WHERE feed_id = ? ORDER BY at DESC LIMIT ?)",
               (health.feed_id, health.feed_id, ATTEMPTS_KEPT))


def recount(db: sqlite3.Connection, feed_id: str) -> None:
    """The feed's entry count after entries were added without a new health (a walk's page)."""
    db.execute("UPDATE feeds SET entry_count = (SELECT COUNT(*) FROM entries WHERE feed_id = ?) WHERE id = ?",
               (feed_id, feed_id))


def write_walk(db: sqlite3.Connection, state: BackfillState) -> None:
    """The walk's row; its next address (a server's value) sealed, never in clear (sealed.py)."""
    db.execute(_WALK_INSERT, rows.walk_values(
        dataclasses.replace(state, next_url=sealed.seal(db, state.next_url, state.feed_id))))


def walks(db: sqlite3.Connection, feed_id: str | None = None) -> dict[str, BackfillState]:
    """The walks' states (of `feed_id` only, when given), their next addresses unsealed."""
    found = db.execute("SELECT * FROM backfill" + (" WHERE feed_id = ?" if feed_id else ""),
                       (feed_id,) if feed_id else ()).fetchall()
    out = {}
    for r in found:
        state = rows.walk(r)
        out[state.feed_id] = dataclasses.replace(state, next_url=sealed.unseal(db, state.next_url, state.feed_id))
    return out


def all_health(db: sqlite3.Connection) -> dict[str, FeedHealth]:
    return {row["id"]: rows.health(row) for row in db.execute("SELECT * FROM feeds")}


def history(db: sqlite3.Connection, feed_id: str, limit: int) -> list[Attempt]:
    """The feed's last `limit` fetch attempts, newest first."""
    found = db.execute("SELECT at, ok, status, error FROM attempts WHERE feed_id = ? ORDER BY at DESC LIMIT ?",
                       (feed_id, limit)).fetchall()
    return [Attempt(rows.dt(r["at"]), bool(r["ok"]), r["status"], r["error"]) for r in found]


def forget(db: sqlite3.Connection, feed_ids: list[str]) -> None:
    """Delete the feeds' health, walk and history rows (a taken-down blog)."""
    for f in feed_ids:
        db.execute("DELETE FROM feeds WHERE id = ?", (f,))
        db.execute("DELETE FROM backfill WHERE feed_id = ?", (f,))
        db.execute("DELETE FROM attempts WHERE feed_id = ?", (f,))
