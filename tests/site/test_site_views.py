"""site/: URL contract, pagination, Atom/OPML shape (pure parts)."""

from __future__ import annotations

from blogroll.site import urls
from blogroll.site.model.views import paginate


def test_pagination_never_collides_with_other_slugs():
    # Pelican's default would make dr10 page 2 == dr102; ours nests pages.
    a = [p.url for p in paginate(list(range(45)), 20, urls.author("dr10"))]
    b = [p.url for p in paginate(list(range(5)), 20, urls.author("dr102"))]
    assert a == ["auteurs/dr10/", "auteurs/dr10/page/2/", "auteurs/dr10/page/3/"]
    assert set(a).isdisjoint(b)
    assert urls.specialty_feed("x") != urls.author_feed("x")


def test_pagination_links():
    pages = paginate(list(range(45)), 20, "")
    assert [len(p.items) for p in pages] == [20, 20, 5]
    assert pages[0].prev_url is None and pages[0].next_url == "page/2/"
    assert pages[1].prev_url == "" and pages[2].next_url is None
    assert paginate([], 20, "")[0].items == ()
    assert urls.file_for("") == "index.html" and urls.file_for("page/2/") == "page/2/index.html"
