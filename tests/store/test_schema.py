"""store/schema.py: one ordered migration list brings any older store to the current schema."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from pelican.plugins.blogroll.core.errors import StoreError
from pelican.plugins.blogroll.core.model import CleanEntry, FeedHealth, FeedUpdate
from pelican.plugins.blogroll.store import SCHEMA_VERSION, Store
from pelican.plugins.blogroll.store.lock import StoreLock
from pelican.plugins.blogroll.store.schema import MIGRATIONS, SCHEMA

NOW = datetime(2026, 3, 1, tzinfo=UTC)
POLLING = ("last_post", "fresh_until", "feed_ttl", "next_poll", "note")


def old_store(path, *, version: int | None, polling: tuple[str, ...] = ()) -> None:
    """A store as an older release wrote it: the feeds table with only the `polling` columns
    it had gained, entries with or without `filed_by`, the version recorded or not."""
    schema = SCHEMA
    for column in POLLING:
        if column not in polling:
            schema = schema.replace(f" {column} {'INTEGER' if column == 'feed_ttl' else 'TEXT'},", "") \
                .replace(f", {column} {'INTEGER' if column == 'feed_ttl' else 'TEXT'}", "")
    if version is None or version < 4:
        schema = schema.replace(",\n    cites TEXT NOT NULL DEFAULT '[]'", "")
    if version in (None, 1):
        schema = schema.replace(",\n    filed_by TEXT NOT NULL DEFAULT '[]'", "")
    path.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path / "blogroll.sqlite3")
    db.executescript(schema.replace("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
                                    "" if version is None else
                                    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"))
    if version is not None:
        db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(version),))
    db.execute("INSERT INTO feeds (id, url) VALUES ('f', 'https://f.example/feed')")
    db.execute("INSERT INTO entries (feed_id, guid, link, content_hash, title, excerpt, first_seen, sort_date) "
               "VALUES ('f', 'g', 'https://f.example/1', 'h', 'Ancien', 'x', ?, ?)",
               ("2025-05-01T00:00:00+00:00", "2025-05-01T00:00:00+00:00"))
    db.commit()
    db.close()


def columns(path, table: str) -> set[str]:
    db = sqlite3.connect(path / "blogroll.sqlite3")
    try:
        return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
    finally:
        db.close()


def test_the_version_is_the_length_of_the_list():
    assert len(MIGRATIONS) + 1 == SCHEMA_VERSION


@pytest.mark.parametrize("version,polling", [(None, ()), (1, ()), (2, ()), (2, ("last_post", "fresh_until")),
                                             (2, POLLING), (3, POLLING)])
def test_any_older_store_opens_current_and_keeps_its_archive(tmp_path, version, polling):
    old_store(tmp_path, version=version, polling=polling)
    with Store(tmp_path) as s:
        assert [(e.title, e.cites) for e in s.entries()] == [("Ancien", ())]
        health = s.health("f")
        assert health is not None
        if "last_post" not in polling:  # read once from the archive by the migration
            assert health.last_post == datetime(2025, 5, 1, tzinfo=UTC)
        s.apply(FeedUpdate("f", FeedHealth("f", url="https://f.example/feed", last_attempt=NOW, note="n")), NOW)
        assert s.health("f").note == "n" and s.health("f").entry_count == 1
    assert set(POLLING) <= columns(tmp_path, "feeds") and {"filed_by", "cites"} <= columns(tmp_path, "entries")
    with Store(tmp_path) as s:  # a current store opens as it is
        assert s.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        assert len(s.entries()) == 1


def test_a_newer_store_is_refused_and_left_alone(tmp_path):
    old_store(tmp_path, version=SCHEMA_VERSION + 1, polling=POLLING)
    with pytest.raises(StoreError, match="version plus récente"):
        Store(tmp_path)
    db = sqlite3.connect(tmp_path / "blogroll.sqlite3")
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION + 1)
    assert db.execute("SELECT title FROM entries").fetchall() == [("Ancien",)]
    db.close()
    # The refusal released the lock: a later (newer) run is not blocked by this one.
    StoreLock(tmp_path).release()


def v5_store(path) -> None:
    """A store as schema 5 wrote it: content hashes of the redacted text (here « old-… »): a post
    with no GUID and no link of its own, and such a post withheld."""
    path.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path / "blogroll.sqlite3")
    db.executescript(SCHEMA)
    db.execute("INSERT INTO meta VALUES ('schema_version', '5')")
    db.execute("INSERT INTO feeds (id, url) VALUES ('f', 'https://f.example/feed')")
    for h, title, excerpt, published, withheld in (
            ("old-1", "Une garde de nuit", "Le bip a sonné trois fois …", "2025-05-01T08:00:00+00:00", ""),
            ("old-2", "Billet retenu", "", "2025-06-01T10:00:00+00:00", "declared")):
        db.execute("INSERT INTO entries (feed_id, guid, link, own_link, content_hash, title, excerpt, published,"
                   " first_seen, sort_date, withheld) VALUES ('f', NULL, 'https://f.example/', 0, ?, ?, ?, ?, ?, ?, ?)",
                   (h, title, excerpt, published, published, published, withheld))
    db.commit()
    db.close()


def test_a_schema_5_store_keeps_recognising_posts_known_only_by_their_text(tmp_path):
    """5 → 6: the content hash is now made of the text as written, not redacted; a post whose
    only key is that hash is found again (no duplicate), and a withheld one stays withheld even
    when nothing is found in it any more."""
    v5_store(tmp_path)
    seen = datetime(2026, 3, 2, tzinfo=UTC)

    def entry(title, excerpt, published, h):
        return CleanEntry(feed_id="f", guid=None, link="https://f.example/", title=title, excerpt=excerpt,
                          published=datetime.fromisoformat(published), tags=(), specialties=(),
                          content_hash=h, own_link=False)

    with Store(tmp_path) as s:
        hashes = [r[0] for r in s.db.execute("SELECT content_hash FROM entries ORDER BY id")]
        assert not any(h.startswith("old-") for h in hashes)
        applied = s.apply(FeedUpdate("f", FeedHealth("f", url="https://f.example/feed"), (
            entry("Une garde de nuit", "Le bip a sonné trois fois …", "2025-05-01T08:00:00+00:00", "new-1"),
            entry("Un titre en clair", "Un texte en clair …", "2025-06-01T10:00:00+00:00", "new-2"),
        ), attempted=False), seen)
        assert (applied.new, applied.updated) == (0, 0)
        assert s.count() == 2
        assert sorted(e.title for e in s.entries()) == sorted(["Une garde de nuit", "Billet retenu"])
        # A post of the same title and excerpt as no archived row is new.
        applied = s.apply(FeedUpdate("f", FeedHealth("f", url="https://f.example/feed"), (
            entry("Une autre garde", "Autre texte …", "2025-07-01T10:00:00+00:00", "new-3"),), attempted=False), seen)
        assert applied.new == 1
