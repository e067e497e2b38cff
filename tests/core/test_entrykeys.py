"""Entry identity (core/entrykeys.py): pure. Entries whose links differ only by the fragment
the clean stage drops (« page#a », « page#b ») stay apart when the feed gives them distinct
GUIDs or titles; the same post seen twice stays one (issue 23)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.entry import clean_entries, dedup
from pelican.plugins.blogroll.core.entrykeys import ambiguous_keys, fetch_keys, match_keys
from pelican.plugins.blogroll.core.model import CleanEntry, FeedConfig, ParsedEntry, Vocabulary

FEED = FeedConfig(id="blog", title="Blog", author="Doc Pseudo", site="https://blog.example/",
                  feed="https://blog.example/feed", specialties=())
NOW = datetime(2026, 6, 1, tzinfo=UTC)
PAGE = "https://blog.example/breves/"

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéè ", min_size=1, max_size=30).map(str.strip).filter(bool)
fragments = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
guids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:/-", min_size=1, max_size=40)
tracking = st.sampled_from(["", "?utm_source=rss", "?utm_medium=feed&utm_campaign=x", "?fbclid=abc"])


def parsed(guid: str | None, link: str, title: str, body: str) -> ParsedEntry:
    return ParsedEntry(guid=guid, link=link, title=title, content_html=f"<p>{body}</p>", published=NOW,
                       updated=None)


def clean(*entries: ParsedEntry) -> list[CleanEntry]:
    return clean_entries(entries, FEED, Vocabulary({}))


def keys_apart(a: CleanEntry, b: CleanEntry) -> bool:
    """No archive key of one fetch holding both entries names the other."""
    ambiguous = ambiguous_keys([a, b])
    return set(match_keys(a, ambiguous)).isdisjoint(match_keys(b, ambiguous))


@settings(max_examples=60, deadline=None)
@given(guids, guids, fragments, fragments, words, words, words, words)
def test_distinct_guids_and_fragment_distinct_links_stay_two(g1, g2, f1, f2, t1, t2, body1, body2):
    assume(g1 != g2 and f1 != f2)
    a, b = (parsed(g1, f"{PAGE}#{f1}", t1, body1), parsed(g2, f"{PAGE}#{f2}", t2, body2))
    ca, cb = clean(a), clean(b)
    assume(ca[0].content_hash != cb[0].content_hash)  # the same title and text is the same post
    assert ca[0].link == cb[0].link == PAGE  # the fragment is gone (clean/links.py)
    both = clean(a, b)
    assert len(both) == 2 and keys_apart(*both)


@settings(max_examples=60, deadline=None)
@given(fragments, fragments, words, words, words, words)
def test_without_guids_distinct_titles_under_one_link_stay_two(f1, f2, t1, t2, body1, body2):
    assume(f1 != f2)
    both = clean(parsed(None, f"{PAGE}#{f1}", t1, body1), parsed(None, f"{PAGE}#{f2}", t2, body2))
    assume(both[0].title != both[-1].title)
    assert len(both) == 2 and keys_apart(*both)


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.none(), guids), fragments, tracking, words, words)
def test_the_same_post_twice_is_one(guid, fragment, query, title, body):
    """Listed twice in one feed, once with a tracking parameter and a fragment."""
    plain, decorated = parsed(guid, PAGE, title, body), parsed(guid, f"{PAGE}{query}#{fragment}", title, body)
    assert len(clean(plain, decorated)) == 1
    a, b = clean(plain)[0], clean(decorated)[0]
    assert not set(fetch_keys(a)).isdisjoint(fetch_keys(b))
    assert match_keys(a) == match_keys(b)  # in the archive, each finds the other's row


@settings(max_examples=60, deadline=None)
@given(guids, guids, words, words, words)
def test_a_guid_change_with_the_same_link_and_title_is_the_same_post(g1, g2, title, body1, body2):
    """Two fetches: the blog changed its GUIDs (and the text, say): the link and title match."""
    assume(g1 != g2)
    before, after = clean(parsed(g1, PAGE, title, body1))[0], clean(parsed(g2, PAGE + "?utm_source=x", title, body2))[0]
    assert ("titled", f"{PAGE}\x1f{before.title}") in set(match_keys(before)) & set(match_keys(after))


def test_keys_strongest_first_and_ambiguous_link_keys_left_out():
    e = clean(parsed("g", PAGE + "#a", "Titre", "texte"))[0]
    assert [k for k, _ in match_keys(e)] == ["guid", "titled", "link", "hash"]
    sibling = clean(parsed("h", PAGE + "#b", "Autre", "autre texte"))[0]
    assert [k for k, _ in match_keys(e, ambiguous_keys([e, sibling]))] == ["guid", "titled", "hash"]
    same_title = clean(parsed("h", PAGE + "#b", "Titre", "autre texte"))[0]
    assert [k for k, _ in match_keys(e, ambiguous_keys([e, same_title]))] == ["guid", "hash"]
    # Within one fetch a GUID speaks for the entry; without one, its link and title do
    assert [k for k, _ in fetch_keys(e)] == ["guid", "hash"]
    assert [k for k, _ in fetch_keys(clean(parsed(None, PAGE, "Titre", "x"))[0])] == ["titled", "hash"]


def test_a_page_of_fourteen_notes_is_fourteen_entries():
    notes = [parsed(f"urn:note:{c}", f"{PAGE}#{c}", f"Brève {c}", f"Texte {c}") for c in "abcdefghijklmn"]
    cleaned = clean(*notes)
    assert len(cleaned) == 14 and len(dedup(cleaned + cleaned)) == 14
    guidless = clean(*(parsed(None, n.link, n.title, n.content_html) for n in notes))
    assert len(guidless) == 14
