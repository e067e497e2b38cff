"""Entry identity against a real SQLite archive (issue 23, item 2): a page of notes whose
links differ only by their fragment (« page#a »…« page#n ») is stored as 14 entries and
stays 14; archives the old identity left behind (those notes collapsed into one row) gain
the missing notes without a duplicate; the same post seen again is still one row."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from legacyidentity import legacy_identity
from pelican.plugins.blogroll.clean.entry import clean_entries
from pelican.plugins.blogroll.core.entrykeys import safe_guid
from pelican.plugins.blogroll.core.model import CleanEntry, FeedConfig, FeedUpdate, ParsedEntry, Vocabulary
from pelican.plugins.blogroll.store import Store

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)
FEED = FeedConfig(id="notes", title="Notes", author="Doc Pseudo", site="https://notes.example/",
                  feed="https://notes.example/feed", specialties=())
PAGE = "https://notes.example/breves/"
LETTERS = "abcdefghijklmn"


def note(c: str, *, guid: bool = True, title: str | None = None, link: str | None = None) -> ParsedEntry:
    return ParsedEntry(guid=f"urn:note:{c}" if guid else None, link=link or f"{PAGE}#{c}",
                       title=title or f"Brève {c}", content_html=f"<p>Texte de la brève {c}.</p>",
                       published=T0 - timedelta(days=LETTERS.find(c) + 1), updated=None)


def fetch(store: Store, parsed: list[ParsedEntry], at: datetime) -> tuple[int, int]:
    """One fetch of the feed through the clean stage and the store: (new, updated)."""
    entries = clean_entries(parsed, FEED, Vocabulary({}))
    applied = store.apply(FeedUpdate(FEED.id, None, tuple(entries)), at)
    return applied.new, applied.updated


def titles(store: Store) -> list[str]:
    return sorted(e.title for e in store.entries())


def test_fourteen_notes_on_one_page_are_fourteen_entries_fetched_twice(tmp_path):
    with Store(tmp_path) as s:
        notes = [note(c) for c in LETTERS]
        assert fetch(s, notes, T0) == (14, 0)
        assert fetch(s, notes[::-1], T0 + HOUR) == (0, 0)
        assert s.count() == 14 and titles(s) == sorted(f"Brève {c}" for c in LETTERS)
        assert {e.link for e in s.entries()} == {PAGE}  # the fragment is never stored


def test_fourteen_notes_without_guids_are_told_apart_by_their_titles(tmp_path):
    with Store(tmp_path) as s:
        notes = [note(c, guid=False) for c in LETTERS]
        assert fetch(s, notes, T0) == (14, 0)
        assert fetch(s, notes[::-1], T0 + HOUR) == (0, 0)
        assert s.count() == 14


def test_notes_with_one_title_are_told_apart_by_their_guids(tmp_path):
    with Store(tmp_path) as s:
        notes = [note(c, title="Brève du jour") for c in LETTERS]
        assert fetch(s, notes, T0) == (14, 0)
        assert fetch(s, notes, T0 + HOUR) == (0, 0)
        assert s.count() == 14


def test_an_archive_of_the_old_identity_gains_the_missing_notes_without_a_duplicate(tmp_path):
    """The production store: the old release kept one row for the page, then moved it to
    each newer note as the feed grew (its link matched). Fetched again after the change."""
    older = [note(c) for c in LETTERS[1:]]
    with Store(tmp_path) as s:
        with legacy_identity():
            assert fetch(s, older, T0) == (1, 0)
            assert fetch(s, [note("a"), *older], T0 + HOUR) == (0, 1)  # the row became note a
        legacy = s.entries()
        assert [(e.guid, e.title) for e in legacy] == [(safe_guid("urn:note:a"), "Brève a")]
        assert fetch(s, [note(c) for c in LETTERS], T0 + 2 * HOUR) == (13, 0)
        assert fetch(s, [note(c) for c in LETTERS], T0 + 3 * HOUR) == (0, 0)
        stored = s.entries()
        assert len(stored) == 14 and len({e.guid for e in stored}) == 14
        kept = next(e for e in stored if e.guid == safe_guid("urn:note:a"))
        assert (kept.id, kept.first_seen) == (legacy[0].id, legacy[0].first_seen)  # the same row, not a copy


def test_an_archive_of_the_old_identity_without_guids(tmp_path):
    with Store(tmp_path) as s:
        with legacy_identity():
            assert fetch(s, [note(c, guid=False) for c in LETTERS], T0) == (1, 0)
        assert fetch(s, [note(c, guid=False) for c in LETTERS], T0 + HOUR) == (13, 0)
        assert fetch(s, [note(c, guid=False) for c in LETTERS[::-1]], T0 + 2 * HOUR) == (0, 0)
        assert titles(s) == sorted(f"Brève {c}" for c in LETTERS)


def test_an_old_row_holding_one_notes_guid_and_another_notes_text(tmp_path):
    """The old release updated a row's text from a note without a GUID and kept the GUID of
    the note before it. The note whose GUID it holds keeps the row; the other becomes its own."""
    with Store(tmp_path) as s:
        with legacy_identity():
            fetch(s, [note("a")], T0)
            fetch(s, [note("b", guid=False)], T0 + HOUR)
        [row] = s.entries()
        assert (row.guid, row.title) == (safe_guid("urn:note:a"), "Brève b")
        assert fetch(s, [note("b", guid=False), note("a")], T0 + 2 * HOUR) == (1, 1)
        assert fetch(s, [note("b", guid=False), note("a")], T0 + 3 * HOUR) == (0, 0)
        assert titles(s) == ["Brève a", "Brève b"]


def test_a_regular_blog_stored_by_the_old_identity_is_unchanged(tmp_path):
    """One link per post: what the old identity matched, the new one matches too, including
    a GUID change (same link and title), a tracking parameter and a retitled post without GUID."""
    posts = [ParsedEntry(guid=f"p{n}", link=f"https://notes.example/{n}/", title=f"Billet {n}",
                         content_html=f"<p>Texte {n}</p>", published=T0 - n * HOUR, updated=None) for n in range(5)]
    with Store(tmp_path) as s:
        with legacy_identity():
            fetch(s, posts, T0)
        before = s.entries()
        again = [ParsedEntry(guid=f"https://notes.example/?p={n}", link=f"https://notes.example/{n}/?utm_source=rss",
                             title=f"Billet {n}", content_html=f"<p>Texte {n}, revu</p>", published=p.published,
                             updated=None) for n, p in enumerate(posts)]
        assert fetch(s, again, T0 + HOUR) == (0, 5)  # new GUIDs, new text: the same posts
        no_guid = ParsedEntry(guid=None, link="https://notes.example/9/", title="Sans GUID",
                              content_html="<p>x</p>", published=T0, updated=None)
        fetch(s, [no_guid], T0 + HOUR)
        assert fetch(s, [ParsedEntry(**{**no_guid.__dict__, "title": "Sans GUID, retitré"})], T0 + 2 * HOUR) == (0, 1)
        assert s.count() == 6 and {e.id for e in before} <= {e.id for e in s.entries()}


def test_the_same_post_twice_in_one_fetch_and_again_is_one_row(tmp_path):
    with Store(tmp_path) as s:
        twice = [note("a", link=PAGE), note("a", link=f"{PAGE}?utm_source=rss#commentaires")]
        assert fetch(s, twice, T0) == (1, 0)
        assert fetch(s, twice[::-1], T0 + HOUR) == (0, 0)
        assert s.count() == 1


def test_a_note_alone_on_the_page_is_not_taken_for_its_neighbour(tmp_path):
    """A feed that shows one note at a time: distinct GUIDs and titles under one link are two
    posts, even when each fetch holds only one of them."""
    with Store(tmp_path) as s:
        assert fetch(s, [note("a")], T0) == (1, 0)
        assert fetch(s, [note("b")], T0 + HOUR) == (1, 0)
        assert fetch(s, [note("a"), note("b")], T0 + 2 * HOUR) == (0, 0)


texts = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé ", min_size=1, max_size=20).map(str.strip).filter(bool)
fragments = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(fragments, texts, texts), min_size=2, max_size=6, unique_by=lambda t: t[0]),
       st.booleans())
def test_distinct_guids_and_fragment_distinct_links_stay_apart_in_the_archive(notes, one_fetch):
    """Any entries with distinct GUIDs and fragment-distinct links (and not the same title and
    text) are as many rows, and stay so fetched again. Stored one by one, their titles differ
    too: in a later fetch, the same link and title is the same post under a new GUID."""
    parsed = [ParsedEntry(guid=f"urn:{f}", link=f"{PAGE}#{f}", title=t, content_html=f"<p>{x}</p>",
                          published=T0, updated=None) for f, t, x in notes]
    cleaned: list[CleanEntry] = clean_entries(parsed, FEED, Vocabulary({}))
    assume(len({e.content_hash for e in cleaned}) == len(parsed))
    assume(one_fetch or len({e.title for e in cleaned}) == len(parsed))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp)) as s:
        batches = [parsed] if one_fetch else [[p] for p in parsed]
        for n, batch in enumerate(batches):
            fetch(s, batch, T0 + n * HOUR)
        assert s.count() == len(parsed)
        assert fetch(s, parsed[::-1], T0 + 9 * HOUR) == (0, 0)
        assert s.count() == len(parsed)
