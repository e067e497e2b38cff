"""Render the site model through the theme into the output writer.

With a `RenderMemo` (see fingerprint.py), a page or feed whose inputs have the
same digest as when it was last rendered is kept as it is on disk instead of
being rendered again: the key of a page is its template, its URL and every
value of its own context (the base context — settings, content pages, the
clock — is covered by the memo's scope).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ...core.settings import Settings
from .. import urls
from ..formats import search
from ..formats.atom import FEED_SIZE, atom_feed, feed_tag
from ..formats.feedstyle import stylesheets
from ..formats.opml import opml
from ..formats.sitemap import robots, sitemap_files
from ..formats.typography import french_html
from ..formats.xmltext import json_text
from ..model import activity
from ..model.frdates import date_range, date_time, days_ago
from ..model.health import FOLLOWED, BlogState, FeedStatus, blog_state, summary
from ..model.views import AuthorView, EntryView, ListingHead, Page, SiteModel, moved_pages, page_of, paginate
from . import front, pagefind
from .assets import SearchAssets, search_assets, write_own
from .fingerprint import RenderMemo
from .writer import OutputWriter

_PAGE_FILE = re.compile(r"^(.*?)page/(\d+)/index\.html$")


class CardCache:
    """The `card` template global: the theme's entry_card macro, rendered once per entry, heading
    and build. An entry shows on the home page, its specialties' pages and its author's page:
    the same markup three or four times over, and the cards were 40 % of a full render."""

    def __init__(self, env: Environment):
        # The macro module is made on first use: a template binds its globals when its module
        # is made, so `card` must be a global by then for entry_list to see it.
        self.env = env
        self.macro: Any = None
        self._cache: dict[tuple, tuple[Any, Markup]] = {}

    def __call__(self, e: Any, SITEURL: str, heading: str = "h2", search: bool = False,
                 elsewhere: str | None = None) -> Markup:
        key = (id(e), SITEURL, heading, search, elsewhere)
        hit = self._cache.get(key)
        if hit is not None and hit[0] is e:
            return hit[1]
        if self.macro is None:
            module: Any = self.env.get_template("blogroll/_macros.html").module  # macros are its attributes
            self.macro = module.entry_card
        html = self.macro(e, SITEURL, heading=heading, search=search, elsewhere=elsewhere)
        self._cache[key] = (e, html)  # holding `e` keeps its id from being reused
        return html


class Renderer:
    def __init__(self, env: Environment, writer: OutputWriter, base_context: dict[str, Any], *,
                 per_page: int, site_url: str, site_name: str, memo: RenderMemo | None = None,
                 settings: Settings | None = None, where: urls.UrlMap = urls.ROOT, assets: SearchAssets | None = None):
        self.env = env
        self.settings = settings or Settings(site_name=site_name)
        self.memo = memo
        self.timings: dict[str, float] = {}
        env.globals["card"] = CardCache(env)
        env.globals["range_fr"] = date_range  # « du 3 au 12 mars 2025 », for the pager (_macros.html)
        self.writer = writer
        self.urls = where  # every URL of the blogroll's, at the root or under its prefix (site/urls.py)
        self.assets = assets or search_assets(Path(), (), "theme", where)
        self.base = dict(base_context, urls=where)
        self.per_page = per_page
        self.site_url = site_url.rstrip("/")
        self.site_name = site_name
        self.sitemap: list[tuple[str, datetime | None]] = []  # indexable pages, in render order
        self._published_pages: dict[str, set[int]] | None = None

    def abs(self, path: str) -> str:
        return f"{self.site_url}/{path}"

    def _fresh(self, rel: str, key: Any) -> tuple[bool, str | None]:
        """(kept as it is?, key to record): keeps `rel` when its key is the last build's."""
        if self.memo is None:
            return False, None
        k = self.memo.key(key)
        if self.memo.fresh(rel, k) and self.writer.keep(rel):
            self.memo.record(rel, k)
            return True, k
        return False, k

    def _done(self, rel: str, key: str | None) -> None:
        if self.memo is not None:
            self.memo.record(rel, key)

    def page(self, template: str, url: str, *, _key: Any = None, **context: Any) -> None:
        """Render `template` to `url`; `_key` replaces the context as the page's memo key."""
        rel = urls.file_for(url)
        kept, key = self._fresh(rel, ("page", template, url, context) if _key is None else ("page", template, _key))
        ctx = dict(self.base)
        ctx.update(context)
        lastmod = ctx.pop("lastmod", None)
        if not ctx.get("noindex"):
            self.sitemap.append((self.abs(url), lastmod))
        ctx.setdefault("feeds", [("Tous les billets", self.urls.feed_all)])
        ctx["page_url"] = url
        ctx["canonical"] = self.abs(ctx.pop("canonical_url", url))
        if kept:
            return
        html = french_html(self.env.get_template(template).render(ctx))
        self.writer.write(rel, html)
        self._done(rel, key)

    def listing(self, template: str, base: str, items: list, *, archive: dict[str, Any] | None = None,
                **context: Any) -> list[Page]:
        """The listing's own page gets `context`; its numbered pages get `archive` only (default:
        `context`), which must not change when an entry is added: it is their whole render key.
        Former `page/N/` URLs that are no page any more become redirect pages (`moved`)."""
        pages = paginate(items, self.per_page, base)
        for p in pages:
            ctx = context if p.newest or archive is None else archive
            self.page(template, p.url, pagination=p, entries=p.items,
                      lastmod=p.items[0].date if p.items else None, **ctx)
        published = self._published()
        for url, target in moved_pages(len(items), self.per_page, base,
                                       published.get(base, set()) if published is not None else None):
            self.moved(url, target)
        return pages

    def _published(self) -> dict[str, set[int]] | None:
        """The `page/N/` numbers of every listing the previous build wrote, by listing URL;
        None when no previous build of this output folder is recorded."""
        if not self.writer.previous():
            return None
        if self._published_pages is None:
            found: dict[str, set[int]] = {}
            for rel in self.writer.previous():
                m = _PAGE_FILE.match(rel)
                if m:
                    found.setdefault(m.group(1), set()).add(int(m.group(2)))
            self._published_pages = found
        return self._published_pages

    def moved(self, url: str, target: str) -> None:
        """A small page sending a former URL to `target`: meta refresh, canonical, a link, noindex."""
        self.page("blogroll/moved.html", url, _key=("moved", url, target), title="Page déplacée", noindex=True,
                  target=target, canonical_url=target)

    def feed(self, path: str, *, title: str, page_url: str, entries: list[EntryView], now: datetime) -> None:
        kept, key = self._fresh(path, ("feed", path, title, page_url, tuple(entries[:FEED_SIZE]), now))
        if kept:
            return
        st = self.settings
        self.writer.write(path, atom_feed(
            title=title, feed_url=self.abs(path), page_url=self.abs(page_url),
            feed_id=feed_tag(path, st.tag_authority), entries=entries, fallback_updated=now,
            subtitle=st.site_subtitle, generator=self.site_name, tag_authority=st.tag_authority,
            icon=self.abs(st.feed_icon) if st.feed_icon else "", logo=self.abs(st.feed_logo) if st.feed_logo else "",
            stylesheets=stylesheets(path, self.urls.feed_xsl, self.urls.feed_css)))
        self._done(path, key)

    def site(self, model: SiteModel, statuses: list[FeedStatus], *, status_key: str | None = None,
             status_as_of: datetime | None = None) -> None:
        self.base = dict(self.base, ago=lambda d: days_ago(d, model.now))
        lap = self._lap()
        # The search bundles first: Pagefind indexes them (other processes, the other core) while
        # the pages are rendered here, pumping it between pages; then its bundles are collected.
        render, inputs_key = search_records(self.env, self.base, self.memo)
        with pagefind.start(model.entries, render, self.writer, inputs_key=inputs_key,
                            root=self.urls.search_bundle) as indexing:
            lap("render.search_records")
            self._pages(model, statuses, lap, indexing.pump, status_key, status_as_of)
            bundles = indexing.collect()
        lap("render.search")
        self.page("blogroll/search.html", self.urls.search, title="Rechercher", specialties=model.specialties,
                  noindex=True, indexed=bundles.count, bundles=bundles.folders, search_assets=self.assets)
        write_own(self.writer, self.assets)
        self.seo()
        lap("render.seo")

    def _pages(self, model: SiteModel, statuses: list[FeedStatus], lap: Callable[[str], None],
               pump: Callable[[], None], status_key: str | None, status_as_of: datetime | None) -> None:
        name, where = self.site_name, self.urls
        self.listing("blogroll/index.html", where.home, model.entries, title=name, is_home=True)
        self.feed(where.feed_all, title=f"{name} — tous les billets", page_url=where.home,
                  entries=model.entries, now=model.now)
        lap("render.home")
        pump()

        charts = specialty_charts(model)
        any_chart = next(iter(charts.values()), None)
        self.page("blogroll/specialties.html", where.specialties, title="Spécialités", specialties=model.specialties,
                  charts=charts, activity_scale=activity.shared_scale([c.activity for c in charts.values()]),
                  activity_months=any_chart.activity.months if any_chart else (),
                  activity_range=f"{any_chart.activity.first_month} – {any_chart.activity.last_month}"
                  if any_chart else "")
        for s in model.specialties:
            feeds = [(f"Spécialité {s.label}", s.feed_url), ("Tous les billets", where.feed_all)]
            head = ListingHead(s.label, s.slug, s.url, s.feed_url)
            self.listing("blogroll/specialty.html", s.url, s.entries, title=s.label, specialty=s, feeds=feeds,
                         archive={"title": s.label, "specialty": head, "feeds": feeds})
            self.feed(s.feed_url, title=f"{name} — {s.label}", page_url=s.url, entries=s.entries, now=model.now)
            pump()
        lap("render.specialties")

        states = blog_states(model, statuses)
        self.page("blogroll/authors.html", where.authors, title="Les blogs", groups=blogroll_groups(model),
                  authors=model.authors, states=states)
        for a in model.authors:
            feeds = [(f"Billets de {a.name}", a.feed_url), ("Tous les billets", where.feed_all)]
            own, archive = author_contexts(a, feeds, states)
            self.listing("blogroll/author.html", a.url, a.entries, years=years_of(a, self.per_page),
                         chart=author_chart(a, model.now), archive=archive, **own)
            self.feed(a.feed_url, title=f"{name} — {a.name}", page_url=a.url, entries=a.entries, now=model.now)
            pump()
        lap("render.authors")

        self.page("blogroll/conversations.html", where.conversations, title="Conversations",
                  conversations=model.conversations)
        self.writer.write(where.opml, opml(model, title=f"{name} — blogroll", owner_url=self.settings.contact_url,
                                          owner_name=name))
        front.write(self, model)  # s-abonner/, proposer-un-blog/, the specialties' OPML, the feeds' stylesheets

        self.status(statuses, key=status_key, as_of=status_as_of)
        lap("render.opml_status")

    def _lap(self) -> Callable[[str], None]:
        """A stopwatch: each call records the seconds since the previous one under `name`."""
        last = [time.perf_counter()]

        def lap(name: str) -> None:
            now = time.perf_counter()
            self.timings[name] = round(self.timings.get(name, 0.0) + now - last[0], 3)
            last[0] = now
        return lap

    def status(self, statuses: list[FeedStatus], *, key: str | None = None, as_of: datetime | None = None) -> None:
        """/etat/ and /etat.json. With a `key` (the feeds' states, without attempt times), both are
        kept as they are while it does not change: the page then says when its data dates from."""
        memo_key = ("status", key) if key is not None else ("status", statuses)
        self.page("blogroll/status.html", self.urls.status, title="État des flux", statuses=statuses, noindex=True,
                  status_summary=summary(statuses), status_as_of=date_time(as_of) if as_of else None, _key=memo_key)
        kept, k = self._fresh(self.urls.status_json, memo_key)
        if not kept:
            data: dict[str, Any] = {"as_of": as_of.isoformat(timespec="seconds")} if as_of else {}
            data["feeds"] = [s.as_json() for s in statuses]
            self.writer.write(self.urls.status_json, json_text(data))
            self._done(self.urls.status_json, k)

    def seo(self) -> None:
        """sitemap.xml of every indexable page rendered so far, robots.txt. At the site's root, the
        sitemap is the site's: it lists the host's articles and pages too. Under a prefix, it is the
        blogroll's own (`<prefix>sitemap.xml`, its pages only) and robots.txt is the host's to write."""
        pages = list(self.sitemap) + ([] if self.urls.prefix else host_pages(self.base, self.abs))
        for rel, text in sitemap_files(pages, self.abs(self.urls.prefix)).items():
            self.writer.write(self.urls.prefix + rel, text)
        if self.urls.robots is not None:
            self.writer.write(self.urls.robots, robots(self.abs(self.urls.sitemap), disallow=[self.urls.status]))


