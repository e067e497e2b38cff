"""The archive's schema and its one ordered list of migrations.

A new store is created at SCHEMA_VERSION by SCHEMA. A store written by an older version
is brought up to date by running, in order and inside the opening transaction, every
step of MIGRATIONS from its version on (a crash leaves the old version, migrated again at
the next run). SCHEMA's statements all say IF NOT EXISTS: run after the migrations, they
add the tables and indexes an older store never had.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from ..core.entrykeys import archived_hash, archived_withheld
from ..core.errors import StoreError
from ..core.linkkeys import link_keys
from ..core.publicsafe import public_reason
from . import sealed
from .identities import TABLE as IDENTITIES

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
    entry_count INTEGER NOT NULL DEFAULT 0,
    last_post TEXT, fresh_until TEXT, feed_ttl INTEGER, next_poll TEXT, note TEXT
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
    filed_by TEXT NOT NULL DEFAULT '[]',
    cites TEXT NOT NULL DEFAULT '[]',
    link_keys TEXT NOT NULL DEFAULT '[]',
    withheld TEXT NOT NULL DEFAULT '',
    raw_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS entries_guid ON entries (feed_id, guid);
CREATE INDEX IF NOT EXISTS entries_link ON entries (feed_id, link);
CREATE INDEX IF NOT EXISTS entries_hash ON entries (feed_id, content_hash);
CREATE INDEX IF NOT EXISTS entries_order ON entries (sort_date DESC, id DESC);
-- /etat/ counts each feed's withheld entries at every build: a few rows, not the whole archive.
CREATE INDEX IF NOT EXISTS entries_withheld ON entries (feed_id, withheld) WHERE withheld != '';
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
""" + IDENTITIES

# The polling columns of `feeds` (adaptive polling, /etat/'s notes), in their order.
_POLLING_COLUMNS = (("last_post", "TEXT"), ("fresh_until", "TEXT"), ("feed_ttl", "INTEGER"),
                    ("next_poll", "TEXT"), ("note", "TEXT"))


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def _file_entries(db: sqlite3.Connection) -> None:
    """1 → 2: content filing. Entries keep an empty `filed_by` until their feed is parsed again.
    (A store that lost its version record may have the column already.)"""
    if "filed_by" not in _columns(db, "entries"):
        db.execute("ALTER TABLE entries ADD COLUMN filed_by TEXT NOT NULL DEFAULT '[]'")


def _poll_adaptively(db: sqlite3.Connection) -> None:
    """2 → 3: adaptive polling. Stores of version 2 gained these columns one release at a
    time, without a version of their own: each is added only where it is missing. The
    feeds' newest posts are read once from the archive."""
    have = _columns(db, "feeds")
    if not have:
        return  # no feeds table yet: SCHEMA creates it whole
    for name, kind in _POLLING_COLUMNS:
        if name not in have:
            db.execute(f"ALTER TABLE feeds ADD COLUMN {name} {kind}")
    if "last_post" not in have:
        db.execute("UPDATE feeds SET last_post = "
                   "(SELECT MAX(sort_date) FROM entries WHERE entries.feed_id = feeds.id)")


def _record_cites(db: sqlite3.Connection) -> None:
    """3 → 4: the links between blogs (clean/cites.py). Entries keep an empty `cites` until
    their feed is parsed again; their own links' keys are computed once, here."""
    have = _columns(db, "entries")
    if not have:
        return  # no entries table yet: SCHEMA creates it whole
    if "cites" not in have:
        db.execute("ALTER TABLE entries ADD COLUMN cites TEXT NOT NULL DEFAULT '[]'")
    if "link_keys" not in have:
        db.execute("ALTER TABLE entries ADD COLUMN link_keys TEXT NOT NULL DEFAULT '[]'")
        rows = db.execute("SELECT id, link, own_link FROM entries").fetchall()
        db.executemany("UPDATE entries SET link_keys = ? WHERE id = ?",
                       [(own_link_keys(link, bool(own)), i) for i, link, own in rows])


def own_link_keys(link: str, own_link: bool) -> str:
    """What the store keeps of an entry's own link for « de lien en lien » (core/linkkeys.py),
    as JSON: nothing when the entry links to its blog's home page."""
    keys = link_keys(link) if own_link else None
    return json.dumps(list(keys or ()), separators=(",", ":"))


