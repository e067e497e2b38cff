"""The identity memory and the walk table against a real SQLite store (store/identities.py,
store/sealed.py): what feeds declare is kept as keyed hashes only, applies to later fetches
of the same feed and to the other feeds, re-checks the archive when it is new; no server
value stays in clear; a store of schema 4 is migrated."""

from __future__ import annotations

import dataclasses
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.detect import Memory
from pelican.plugins.blogroll.clean.withhold import HISTORY, NEUTRAL_TITLE, OTHER_FEED
from pelican.plugins.blogroll.core.identity import Variants, variants
from pelican.plugins.blogroll.core.model import BackfillState, CleanEntry, FeedHealth, FeedUpdate
from pelican.plugins.blogroll.store import SCHEMA_VERSION, Store, sealed
from pelican.plugins.blogroll.store.identities import TABLE
from pelican.plugins.blogroll.store.schema import SCHEMA

NOW = datetime(2026, 3, 1, tzinfo=UTC)
HOMES = {"a": "https://a.example/", "b": "https://b.example/"}
SYLLABLES = ("gon", "tra", "vel", "qui", "stre", "bert", "pa", "lo", "mir", "var", "de", "nas", "se", "rou", "quay")
name = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=4).map("".join).filter(lambda w: len(w) >= 5)


def files(state: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(state.iterdir()) if p.is_file())


def entry(feed_id: str, n: int, title: str, excerpt: str = "Texte ordinaire.") -> CleanEntry:
    return CleanEntry(feed_id=feed_id, guid=f"g{feed_id}{n}", link=f"https://{feed_id}.example/{n}", title=title,
                      excerpt=excerpt, published=NOW, tags=("garde",), specialties=(), content_hash=f"h{feed_id}{n}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(name, name)
def test_the_memory_keeps_hashes_only(first, last):
    declared = variants([f"Dr {first.capitalize()} {last.capitalize()}", f"{first}.{last}@example.org"])
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp)
        with Store(state) as s:
            s.apply(FeedUpdate("a", identities=declared, attempted=False), NOW, homes=HOMES)
            assert s.db.execute("SELECT COUNT(*) FROM identities").fetchone()[0] > 0
            s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw = files(state)
        for form in declared.words | declared.glued:
            assert form.encode() not in raw, form


def test_what_a_feed_declared_applies_to_its_later_pages_and_to_the_others():
    declared = variants(["Dr Gontravel Vo", "Palomir Vardenasse", "Ysolde Sage"])
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp)) as s:
        s.apply(FeedUpdate("a", identities=declared, attempted=False), NOW, homes=HOMES)
        own, others = s.memory("a")
        assert own.hits("Merci au Dr Vo") and own.hits("vardenasse75") and own.hits("PALOMIR VARDENASSE")
        assert not own.hits("Une garde calme")
        theirs, from_a = s.memory("b")
        assert not theirs
        assert from_a.hits("Un mot de Palomir Vardenasse") and from_a.hits("palomirvardenasse")
        assert from_a.hits("Merci à Vo")  # a short surname that is no French word names someone anywhere
        assert not from_a.hits("Un avis sage")  # an ordinary word alone names no one in another blog
        assert from_a.hits("Merci au Dr Sage") and from_a.hits("Merci à Y. Sage")  # after a title or an initial


