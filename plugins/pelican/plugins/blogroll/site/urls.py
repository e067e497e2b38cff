"""The URL contract of the site (docs/urls.md). Paths are relative to SITEURL.

Pagination lives under a `page/N/` folder of each listing, so no slug can
collide with another listing's page (Pelican's default makes `dr10` page 2
collide with `dr102`). Pages are numbered from the oldest entries, the newest
at the listing's own URL, so a new entry leaves every numbered page as it is. Specialty and author feeds live in separate folders.
"""

from __future__ import annotations

HOME = ""
SPECIALTIES = "specialites/"
AUTHORS = "auteurs/"
STATUS = "etat/"
STATUS_JSON = "etat.json"
OPML = "blogroll.opml"
FEED_ALL = "feeds/all.atom.xml"


def specialty(slug: str) -> str:
    return f"specialites/{slug}/"


def author(slug: str) -> str:
    return f"auteurs/{slug}/"


def specialty_feed(slug: str) -> str:
    return f"feeds/specialites/{slug}.atom.xml"


def author_feed(slug: str) -> str:
    return f"feeds/auteurs/{slug}.atom.xml"


def page(base: str, number: int) -> str:
    """Numbered page N of a listing: `<base>page/N/`, numbered from the oldest entries (page 1);
    the newest entries are at `base` itself (see views.paginate)."""
    return f"{base}page/{number}/"


def file_for(url: str) -> str:
    """Output file of a URL: folders get an index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


SEARCH = "recherche/"
SEARCH_BUNDLE = "pagefind/"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
