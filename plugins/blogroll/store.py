"""Store stage: the SQLite archive in the state directory.

Entries are never deleted because a feed dropped them or went down: the
archive only grows (takedowns are the one exception). Each feed's entries
and its health/validators are written in one transaction, so a crash at
any moment leaves either the old or the new state of that feed, and the
next run re-fetches whatever was not committed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from .core.entrykeys import match_keys, sort_date, taken_down
from .core.errors import StoreError, StoreLocked
from .core.model import Attempt, BackfillState, CleanEntry, FeedHealth, StoredEntry, Takedowns

SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL DEFAULT '',
    config_hash TEXT NOT NULL DEFAULT '',
    last_attempt TEXT, last_success TEXT, last_status INTEGER, last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    down_since TEXT, next_attempt TEXT,
    gone INTEGER NOT NULL DEFAULT 0,
    permanent_url TEXT, etag TEXT, last_modified TEXT, body_hash TEXT,
    entry_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    feed_id TEXT NOT NULL,
    guid TEXT,
    link TEXT NOT NULL,
    own_link INTEGER NOT NULL DEFAULT 1,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    published TEXT,
    first_seen TEXT NOT NULL,
    sort_date TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    specialties TEXT NOT NULL DEFAULT '[]',
    filed_by TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS entries_guid ON entries (feed_id, guid);
CREATE INDEX IF NOT EXISTS entries_link ON entries (feed_id, link);
CREATE INDEX IF NOT EXISTS entries_hash ON entries (feed_id, content_hash);
CREATE INDEX IF NOT EXISTS entries_order ON entries (sort_date DESC, id DESC);
CREATE TABLE IF NOT EXISTS attempts (
    feed_id TEXT NOT NULL,
    at TEXT NOT NULL,
    ok INTEGER NOT NULL,
    status INTEGER,
    error TEXT
);
CREATE INDEX IF NOT EXISTS attempts_feed ON attempts (feed_id, at);
CREATE TABLE IF NOT EXISTS backfill (
    feed_id TEXT PRIMARY KEY,
    feed_url TEXT NOT NULL,
    strategy TEXT NOT NULL DEFAULT '',
    next_url TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    updated TEXT
);
"""
# Columns added to `feeds` after the first release: added in place to older stores.
_ADDED_COLUMNS = (("last_post", "TEXT"), ("fresh_until", "TEXT"), ("feed_ttl", "INTEGER"),
                  ("next_poll", "TEXT"), ("note", "TEXT"))
_BACKFILL_COLUMNS = ("feed_url", "strategy", "next_url", "pages", "entries", "bytes", "failures", "done",
                     "reason", "updated")

# Migrations from each older schema version to the next, run in order in one transaction.
# A store of version 1 (before content filing) gains the `filed_by` column; its entries
# keep an empty one until their feed is parsed again.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("ALTER TABLE entries ADD COLUMN filed_by TEXT NOT NULL DEFAULT '[]'",),
}

_HEALTH_COLUMNS = (
    "url", "config_hash", "last_attempt", "last_success", "last_status", "last_error",
    "consecutive_failures", "down_since", "next_attempt", "gone", "permanent_url", "etag",
    "last_modified", "body_hash", "entry_count", "last_post", "fresh_until", "feed_ttl", "next_poll", "note",
)
_DATES = {"last_attempt", "last_success", "down_since", "next_attempt", "last_post", "fresh_until", "next_poll"}
ATTEMPTS_KEPT = 24 * 90  # about 90 days of hourly runs per feed


def _iso(d: datetime | None) -> str | None:
    return d.astimezone(UTC).isoformat(timespec="seconds") if d else None