def test_a_new_identity_cleans_the_archive_in_place_and_nothing_stays_in_clear(tmp_path):
    with Store(tmp_path) as s:
        hosted = dataclasses.replace(entry("a", 4, "Nuit de garde"), link="https://vardenasse.example/4", own_link=True)
        s.apply(FeedUpdate("a", entries=(entry("a", 1, "Garde avec Palomir Vardenasse"), entry("a", 2, "Nuit calme"),
                                         entry("a", 3, "Merci au Dr Sage"), hosted)), NOW)
        s.apply(FeedUpdate("b", entries=(entry("b", 1, "Lu chez Vardenasse Palomir"), entry("b", 2, "Le Sage ici"),
                                         entry("b", 3, "Le Dr Sage ici"),
                                         entry("b", 4, "Vu chez Palomir", "Et chez xyzvardenasse@"))), NOW)
        applied = s.apply(FeedUpdate("a", identities=variants(["Dr Palomir Vardenasse", "Gontravel Sage"]),
                                     attempted=False), NOW, homes=HOMES)
        by_title = {(e.feed_id, e.guid): e for e in s.entries()}
        # What the new identity names is cut where it can be, the entry staying published...
        assert by_title[("a", "ga1")].title == "Garde avec"
        assert by_title[("a", "ga3")].title == "Merci au"  # « Sage » is cut from its own blog
        assert by_title[("b", "gb1")].title == "Lu chez" and by_title[("b", "gb1")].excerpt == "Texte ordinaire."
        assert by_title[("b", "gb2")].title == "Le Sage ici"  # but not from another's, alone
        assert by_title[("a", "ga2")].title == "Nuit calme"
        assert by_title[("b", "gb3")].title == "Le ici"  # after a doctor's title, it names someone
        # ... and withheld where the detector still finds it: in a link's host (no cut of the
        # text takes it out).
        assert by_title[("a", "ga4")].title == NEUTRAL_TITLE and by_title[("a", "ga4")].link == HOMES["a"]
        reasons = dict(s.db.execute("SELECT guid, withheld FROM entries WHERE withheld != ''").fetchall())
        assert reasons in ({"ga4": HISTORY}, {"ga4": HISTORY, "gb4": OTHER_FEED})
        assert applied.withheld == len(reasons)
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert b"ardenasse" not in files(tmp_path)
        note = s.all_health()
        assert not note  # no health rows yet: the note rides on a feed's health
        s.apply(FeedUpdate("a", FeedHealth("a", url="https://a.example/feed", last_attempt=NOW)), NOW)
        held_a = sum(r.startswith("ga") for r in reasons)
        assert s.all_health()["a"].note.startswith(f"{held_a} billet(s) retenu(s)")
        # The health read back (note included) and stored again, hour after hour, as a 304 does:
        # the note says it once, and beside the feed's own note.
        for _ in range(3):
            health = dataclasses.replace(s.all_health()["a"], last_attempt=NOW)
            s.apply(FeedUpdate("a", health), NOW)
        assert s.all_health()["a"].note.count("retenu(s)") == 1
        s.apply(FeedUpdate("a", dataclasses.replace(s.all_health()["a"], note="Flux déplacé")), NOW)
        assert s.all_health()["a"].note.startswith(f"Flux déplacé — {held_a} billet(s) retenu(s)")
        again = s.apply(FeedUpdate("a", identities=variants(["Dr Palomir Vardenasse"]), attempted=False), NOW,
                        homes=HOMES)
        assert again.withheld == 0  # known already: no second pass over the archive
        # A withheld entry fetched again with its text stays withheld.
        s.apply(FeedUpdate("a", entries=(dataclasses.replace(hosted, title="Nuit de garde, encore"),)), NOW)
        assert {e.guid: e.title for e in s.entries(["a"])}["ga4"] == NEUTRAL_TITLE
    raw = files(tmp_path)
    assert b"vardenasse" not in raw.lower() and b"Vardenasse" not in raw


def test_the_walks_next_address_is_sealed(tmp_path):
    url = "https://a.example/auteur/palomir-vardenasse/feed/?paged=2"
    with Store(tmp_path) as s:
        s.apply(FeedUpdate("a", walk=BackfillState("a", "https://a.example/feed", "rfc5005", next_url=url, pages=1),
                           attempted=False), NOW)
        assert s.backfill_state("a").next_url == url
        stored = s.db.execute("SELECT next_url FROM backfill").fetchone()[0]
        assert stored.startswith("sealed1:") and "vardenasse" not in stored
        # A sealed value moved to another feed's row does not open.
        s.db.execute("INSERT INTO backfill (feed_id, feed_url, next_url) VALUES ('b', 'x', ?)", (stored,))
        assert s.backfill_state("b").next_url is None
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"vardenasse" not in files(tmp_path)


