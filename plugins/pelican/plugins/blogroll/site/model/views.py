"""View model of the site: plain data built from the registry and the store. Pure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from ...core.model import FeedConfig, Registry, StoredEntry, Vocabulary
from .. import urls
from .frdates import long_date


@dataclass(frozen=True)
class Chip:
    slug: str
    label: str
    url: str
    synonyms: tuple[str, ...] = ()  # the vocabulary's other names of the specialty (search records)


@dataclass(frozen=True)
class EntryView:
    title: str
    link: str
    date: datetime
    date_iso: str
    date_fr: str
    year: int
    author: str
    author_url: str
    blog_title: str
    blog_site: str
    chips: tuple[Chip, ...]
    excerpt: str
    noindex: bool
    feed_id: str
    lang: str = "fr"  # the blog's language (registry `lang`)
    # Chips the entry has beyond its blog's specialties (filed by its tags or words): on
    # those specialties' pages its card says « Vu ailleurs ».
    elsewhere: tuple[str, ...] = ()
    # What tells the entry apart from the older entries of its blog with the same link (the
    # anchors of one page, posts sent to the blog's home page): "" for the oldest, which keeps
    # the id an entry always had; else its number in the archive. Its Atom id includes it.
    twin: str = ""
    # When the site first saw it (the store's first_seen): which search bundle it goes to.
    seen: datetime | None = None


@dataclass(frozen=True)
class BlogView:
    id: str
    title: str
    site: str
    feed: str
    author: str
    author_url: str
    chips: tuple[Chip, ...]
    active: bool
    noindex: bool
    entry_count: int
    last_post: datetime | None
    last_post_fr: str | None
    lang: str = "fr"


@dataclass
class AuthorView:
    name: str
    slug: str
    url: str
    feed_url: str
    blogs: list[BlogView] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    entries: list[EntryView] = field(default_factory=list)
    noindex: bool = False


@dataclass
class SpecialtyView:
    slug: str
    label: str
    url: str
    feed_url: str
    entries: list[EntryView] = field(default_factory=list)
    blogs: list[BlogView] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.entries)


@dataclass(frozen=True)
class Page:
    """One page of a listing. Numbered pages hold fixed slices counted from the oldest entry
    (page 1 = the oldest `per_page` entries), the listing's own URL the newest 1 to `per_page`
    entries: a new entry changes the listing's page and, once every `per_page` entries, adds
    one numbered page. A page carries nothing that changes with the listing's length (no
    page count), so a numbered page's bytes stay the same until its own entries change."""
    number: int  # numbered page N; the listing's own page is the last, number = numbered + 1
    newest: bool  # the listing's own URL
    url: str
    prev_url: str | None  # newer entries
    next_url: str | None  # older entries
    items: tuple  # newest first


@dataclass(frozen=True)
class ListingHead:
    """What a listing's numbered pages show of their specialty or author besides their entries:
    nothing that changes when an entry is added (no count, no last post), so those pages keep
    their bytes (and their render key) while their own entries do not change."""
    label: str
    slug: str
    url: str
    feed_url: str
    chips: tuple[Chip, ...] = ()

    @property
    def name(self) -> str:
        return self.label


@dataclass
class SiteModel:
    entries: list[EntryView]
    specialties: list[SpecialtyView]
    authors: list[AuthorView]
    blogs: list[BlogView]
    now: datetime


