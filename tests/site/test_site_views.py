"""site/: URL contract, pagination, Atom/OPML shape (pure parts)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.site import urls
from pelican.plugins.blogroll.site.model.views import moved_pages, page_of, paginate


def test_pagination_never_collides_with_other_slugs():
    # Pelican's default would make dr10 page 2 == dr102; ours nests pages.
    a = [p.url for p in paginate(list(range(45)), 20, urls.author("dr10"))]
    b = [p.url for p in paginate(list(range(5)), 20, urls.author("dr102"))]
    assert a == ["auteurs/dr10/", "auteurs/dr10/page/2/", "auteurs/dr10/page/1/"]
    assert set(a).isdisjoint(b)
    assert urls.specialty_feed("x") != urls.author_feed("x")


def test_pages_are_numbered_from_the_oldest_and_the_newest_are_at_the_listing():
    items = list(range(45))  # newest first: 0 is the newest
    pages = paginate(items, 20, "")
    # The listing's own page: the newest 20 (it repeats the start of page/2/, which holds 5 to 24).
    assert [(p.url, len(p.items)) for p in pages] == [("", 20), ("page/2/", 20), ("page/1/", 20)]
    assert pages[0].items == tuple(range(20)) and pages[1].items == tuple(range(5, 25))
    assert pages[2].items[-1] == 44  # page 1: the oldest
    assert pages[0].newest and not pages[1].newest
    assert pages[0].total == 45 and pages[1].total is None and pages[2].total is None
    # Its « older » link leads to the first entry it does not show, on page/2/.
    assert pages[0].prev_url is None and pages[0].next_url == "page/2/" and pages[0].resume == 20
    assert 20 in pages[1].items and pages[1].resume is None
    assert pages[1].prev_url == "" and pages[1].next_url == "page/1/"
    assert pages[2].prev_url == "page/2/" and pages[2].next_url is None
    assert paginate([], 20, "")[0].items == () and len(paginate([], 20, "")) == 1
    assert [len(p.items) for p in paginate(list(range(40)), 20, "")] == [20, 20]  # the listing is never empty
    assert [len(p.items) for p in paginate(list(range(7)), 20, "")] == [7]  # all, when fewer
    assert urls.file_for("") == "index.html" and urls.file_for("page/2/") == "page/2/index.html"


@given(st.integers(0, 300), st.integers(1, 25))
def test_the_listing_shows_the_newest_and_the_numbered_pages_hold_every_entry_once(n, per_page):
    pages = paginate(list(range(n)), per_page, "")
    own, numbered = pages[0], pages[1:]
    assert own.newest and own.items == tuple(range(min(n, per_page))) and own.total == n
    assert [i for p in numbered for i in p.items] == list(range(n - len(numbered) * per_page, n))
    assert all(len(p.items) == per_page for p in numbered)
    # Between them, every entry is shown: nothing falls between the listing and its pages.
    assert set(own.items) | {i for p in numbered for i in p.items} == set(range(n))
    if numbered:  # the « older » link: the newest entry not shown, which its target holds
        assert own.resume == per_page and own.resume in numbered[0].items
    else:
        assert own.resume is None and own.next_url is None


@settings(deadline=None)  # a loaded machine's speed is not what this tests
@given(st.integers(0, 300), st.integers(1, 25), st.integers(1, 60))
def test_a_new_entry_changes_the_listing_page_and_at_most_one_numbered_page(n, per_page, new):
    before = {p.url: p for p in paginate(list(range(new, n + new)), per_page, "")}
    after = {p.url: p for p in paginate(list(range(n + new)), per_page, "")}
    changed = [u for u, p in after.items() if u in before and p != before[u]]
    added = [u for u in after if u not in before]
    # `new` entries arrive: the listing's page changes, and only the numbered pages they fill
    # are added, plus the one that gets a newer neighbour (its prev link).
    assert set(before) <= set(after)
    assert len(added) <= -(-new // per_page)
    assert len([u for u in changed if u]) <= 1
    for url, p in after.items():
        assert p.url == url


@given(st.integers(1, 300), st.integers(1, 25), st.data())
def test_page_of_leads_to_a_page_showing_the_entry(n, per_page, data):
    index = data.draw(st.integers(0, n - 1))
    pages = {p.url: p for p in paginate(list(range(n)), per_page, "x/")}
    assert index in pages[page_of(index, n, per_page, "x/")].items


def test_page_of_an_entry():
    # The newest 20 are on the listing's own page; older ones on the numbered page holding them.
    assert page_of(0, 45, 20, "x/") == "x/" and page_of(19, 45, 20, "x/") == "x/"
    assert page_of(20, 45, 20, "x/") == "x/page/2/" and page_of(44, 45, 20, "x/") == "x/page/1/"
    assert page_of(25, 45, 20, "x/") == "x/page/1/"


def test_former_urls_are_sent_to_the_oldest_page():
    # With no previous build to go by, main's newest-first numbering is assumed: 45 entries were
    # pages /, page/2/, page/3/ (the oldest): page/3/ goes to page/1/.
    assert moved_pages(45, 20, "", None) == [("page/3/", "page/1/")]
    assert moved_pages(20, 20, "", None) == []  # one page: there was no page/2/
    assert moved_pages(21, 20, "", None) == [("page/2/", "page/1/")]
    # A page published before and gone (entries taken down) goes there too, never to a 404.
    assert moved_pages(25, 20, "a/", {1, 2, 5}) == [("a/page/2/", "a/page/1/"), ("a/page/5/", "a/page/1/")]
    assert moved_pages(5, 20, "a/", {1, 2}) == [("a/page/2/", "a/")]


def test_a_filled_page_leaves_no_new_redirect_behind():
    # 45 entries built on a new output folder: page/1/, page/2/ and the former last page/3/.
    published = {1, 2, 3}
    assert moved_pages(45, 20, "", published) == [("page/3/", "page/1/")]  # kept while it is no page
    # Twenty posts later page/3/ is a page: page/4/ was never published, so it is not made.
    assert moved_pages(65, 20, "", published) == []
    assert moved_pages(65, 20, "", set()) == []