def host_pages(context: dict[str, Any], absolute: Callable[[str], str]) -> list[tuple[str, datetime | None]]:
    """The host's published articles and pages (Pelican's context), for the site's sitemap."""
    found: list[tuple[str, datetime | None]] = []
    for p in (*context.get("articles", ()), *context.get("pages", ())):
        if getattr(p, "status", "") == "published" and getattr(p, "url", "") and getattr(p, "save_as", ""):
            found.append((absolute(p.url), None))
    return found


def search_records(env: Environment, base: dict[str, Any],
                   memo: RenderMemo | None) -> tuple[search.Render, pagefind.InputsKey | None]:
    """How an entry's search record is rendered (the theme's search_record.html over `base`), and
    the key of what a period's records are rendered from: the memo's scope (theme, settings, the
    day: all of the base context) and the period's entries; None without a memo."""
    template = env.get_template("blogroll/search_record.html")

    def render(e: EntryView) -> str:
        return french_html(template.render(base, entry=e))

    if memo is None:
        return render, None
    return render, lambda period: memo.key(("search", memo.scope, period.entries))


def blog_states(model: SiteModel, statuses: list[FeedStatus]) -> dict[str, BlogState]:
    """Each blog's state for the listings (health.blog_state), by blog id."""
    last_posts = {b.id: b.last_post for b in model.blogs}
    return {s.id: blog_state(s, last_posts.get(s.id), model.now) for s in statuses}


