"""store/ on a real SQLite file: one FeedUpdate, one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.errors import StoreLocked
from pelican.plugins.blogroll.core.model import Attempt, CleanEntry, FeedHealth, FeedUpdate
from pelican.plugins.blogroll.store import Store

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


def ce(guid, link, title="T", published=None, h=None, **kw):
    kw = {"tags": (), "specialties": ("pma",), **kw}
    return CleanEntry(feed_id="f", guid=guid, link=link, title=title, excerpt="x", published=published,
                      content_hash=h or f"hash-{guid}-{link}-{title}", **kw)


def record(s, h, entries, at):
    """Apply a fetch of `h.feed_id` with these entries; (new, updated)."""
    applied = s.apply(FeedUpdate(h.feed_id, h, tuple(entries or ())), at)
    return applied.new, applied.updated


def health(at):
    return FeedHealth(feed_id="f", url="https://f.example/feed", last_attempt=at, last_success=at)


def test_archive_grows_and_matches_by_guid_then_link_then_hash(tmp_path):
    with Store(tmp_path) as s:
        assert record(s, health(T0), [ce("g1", "https://f.example/1"), ce("g2", "https://f.example/2")], T0) == (2, 0)
        # g1 retitled (same guid), g2 dropped by the feed, g3 new; a GUID change with the same link is the same post
        new, updated = record(s, health(T0), [ce("g1", "https://f.example/1", title="T2"),
                                             ce("g9", "https://f.example/2"),
                                             ce("g3", "https://f.example/3")], T0 + timedelta(hours=1))
        assert (new, updated) == (1, 2)
        assert sorted(e.guid for e in s.entries()) == ["g1", "g3", "g9"]
        # content-hash match (no guid, new link): the same post, its link updated
        assert record(s, health(T0), [ce(None, "https://f.example/4", h="hash-g3-https://f.example/3-T")], T0) == (0, 1)
        assert s.count() == 3


def test_sort_date_is_frozen_at_first_sight(tmp_path):
    with Store(tmp_path) as s:
        record(s, health(T0), [ce("old", "https://f.example/o", published=T0 - timedelta(days=300))], T0)
        record(s, health(T0), [ce("new", "https://f.example/n", published=T0 - timedelta(days=1))], T0)
        # The feed rewrites the old post (new title, and a later date, as updated-rewriting feeds do).
        record(s, health(T0), [ce("old", "https://f.example/o", title="Retouché", published=T0)], T0 + timedelta(days=1))
        order = [e.guid for e in s.entries()]
        assert order == ["new", "old"]
        future = ce("fut", "https://f.example/f", published=T0 + timedelta(days=365))
        record(s, health(T0), [future], T0 + timedelta(days=2))
        fut = next(e for e in s.entries() if e.guid == "fut")
        assert fut.sort_date == T0 + timedelta(days=2)


def test_second_run_is_refused_with_a_clear_message(tmp_path):
    with Store(tmp_path), pytest.raises(StoreLocked, match="une autre exécution"):
        Store(tmp_path)
    Store(tmp_path).close()  # released


def test_health_round_trips(tmp_path):
    with Store(tmp_path) as s:
        h = FeedHealth(feed_id="f", url="u", last_attempt=T0, last_error="boom", consecutive_failures=3,
                       down_since=T0, next_attempt=T0 + timedelta(hours=4), etag='"e"', gone=True)
        record(s, h, None, T0)
        back = s.health("f")
        assert back.last_error == "boom" and back.consecutive_failures == 3 and back.gone
        assert back.next_attempt == T0 + timedelta(hours=4) and back.etag == '"e"'
        assert s.history("f") == [Attempt(T0, False, None, "boom")]


def test_a_post_s_links_are_stored_and_a_change_of_them_updates_it(tmp_path):
    keys = (("p" * 20, "s" * 20), ("q" * 20, "t" * 20, "u" * 20))
    with Store(tmp_path) as s:
        assert record(s, health(T0), [ce("g", "https://f.example/1", cites=keys)], T0) == (1, 0)
        assert s.entries()[0].cites == keys
        assert record(s, health(T0), [ce("g", "https://f.example/1", cites=keys)], T0) == (0, 0)
        # an entry stored before its links were read (or that gained one) is written again once
        assert record(s, health(T0), [ce("g", "https://f.example/1", cites=keys[:1])], T0) == (0, 1)
        assert s.entries()[0].cites == keys[:1]


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(posts=st.lists(st.tuples(st.lists(_text, max_size=3), st.lists(st.sampled_from(["pma", "psy", "urg"]), max_size=3),
                                st.lists(st.tuples(st.sampled_from(["pma", "psy"]), st.lists(_text, max_size=2)), max_size=2),
                                st.lists(st.lists(_text, min_size=1, max_size=3), max_size=3)),
                      min_size=1, max_size=6))
def test_every_stored_field_reads_back_as_written_whatever_repeats(tmp_path_factory, posts) -> None:
    """Reading the archive decodes each distinct JSON text once (store/rows.py): entries with the
    same tags, the same specialties or none must still read back each exactly as applied."""
    with Store(tmp_path_factory.mktemp("rt")) as s:
        written = [ce(f"g{i}", f"https://f.example/{i}", tags=tuple(tags), specialties=tuple(specs),
                      filed_by=tuple((slug, tuple(words)) for slug, words in filed),
                      cites=tuple(tuple(keys) for keys in cites))
                   for i, (tags, specs, filed, cites) in enumerate(posts + posts)]  # each value twice
        s.apply(FeedUpdate("f", health(T0), tuple(written)), T0)
        back = {e.guid: e for e in s.entries()}
        for w in written:
            e = back[w.guid]
            assert (e.tags, e.specialties, e.filed_by, e.cites) == (w.tags, w.specialties, w.filed_by, w.cites)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(
    st.tuples(st.just("apply"), st.lists(st.integers(0, 5), max_size=4), st.sampled_from(["T", "Titre", "Autre"])),
    st.tuples(st.just("sql"), st.just([]), st.sampled_from([
        "UPDATE entries SET title = title || '!' WHERE id = (SELECT MIN(id) FROM entries)",
        "UPDATE entries SET raw_key = 'x'", "DELETE FROM entries WHERE id = (SELECT MAX(id) FROM entries)",
        "UPDATE entries SET excerpt = excerpt"])),
    st.tuples(st.just("digest"), st.just([]), st.just("")),
    st.tuples(st.just("reopen"), st.just([]), st.just(""))), max_size=12))
def test_the_archive_digest_is_always_the_digest_of_what_it_holds(tmp_path_factory, steps) -> None:
    """The digest is kept with the archive's change count (store/schema.py TRIGGERS): whatever
    writes the entries — the store's own code or any SQL — it is never stale."""
    from pelican.plugins.blogroll.store import entries as stored

    path = tmp_path_factory.mktemp("digest")
    s = Store(path)
    try:
        for i, (op, posts, title) in enumerate(steps):
            if op == "apply":
                s.apply(FeedUpdate("f", health(T0), tuple(ce(f"g{p}", f"https://f.example/{p}", title=title)
                                                          for p in dict.fromkeys(posts))), T0 + timedelta(hours=i))
            elif op == "sql":
                s.db.execute(title)
            elif op == "reopen":
                s.close()
                s = Store(path)
            assert s.digest() == stored._digest(s.db)
    finally:
        s.close()


