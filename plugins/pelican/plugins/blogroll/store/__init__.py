"""Store stage: the SQLite archive in the state directory.

One feed's fetch is written by one call, `apply(FeedUpdate)`, in one transaction: its
entries, its health (the entry count derived here, from the archive) and its walk state.
A crash at any moment leaves either the old or the new state of that feed, and the next
run fetches again whatever was not committed. The rooms: schema.py (the schema and its
one migration list), lock.py (one run at a time), entries.py, feeds.py (health, fetch
history, walks), rows.py (rows to typed values and back).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from ..clean.detect import Memory, Union
from ..clean.withhold import is_withheld_note, withheld_note
from ..core.model import Attempt, BackfillState, CleanEntry, FeedHealth, FeedUpdate, StoredEntry, Takedowns
from . import entries as _entries
from . import feeds as _feeds
from . import identities as _identities
from . import rows
from .entries import Stored
from .feeds import ATTEMPTS_KEPT
from .lock import StoreLock
from .schema import SCHEMA_VERSION, migrate

__all__ = ["ATTEMPTS_KEPT", "SCHEMA_VERSION", "Applied", "Store", "Stored"]


@dataclass(frozen=True)
class Applied:
    """What `Store.apply` did to the archive."""

    new: int = 0
    updated: int = 0
    # Archived entries withheld because the update declared someone new (identities.recheck).
    withheld: int = 0


class Store:
    """One SQLite file plus an exclusive lock for the duration of a run."""

    def __init__(self, state_dir: Path):
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._lock: StoreLock | None = StoreLock(self.state_dir)
        self._fresh: _identities.MemoryIndex | None = None  # the memory as it is now (read once)
        # The archive as the re-check reads it (folded once, then kept up to date), less the rows
        # that hold what an apply `screened` by `_scope` wrote: they were checked against every
        # name that scope declares (update/run.py: the run's Union) before they were stored.
        self._folded: _identities.Folded | None = None
        self._dirty: set[str] = set()  # feeds written since `_folded` was made, not screened
        self._scope: Union | None = None
        self._screened: set[int] = set()
        self._index: _identities.MemoryIndex | None = None  # the memory as the scope began
        try:
            self.db = sqlite3.connect(self.state_dir / "blogroll.sqlite3", isolation_level=None, timeout=30)
        except BaseException:
            self.close()
            raise
        try:
            self.db.row_factory = sqlite3.Row
            with self.transaction():
                migrate(self.db, self.state_dir)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            # Overwritten and deleted text is zeroed in the file (a withheld entry's old text,
            # a taken-down post): nothing withheld lingers in free pages.
            self.db.execute("PRAGMA secure_delete = ON")
        except BaseException:  # a store this run cannot use: the next one may, so nothing is held
            self.close()
            raise

    def close(self) -> None:
        if hasattr(self, "db"):
            self.db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # --- writes -------------------------------------------------------------

    def apply(self, update: FeedUpdate, seen_at: datetime, *, homes: Mapping[str, str] | None = None,
              screened: Union | None = None) -> Applied:
        """Write one feed's fetch at once: its entries (new ones added, known ones updated,
        sort dates frozen), then its health with the entry count of the archive (and a row
        of fetch history when `attempted`), then its walk state; what it declared goes to the
        identity memory as hashes, and when that is new the archive is checked again with it
        (`homes`: each blog's home page, the link of what is withheld).

        `screened`: the update's entries were checked against every name of that Union, and
        every update applied with it declares only names it holds (update/run.py). The rows
        they are stored in are then not read again when such an update declares someone new:
        a run's re-checks read the archive as it was, not once more per feed it stores."""
        withheld = 0
        self._enter(screened)
        with self.transaction():
            touched: set[int] = set()
            results = _entries.upsert_all(self.db, update.entries, seen_at, touched)
            new = results.count(Stored.NEW)
            if screened is not None:
                self._screened |= touched
                for i in touched:
                    (self._folded or {}).pop(i, None)
            elif self._folded is not None and any(r is not Stored.SAME for r in results):
                self._dirty.add(update.feed_id)
            if update.health is not None:
                _feeds.write_health(self.db, update.health, attempted=update.attempted)
            elif new:
                _feeds.recount(self.db, update.feed_id)
            if update.walk is not None:
                _feeds.write_walk(self.db, update.walk)
            if update.identities:
                withheld = self._remember(update, homes or {}, screened)
        if withheld and not self.db.in_transaction:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the old text's WAL frames go too
        return Applied(new, results.count(Stored.UPDATED), withheld)

    def _remember(self, update: FeedUpdate, homes: Mapping[str, str], screened: Union | None) -> int:
        fresh = _identities.remember(self.db, update.feed_id, update.identities)
        if not fresh:
            return 0
        self._fresh = None
        if screened is None:  # a walk's page: its names were checked against nothing else; rare
            return _identities.recheck(self.db, update.feed_id, fresh, homes, _identities.fold_archive(self.db, homes))
        if self._folded is None:  # the archive, folded once per scope, then kept up to date
            self._folded = {i: f for i, f in _identities.fold_archive(self.db, homes).items()
                            if i not in self._screened}
        elif self._dirty:  # what an unscreened apply wrote since, each such feed's rows folded again
            stale = {i for i, (fid, _) in self._folded.items() if fid in self._dirty}
            for i in stale:
                del self._folded[i]
            self._folded.update({i: f for i, f in _identities.fold_archive(self.db, homes, feeds=self._dirty).items()
                                 if i not in self._screened})
        self._dirty.clear()
        return _identities.recheck(self.db, update.feed_id, fresh, homes, self._folded)

    def _enter(self, screened: Union | None) -> None:
        """A new scope (`apply`): nothing of it screened yet, the archive and memory read again."""
        if screened is not None and screened is not self._scope:
            self._scope, self._screened, self._folded, self._index = screened, set(), None, None

    def memory(self, feed_id: str, screened: Union | None = None) -> tuple[Memory, Memory]:
        """The identity memory as `feed_id`'s posts are checked against it: (what it declared
        before, what the other feeds declared), keyed hashes only.

        `screened`: its posts are also checked against that Union (`apply`), which holds every
        name its scope declares; the memory is then read once per scope, as it was when the
        scope began (what the scope adds to it, the Union holds in the clear)."""
        if screened is not None:
            self._enter(screened)
            if self._index is None:
                self._index = _identities.memory_index(self.db)
            return self._index.memory(feed_id)
        if self._fresh is None:  # read again after a new name only
            self._fresh = _identities.memory_index(self.db)
        return self._fresh.memory(feed_id)

    def erase(self, takedowns: Takedowns) -> int:
        """Delete for good what takedowns.yaml lists: taken-down feeds (entries, health,
        attempts, walk) and single entries. Freed pages are zeroed (secure_delete) and the WAL
        is truncated, so the text does not linger in the files. Returns the entries deleted."""
        if not takedowns:
            return 0
        doomed = _entries.doomed(self.db, takedowns)
        gone_feeds = [f for f in sorted(takedowns.feeds)
                      if self.db.execute("SELECT 1 FROM feeds WHERE id = ? UNION ALL "
                                         "SELECT 1 FROM attempts WHERE feed_id = ? LIMIT 1", (f, f)).fetchone()]
        if not doomed and not gone_feeds:
            return 0
        self.db.execute("PRAGMA secure_delete = ON")
        with self.transaction():
            for i in range(0, len(doomed), 500):
                chunk = doomed[i:i + 500]
                self.db.execute(f"DELETE FROM entries WHERE id IN ({','.join('?' for _ in chunk)})", chunk)
            _feeds.forget(self.db, gone_feeds)
            self.db.execute("UPDATE feeds SET entry_count = "
                            "(SELECT COUNT(*) FROM entries WHERE entries.feed_id = feeds.id)")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return len(doomed)

    # --- reads --------------------------------------------------------------

    def all_health(self) -> dict[str, FeedHealth]:
        """Every feed's health, its note telling the withheld entries (clean/withhold.py)."""
        counts = _identities.withheld_counts(self.db)
        return {i: _noted(h, counts.get(i)) for i, h in _feeds.all_health(self.db).items()}

    def health(self, feed_id: str) -> FeedHealth | None:
        row = self.db.execute("SELECT * FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return rows.health(row) if row else None

    def history(self, feed_id: str, limit: int = 48) -> list[Attempt]:
        """The feed's last `limit` fetch attempts, newest first."""
        return _feeds.history(self.db, feed_id, limit)

    def backfill_states(self) -> dict[str, BackfillState]:
        return _feeds.walks(self.db)

    def backfill_state(self, feed_id: str) -> BackfillState | None:
        return _feeds.walks(self.db, feed_id).get(feed_id)

    def unknown(self, entries: Iterable[CleanEntry]) -> int:
        """How many of `entries` the archive does not hold yet."""
        return _entries.unknown(self.db, entries)

    def newest(self, feed_id: str, entries: Iterable[CleanEntry], seen_at: datetime) -> datetime | None:
        """The newest sort date of the feed's archive once `entries` are stored (adaptive
        polling plans from it before anything is written)."""
        return _entries.newest(self.db, feed_id, entries, seen_at)

    def entries(self, feed_ids: Iterable[str] | None = None) -> list[StoredEntry]:
        """Every archived entry, newest first (by sort_date, never `updated`)."""
        return _entries.read(self.db, feed_ids)

    def raw_keys(self, feed_ids: Iterable[str]) -> dict[str, frozenset[str]]:
        """Per feed, the raw keys of its archived entries (clean/entry.py `raw_key`)."""
        return _entries.raw_keys(self.db, feed_ids)

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    def digest(self) -> str:
        """A digest of every archived entry, every column: same digest, same archive."""
        return _entries.digest(self.db)


def _noted(health: FeedHealth, withheld: Mapping[str, int] | None) -> FeedHealth:
    """The feed's note with this update's withheld line in place of any earlier one (a health
    read back from the store already holds the last one: the note must not grow every hour)."""
    line = withheld_note(withheld) if withheld else None
    kept = [part for part in (health.note or "").split(" — ") if part and not is_withheld_note(part)]
    note = " — ".join([*kept, line] if line else kept) or None
    return health if note == health.note else dataclasses.replace(health, note=note)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT. Inside an open transaction it joins it: the hourly run
    writes every feed that needed no parsing (304, same body, failure) in one transaction
    (one fsync, not one per feed)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        self.outer = not self.db.in_transaction
        if self.outer:
            self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.outer:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")