def v4_store(path: Path) -> None:
    """A store as schema 4 wrote it: no `withheld`, no identities, no keys; a walk's next
    address and a server's header kept verbatim."""
    schema = SCHEMA.replace(",\n    withheld TEXT NOT NULL DEFAULT ''", "").replace(TABLE, "")
    schema = "\n".join(line for line in schema.splitlines() if "entries_withheld" not in line)  # its index too
    path.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path / "blogroll.sqlite3")
    db.executescript(schema)
    db.execute("INSERT INTO meta VALUES ('schema_version', '4')")
    db.execute("INSERT INTO feeds (id, url, last_error) VALUES ('a', 'https://a.example/feed', ?)",
               ("encodage de contenu non pris en charge (Palomir Vardenasse)",))
    db.execute("INSERT INTO attempts VALUES ('a', '2026-02-01T00:00:00+00:00', 0, 200, ?)",
               ("encodage de contenu non pris en charge (Palomir Vardenasse)",))
    db.execute("INSERT INTO backfill (feed_id, feed_url, strategy, next_url, pages, reason) VALUES "
               "('a', 'https://a.example/feed', 'rfc5005', 'https://a.example/par/palomir-vardenasse/2', 1, ?)",
               ("nouvel essai au prochain passage : encodage de contenu non pris en charge (Palomir Vardenasse)",))
    db.execute("INSERT INTO entries (feed_id, guid, link, content_hash, title, excerpt, first_seen, sort_date) "
               "VALUES ('a', 'g', 'https://a.example/1', 'h', 'Ancien', 'x', ?, ?)",
               ("2025-05-01T00:00:00+00:00", "2025-05-01T00:00:00+00:00"))
    db.commit()
    db.close()


def test_a_schema_4_store_is_migrated_and_keeps_no_server_value_in_clear(tmp_path):
    v4_store(tmp_path)
    with Store(tmp_path) as s:
        version = s.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        assert version == str(SCHEMA_VERSION) == "6"
        assert s.backfill_state("a").next_url == "https://a.example/par/palomir-vardenasse/2"
        assert s.backfill_state("a").reason == "nouvel essai au prochain passage : encodage de contenu non pris en charge"
        assert s.history("a")[0].error == "encodage de contenu non pris en charge"
        assert s.health("a").last_error == "encodage de contenu non pris en charge"
        assert [e.title for e in s.entries()] == ["Ancien"]
        s.apply(FeedUpdate("a", identities=variants(["Palomir Vardenasse"]), attempted=False), NOW, homes=HOMES)
        s.db.execute("VACUUM")
    assert b"vardenasse" not in files(tmp_path).lower()


def test_an_empty_update_remembers_nothing(tmp_path):
    with Store(tmp_path) as s:
        assert s.apply(FeedUpdate("a", identities=Variants(frozenset(), frozenset()), attempted=False), NOW).withheld == 0
        assert s.db.execute("SELECT COUNT(*) FROM identities").fetchone()[0] == 0


def test_an_entry_written_in_the_same_run_is_checked_again_when_its_feed_declares_later(tmp_path):
    homes = {"x": "https://x.example/", "a": "https://a.example/"}
    with Store(tmp_path) as s:
        s.apply(FeedUpdate("x", identities=variants(["Palomir Xyzzqueb"]), attempted=False), NOW, homes=homes)
        s.apply(FeedUpdate("a", entries=(entry("a", 1, "Garde avec Vardenasse"),)), NOW)  # after the fold
        s.apply(FeedUpdate("a", identities=variants(["Gontravel Vardenasse"]), attempted=False), NOW, homes=homes)
        assert [e.title for e in s.entries(["a"])] == ["Garde avec"]
        # An entry cut for one identity is checked again for the next one.
        s.apply(FeedUpdate("a", entries=(entry("a", 2, "Lu chez Vardenasse et Quistrebard"),)), NOW)
        s.apply(FeedUpdate("b", identities=variants(["Ysolde Quistrebard"]), attempted=False), NOW, homes=homes)
        assert "Quistrebard" not in " ".join(e.title for e in s.entries(["a"]))


