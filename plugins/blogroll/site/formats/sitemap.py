"""sitemap.xml and robots.txt. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from xml.sax.saxutils import escape


def sitemap(pages: Iterable[tuple[str, datetime | None]]) -> str:
    """<urlset> of (absolute URL, last modification or None), in the given order."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in pages:
        mod = f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else ""
        out.append(f"<url><loc>{escape(loc)}</loc>{mod}</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"


def robots(sitemap_url: str, disallow: Iterable[str] = ()) -> str:
    """The Sitemap line needs an absolute URL: a build without SITEURL (local preview) has none."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{path}" for path in disallow]
    if sitemap_url.startswith(("https://", "http://")):
        lines += ["", f"Sitemap: {sitemap_url}"]
    return "\n".join(lines) + "\n"
