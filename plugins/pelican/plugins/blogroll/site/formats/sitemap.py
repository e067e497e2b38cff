"""sitemap.xml and robots.txt. Pure. URLs are written through xmltext.text (escaped, cleared)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .xmltext import text


def sitemap(pages: Iterable[tuple[str, datetime | None]]) -> str:
    """<urlset> of (absolute URL, last modification or None), in the given order."""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in pages:
        mod = f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else ""
        out.append(f"<url><loc>{text(loc)}</loc>{mod}</url>")
    out.append("</urlset>")
    return "\n".join(out) + "\n"


MAX_URLS = 50_000  # per sitemap file (sitemaps.org), and 50 MB uncompressed


def sitemap_files(pages: Iterable[tuple[str, datetime | None]], base_url: str) -> dict[str, str]:
    """{output path: text}: sitemap.xml alone, or, past 50,000 URLs, sitemap.xml as a
    <sitemapindex> of sitemap-1.xml, sitemap-2.xml... (sitemaps.org's limit per file).
    Duplicates are dropped (a URL is listed once)."""
    first: dict[str, datetime | None] = {}
    for loc, mod in pages:
        first.setdefault(loc, mod)
    unique = list(first.items())
    if len(unique) <= MAX_URLS:
        return {"sitemap.xml": sitemap(unique)}
    parts = [unique[i:i + MAX_URLS] for i in range(0, len(unique), MAX_URLS)]
    files = {f"sitemap-{n}.xml": sitemap(part) for n, part in enumerate(parts, 1)}
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for n, part in enumerate(parts, 1):
        mods = [m for _, m in part if m]
        lastmod = f"<lastmod>{max(mods).date().isoformat()}</lastmod>" if mods else ""
        out.append(f"<sitemap><loc>{text(base_url.rstrip('/') + f'/sitemap-{n}.xml')}</loc>{lastmod}</sitemap>")
    out.append("</sitemapindex>")
    return {"sitemap.xml": "\n".join(out) + "\n", **files}


def robots(sitemap_url: str, disallow: Iterable[str] = ()) -> str:
    """The Sitemap line needs an absolute URL: a build without SITEURL (local preview) has none."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{path}" for path in disallow]
    if sitemap_url.startswith(("https://", "http://")):
        lines += ["", f"Sitemap: {sitemap_url}"]
    return "\n".join(lines) + "\n"