def _dt(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def _when(s: str) -> datetime:
    """A date column that is never empty."""
    return datetime.fromisoformat(s)


# File descriptors of the locks this process holds (see _forget_locks_in_child).
_HELD_LOCKS: set[int] = set()


def _forget_locks_in_child() -> None:
    """A forked child (a parse worker) inherits the lock's descriptor, and a flock lock
    belongs to the open file, not to a process: a worker outliving a killed run would
    keep the store locked for every later run. The child closes its copy - never
    LOCK_UN, which would release the parent's lock as well."""
    for fd in list(_HELD_LOCKS):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


class Store:
    """One SQLite file plus an exclusive lock for the duration of a run."""

    def __init__(self, state_dir: Path, *, lock: bool = True):
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._lock_fd: int | None = None
        if lock:
            self._acquire_lock()
        self.db = sqlite3.connect(self.state_dir / "blogroll.sqlite3", isolation_level=None,
                                  timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        with self.transaction():
            self._migrate()
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self._add_columns()

    def _add_columns(self) -> None:
        have = {r[1] for r in self.db.execute("PRAGMA table_info(feeds)")}
        for name, kind in _ADDED_COLUMNS:
            if name not in have:
                self.db.execute(f"ALTER TABLE feeds ADD COLUMN {name} {kind}")
        if "last_post" not in have:  # an older store: its feeds' newest posts, once
            self.db.execute("UPDATE feeds SET last_post = "
                            "(SELECT MAX(sort_date) FROM entries WHERE entries.feed_id = feeds.id)")

    def _migrate(self) -> None:
        """Bring a store written by an older version up to SCHEMA_VERSION (inside the
        opening transaction: a crash leaves the old schema, migrated again next run)."""
        if self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'entries'").fetchone() is None:
            return  # a new store: SCHEMA makes it current
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 1
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.state_dir} a été écrit par une version plus récente "
                             f"(schéma {version}, celle-ci connaît {SCHEMA_VERSION})")
        for v in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[v]:
                self.db.execute(statement)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _acquire_lock(self) -> None:
        path = self.state_dir / "lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLocked(f"une autre exécution utilise déjà {self.state_dir} (verrou {path}) ; "
                              "attendez qu'elle se termine")
        self._lock_fd = fd
        _HELD_LOCKS.add(fd)

    def close(self) -> None:
        self.db.close()
        if self._lock_fd is not None:
            _HELD_LOCKS.discard(self._lock_fd)
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        return _Transaction(self.db)

    # --- health -----------------------------------------------------------

    def all_health(self) -> dict[str, FeedHealth]:
        rows = self.db.execute("SELECT * FROM feeds").fetchall()
        return {row["id"]: _health(row) for row in rows}

    def health(self, feed_id: str) -> FeedHealth | None:
        row = self.db.execute("SELECT * FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return _health(row) if row else None

    def history(self, feed_id: str, limit: int = 48) -> list[Attempt]:
        """The feed's last `limit` fetch attempts, newest first."""
        rows = self.db.execute(
            "SELECT at, ok, status, error FROM attempts WHERE feed_id = ? ORDER BY at DESC LIMIT ?",
            (feed_id, limit)).fetchall()
        return [Attempt(_dt(r["at"]), bool(r["ok"]), r["status"], r["error"]) for r in rows]

    # --- writes -------------------------------------------------------------

    def record(self, health: FeedHealth, entries: Iterable[CleanEntry] | None, seen_at: datetime,
               *, attempted: bool = True) -> tuple[int, int]:
        """Save a feed's new health and (if parsed) its entries, atomically. Returns (new, updated)."""
        new = updated = 0
        with self.transaction():
            if entries is not None:
                for entry in entries:
                    outcome = self._upsert(entry, seen_at)
                    new += outcome == "new"
                    updated += outcome == "updated"
            count = self.db.execute("SELECT COUNT(*) FROM entries WHERE feed_id = ?",
                                    (health.feed_id,)).fetchone()[0]
            values = {c: getattr(health, c) for c in _HEALTH_COLUMNS}
            values["entry_count"] = count
            for c in _DATES:
                values[c] = _iso(values[c])
            values["gone"] = int(values["gone"])
            cols = ", ".join(_HEALTH_COLUMNS)
            marks = ", ".join("?" for _ in _HEALTH_COLUMNS)
            self.db.execute(f"INSERT OR REPLACE INTO feeds (id, {cols}) VALUES (?, {marks})",
                            (health.feed_id, *values.values()))
            if attempted:
                self.db.execute("INSERT INTO attempts VALUES (?, ?, ?, ?, ?)",
                                (health.feed_id, _iso(health.last_attempt), int(health.last_error is None),
                                 health.last_status, health.last_error))
                self.db.execute(
                    "DELETE FROM attempts WHERE feed_id = ? AND rowid NOT IN "
                    "(SELECT rowid FROM attempts WHERE feed_id = ? ORDER BY at DESC LIMIT ?)",
                    (health.feed_id, health.feed_id, ATTEMPTS_KEPT))
        return new, updated

    def last_post(self, feed_id: str) -> datetime | None:
        """The newest sort date of the feed's archived entries (adaptive polling)."""
        row = self.db.execute("SELECT MAX(sort_date) FROM entries WHERE feed_id = ?", (feed_id,)).fetchone()
        return _dt(row[0]) if row and row[0] else None

    # --- backfill (backfill.py) ----------------------------------------------

    def backfill_states(self) -> dict[str, BackfillState]:
        return {r["feed_id"]: _backfill(r) for r in self.db.execute("SELECT * FROM backfill")}

    def backfill_state(self, feed_id: str) -> BackfillState | None:
        row = self.db.execute("SELECT * FROM backfill WHERE feed_id = ?", (feed_id,)).fetchone()
        return _backfill(row) if row else None

    def record_backfill(self, state: BackfillState, entries: Iterable[CleanEntry] | None,
                        seen_at: datetime) -> int:
        """Older entries of one page and the walk's new state, in one transaction (a kill
        between pages loses nothing: the next run resumes at `state.next_url`). The feed's
        health is left alone but its entry count. Returns the entries that were new."""
        new = 0
        with self.transaction():
            for entry in entries or ():
                new += self._upsert(entry, seen_at) == "new"
            values = [getattr(state, c) for c in _BACKFILL_COLUMNS]
            values[_BACKFILL_COLUMNS.index("done")] = int(state.done)
            values[_BACKFILL_COLUMNS.index("updated")] = _iso(state.updated)
            self.db.execute(f"INSERT OR REPLACE INTO backfill (feed_id, {', '.join(_BACKFILL_COLUMNS)}) "
                            f"VALUES (?, {', '.join('?' for _ in _BACKFILL_COLUMNS)})", (state.feed_id, *values))
            if new:
                self.db.execute("UPDATE feeds SET entry_count = (SELECT COUNT(*) FROM entries WHERE feed_id = ?)"
                                " WHERE id = ?", (state.feed_id, state.feed_id))
        return new

    def unknown(self, entries: Iterable[CleanEntry]) -> int:
        """How many of `entries` the archive does not hold yet (read only)."""
        return sum(self._find(e) is None for e in entries)

    def _find(self, entry: CleanEntry) -> sqlite3.Row | None:
        for kind, value in match_keys(entry):
            column = {"guid": "guid", "link": "link", "hash": "content_hash"}[kind]
            extra = " AND own_link = 1" if kind == "link" else ""
            row = self.db.execute(
                f"SELECT * FROM entries WHERE feed_id = ? AND {column} = ?{extra} LIMIT 1",
                (entry.feed_id, value)).fetchone()
            if row is not None:
                return row
        return None

    def _upsert(self, e: CleanEntry, seen_at: datetime) -> str:
        row = self._find(e)
        tags = json.dumps(list(e.tags), ensure_ascii=False)
        specialties = json.dumps(list(e.specialties))
        filed_by = json.dumps([[slug, list(words)] for slug, words in e.filed_by], ensure_ascii=False)
        if row is None:
            self.db.execute(
                "INSERT INTO entries (feed_id, guid, link, own_link, content_hash, title, excerpt, published,"
                " first_seen, sort_date, tags, specialties, filed_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (e.feed_id, e.guid, e.link, int(e.own_link), e.content_hash, e.title, e.excerpt,
                 _iso(e.published), _iso(seen_at), _iso(sort_date(e.published, seen_at)), tags, specialties,
                 filed_by))
            return "new"
        changed = (row["title"], row["excerpt"], row["link"], row["tags"], row["specialties"], row["guid"],
                   row["filed_by"]) != (e.title, e.excerpt, e.link, tags, specialties, e.guid or row["guid"],
                                        filed_by)
        if not changed:
            return "same"
        # sort_date and first_seen never move: a rewritten `updated` cannot bump a post.
        self.db.execute(
            "UPDATE entries SET guid = ?, link = ?, own_link = ?, content_hash = ?, title = ?, excerpt = ?,"
            " tags = ?, specialties = ?, filed_by = ? WHERE id = ?",
            (e.guid or row["guid"], e.link, int(e.own_link), e.content_hash, e.title, e.excerpt, tags,
             specialties, filed_by, row["id"]))
        return "updated"

    def erase(self, takedowns: Takedowns) -> int:
        """Delete for good what takedowns.yaml lists: taken-down feeds (entries, health,
        attempts) and single entries. Freed pages are zeroed (secure_delete) and the WAL is
        truncated, so the text does not linger in the files. Returns the entries deleted."""
        if not takedowns:
            return 0
        feeds = sorted(takedowns.feeds)
        guids = {k[5:] for k in takedowns.entries if k.startswith("guid:")}
        hosts = {k[4:].split("/", 1)[0].split("?", 1)[0] for k in takedowns.entries if k.startswith("url:")}

        def candidate(feed_id: str, guid: str | None, link: str) -> bool:
            return takedowns.hashed or feed_id in takedowns.feeds or guid in guids or \
                _host(link) in hosts or (guid is not None and _host(guid) in hosts)

        doomed = [r["id"] for r in self.db.execute("SELECT id, feed_id, guid, link FROM entries")
                  if candidate(r["feed_id"], r["guid"], r["link"])
                  and taken_down(takedowns, r["feed_id"], r["guid"], r["link"])]
        gone_feeds = [f for f in feeds if self.db.execute("SELECT 1 FROM feeds WHERE id = ? UNION ALL "
                                                          "SELECT 1 FROM attempts WHERE feed_id = ? LIMIT 1",
                                                          (f, f)).fetchone()]
        if not doomed and not gone_feeds:
            return 0
        self.db.execute("PRAGMA secure_delete = ON")
        with self.transaction():
            for i in range(0, len(doomed), 500):
                chunk = doomed[i:i + 500]
                self.db.execute(f"DELETE FROM entries WHERE id IN ({','.join('?' for _ in chunk)})", chunk)
            for f in gone_feeds:
                self.db.execute("DELETE FROM feeds WHERE id = ?", (f,))
                self.db.execute("DELETE FROM backfill WHERE feed_id = ?", (f,))
                self.db.execute("DELETE FROM attempts WHERE feed_id = ?", (f,))
            self.db.execute("UPDATE feeds SET entry_count = "
                            "(SELECT COUNT(*) FROM entries WHERE entries.feed_id = feeds.id)")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return len(doomed)

    # --- reads --------------------------------------------------------------

    def entries(self, feed_ids: Iterable[str] | None = None) -> list[StoredEntry]:
        """Every archived entry, newest first (by sort_date, never `updated`)."""
        sql = "SELECT * FROM entries"
        args: tuple = ()
        if feed_ids is not None:
            ids = list(feed_ids)
            sql += f" WHERE feed_id IN ({','.join('?' for _ in ids)})"
            args = tuple(ids)
        sql += " ORDER BY sort_date DESC, id DESC"
        return [_entry(r) for r in self.db.execute(sql, args)]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    def digest(self) -> str:
        """A digest of every archived entry, every column: same digest, same archive.

        The site generator compares it with the last build's to skip rendering
        when nothing was added, changed or erased (see site/builder/fingerprint.py).
        """
        h = hashlib.blake2b(digest_size=16)
        cursor = self.db.cursor()
        cursor.row_factory = None  # plain tuples: sqlite3.Row doubled the cost (0.6 s for 50,000 entries)
        cursor.execute("SELECT * FROM entries ORDER BY id")
        for row in cursor:
            h.update("\x1f".join(map(str, row)).encode("utf-8", "surrogatepass") + b"\x1e")
        return h.hexdigest()