def test_rows_a_run_screened_are_read_again_for_a_name_it_did_not_screen(tmp_path):
    """An apply `screened` by a run's Union keeps its rows out of that run's re-checks, and of
    no other: a later run (another Union) and a walk's page (no Union) declaring a new name
    still find it in them."""
    from pelican.plugins.blogroll.clean.detect import Union

    palomir = variants(["Palomir Vardenasse"])
    ysolde = variants(["Ysolde Quistrebert"])
    first_run = Union({"c": Variants(frozenset(), frozenset())})
    with Store(tmp_path) as s:
        s.apply(FeedUpdate("b", entries=(entry("b", 1, "Merci à Palomir Vardenasse"),
                                         entry("b", 2, "Relu par Ysolde Quistrebert")),
                           attempted=False), NOW, homes=HOMES, screened=first_run)
        s.apply(FeedUpdate("c", entries=(entry("c", 1, "Une garde calme"),), identities=Variants(frozenset(), frozenset()),
                           attempted=False), NOW, homes=HOMES, screened=first_run)
        second_run = Union({"a": palomir})
        s.apply(FeedUpdate("a", identities=palomir, attempted=False), NOW, homes=HOMES, screened=second_run)
        assert [e.title for e in s.entries(["b"]) if "Vardenasse" in e.title] == []
        s.apply(FeedUpdate("d", identities=ysolde, attempted=False), NOW, homes=HOMES)  # a walk's page
        assert [e.title for e in s.entries(["b"]) if "Quistrebert" in e.title] == []
        assert [e.title for e in s.entries(["c"])] == ["Une garde calme"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(st.tuples(st.sampled_from("abc"), name, name), min_size=1, max_size=5), st.lists(name, max_size=3))
def test_the_memory_read_once_finds_what_the_table_read_per_feed_finds(declared, strangers):
    """store/identities.py MemoryIndex (one read per run, what `memory` now gives) against the
    per-feed read it replaced (`per_feed_read`, kept here as the oracle):
    the same hits, for every feed, in texts holding declared and undeclared names."""
    from pelican.plugins.blogroll.store.identities import memory

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp)) as s:
        for feed_id, first, last in declared:
            s.apply(FeedUpdate(feed_id, identities=variants([f"{first.capitalize()} {last.capitalize()}"]),
                               attempted=False), NOW, homes=HOMES)
        texts = [f"Merci à {first.capitalize()} {last.capitalize()} pour la garde" for _, first, last in declared]
        texts += [f"relu par {declared[-1][2]}75", f"@{declared[0][2]}", *(f"Une garde avec {w}" for w in strangers)]
        for feed_id in "abcd":
            for table, read_once in zip(per_feed_read(s.db, feed_id), memory(s.db, feed_id), strict=True):
                assert [table.hits(t) for t in texts] == [read_once.hits(t) for t in texts], feed_id


def per_feed_read(db, feed_id: str) -> tuple[Memory, Memory]:
    """The oracle: the memory as it was read before MemoryIndex, one feed at a time (the
    table's rows: that feed's own, and the other feeds' shared ones)."""
    k = sealed.key(db, "identity_key")
    own: dict[str, set[str]] = {"word": set(), "glued": set()}
    others: dict[str, set[str]] = {"word": set(), "glued": set()}
    own_lengths: set[int] = set()
    other_lengths: set[int] = set()
    word_lengths: set[int] = set()
    for row in db.execute("SELECT feed_id, kind, digest, length, shared FROM identities"):
        mine = row[0] == feed_id
        if not mine and not row[4]:
            continue
        (own if mine else others)[row[1]].add(row[2])
        if row[1] == "glued":
            (own_lengths if mine else other_lengths).add(row[3])
        elif mine and row[3] >= 5:
            word_lengths.add(row[3])
    return (Memory(k, frozenset(own["word"]), frozenset(own["glued"]), frozenset(own_lengths),
                   word_lengths=frozenset(word_lengths)),
            Memory(k, frozenset(others["word"]), frozenset(others["glued"]), frozenset(other_lengths), own=False))