def test_a_store_opened_without_the_change_count_gets_it_and_a_true_digest(tmp_path) -> None:
    """A store written before the count (no triggers, no meta row, maybe a stale digest kept)."""
    from pelican.plugins.blogroll.store import entries as stored

    with Store(tmp_path) as s:
        record(s, health(T0), [ce("g1", "https://f.example/1")], T0)
        s.digest()
        for event in ("insert", "update", "delete"):
            s.db.execute(f"DROP TRIGGER entries_{event}_counted")
        s.db.execute("DELETE FROM meta WHERE key = 'entries_changes'")
        s.db.execute("UPDATE entries SET title = 'Changé sans compte'")
        assert s.digest() == stored._digest(s.db)  # no count: made again, not read back
    with Store(tmp_path) as s:
        record(s, health(T0), [ce("g2", "https://f.example/2")], T0)
        assert s.digest() == stored._digest(s.db)
        s.db.execute("UPDATE entries SET title = 'Encore'")
        assert s.digest() == stored._digest(s.db)


def test_the_withheld_counts_read_an_index_not_the_archive(tmp_path) -> None:
    """/etat/ counts each feed's withheld entries at every build, the hours where nothing changed
    too: the count reads the few withheld rows, whatever the archive's size, and is right."""
    from pelican.plugins.blogroll.store import identities

    with Store(tmp_path) as s:
        record(s, health(T0), [ce(f"g{i}", f"https://f.example/{i}") for i in range(6)], T0)
        s.db.execute("UPDATE entries SET withheld = 'identité' WHERE guid IN ('g1', 'g4')")
        s.db.execute("UPDATE entries SET withheld = 'contact' WHERE guid = 'g2'")
        assert identities.withheld_counts(s.db) == {"f": {"identité": 2, "contact": 1}}
        plan = " ".join(str(row[-1]) for row in s.db.execute("EXPLAIN QUERY PLAN " + identities.WITHHELD_COUNTS))
        assert "COVERING INDEX entries_withheld" in plan, plan
