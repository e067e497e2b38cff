"""site/model/web.py and its views: « Ce blog cite », « Cité par », « Conversations »."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.linkkeys import link_keys
from pelican.plugins.blogroll.core.model import FeedConfig, StoredEntry
from pelican.plugins.blogroll.site.model import web

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def feed(fid: str, site: str | None = None) -> FeedConfig:
    return FeedConfig(id=fid, title=f"Blog {fid}", author=f"Auteur {fid}", site=site or f"https://{fid}.example/",
                      feed=f"https://{fid}.example/feed/", specialties=("medecine-generale",))


def entry(n: int, fid: str, link: str, *links: str, day: int = 0) -> StoredEntry:
    keys = tuple(k for k in (link_keys(u) for u in links) if k)
    when = T0 + timedelta(days=day)
    return StoredEntry(id=n, feed_id=fid, guid=None, link=link, title=f"Billet {n}", excerpt="", published=when,
                       first_seen=when, sort_date=when, tags=(), specialties=(), cites=keys,
                       link_keys=link_keys(link) or ())


FEEDS = (feed("a"), feed("b"), feed("c"), feed("d"))


def test_blogs_cite_each_other_and_a_post_cited_by_two_blogs_is_a_conversation():
    entries = [
        entry(1, "a", "https://a.example/2026/billet-cite/"),
        entry(2, "b", "https://b.example/2026/reponse/", "https://a.example/2026/billet-cite/", day=1),
        entry(3, "c", "https://c.example/2026/aussi/", "https://www.a.example/2026/billet-cite#x",
              "https://b.example/", day=2),
        entry(4, "c", "https://c.example/2026/encore/", "https://a.example/autre/", day=3),
        entry(5, "a", "https://a.example/2026/soi/", "https://a.example/2026/billet-cite/", day=4),  # itself
    ]
    w = web.build(entries, FEEDS)
    assert w.cites["c"] == (web.Link("a", 2), web.Link("b", 1))
    assert w.cites["b"] == (web.Link("a", 1),)
    assert "a" not in w.cites  # a blog citing itself is no link
    assert w.cited_by["a"] == (web.Link("c", 2), web.Link("b", 1))
    assert w.conversations == (web.Conversation(1, ("b", "c")),)


def test_a_post_cited_by_one_blog_only_is_no_conversation():
    entries = [entry(1, "a", "https://a.example/p/"), entry(2, "b", "https://b.example/q/", "https://a.example/p/")]
    assert web.build(entries, FEEDS).conversations == ()


def test_links_to_unlisted_sites_and_shared_hosts_count_for_nobody():
    feeds = (feed("a", "https://plateforme.example/"), feed("b", "https://plateforme.example/"), feed("c"))
    entries = [entry(1, "c", "https://c.example/x/", "https://plateforme.example/billet/",
                     "https://ailleurs.example/"),
               entry(2, "a", "https://plateforme.example/billet/")]
    w = web.build(entries, feeds)
    assert w.cites == {} and w.cited_by == {}


def test_blogs_on_one_host_are_told_apart_by_their_path():
    feeds = (feed("a", "https://h.example/blogs/a/"), feed("b", "https://h.example/blogs/b/"))
    entries = [entry(1, "a", "https://h.example/blogs/a/p1/", "https://h.example/blogs/b/p2/"),
               entry(2, "b", "https://h.example/blogs/b/p2/")]
    assert web.build(entries, feeds).cites == {"a": (web.Link("b", 1),)}


def test_a_blog_is_known_by_the_host_of_its_own_posts():
    feeds = (feed("a", "http://127.0.0.1:8731/sites/a/"), feed("b", "http://127.0.0.1:8731/sites/b/"))
    entries = [entry(1, "a", "https://a-posts.example/p1/"), entry(2, "a", "https://a-posts.example/p2/"),
               entry(3, "b", "https://b-posts.example/q/", "https://a-posts.example/p1/")]
    assert web.build(entries, feeds).cited_by == {"a": (web.Link("b", 1),)}


@settings(deadline=None)  # a timing limit is no behaviour (a loaded machine)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.booleans()), max_size=40))
def test_counts_are_symmetric_and_never_self(pairs):
    ids = "abcd"
    entries = []
    for n, (src, dst, post) in enumerate(pairs, start=1):
        target = f"https://{ids[dst]}.example/" + (f"p{n}/" if post else "")
        entries.append(entry(n, ids[src], f"https://{ids[src]}.example/own{n}/", target))
    w = web.build(entries, FEEDS)
    out = {(s, link.feed_id): link.posts for s, links in w.cites.items() for link in links}
    into = {(link.feed_id, t): link.posts for t, links in w.cited_by.items() for link in links}
    assert out == into
    assert all(s != t for s, t in out)
