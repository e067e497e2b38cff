"""clean/entry.py `clean_changed`: an entry the archive holds as this fetch gives it (its raw
key) is not cleaned again; every other one is cleaned exactly as `clean_entries` cleans it.
Generated feeds: entries with and without GUIDs, repeated ones, links holding the declared name."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.entry import clean_changed, clean_entries
from pelican.plugins.blogroll.core.model import FeedConfig, ParsedEntry, Vocabulary

FEED = FeedConfig(id="blog", title="Carnet de garde", author="Doc Pseudo", site="https://blog.example/",
                  feed="https://blog.example/feed", specialties=("urgences",))
VOCAB = Vocabulary({})
DECLARED = ("Palomir Vardenasse",)
T0 = datetime(2026, 3, 1, tzinfo=UTC)

entries = st.lists(st.builds(
    ParsedEntry,
    guid=st.one_of(st.none(), st.sampled_from(["g1", "g2", "g3", "g4"])),
    link=st.sampled_from(["https://blog.example/a", "https://blog.example/b", "https://blog.example/palomir-vardenasse",
                          None]),
    title=st.sampled_from(["Nuit de garde", "Une consultation", "Merci Palomir Vardenasse", ""]),
    content_html=st.sampled_from(["<p>Un patient de 80 ans.</p>", "<p>Relu par Vardenasse.</p>", ""]),
    published=st.sampled_from([T0, T0 - timedelta(days=3), None]),
    updated=st.none(), tags=st.sampled_from([(), ("garde",)])), max_size=8)


def keys(entries: list) -> set[str]:
    return {e.raw_key for e in clean_changed(entries, FEED, VOCAB, identities=DECLARED, scope="s").entries}


@settings(max_examples=200, deadline=None)
@given(entries, entries)
def test_what_the_archive_holds_is_not_cleaned_again_and_the_rest_is_cleaned_as_always(before, now):
    known = keys(before)
    changed = clean_changed(now, FEED, VOCAB, identities=DECLARED, known=known, scope="s")
    whole = {e.raw_key: e for e in clean_changed(now, FEED, VOCAB, identities=DECLARED, scope="s").entries}
    # Every entry cleaned is cleaned as the whole clean cleans it.
    assert all(e == whole[e.raw_key] for e in changed.entries if e.raw_key in whole)
    # Every entry the archive does not hold is cleaned (and kept, as the whole clean keeps it).
    assert {k for k in whole if k not in known} <= {e.raw_key for e in changed.entries}
    # An entry held is cleaned again only when the fetch repeats it (its GUID, or its link and
    # title; or its title and text): then `dedup` decides, as always.
    def shared(i: int) -> bool:
        e = now[i]
        return any((o.guid or (o.link, o.title)) == (e.guid or (e.link, e.title))
                   or (o.title, o.content_html) == (e.title, e.content_html) for j, o in enumerate(now) if j != i)

    held_alone = [i for i, e in enumerate(now) if not shared(i)
                  and clean_changed([e], FEED, VOCAB, identities=DECLARED, known=known, scope="s").unchanged]
    assert changed.unchanged == len(held_alone)
    assert changed.unchanged + len(changed.entries) <= len(now)


def test_a_feed_seen_again_with_one_new_post_cleans_that_post_only():
    first = [ParsedEntry(f"g{i}", f"https://blog.example/{i}", f"Garde {i}", f"<p>Texte {i}.</p>", T0, None)
             for i in range(5)]
    named = ParsedEntry("g9", "https://blog.example/palomir-vardenasse", "Un merci", "<p>Merci.</p>", T0, None)
    known = keys([*first, named])
    new = ParsedEntry("g5", "https://blog.example/5", "Garde 5", "<p>Texte 5.</p>", T0, None)
    changed = clean_changed([new, *first, named], FEED, VOCAB, identities=DECLARED, known=known, scope="s")
    assert [e.title for e in changed.entries] == ["Garde 5"]
    assert (changed.unchanged, changed.unchanged_named) == (6, 1)  # the named link still counted
    # Another declaration, another release or vocabulary (the scope): everything is cleaned again.
    assert clean_changed(first, FEED, VOCAB, identities=("Ysolde Quistrebert",), known=known, scope="s").unchanged == 0
    assert clean_changed(first, FEED, VOCAB, identities=DECLARED, known=known, scope="t").unchanged == 0
    # Without a run's scope (a walk's page, a maintainer's tool), nothing is keyed nor skipped.
    unscoped = clean_changed(first, FEED, VOCAB, identities=DECLARED, known=known)
    assert unscoped.unchanged == 0 and {e.raw_key for e in unscoped.entries} == {""}
    # An edited post is cleaned again.
    edited = dataclasses.replace(first[0], content_html="<p>Texte 0, corrigé.</p>")
    assert [e.excerpt for e in clean_changed([edited], FEED, VOCAB, identities=DECLARED, known=known,
                                             scope="s").entries] == ["Texte 0, corrigé."]


def test_entries_the_fetch_repeats_are_cleaned_so_that_dedup_decides():
    a = ParsedEntry("g1", "https://blog.example/1", "Garde", "<p>Texte.</p>", T0, None)
    b = dataclasses.replace(a, content_html="<p>Autre texte.</p>")  # the same GUID twice
    known = keys([a])
    changed = clean_changed([a, b], FEED, VOCAB, identities=DECLARED, known=known, scope="s")
    assert changed.unchanged == 0
    assert [e.excerpt for e in changed.entries] == [e.excerpt for e in clean_entries([a, b], FEED, VOCAB,
                                                                                    identities=DECLARED)]