def _withhold_and_seal(db: sqlite3.Connection) -> None:
    """4 → 5: no server value in clear, withheld entries counted. Entries gain `withheld` (the
    identity memory's table comes from SCHEMA); a walk's next address kept in clear is sealed
    (store/sealed.py); errors kept verbatim before are reduced to our own words again (an
    earlier filter let a server's two ordinary words through)."""
    if not _columns(db, "entries"):
        return  # a store without entries: SCHEMA creates every table whole
    if "withheld" not in _columns(db, "entries"):
        db.execute("ALTER TABLE entries ADD COLUMN withheld TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")  # a version-1 store
    sealed.ensure_keys(db)
    if _columns(db, "backfill"):
        for feed_id, next_url, reason in db.execute("SELECT feed_id, next_url, reason FROM backfill").fetchall():
            kept = next_url if sealed.unseal(db, next_url, feed_id) else sealed.seal(db, next_url, feed_id)
            db.execute("UPDATE backfill SET next_url = ?, reason = ? WHERE feed_id = ?",
                       (kept, public_reason(reason) if reason else reason, feed_id))
    for table, column in (("feeds", "last_error"), ("attempts", "error")):
        if column in _columns(db, table):
            for rowid, text in db.execute(f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL").fetchall():
                db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (public_reason(text), rowid))


def _hash_what_is_read(db: sqlite3.Connection) -> None:
    """5 → 6: the clean stage no longer redacts the whole text, only the excerpt's head, so the
    content hash is made of the text as the feed wrote it (core/entrykeys.py `content_hash`).
    A stored row's old hash (of the redacted text, which is not kept) could never match again:
    each row's key becomes `archived_hash` of its title and excerpt (a withheld row's, of its
    date: `archived_withheld`), which the store's lookup also tries. A row matched otherwise
    (GUID, link) keeps that key until its text changes."""
    if not _columns(db, "entries"):
        return
    if "raw_key" not in _columns(db, "entries"):  # what an entry was cleaned from: unknown before 6
        db.execute("ALTER TABLE entries ADD COLUMN raw_key TEXT NOT NULL DEFAULT ''")
    rows = db.execute("SELECT id, title, excerpt, published, withheld FROM entries").fetchall()
    db.executemany("UPDATE entries SET content_hash = ? WHERE id = ?", [
        ((archived_withheld(published) or f"archived-withheld:row{i}") if withheld else archived_hash(title, excerpt), i)
        for i, title, excerpt, published, withheld in rows])


# Every change to `entries` counts one in meta's `entries_changes`, whatever code makes it: the
# archive's digest (entries.py `digest`) is kept with the count it was made at and read again only
# when the count moved. Created with the store (and on opening an older one), like SCHEMA.
CHANGES = "entries_changes"
TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS entries_{event.lower()}_counted AFTER {event} ON entries BEGIN "
    f"UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = '{CHANGES}'; END"
    for event in ("INSERT", "UPDATE", "DELETE"))


# MIGRATIONS[i] brings a store of version i + 1 to version i + 2.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_file_entries, _poll_adaptively, _record_cites,
                                                                  _withhold_and_seal, _hash_what_is_read)
SCHEMA_VERSION = len(MIGRATIONS) + 1


def version_of(db: sqlite3.Connection) -> int | None:
    """The schema version of an existing store, None for a new (empty) file. Stores written
    before the version was recorded are version 1."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'entries'").fetchone() is None:
        return None
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is None:
        return 1
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 1


def migrate(db: sqlite3.Connection, where: object) -> None:
    """Bring the store to SCHEMA_VERSION, inside the caller's transaction. `where` names the
    state folder in the error a newer store raises."""
    version = version_of(db)
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(f"{where} a été écrit par une version plus récente "
                         f"(schéma {version}, celle-ci connaît {SCHEMA_VERSION})")
    for step in MIGRATIONS[(version or SCHEMA_VERSION) - 1:]:
        step(db)
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    for trigger in TRIGGERS:
        db.execute(trigger)
    if db.execute("INSERT OR IGNORE INTO meta VALUES (?, '0')", (CHANGES,)).rowcount:
        db.execute("DELETE FROM meta WHERE key = 'entries_digest'")  # kept under a count now lost
    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    sealed.ensure_keys(db)
