"""The entry identity before issue 23 (item 2), to write the archives it left behind: one
key set per entry (GUID, own link, content hash), any shared key merged, within a fetch as
against the archive. Entries whose links differ only by their fragment collapsed into one row.
`legacy_identity()` puts it in place of the current one for the `with` block."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from pelican.plugins.blogroll.clean import entry as clean_entry_module
from pelican.plugins.blogroll.core.model import CleanEntry
from pelican.plugins.blogroll.store import entries as store_entries


def old_keys(e: CleanEntry) -> list[tuple[str, str]]:
    keys = [("guid", e.guid)] if e.guid else []
    if e.own_link:
        keys.append(("link", e.link))
    return [*keys, ("hash", e.content_hash)]


def old_dedup(entries: list[CleanEntry]) -> list[CleanEntry]:
    seen: set[tuple[str, str]] = set()
    out = []
    for e in entries:
        keys = old_keys(e)
        if seen.isdisjoint(keys):
            out.append(e)
        seen.update(keys)
    return out


def old_find(db: sqlite3.Connection, entry: CleanEntry, context: object = None) -> sqlite3.Row | None:
    columns = {"guid": "guid", "link": "link", "hash": "content_hash"}
    for kind, value in old_keys(entry):
        extra = " AND own_link = 1" if kind == "link" else ""
        row = db.execute(f"SELECT * FROM entries WHERE feed_id = ? AND {columns[kind]} = ?{extra} LIMIT 1",
                         (entry.feed_id, value)).fetchone()
        if row is not None:
            return row
    return None


@contextlib.contextmanager
def legacy_identity() -> Iterator[None]:
    """The old release's dedup and archive matching (its `upsert` wrote rows as today's does)."""
    saved = clean_entry_module.dedup, store_entries.find
    clean_entry_module.dedup, store_entries.find = old_dedup, old_find
    try:
        yield
    finally:
        clean_entry_module.dedup, store_entries.find = saved