def author_contexts(a: AuthorView, feeds: list[tuple[str, str]],
                    states: dict[str, BlogState]) -> tuple[dict[str, Any], dict[str, Any]]:
    """An author page's context, and its numbered pages' (nothing that changes with a new entry).
    `live`: one of the author's blogs may still bring posts, else no « S'abonner » is offered."""
    mine = {b.id: states.get(b.id, FOLLOWED) for b in a.blogs}
    live = any(st.live for st in mine.values())
    head = ListingHead(a.name, a.slug, a.url, a.feed_url, tuple(a.chips))
    own = {"title": a.name, "author": a, "feeds": feeds, "noindex": a.noindex, "states": mine, "live": live}
    return own, {"title": a.name, "author": head, "feeds": feeds, "noindex": a.noindex, "live": live}


def blogroll_groups(model: SiteModel) -> list[tuple[Any, list]]:
    """Specialties that have blogs, each with its blogs sorted by title."""
    return [(s, sorted(s.blogs, key=lambda b: b.title.casefold())) for s in model.specialties if s.blogs]


@dataclass(frozen=True)
class YearLink:
    year: int
    count: int
    url: str  # the author page (1, 2, ...) where that year's first entry is


def years_of(author: AuthorView, per_page: int) -> list[YearLink]:
    first: dict[int, int] = {}
    counts: dict[int, int] = {}
    for i, e in enumerate(author.entries):
        first.setdefault(e.year, i)
        counts[e.year] = counts.get(e.year, 0) + 1
    n = len(author.entries)
    return [YearLink(y, counts[y], page_of(first[y], n, per_page, author.url)) for y in first]


@dataclass(frozen=True)
class Chart:
    activity: activity.Activity
    svg: Markup

    @property
    def total(self) -> int:
        return self.activity.total


def specialty_charts(model: SiteModel) -> dict[str, Chart]:
    """One weekly strip per specialty, all on the same scale so they compare."""
    acts = {s.slug: activity.activity((e.date for e in s.entries), model.now) for s in model.specialties}
    scale = activity.shared_scale(list(acts.values()))
    return {s.slug: Chart(acts[s.slug], activity.svg(acts[s.slug], label=s.label, ident=f"act-{s.slug}",
                                                      scale=scale))
            for s in model.specialties}


def author_chart(author: AuthorView, now: datetime) -> Chart:
    act = activity.activity((e.date for e in author.entries), now)
    return Chart(act, activity.svg(act, label=author.name, ident="act-auteur"))
