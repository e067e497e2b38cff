"""The clean stage (clean/): pure functions, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pelican.plugins.blogroll.clean.classify import admitted, specialties_for
from pelican.plugins.blogroll.clean.entry import clean_entries, clean_entry, dedup
from pelican.plugins.blogroll.clean.excerpt import excerpt
from pelican.plugins.blogroll.core.entrykeys import safe_guid, sort_date
from pelican.plugins.blogroll.core.model import FeedConfig, ParsedEntry, Specialty, Vocabulary
from pelican.plugins.blogroll.core.weburl import clean_url

VOCAB = Vocabulary({
    "pma": Specialty("pma", "PMA", ("FIV", "fécondation in vitro")),
    "pediatrie": Specialty("pediatrie", "Pédiatrie", ("enfants",)),
    "medecine-generale": Specialty("medecine-generale", "Médecine générale", ("généraliste",)),
})
FEED = FeedConfig(id="blog", title="Blog", author="Doc Pseudo", site="https://blog.example/",
                  feed="https://blog.example/feed", specialties=("medecine-generale",))
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def entry(**kw) -> ParsedEntry:
    base = {"guid": "g1", "link": "https://blog.example/p1", "title": "Titre", "content_html": "<p>Texte</p>",
                "published": NOW - timedelta(days=3), "updated": None, "tags": ()}
    base.update(kw)
    return ParsedEntry(**base)


def test_specialties_are_feed_union_matching_synonyms_without_accents_or_case():
    assert specialties_for(FEED, ("fecondation IN VITRO", "Enfants"), VOCAB) == \
        ("medecine-generale", "pma", "pediatrie")
    assert specialties_for(FEED, ("cuisine",), VOCAB) == ("medecine-generale",)
    # Combined tags are split: « PMA/FIV », « grossesse, enfants »
    assert "pediatrie" in specialties_for(FEED, ("grossesse, enfants",), VOCAB)


def test_only_tags_admits_only_matching_entries():
    mixed = FeedConfig(**{**FEED.__dict__, "only_tags": ("fiv", "pma")})
    assert admitted(mixed, ("FIV",)) and not admitted(mixed, ("cuisine", "voyage"))
    assert clean_entry(entry(tags=("voyage",)), mixed, VOCAB) is None
    assert clean_entry(entry(tags=("Fiv",)), mixed, VOCAB) is not None
    assert admitted(FEED, ())  # no only_tags: everything enters


def test_excerpt_cuts_at_word_count_with_ellipsis():
    text = " ".join(f"mot{i}" for i in range(80))
    out = excerpt(text, 50)
    assert out.split()[:50] == [f"mot{i}" for i in range(50)] and out.endswith("…")
    assert excerpt("court texte", 50) == "court texte"


def test_entry_text_is_plain_and_scrubbed():
    e = clean_entry(entry(content_html="<p>Écrivez à <a href='mailto:x@example.org'>x@example.org</a>"
                                       " ou voir https://tracker.example/?utm_source=x</p><script>alert(1)</script>"),
                    FEED, VOCAB)
    assert "example.org" not in e.excerpt and "alert" not in e.excerpt and "http" not in e.excerpt
    assert e.excerpt.startswith("Écrivez à")


def test_clean_url_drops_tracking_and_unsafe_schemes():
    assert clean_url("https://b.example/p?utm_source=rss&id=3&fbclid=x&gclid=y") == "https://b.example/p?id=3"
    assert clean_url("javascript:alert(1)") is None
    assert clean_url("data:text/html,x") is None
    assert clean_url("/relative/path") is None


def test_missing_link_falls_back_to_site_without_merging_entries():
    a = clean_entry(entry(guid=None, link=None, title="Un", content_html="<p>a</p>"), FEED, VOCAB)
    b = clean_entry(entry(guid=None, link=None, title="Deux", content_html="<p>b</p>"), FEED, VOCAB)
    assert a.link == b.link == "https://blog.example/" and not a.own_link
    assert len(dedup([a, b])) == 2


def test_dedup_by_guid_then_link_and_title_then_hash():
    entries = clean_entries([
        entry(guid="g1", link="https://blog.example/a", title="A"),
        entry(guid="g1", link="https://blog.example/other", title="A bis"),   # same guid
        entry(guid="g2", link="https://blog.example/a#suite", title="A ter"),  # another GUID, another title: kept
        entry(guid="g3", link="https://blog.example/c", title="A", content_html="<p>Texte</p>"),  # same hash as 1st
        entry(guid="g4", link="https://blog.example/d", title="D"),
        # No GUID: the same link (tracking parameter and fragment dropped) and title is the same post
        entry(guid=None, link="https://blog.example/e", title="E", content_html="<p>un</p>"),
        entry(guid=None, link="https://blog.example/e?utm_source=rss#haut", title="E", content_html="<p>deux</p>"),
        entry(guid=None, link="https://blog.example/e#autre", title="E autre", content_html="<p>trois</p>"),
    ], FEED, VOCAB)
    assert [(e.guid, e.title) for e in entries] == [
        (safe_guid("g1"), "A"), (safe_guid("g2"), "A ter"), (safe_guid("g4"), "D"), (None, "E"), (None, "E autre")]


def test_sort_date_never_in_the_future_and_first_seen_when_missing():
    seen = NOW
    assert sort_date(NOW - timedelta(days=1), seen) == NOW - timedelta(days=1)
    assert sort_date(NOW + timedelta(days=400), seen) == seen
    assert sort_date(None, seen) == seen


def test_title_markup_is_text_and_empty_title_gets_excerpt():
    e = clean_entry(entry(title=""), FEED, VOCAB)
    assert e.title == "Texte"
