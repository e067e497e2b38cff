"""`python -m pelican.plugins.blogroll suggest`: blogs the listed blogs recommend, « de lien en lien ».

Each listed blog's home page is read through the guarded fetcher, with the page its
blogroll lives on when the home page links to one on the same site (« liens », « blogs
amis », « blogroll »…). Every link to another site is a vote for that site; sites already
listed, social networks and platforms' own pages are left out. Candidates are ranked by
how many listed blogs link to them; the best ones are fetched (discover.py finds their
feed) and the words of their page and anchors that suggest a health profession are shown.
It proposes only: a maintainer checks and adds with `make add`.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..core.model import Outcome, Registry
from ..core.settings import Settings
from ..core.text import fold, html_to_text, squash
from ..fetch import FetchRequest, fetch_all
from .discover import DiscoveryError, discover

# Anchor texts of the links that lead to a blog's blogroll page (folded).
BLOGROLL_WORDS = ("blogroll", "blogs amis", "blog amis", "liens", "mes liens", "blogosphere", "blogotheque",
                  "ils bloguent", "autres blogs", "blogs que je lis", "je lis", "copains", "amis")
# Words (folded, as prefixes) that suggest a health profession.
HEALTH_WORDS = (
    "medecin", "medecine", "docteur", "doc ", "toubib", "generaliste", "interne", "internat", "externe",
    "externat", "infirmi", "ide ", "sage-femme", "sage femme", "sages-femmes", "maieuti", "kine", "pharmac",
    "urgen", "samu", "smur", "hopita", "clinique", "patient", "consultation", "soignant", "soin", "garde",
    "chirurg", "anesthes", "psychiatr", "pediatr", "cardiolog", "neurolog", "dermato", "gyneco", "obstetri",
    "radiolog", "oncolog", "nephrolog", "sante", "medical", "ecg", "ordonnance", "cabinet", "stethoscope",
)
# Not blogs: social networks, platforms' own pages, shops, encyclopaedias (folded hosts).
NOT_BLOGS = (
    "facebook.com", "twitter.com", "x.com", "instagram.com", "youtube.com", "youtu.be", "linkedin.com",
    "pinterest.com", "tiktok.com", "mastodon.social", "bsky.app", "wikipedia.org", "wikimedia.org",
    "google.com", "goo.gl", "feedburner.com", "wordpress.com", "wordpress.org", "blogger.com", "over-blog.com",
    "canalblog.com", "hautetfort.com", "gravatar.com", "amazon.fr", "amazon.com", "apple.com", "t.co",
    "bit.ly", "creativecommons.org", "w3.org", "jetpack.com", "automattic.com",
)
MAX_PAGES_PER_BLOG = 2
_SCAN = 1024 * 1024


@dataclass
class Candidate:
    site: str                                   # scheme://host/ of the candidate
    linked_from: set[str] = field(default_factory=set)  # ids of the listed blogs linking to it
    anchors: list[str] = field(default_factory=list)
    feed: str | None = None
    title: str = ""
    words: list[str] = field(default_factory=list)
    note: str = ""


class _Links(HTMLParser):
    """<a href> with their text, and whether they sit in a blogroll-like block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            a = {k.lower(): (v or "") for k, v in attrs}
            self._href, self._text = a.get("href", "").strip() or None, []
            if a.get("title"):
                self._text.append(a["title"])

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, squash(" ".join(self._text))[:200]))
            self._href = None


def links_of(body: bytes, base_url: str) -> list[tuple[str, str]]:
    """Absolute http(s) links of a page with their anchor text, in document order."""
    parser = _Links()
    with contextlib.suppress(Exception):  # a page is hostile input: what was read counts
        parser.feed(body[:_SCAN].decode("utf-8", "replace"))
    out = []
    for href, text in parser.links:
        url = urljoin(base_url, href)
        if url.startswith(("http://", "https://")):
            out.append((url, text))
    return out


def site_key(url: str) -> str:
    """A site as one vote target: host (and port) without « www. », lowercased."""
    netloc = urlsplit(url).netloc.lower().rsplit("@", 1)[-1]
    return netloc.removeprefix("www.")


# Platforms whose sub-domains are blogs: only their own pages are left out.
PLATFORMS = ("wordpress.com", "over-blog.com", "canalblog.com", "hautetfort.com", "blogger.com")


def _not_a_blog(key: str) -> bool:
    host = key.split(":", 1)[0]
    return any(host == h or host.endswith("." + h) and h not in PLATFORMS for h in NOT_BLOGS)


