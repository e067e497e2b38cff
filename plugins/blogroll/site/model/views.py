"""View model of the site: plain data built from the registry and the store. Pure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from ...core.model import FeedConfig, Registry, StoredEntry
from .. import urls
from .frdates import long_date


@dataclass(frozen=True)
class Chip:
    slug: str
    label: str
    url: str


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
    number: int
    count: int
    url: str
    prev_url: str | None
    next_url: str | None
    items: tuple


@dataclass
class SiteModel:
    entries: list[EntryView]
    specialties: list[SpecialtyView]
    authors: list[AuthorView]
    blogs: list[BlogView]
    now: datetime


def paginate(items: list, per_page: int, base: str) -> list[Page]:
    """Pages of `items`; always at least one page (an empty listing is still a page)."""
    per_page = max(1, per_page)
    count = max(1, -(-len(items) // per_page))
    return [
        Page(
            number=n,
            count=count,
            url=urls.page(base, n),
            prev_url=urls.page(base, n - 1) if n > 1 else None,
            next_url=urls.page(base, n + 1) if n < count else None,
            items=tuple(items[(n - 1) * per_page: n * per_page]),
        )
        for n in range(1, count + 1)
    ]


def build(registry: Registry, entries: list[StoredEntry], now: datetime) -> SiteModel:
    vocab = registry.vocabulary
    chips = {slug: Chip(slug, spec.label, urls.specialty(slug)) for slug, spec in vocab.specialties.items()}
    feeds: dict[str, FeedConfig] = registry.by_id()

    views: list[EntryView] = []
    per_feed: dict[str, list[EntryView]] = defaultdict(list)
    author_urls = {f.id: urls.author(f.author_slug) for f in feeds.values()}  # slugify once per feed
    for e in entries:
        feed = feeds.get(e.feed_id)
        if feed is None:  # removed from feeds.yaml: no pseudonym to show, so not shown
            continue
        v = EntryView(
            title=e.title, link=e.link, date=e.sort_date,
            date_iso=e.sort_date.isoformat(timespec="seconds"), date_fr=long_date(e.sort_date),
            year=e.sort_date.year, author=feed.author, author_url=author_urls[feed.id],
            blog_title=feed.title, blog_site=feed.site,
            chips=tuple(chips[s] for s in e.specialties if s in chips),
            excerpt=e.excerpt, noindex=feed.noindex, feed_id=feed.id, lang=feed.lang,
            elsewhere=tuple(s for s in e.specialties if s in chips and s not in feed.specialties),
        )
        views.append(v)
        per_feed[feed.id].append(v)

    blogs = []
    for feed in registry.feeds:
        mine = per_feed.get(feed.id, [])
        last = mine[0].date if mine else None
        blogs.append(BlogView(
            id=feed.id, title=feed.title, site=feed.site, feed=feed.feed, author=feed.author,
            author_url=urls.author(feed.author_slug),
            chips=tuple(chips[s] for s in feed.specialties if s in chips), active=feed.active,
            noindex=feed.noindex, entry_count=len(mine), last_post=last,
            last_post_fr=long_date(last) if last else None, lang=feed.lang,
        ))
    blog_by_id = {b.id: b for b in blogs}

    authors: dict[str, AuthorView] = {}
    for feed in registry.feeds:
        slug = feed.author_slug
        a = authors.setdefault(slug, AuthorView(feed.author, slug, urls.author(slug), urls.author_feed(slug)))
        a.blogs.append(blog_by_id[feed.id])
        a.noindex = a.noindex or feed.noindex
        for s in feed.specialties:
            if s in chips and chips[s] not in a.chips:
                a.chips.append(chips[s])
    for v in views:
        authors[v.author_url.split("/")[1]].entries.append(v)

    specialties = {slug: SpecialtyView(slug, spec.label, urls.specialty(slug), urls.specialty_feed(slug))
                   for slug, spec in vocab.specialties.items()}
    for v in views:
        for c in v.chips:
            specialties[c.slug].entries.append(v)
    for b in blogs:
        for c in b.chips:
            specialties[c.slug].blogs.append(b)

    return SiteModel(
        entries=views,
        specialties=list(specialties.values()),
        authors=sorted(authors.values(), key=lambda a: a.slug),
        blogs=blogs,
        now=now,
    )
