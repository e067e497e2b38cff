"""The `entries` table: archived posts, matched by GUID, then link and title, then link, then content hash.

Entries are never deleted because a feed dropped them or went down: the archive only
grows (takedowns are the one exception, `erase`). An entry's sort date and first sighting
are frozen when it is first stored: a feed rewriting `updated` never bumps an old post.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from ..core.entrykeys import Key, ambiguous_keys, archived_hash, archived_withheld, match_keys, sort_date, taken_down
from ..core.model import CleanEntry, StoredEntry, Takedowns
from . import rows
from .schema import CHANGES, own_link_keys


class Stored(Enum):
    """What storing one entry did."""

    NEW = "new"
    UPDATED = "updated"
    SAME = "same"


# A key's rows: (WHERE clause, its arguments) from the entry. The link keys take own links
# only; the link alone also asks the GUIDs not to disagree (the entry or the row has none):
# two entries with distinct GUIDs and distinct titles under one link are two posts.
_WHERE: dict[str, tuple[str, Callable[[CleanEntry], tuple[object, ...]]]] = {
    "guid": ("guid = ?", lambda e: (e.guid,)),
    "titled": ("link = ? AND title = ? AND own_link = 1", lambda e: (e.link, e.title)),
    "link": ("link = ? AND own_link = 1 AND (guid IS NULL OR ? IS NULL)", lambda e: (e.link, e.guid)),
    # A row stored before schema 6 holds the key of its title and excerpt, or, withheld, of its
    # date (store/schema.py `_hash_what_is_read`).
    "hash": ("content_hash IN (?, ?, ?)", lambda e: (e.content_hash, archived_hash(e.title, e.excerpt),
                                                       archived_withheld(rows.iso(e.published)))),
}


@dataclass(frozen=True)
class Batch:
    """What matching one entry needs to know of the other entries of its fetch: the link keys
    several of them hold (`ambiguous_keys`), and the rows their GUIDs already claim (a GUID
    is the feed's own word: a weaker key of another entry never takes that row)."""

    ambiguous: frozenset[Key] = frozenset()
    claimed: frozenset[int] = frozenset()


def batch(db: sqlite3.Connection, entries: Iterable[CleanEntry]) -> Batch:
    entries = list(entries)
    claimed = frozenset(row["id"] for e in entries if e.guid for row in _rows(db, e, "guid", 1))
    return Batch(ambiguous_keys(entries), claimed)


def _rows(db: sqlite3.Connection, e: CleanEntry, kind: str, limit: int) -> list[sqlite3.Row]:
    where, args = _WHERE[kind]
    return db.execute(f"SELECT * FROM entries WHERE feed_id = ? AND {where} LIMIT ?",
                      (e.feed_id, *args(e), limit)).fetchall()


def find(db: sqlite3.Connection, entry: CleanEntry, context: Batch = Batch()) -> sqlite3.Row | None:
    """The archived row of `entry`, by its match keys, strongest first (`match_keys`). A link
    key must name one row (a page of notes stored as several rows identifies none of them);
    a weaker key never takes a row another entry of the fetch claims by its GUID."""
    for kind, _ in match_keys(entry, context.ambiguous):
        if kind == "guid":
            found = _rows(db, entry, kind, 1)
        else:
            found = [r for r in _rows(db, entry, kind, len(context.claimed) + 2)
                     if r["id"] not in context.claimed]
            if kind != "hash" and len(found) > 1:
                continue
        if found:
            return found[0]
    return None


def upsert_all(db: sqlite3.Connection, entries: Iterable[CleanEntry], seen_at: datetime,
               rows_of: set[int] | None = None) -> list[Stored]:
    """Store one fetch's entries (`upsert` each, knowing the others: `Batch`); the ids of the
    rows that now hold them are added to `rows_of` when given."""
    entries = list(entries)
    context = batch(db, entries)
    return [upsert(db, e, seen_at, context, rows_of) for e in entries]


def upsert(db: sqlite3.Connection, e: CleanEntry, seen_at: datetime, context: Batch = Batch(),
           rows_of: set[int] | None = None) -> Stored:
    row = find(db, e, context)
    if row is not None and rows_of is not None:
        rows_of.add(row["id"])
    tags = json.dumps(list(e.tags), ensure_ascii=False)
    specialties = json.dumps(list(e.specialties))
    filed_by = json.dumps([[slug, list(words)] for slug, words in e.filed_by], ensure_ascii=False)
    cites = json.dumps([list(c) for c in e.cites], separators=(",", ":"))
    if row is None:
        cursor = db.execute(
            "INSERT INTO entries (feed_id, guid, link, own_link, content_hash, title, excerpt, published,"
            " first_seen, sort_date, tags, specialties, filed_by, cites, link_keys, withheld, raw_key)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (e.feed_id, e.guid, e.link, int(e.own_link), e.content_hash, e.title, e.excerpt,
             rows.iso(e.published), rows.iso(seen_at), rows.iso(sort_date(e.published, seen_at)), tags,
             specialties, filed_by, cites, own_link_keys(e.link, e.own_link), e.withheld, e.raw_key))
        if rows_of is not None and cursor.lastrowid is not None:
            rows_of.add(cursor.lastrowid)
        return Stored.NEW
    if row["withheld"] and not e.withheld:
        _keep_raw_key(db, row, e)
        return Stored.SAME  # withheld once, withheld for good: its text never comes back in clear
    if (row["title"], row["excerpt"], row["link"], row["tags"], row["specialties"], row["guid"], row["filed_by"],
            row["cites"], row["withheld"]) == (e.title, e.excerpt, e.link, tags, specialties, e.guid or row["guid"],
                                               filed_by, cites, e.withheld):
        _keep_raw_key(db, row, e)
        return Stored.SAME
    db.execute(
        "UPDATE entries SET guid = ?, link = ?, own_link = ?, content_hash = ?, title = ?, excerpt = ?,"
        " tags = ?, specialties = ?, filed_by = ?, cites = ?, link_keys = ?, withheld = ?, raw_key = ? WHERE id = ?",
        (e.guid or row["guid"], e.link, int(e.own_link), e.content_hash, e.title, e.excerpt, tags,
         specialties, filed_by, cites, own_link_keys(e.link, e.own_link), e.withheld, e.raw_key, row["id"]))
    return Stored.UPDATED