def health_words(*texts: str) -> list[str]:
    """The health-profession words found in `texts`, each once, in the list's order."""
    folded = " " + " ".join(fold(t) for t in texts) + " "
    found = []
    for word in HEALTH_WORDS:
        if re.search(r"(?<![a-z])" + re.escape(word), folded) and word.strip() not in found:
            found.append(word.strip())
    return found


def blogroll_pages(links: list[tuple[str, str]], home: str) -> list[str]:
    """Pages of the same site whose link text names a blogroll (« liens », « blogs amis »)."""
    out = []
    for url, text in links:
        if site_key(url) == site_key(home) and fold(text).strip() in BLOGROLL_WORDS and url not in out \
                and url.rstrip("/") != home.rstrip("/"):
            out.append(url)
    return out[:MAX_PAGES_PER_BLOG - 1]


def suggest(registry: Registry, settings: Settings, *, limit: int = 20, min_links: int = 1,
            progress: Callable[[str], None] | None = None) -> list[Candidate]:
    """Candidates not yet listed, most linked first (then by name), the first `limit` with
    their feed and words."""
    listed = {site_key(f.site) for f in registry.feeds} | {site_key(f.feed) for f in registry.feeds}
    feeds = list(registry.active)
    homes = fetch_all([FetchRequest(f.id, f.site) for f in feeds], settings)
    pages: list[tuple[str, str, bytes]] = []   # (blog id, page url, body)
    extra: list[tuple[str, str]] = []
    for feed, result in zip(feeds, homes, strict=True):
        if result.outcome is not Outcome.OK or result.body is None:
            if progress:
                progress(f"  {feed.id} : page d'accueil illisible ({result.error or result.status})")
            continue
        base = result.final_url or feed.site
        pages.append((feed.id, base, result.body))
        extra += [(feed.id, u) for u in blogroll_pages(links_of(result.body, base), base)]
    if extra:
        for (fid, url), result in zip(extra, fetch_all([FetchRequest(fid, u) for fid, u in extra], settings), strict=True):
            if result.outcome is Outcome.OK and result.body is not None:
                pages.append((fid, result.final_url or url, result.body))
    found: dict[str, Candidate] = {}
    anchors: dict[str, list[str]] = defaultdict(list)
    for fid, base, body in pages:
        for url, text in links_of(body, base):
            key = site_key(url)
            if not key or key in listed or _not_a_blog(key):
                continue
            parts = urlsplit(url)
            cand = found.setdefault(key, Candidate(urlunsplit((parts.scheme, parts.netloc, "/", "", ""))))
            cand.linked_from.add(fid)
            if text and text not in anchors[key]:
                anchors[key].append(text)
    ranked = sorted((c for c in found.values() if len(c.linked_from) >= min_links),
                    key=lambda c: (-len(c.linked_from), c.site))[:limit]
    texts = {}
    for cand, result in zip(ranked, fetch_all([FetchRequest("-", c.site) for c in ranked], settings), strict=True):
        if result.outcome is Outcome.OK and result.body is not None:
            texts[cand.site] = html_to_text(result.body[:64 * 1024].decode("utf-8", "replace"))[:5000]
    for cand in ranked:
        cand.anchors = anchors[site_key(cand.site)][:5]
        if progress:
            progress(f"  recherche du flux de {cand.site} …")
        try:
            d = discover(cand.site, settings)
        except DiscoveryError as exc:
            cand.note = f"flux introuvable : {exc.reason}"
            cand.words = health_words(*cand.anchors, texts.get(cand.site, ""))
            continue
        cand.feed, cand.title = d.feed_url, d.title
        titles = [e.title for e in d.parsed.entries[:20]]
        cand.words = health_words(d.title, *cand.anchors, *titles, texts.get(cand.site, ""))
    return ranked


def render_suggestions(found: list[Candidate]) -> str:
    if not found:
        return "Aucun blog à proposer : les pages lues ne citent que des blogs déjà listés.\n"
    lines = [f"{len(found)} blog(s) cité(s) par les blogs listés et absent(s) de feeds.yaml "
             "(à vérifier avant tout ajout : pseudonyme, profession, charte) :", ""]
    for n, c in enumerate(found, 1):
        lines.append(f"{n}. {c.title or c.site}  ({len(c.linked_from)} blog(s) listé(s) : "
                     f"{', '.join(sorted(c.linked_from))})")
        lines.append(f"   site : {c.site}")
        lines.append(f"   flux : {c.feed}" if c.feed else f"   {c.note}")
        if c.anchors:
            lines.append("   cité sous : " + " ; ".join(f"« {a} »" for a in c.anchors))
        lines.append("   mots de santé : " + (", ".join(c.words) if c.words else "aucun"))
        if c.feed:
            lines.append(f"   pour l'ajouter : make add URL={c.feed}")
        lines.append("")
    return "\n".join(lines)