def _host(url: str) -> str:
    """The host of an http(s) URL, lowercased, without « www. » (cheap: no parsing)."""
    rest = url.partition("://")[2]
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1].lower()
    return host.removeprefix("www.")


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT. Inside an open transaction it joins it: the pipeline records
    the health of every feed that answered 304 in one transaction (one fsync, not one per feed)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.outer = False

    def __enter__(self):
        self.outer = not self.db.in_transaction
        if self.outer:
            self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if self.outer:
            self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False


def _backfill(row: sqlite3.Row) -> BackfillState:
    values = {c: row[c] for c in _BACKFILL_COLUMNS}
    values["done"] = bool(values["done"])
    values["updated"] = _dt(values["updated"])
    return BackfillState(feed_id=row["feed_id"], **values)


def _health(row: sqlite3.Row) -> FeedHealth:
    values = {c: row[c] for c in _HEALTH_COLUMNS}
    for c in _DATES:
        values[c] = _dt(values[c])
    values["gone"] = bool(values["gone"])
    return FeedHealth(feed_id=row["id"], **values)


def _entry(r: sqlite3.Row) -> StoredEntry:
    return StoredEntry(
        id=r["id"], feed_id=r["feed_id"], guid=r["guid"], link=r["link"], title=r["title"],
        excerpt=r["excerpt"], published=_dt(r["published"]), first_seen=_when(r["first_seen"]),
        sort_date=_when(r["sort_date"]), tags=tuple(json.loads(r["tags"])),
        specialties=tuple(json.loads(r["specialties"])),
        filed_by=tuple((slug, tuple(words)) for slug, words in json.loads(r["filed_by"])),
    )