def numbered_pages(length: int, per_page: int) -> int:
    """How many numbered pages a listing of `length` entries has (the newest 1 to `per_page`
    entries are on the listing's own page, the rest in whole pages)."""
    return max(0, (length - 1) // max(1, per_page))


def page_of(index: int, length: int, per_page: int, base: str) -> str:
    """URL of the page holding the entry at `index` (0 = newest) of a listing of `length`."""
    per_page = max(1, per_page)
    k = numbered_pages(length, per_page)
    number = (length - 1 - index) // per_page + 1
    return urls.page(base, number) if number <= k else base


def paginate(items: list, per_page: int, base: str) -> list[Page]:
    """Pages of `items` (newest first), the listing's own page first, then the numbered pages
    from the newest (K) to the oldest (1); always at least one page (an empty listing is still
    a page)."""
    per_page = max(1, per_page)
    n = len(items)
    k = numbered_pages(n, per_page)
    newest = n - k * per_page  # entries on the listing's own page
    pages = [Page(number=k + 1, newest=True, url=base, prev_url=None,
                  next_url=urls.page(base, k) if k else None, items=tuple(items[:newest]))]
    for number in range(k, 0, -1):
        start = n - number * per_page  # newest-first index of the page's newest entry
        pages.append(Page(
            number=number, newest=False, url=urls.page(base, number),
            prev_url=urls.page(base, number + 1) if number < k else base,
            next_url=urls.page(base, number - 1) if number > 1 else None,
            items=tuple(items[start:start + per_page])))
    return pages


def moved_pages(length: int, per_page: int, base: str, published: set[int] | None) -> list[tuple[str, str]]:
    """(URL, where it now goes) for the listing's `page/N/` URLs that are not pages any more.

    Until pages were numbered from the oldest, `page/N/` was the N-th page from the newest, up to
    `page/C/` (C = every page) holding the oldest entries; that URL is `page/1/` now. Any `page/N/`
    a previous build published (`published`: their numbers, redirect pages included) and this one
    has no page for (entries taken down, or that former last page) goes to the oldest page, never
    to a 404. With no previous build to go by (`published` is None: a new output folder), the
    former last page is assumed to have been published. Once a build is recorded, only the URLs
    it published are kept: when the newest page fills and `page/C/` becomes a page, no redirect
    is made at `page/C+1/`, which no build ever published (one file fewer per filled page)."""
    k = numbered_pages(length, per_page)
    target = urls.page(base, 1) if k else base
    if published is None:
        old_count = k + 1 if length else 1  # the page count of the newest-first numbering
        gone = set(range(k + 1, old_count + 1))
    else:
        gone = {n for n in published if n > k}
    return [(urls.page(base, n), target) for n in sorted(gone) if n >= 2]


def build(registry: Registry, entries: list[StoredEntry], now: datetime,
          where: urls.UrlMap = urls.ROOT) -> SiteModel:
    """The site's view model, its URLs from `where` (the URL map, at the root or under a prefix)."""
    vocab = registry.vocabulary
    chips = {slug: Chip(slug, spec.label, where.specialty(slug), spec.synonyms) for slug, spec in vocab.specialties.items()}
    views = _entry_views(entries, registry.by_id(), chips, where)
    blogs = _blog_views(registry.feeds, views, chips, where)
    authors = _author_views(registry.feeds, blogs, views, chips, where)
    specialties = _specialty_views(vocab, views, blogs, where)
    return SiteModel(
        entries=views,
        specialties=list(specialties.values()),
        authors=sorted(authors.values(), key=lambda a: a.slug),
        blogs=blogs,
        now=now,
    )


def _entry_views(entries: list[StoredEntry], feeds: dict[str, FeedConfig], chips: dict[str, Chip],
                 where: urls.UrlMap) -> list[EntryView]:
    """The entries as shown, in the store's order; those of feeds no longer in feeds.yaml are
    left out (no pseudonym to show)."""
    views: list[EntryView] = []
    author_urls = {f.id: where.author(f.author_slug) for f in feeds.values()}  # slugify once per feed
    twins = _twins(entries)
    for e in entries:
        feed = feeds.get(e.feed_id)
        if feed is None:  # removed from feeds.yaml: no pseudonym to show, so not shown
            continue
        views.append(EntryView(
            title=e.title, link=e.link, date=e.sort_date,
            date_iso=e.sort_date.isoformat(timespec="seconds"), date_fr=long_date(e.sort_date),
            year=e.sort_date.year, author=feed.author, author_url=author_urls[feed.id],
            blog_title=feed.title, blog_site=feed.site,
            chips=tuple(chips[s] for s in e.specialties if s in chips),
            excerpt=e.excerpt, noindex=feed.noindex, feed_id=feed.id, lang=feed.lang,
            elsewhere=tuple(s for s in e.specialties if s in chips and s not in feed.specialties),
            twin=twins.get(e.id, ""), seen=e.first_seen,
        ))
    return views


def _twins(entries: list[StoredEntry]) -> dict[int, str]:
    """The archive numbers of the entries that share their blog and link with an older entry
    (a lower number): each needs an Atom id of its own. The oldest keeps the plain one."""
    oldest: dict[tuple[str, str], int] = {}
    for e in entries:
        key = (e.feed_id, e.link)
        oldest[key] = min(oldest.get(key, e.id), e.id)
    return {e.id: str(e.id) for e in entries if oldest[(e.feed_id, e.link)] != e.id}


def _blog_views(feeds: tuple[FeedConfig, ...], views: list[EntryView], chips: dict[str, Chip],
                where: urls.UrlMap) -> list[BlogView]:
    """Every blog of the registry, in its order, with its entry count and last post."""
    per_feed: dict[str, list[EntryView]] = defaultdict(list)
    for v in views:
        per_feed[v.feed_id].append(v)
    blogs = []
    for feed in feeds:
        mine = per_feed.get(feed.id, [])
        last = mine[0].date if mine else None
        blogs.append(BlogView(
            id=feed.id, title=feed.title, site=feed.site, feed=feed.feed, author=feed.author,
            author_url=where.author(feed.author_slug),
            chips=tuple(chips[s] for s in feed.specialties if s in chips), active=feed.active,
            noindex=feed.noindex, entry_count=len(mine), last_post=last,
            last_post_fr=long_date(last) if last else None, lang=feed.lang,
        ))
    return blogs


def _author_views(feeds: tuple[FeedConfig, ...], blogs: list[BlogView], views: list[EntryView],
                  chips: dict[str, Chip], where: urls.UrlMap) -> dict[str, AuthorView]:
    """One view per pseudonym (by its slug): its blogs, their specialties, its entries."""
    blog_by_id = {b.id: b for b in blogs}
    authors: dict[str, AuthorView] = {}
    for feed in feeds:
        slug = feed.author_slug
        a = authors.setdefault(slug, AuthorView(feed.author, slug, where.author(slug), where.author_feed(slug)))
        a.blogs.append(blog_by_id[feed.id])
        a.noindex = a.noindex or feed.noindex
        for s in feed.specialties:
            if s in chips and chips[s] not in a.chips:
                a.chips.append(chips[s])
    by_url = {a.url: a for a in authors.values()}
    for v in views:
        by_url[v.author_url].entries.append(v)
    return authors


def _specialty_views(vocab: Vocabulary, views: list[EntryView], blogs: list[BlogView],
                     where: urls.UrlMap) -> dict[str, SpecialtyView]:
    """One view per specialty of the vocabulary, in its order: its entries and its blogs."""
    specialties = {slug: SpecialtyView(slug, spec.label, where.specialty(slug), where.specialty_feed(slug))
                   for slug, spec in vocab.specialties.items()}
    for v in views:
        for c in v.chips:
            specialties[c.slug].entries.append(v)
    for b in blogs:
        for c in b.chips:
            specialties[c.slug].blogs.append(b)
    return specialties
