"""The URL contract of the site (docs/urls.md). Paths are relative to SITEURL.

Pagination lives under a `page/N/` folder of each listing, so no slug can
collide with another listing's page (Pelican's default makes `dr10` page 2
collide with `dr102`). Pages are numbered from the oldest entries and the listing's
own URL shows the newest 20, so a new entry leaves every numbered page as it is.
Specialty and author feeds live in separate folders.

The names below are the map at the site's root. `UrlMap` mounts the same map
under a prefix (BLOGROLL_URL_PREFIX, « blogroll/ »): on a site that has its own
home page and feed there, the blogroll's home is `blogroll/`, its feed
`blogroll/feeds/all.atom.xml`, and so on. Every URL the build publishes comes
from one `UrlMap`; `sitemap.xml` and `robots.txt` are the site's root files, so
under a prefix the sitemap is the blogroll's own (`blogroll/sitemap.xml`) and
there is no robots.txt (one below the root is never read).
"""

from __future__ import annotations

from dataclasses import dataclass

HOME = ""
SPECIALTIES = "specialites/"
AUTHORS = "auteurs/"
STATUS = "etat/"
CONVERSATIONS = "conversations/"
STATUS_JSON = "etat.json"
OPML = "blogroll.opml"
FEED_ALL = "feeds/all.atom.xml"
SEARCH = "recherche/"
SEARCH_BUNDLE = "pagefind/"
# The search page's script and styles, beside it, when the theme has no js/search.js of its own.
SEARCH_SCRIPT = "recherche/search.js"
SEARCH_STYLES = "recherche/search.css"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
# Subscribing and joining (issue 21): the « S'abonner » and « Proposer un blog » pages, the feeds'
# stylesheets (referenced by every Atom feed, relative to it: site/formats/feedstyle.py) and one
# OPML per specialty, beside that specialty's Atom feed.
SUBSCRIBE = "s-abonner/"
JOIN = "proposer-un-blog/"
FEED_XSL = "feeds/flux.xsl"
FEED_CSS = "feeds/flux.css"
# Where the blogroll goes when the host's own home page or feed is at the root and
# BLOGROLL_URL_PREFIX is not set.
AUTO_PREFIX = "blogroll/"

# What the map writes, for telling a collision with the host's files before rendering:
# these files, and anything under these folders (pages, feeds and bundles named by slug).
_FILES = (HOME + "index.html", FEED_ALL, OPML, STATUS + "index.html", CONVERSATIONS + "index.html", STATUS_JSON,
          SEARCH + "index.html", SEARCH_SCRIPT, SEARCH_STYLES, SITEMAP,
          SUBSCRIBE + "index.html", JOIN + "index.html", FEED_XSL, FEED_CSS)
_FOLDERS = (SPECIALTIES, AUTHORS, "feeds/specialites/", "feeds/auteurs/", "page/", SEARCH_BUNDLE)


def specialty(slug: str) -> str:
    return f"specialites/{slug}/"


def author(slug: str) -> str:
    return f"auteurs/{slug}/"


def specialty_feed(slug: str) -> str:
    return f"feeds/specialites/{slug}.atom.xml"


def author_feed(slug: str) -> str:
    return f"feeds/auteurs/{slug}.atom.xml"


def specialty_opml(slug: str) -> str:
    return f"feeds/specialites/{slug}.opml"


def page(base: str, number: int) -> str:
    """Numbered page N of a listing: `<base>page/N/`, numbered from the oldest entries (page 1);
    the newest `per_page` entries are at `base` itself too (see views.paginate)."""
    return f"{base}page/{number}/"


def file_for(url: str) -> str:
    """Output file of a URL: folders get an index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def normalize_prefix(raw: str) -> str:
    """« blogroll », « /blogroll/ » → « blogroll/ »; « » or « / » → « » (the root). A prefix is a
    folder inside the output: no « .. », no « . », no backslash, no query."""
    parts = [p for p in raw.strip().replace("\\", "/").split("/") if p]
    if any(p in (".", "..") or any(c in p for c in "?#%:") for p in parts):
        raise ValueError(f"préfixe d'adresse invalide : « {raw} » (un dossier, par exemple « blogroll/ »)")
    return "".join(p + "/" for p in parts)


@dataclass(frozen=True)
class UrlMap:
    """The URL map mounted under `prefix` (« » : at the site's root, else a folder ending in « / »).
    Templates get it as `urls` (`{{ SITEURL }}/{{ urls.opml }}`)."""

    prefix: str = ""

    @property
    def home(self) -> str:
        return self.prefix + HOME

    @property
    def specialties(self) -> str:
        return self.prefix + SPECIALTIES

    @property
    def authors(self) -> str:
        return self.prefix + AUTHORS

    @property
    def status(self) -> str:
        return self.prefix + STATUS

    @property
    def conversations(self) -> str:
        return self.prefix + CONVERSATIONS

    @property
    def status_json(self) -> str:
        return self.prefix + STATUS_JSON

    @property
    def opml(self) -> str:
        return self.prefix + OPML

    @property
    def feed_all(self) -> str:
        return self.prefix + FEED_ALL

    @property
    def search(self) -> str:
        return self.prefix + SEARCH

    @property
    def search_bundle(self) -> str:
        return self.prefix + SEARCH_BUNDLE

    @property
    def search_script(self) -> str:
        return self.prefix + SEARCH_SCRIPT

    @property
    def search_styles(self) -> str:
        return self.prefix + SEARCH_STYLES

    @property
    def sitemap(self) -> str:
        return self.prefix + SITEMAP

    @property
    def robots(self) -> str | None:
        """robots.txt: at the root only (crawlers read no other), so None under a prefix."""
        return None if self.prefix else ROBOTS

    @property
    def subscribe(self) -> str:
        return self.prefix + SUBSCRIBE

    @property
    def join(self) -> str:
        return self.prefix + JOIN

    @property
    def feed_xsl(self) -> str:
        return self.prefix + FEED_XSL

    @property
    def feed_css(self) -> str:
        return self.prefix + FEED_CSS

    def specialty_opml(self, slug: str) -> str:
        return self.prefix + specialty_opml(slug)

    def specialty(self, slug: str) -> str:
        return self.prefix + specialty(slug)

    def author(self, slug: str) -> str:
        return self.prefix + author(slug)

    def specialty_feed(self, slug: str) -> str:
        return self.prefix + specialty_feed(slug)

    def author_feed(self, slug: str) -> str:
        return self.prefix + author_feed(slug)

    def claims(self, rel: str) -> bool:
        """The blogroll would write the output file `rel` (or might: a page of a slug)."""
        if not rel.startswith(self.prefix):
            return False
        inner = rel[len(self.prefix):]
        return (inner in _FILES or inner.startswith(_FOLDERS) or (inner == ROBOTS and not self.prefix)
                or (inner.startswith("sitemap-") and inner.endswith(".xml")))


ROOT = UrlMap()
