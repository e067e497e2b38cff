"""View model of the site: plain data built from the registry and the store. Pure."""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...core.model import FeedConfig, Registry, StoredEntry, Vocabulary
from .. import urls
from . import web as citations
from .frdates import long_date, long_day, paris_day


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

    @property
    def anchor(self) -> str:
        """The id of the entry's card on a listing page (« b-… »), the same on every build: a
        link can lead to one entry of a page (the first one a reader has not seen yet)."""
        key = f"{self.feed_id}\n{self.link}\n{self.twin}".encode("utf-8", "surrogatepass")
        return "b-" + base64.b32encode(hashlib.sha256(key).digest()[:10]).decode().lower()


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


@dataclass(frozen=True)
class WebLink:
    """Another listed author, and how many posts of the citing side link to the cited one."""
    name: str
    url: str
    posts: int


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
    # « De lien en lien »: the other listed authors this one's posts cite, and who cites it.
    cites: tuple[WebLink, ...] = ()
    cited_by: tuple[WebLink, ...] = ()


@dataclass(frozen=True)
class ConversationView:
    """A post several listed blogs cite, and the authors who cite it."""
    entry: EntryView
    citers: tuple[WebLink, ...]


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
    (page 1 = the oldest `per_page` entries); the listing's own URL holds the newest `per_page`
    entries (all of them when there are fewer), so it overlaps the newest numbered page: a new
    entry changes the listing's page and, once every `per_page` entries, adds one numbered page.
    A numbered page carries nothing that changes with the listing's length (no page count, no
    entry count: `total` is None there), so its bytes stay the same until its own entries change;
    it says where it is by its number and the dates of its own entries."""
    number: int  # numbered page N; the listing's own page is the last, number = numbered + 1
    newest: bool  # the listing's own URL
    url: str
    prev_url: str | None  # newer entries
    next_url: str | None  # older entries
    items: tuple  # newest first
    total: int | None = None  # the listing's length, on its own page only
    # On the listing's own page: the newest entry it does not show (the first one the reader has
    # not seen on `next_url`, which starts with entries shown here); None elsewhere.
    resume: Any = None

    @property
    def oldest(self) -> Any:
        return self.items[-1] if self.items else None


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
    conversations: list[ConversationView] = field(default_factory=list)


def numbered_pages(length: int, per_page: int) -> int:
    """How many numbered pages a listing of `length` entries has: whole pages of `per_page`, counted
    from the oldest; the newest entries left over (1 to `per_page`) are on the listing's own page
    only, which shows the newest `per_page` in all."""
    return max(0, (length - 1) // max(1, per_page))


def page_of(index: int, length: int, per_page: int, base: str) -> str:
    """URL of the page holding the entry at `index` (0 = newest) of a listing of `length`: the
    listing's own page for the newest `per_page`, else the numbered page it is on."""
    per_page = max(1, per_page)
    if index < per_page:
        return base
    number = (length - 1 - index) // per_page + 1
    return urls.page(base, number)


def paginate(items: list, per_page: int, base: str) -> list[Page]:
    """Pages of `items` (newest first), the listing's own page first (the newest `per_page`),
    then the numbered pages from the newest (K) to the oldest (1); always at least one page (an
    empty listing is still a page). The newest numbered page repeats some of the listing's
    page: `resume` is the entry its « older » link should lead to."""
    per_page = max(1, per_page)
    n = len(items)
    k = numbered_pages(n, per_page)
    pages = [Page(number=k + 1, newest=True, url=base, prev_url=None,
                  next_url=urls.page(base, k) if k else None, items=tuple(items[:per_page]), total=n,
                  resume=items[per_page] if k and n > per_page else None)]
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
    by_id = _entry_views(entries, registry.by_id(), chips, where)
    views = list(by_id.values())
    blogs = _blog_views(registry.feeds, views, chips, where)
    authors = _author_views(registry.feeds, blogs, views, chips, where)
    specialties = _specialty_views(vocab, views, blogs, where)
    the_web = citations.build(entries, registry.feeds)
    _link_authors(authors, the_web, registry.feeds)
    return SiteModel(
        entries=views,
        specialties=list(specialties.values()),
        authors=sorted(authors.values(), key=lambda a: a.slug),
        blogs=blogs,
        now=now,
        conversations=_conversations(the_web, by_id, registry.feeds, authors),
    )


def _entry_views(entries: list[StoredEntry], feeds: dict[str, FeedConfig], chips: dict[str, Chip],
                 where: urls.UrlMap) -> dict[int, EntryView]:
    """The entries as shown, by archive number, in the store's order; those of feeds no longer
    in feeds.yaml are left out (no pseudonym to show)."""
    views: dict[int, EntryView] = {}
    author_urls = {f.id: where.author(f.author_slug) for f in feeds.values()}  # slugify once per feed
    twins = _twins(entries)
    for e in entries:
        feed = feeds.get(e.feed_id)
        if feed is None:  # removed from feeds.yaml: no pseudonym to show, so not shown
            continue
        views[e.id] = EntryView(
            title=e.title, link=e.link, date=e.sort_date,
            date_iso=e.sort_date.isoformat(timespec="seconds"), date_fr=long_day(day := paris_day(e.sort_date)),
            year=day.year, author=feed.author, author_url=author_urls[feed.id],
            blog_title=feed.title, blog_site=feed.site,
            chips=tuple(chips[s] for s in e.specialties if s in chips),
            excerpt=e.excerpt, noindex=feed.noindex, feed_id=feed.id, lang=feed.lang,
            elsewhere=tuple(s for s in e.specialties if s in chips and s not in feed.specialties),
            twin=twins.get(e.id, ""), seen=e.first_seen,
        )
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


def _author_links(links: tuple[citations.Link, ...], slug_of: dict[str, str], own: str,
                  authors: dict[str, AuthorView]) -> tuple[WebLink, ...]:
    """Per-blog links summed per author, the author's own blogs left out, most posts first."""
    posts: dict[str, int] = defaultdict(int)
    for link in links:
        slug = slug_of.get(link.feed_id)
        if slug is not None and slug != own:
            posts[slug] += link.posts
    ranked = sorted(posts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(WebLink(authors[s].name, authors[s].url, n) for s, n in ranked)


def _link_authors(authors: dict[str, AuthorView], the_web: citations.Web, feeds: tuple[FeedConfig, ...]) -> None:
    """Fill each author's « Ce blog cite » / « Cité par » from its blogs' links."""
    slug_of = {f.id: f.author_slug for f in feeds}
    for slug, a in authors.items():
        mine = [f.id for f in feeds if slug_of[f.id] == slug]
        a.cites = _author_links(tuple(x for fid in mine for x in the_web.cites.get(fid, ())), slug_of, slug, authors)
        a.cited_by = _author_links(tuple(x for fid in mine for x in the_web.cited_by.get(fid, ())), slug_of, slug,
                                   authors)


def _conversations(the_web: citations.Web, by_id: dict[int, EntryView], feeds: tuple[FeedConfig, ...],
                   authors: dict[str, AuthorView]) -> list[ConversationView]:
    slug_of = {f.id: f.author_slug for f in feeds}
    out = []
    for c in the_web.conversations:
        view = by_id.get(c.entry_id)
        if view is None:
            continue
        slugs = sorted({slug_of[f] for f in c.citers if f in slug_of} - {slug_of.get(view.feed_id, "")})
        if len(slugs) >= citations.CONVERSATION_MIN:
            out.append(ConversationView(view, tuple(WebLink(authors[s].name, authors[s].url, 1) for s in slugs)))
    return out
