"""Feed discovery for `python -m pelican.plugins.blogroll add`: from a blog or feed URL to a proposed entry.

Everything goes through the hardened fetcher (SSRF guard, size cap,
timeouts). A page is searched for `<link rel="alternate">` feeds (the parse
stage's `advertised_feeds`), then the usual feed paths of blog engines are tried; the
first candidate that parses as a feed wins. Nothing here writes a file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from ..clean.classify import split_tags
from ..core.errors import BlogrollError, ParseError
from ..core.model import FetchResult, Outcome, ParsedFeed, Vocabulary
from ..core.settings import Settings
from ..core.text import fold, squash
from ..fetch import FetchRequest, fetch_all, fetch_url
from ..parse import advertised_feeds, parse_feed
from ..registry import url_problems

# Where blog engines put their main feed (WordPress, Blogger, Hugo, Jekyll,
# Ghost, Dotclear, Over-blog, Medium-likes), most common first.
COMMON_PATHS = ("feed/", "feed", "rss/", "rss", "feed.xml", "rss.xml", "atom.xml", "index.xml",
                "feeds/posts/default", "?feed=rss2", "index.php/feed/", "feed/atom/",
                "index.php?feed/atom", "rss.php")
GUESS_BATCH = 4
_COMMENT_WORDS = ("comment", "commentaire")
_SCAN_BYTES = 1024 * 1024


class DiscoveryError(BlogrollError):
    """No feed found. `tried` lists (url, French reason) for every candidate."""

    def __init__(self, reason: str, tried: list[tuple[str, str]] | None = None):
        self.reason = reason
        self.tried = tried or []
        super().__init__(reason)


@dataclass(frozen=True)
class Candidate:
    url: str
    title: str = ""
    how: str = "lien <link rel=\"alternate\">"


@dataclass
class Discovery:
    feed_url: str
    site_url: str
    title: str
    parsed: ParsedFeed
    fetched: FetchResult
    how: str
    notes: list[str] = field(default_factory=list)
    tried: list[tuple[str, str]] = field(default_factory=list)


def announced_feeds(body: bytes, base_url: str) -> list[Candidate]:
    """Feeds the page announces (parse.advertised_feeds), comment feeds last."""
    found = [Candidate(f.url, f.title) for f in advertised_feeds(body, base_url)]
    return sorted(found, key=_is_comment_feed)  # stable: document order otherwise


def _is_comment_feed(c: Candidate) -> bool:
    text = fold(c.title) + " " + fold(urlsplit(c.url).path)
    return any(w in text for w in _COMMENT_WORDS)


def page_title(body: bytes) -> str:
    soup = BeautifulSoup(body[:_SCAN_BYTES], "html.parser")
    for prop in ("og:site_name", "application-name"):
        tag = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
        if tag is not None and tag.get("content"):
            return squash(str(tag["content"]))[:200]
    if soup.title and soup.title.string:
        return squash(str(soup.title.string))[:200]
    return ""


def common_candidates(page_url: str) -> list[Candidate]:
    """The usual feed paths, under the page's folder then under the site root."""
    parts = urlsplit(page_url)
    root = urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
    folder = urlunsplit((parts.scheme, parts.netloc, parts.path.rsplit("/", 1)[0] + "/", "", ""))
    out: list[Candidate] = []
    for base in dict.fromkeys((folder, root)):
        for path in COMMON_PATHS:
            url = urljoin(base, path)
            if not any(c.url == url for c in out):
                out.append(Candidate(url, how="adresse courante de flux"))
    return out


def _try_parse(result: FetchResult, settings: Settings) -> ParsedFeed:
    if result.outcome is not Outcome.OK or result.body is None:
        raise ParseError(result.error or f"HTTP {result.status}")
    return parse_feed(result.body, base_url=result.final_url or result.url,
                      content_type=result.content_type, max_entries=settings.max_entries_per_feed)


def discover(url: str, settings: Settings) -> Discovery:
    """Find, fetch and parse the feed of `url` (a blog page or a feed)."""
    url = url.strip()
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        url = "https://" + url  # « blog.example/ » as people type it
    errors, _ = url_problems(url, allow_private=settings.allow_private, what="adresse")
    if errors:
        raise DiscoveryError("; ".join(errors))
    first = fetch_url(url, settings)
    tried: list[tuple[str, str]] = []
    if first.outcome is not Outcome.OK or first.body is None:
        raise DiscoveryError(f"{url} : {first.error or 'réponse inattendue'}", [(url, first.error or "")])
    page_url = first.final_url or url
    try:
        parsed = _try_parse(first, settings)
        return _found(url, first, parsed, page_url=None, page_title_="", how="adresse donnée", tried=tried)
    except ParseError as exc:
        tried.append((url, str(exc)))
    body = first.body
    title = page_title(body)
    advertised = announced_feeds(body, page_url)
    # Advertised feeds one at a time (the first is nearly always right), then
    # the guesses a few at a time, in order, stopping at the first feed.
    for group, batch in ((advertised, 1), (common_candidates(page_url), GUESS_BATCH)):
        group = [c for c in group if c.url not in {u for u, _ in tried}]
        for i in range(0, len(group), batch):
            chunk = group[i:i + batch]
            results = fetch_all([FetchRequest("-", c.url) for c in chunk], settings)
            for cand, result in zip(chunk, results, strict=True):
                try:
                    parsed = _try_parse(result, settings)
                except ParseError as exc:
                    tried.append((cand.url, str(exc)))
                    continue
                return _found(cand.url, result, parsed, page_url=page_url, page_title_=title,
                              how=cand.how, tried=tried)
    raise DiscoveryError(
        "aucun flux RSS ou Atom trouvé : ni lien <link rel=\"alternate\"> dans la page, "
        "ni flux aux adresses courantes", tried)


def _found(asked: str, result: FetchResult, parsed: ParsedFeed, *, page_url: str | None,
           page_title_: str, how: str, tried: list[tuple[str, str]]) -> Discovery:
    notes = []
    feed_url = asked
    if result.permanent_url:
        feed_url = result.permanent_url
        notes.append(f"redirection permanente : {asked} → {feed_url} (c'est cette adresse qui est retenue)")
    elif result.final_url and result.final_url != asked:
        notes.append(f"redirection temporaire : {asked} → {result.final_url} (l'adresse donnée est gardée)")
    site = page_url
    link = parsed.link or ""
    # The feed's own home link names the blog's home page better than a
    # post page the maintainer may have pasted.
    if link.startswith(("http://", "https://")) and (
            page_url is None or urlsplit(link).hostname == urlsplit(page_url).hostname):
        site = link
    if not site:
        p = urlsplit(feed_url)
        site = urlunsplit((p.scheme, p.netloc, "/", "", ""))
    title = parsed.title or page_title_ or urlsplit(site).hostname or feed_url
    return Discovery(feed_url=feed_url, site_url=site, title=title, parsed=parsed, fetched=result,
                     how=how, notes=notes, tried=tried)


def propose_specialties(parsed: ParsedFeed, vocabulary: Vocabulary, limit: int = 3) -> list[str]:
    """Specialties whose label, slug or synonym matches the feed's categories, most used first."""
    counts: Counter[str] = Counter()
    for entry in parsed.entries:
        counts.update({slug for tag in split_tags(entry.tags) if (slug := vocabulary.slug_named(tag))})
    order = {slug: i for i, slug in enumerate(vocabulary.specialties)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    return [slug for slug, _ in ranked[:limit]]
