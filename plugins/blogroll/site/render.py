"""Render the site model through the theme into the output writer."""

from __future__ import annotations

import json
from collections import OrderedDict
from datetime import datetime
from typing import Any

from jinja2 import Environment

from . import urls
from .atom import atom_feed
from .health import FeedStatus
from .opml import opml
from .views import AuthorView, Page, SiteModel, paginate
from .writer import OutputWriter


class Renderer:
    def __init__(self, env: Environment, writer: OutputWriter, base_context: dict[str, Any], *,
                 per_page: int, site_url: str, site_name: str):
        self.env = env
        self.writer = writer
        self.base = base_context
        self.per_page = per_page
        self.site_url = site_url.rstrip("/")
        self.site_name = site_name

    def abs(self, path: str) -> str:
        return f"{self.site_url}/{path}"

    def page(self, template: str, url: str, **context: Any) -> None:
        ctx = dict(self.base)
        ctx.update(context)
        ctx.setdefault("feeds", [("Tous les billets", urls.FEED_ALL)])
        ctx["page_url"] = url
        ctx["canonical"] = self.abs(url)
        html = self.env.get_template(template).render(ctx)
        self.writer.write(urls.file_for(url), html)

    def listing(self, template: str, base: str, items: list, **context: Any) -> list[Page]:
        pages = paginate(items, self.per_page, base)
        for p in pages:
            self.page(template, p.url, pagination=p, entries=p.items, **context)
        return pages

    def feed(self, path: str, *, title: str, page_url: str, entries, now: datetime) -> None:
        self.writer.write(path, atom_feed(title=title, feed_url=self.abs(path), page_url=self.abs(page_url),
                                          feed_id=self.abs(path), entries=entries, fallback_updated=now))

    def site(self, model: SiteModel, statuses: list[FeedStatus]) -> None:
        name = self.site_name
        self.listing("index.html", urls.HOME, model.entries, title=name, is_home=True)
        self.feed(urls.FEED_ALL, title=f"{name} — tous les billets", page_url=urls.HOME,
                  entries=model.entries, now=model.now)

        self.page("specialties.html", urls.SPECIALTIES, title="Spécialités", specialties=model.specialties)
        for s in model.specialties:
            feeds = [(f"Spécialité {s.label}", s.feed_url), ("Tous les billets", urls.FEED_ALL)]
            self.listing("specialty.html", s.url, s.entries, title=s.label, specialty=s, feeds=feeds)
            self.feed(s.feed_url, title=f"{name} — {s.label}", page_url=s.url, entries=s.entries, now=model.now)

        self.page("authors.html", urls.AUTHORS, title="Les blogs", groups=blogroll_groups(model),
                  authors=model.authors)
        for a in model.authors:
            feeds = [(f"Billets de {a.name}", a.feed_url), ("Tous les billets", urls.FEED_ALL)]
            self.listing("author.html", a.url, a.entries, title=a.name, author=a, feeds=feeds,
                         noindex=a.noindex, years=years_of(a))
            self.feed(a.feed_url, title=f"{name} — {a.name}", page_url=a.url, entries=a.entries, now=model.now)

        self.writer.write(urls.OPML, opml(model, title=f"{name} — blogroll", owner_url=self.abs("")))

        self.page("status.html", urls.STATUS, title="État des flux", statuses=statuses, noindex=True)
        self.writer.write(urls.STATUS_JSON, json.dumps(
            {"feeds": [s.as_json() for s in statuses]}, ensure_ascii=False, indent=1) + "\n")


def blogroll_groups(model: SiteModel) -> list[tuple[Any, list]]:
    """Specialties that have blogs, each with its blogs sorted by title."""
    return [(s, sorted(s.blogs, key=lambda b: b.title.casefold())) for s in model.specialties if s.blogs]


def years_of(author: AuthorView) -> "OrderedDict[int, int]":
    counts: OrderedDict[int, int] = OrderedDict()
    for e in author.entries:
        counts[e.year] = counts.get(e.year, 0) + 1
    return counts