def _keep_raw_key(db: sqlite3.Connection, row: sqlite3.Row, e: CleanEntry) -> None:
    """A row that stays as it is learns the raw key it is cleaned from now (another release
    cleans every entry once more, and finds most of them the same)."""
    if e.raw_key and row["raw_key"] != e.raw_key:
        db.execute("UPDATE entries SET raw_key = ? WHERE id = ?", (e.raw_key, row["id"]))


def raw_keys(db: sqlite3.Connection, feed_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for feed_id in set(feed_ids):
        for (key,) in db.execute("SELECT raw_key FROM entries WHERE feed_id = ? AND raw_key != ''", (feed_id,)):
            out.setdefault(feed_id, set()).add(key)
    return {f: frozenset(keys) for f, keys in out.items()}


def count(db: sqlite3.Connection, feed_id: str) -> int:
    return db.execute("SELECT COUNT(*) FROM entries WHERE feed_id = ?", (feed_id,)).fetchone()[0]


def newest(db: sqlite3.Connection, feed_id: str, entries: Iterable[CleanEntry], seen_at: datetime) -> datetime | None:
    """The newest sort date of the feed's archive once `entries` are stored (read only): an
    entry raises it only if the archive does not hold it yet (a stored entry's date is frozen)."""
    row = db.execute("SELECT MAX(sort_date) FROM entries WHERE feed_id = ?", (feed_id,)).fetchone()
    latest = rows.dt(row[0]) if row and row[0] else None
    entries = list(entries)
    context = batch(db, entries)
    for e in entries:
        candidate = sort_date(e.published, seen_at)
        if (latest is None or candidate > latest) and find(db, e, context) is None:
            latest = candidate
    return latest


def unknown(db: sqlite3.Connection, entries: Iterable[CleanEntry]) -> int:
    """How many of one fetch's `entries` the archive does not hold yet."""
    entries = list(entries)
    context = batch(db, entries)
    return sum(find(db, e, context) is None for e in entries)


def read(db: sqlite3.Connection, feed_ids: Iterable[str] | None = None) -> list[StoredEntry]:
    """Every archived entry (of `feed_ids`), newest first (by sort date, never `updated`)."""
    sql = f"SELECT {', '.join(rows.ENTRY_COLUMNS)} FROM entries"
    args: tuple = ()
    if feed_ids is not None:
        ids = list(feed_ids)
        sql += f" WHERE feed_id IN ({','.join('?' for _ in ids)})"
        args = tuple(ids)
    sql += " ORDER BY sort_date DESC, id DESC"
    cursor = db.cursor()
    cursor.row_factory = None  # plain tuples, in ENTRY_COLUMNS order
    return [rows.entry(r) for r in cursor.execute(sql, args)]


def digest(db: sqlite3.Connection) -> str:
    """A digest of every archived entry, every column but `raw_key` (what the entry was cleaned
    from, which no page shows): same digest, same archive (the site generator skips rendering
    when it is the last build's: site/builder/fingerprint.py). Kept in meta with the archive's
    change count (schema.py TRIGGERS): made again only when an entry changed since."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (CHANGES,)).fetchone()
    changes = row[0] if row else None
    kept = db.execute("SELECT value FROM meta WHERE key = 'entries_digest'").fetchone()
    if changes is not None and kept and kept[0].startswith(f"{changes}:"):
        return str(kept[0]).partition(":")[2]
    made = _digest(db)
    if changes is not None:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('entries_digest', ?)", (f"{changes}:{made}",))
    return made


def _digest(db: sqlite3.Connection) -> str:
    h = hashlib.blake2b(digest_size=16)
    cursor = db.cursor()
    cursor.row_factory = None  # plain tuples: sqlite3.Row doubled the cost (0.6 s for 50,000 entries)
    cursor.execute("SELECT * FROM entries ORDER BY id")
    skip = [d[0] for d in cursor.description].index("raw_key")
    for row in cursor:
        h.update("\x1f".join(map(str, row[:skip] + row[skip + 1:])).encode("utf-8", "surrogatepass") + b"\x1e")
    return h.hexdigest()


def doomed(db: sqlite3.Connection, takedowns: Takedowns) -> list[int]:
    """The ids of the entries takedowns.yaml lists (a cheap host test first, then the rule)."""
    guids = {k[5:] for k in takedowns.entries if k.startswith("guid:")}
    hosts = {k[4:].split("/", 1)[0].split("?", 1)[0] for k in takedowns.entries if k.startswith("url:")}

    def candidate(feed_id: str, guid: str | None, link: str) -> bool:
        return takedowns.hashed or feed_id in takedowns.feeds or guid in guids or \
            _host(link) in hosts or (guid is not None and _host(guid) in hosts)

    return [r["id"] for r in db.execute("SELECT id, feed_id, guid, link FROM entries")
            if candidate(r["feed_id"], r["guid"], r["link"])
            and taken_down(takedowns, r["feed_id"], r["guid"], r["link"])]


def _host(url: str) -> str:
    """The host of an http(s) URL, lowercased, without « www. » (cheap: no parsing)."""
    rest = url.partition("://")[2]
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1].lower()
    return host.removeprefix("www.")
