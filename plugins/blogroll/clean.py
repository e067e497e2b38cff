"""Clean stage: sanitize, anonymize, excerpt, classify. Pure functions, no I/O.

Feed HTML is never stored or shown: an entry keeps a plain-text title and a
plain-text excerpt (rendered autoescaped), and a link to the original post.
`sanitize_html` is the single nh3 policy for any markup that must survive
(none today); text is extracted from sanitized markup, then scrubbed of
e-mail addresses and bare URLs, then cut to an excerpt.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import nh3

from .model import CleanEntry, FeedConfig, ParsedEntry, Vocabulary
from .textutil import fold, html_to_text, squash

# --- sanitizing -----------------------------------------------------------

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
    "i", "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "q": {"cite"}, "blockquote": {"cite"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(markup: str) -> str:
    """The one nh3 policy: no scripts, forms, iframes, SVG, style, on*, ping, srcset, images."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        clean_content_tags={"script", "style", "svg", "math", "template", "textarea", "select", "noscript"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# --- anonymizing ----------------------------------------------------------

_EMAIL = re.compile(
    r"(?:mailto:)?[A-Za-z0-9._%+\-]+(?:@|\s*[\[(]\s*(?:at|arobase)\s*[\])]\s*)"
    r"[A-Za-z0-9\-]+(?:(?:\.|\s*[\[(]\s*(?:dot|point)\s*[\])]\s*)[A-Za-z0-9\-]+)+",
    re.I,
)
_BARE_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
TRACKING_PARAMS = re.compile(r"^(utm_[a-z_]*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_hs(enc|mi)|mkt_tok)$", re.I)


def scrub_text(text: str) -> str:
    """Drop e-mail addresses (also « nom [at] domaine [dot] fr ») and bare URLs from text."""
    text = _EMAIL.sub(" ", text)
    text = _BARE_URL.sub(" ", text)
    return squash(text)


def clean_url(url: str | None) -> str | None:
    """An absolute http(s) URL without credentials, fragments' trackers or tracking parameters."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(c in url for c in "\"'<> \t\r\n\\"):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    if ":" in parts.hostname:
        netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
    fragment = "" if parts.fragment.lower().startswith(("utm", "xtor")) else parts.fragment
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, urlencode(query), fragment))


# --- excerpt --------------------------------------------------------------

def excerpt(text: str, words: int = 50) -> str:
    """The first `words` words of plain text, ending with « … » when cut."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    cut = " ".join(parts[:words]).rstrip(" ,;:.-–—")
    return cut + " …"


def entry_text(content_html: str) -> str:
    return scrub_text(html_to_text(sanitize_html(content_html)))


# --- classification -------------------------------------------------------

_TAG_SPLIT = re.compile(r"\s*[/,;|]\s*")


def split_tags(tags: tuple[str, ...]) -> set[str]:
    out = set()
    for tag in tags:
        folded = fold(tag).strip()
        if folded:
            out.add(folded)
            out.update(p for p in _TAG_SPLIT.split(folded) if p)
    return out


def specialties_for(feed: FeedConfig, tags: tuple[str, ...], vocabulary: Vocabulary) -> tuple[str, ...]:
    """The feed's specialties ∪ those whose label, slug or synonyms match the entry's tags."""
    found = list(feed.specialties)
    folded = split_tags(tags)
    for slug, spec in vocabulary.specialties.items():
        if slug in found:
            continue
        names = {slug, fold(spec.label)} | {fold(s) for s in spec.synonyms}
        if folded & names:
            found.append(slug)
    return tuple(found)


def admitted(feed: FeedConfig, tags: tuple[str, ...]) -> bool:
    """A feed with `only_tags` admits only entries carrying one of them."""
    return not feed.only_tags or bool(split_tags(tags) & set(feed.only_tags))


# --- one entry ------------------------------------------------------------

def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{squash(title)}\n{squash(text)}".encode()).hexdigest()


def clean_entry(raw: ParsedEntry, feed: FeedConfig, vocabulary: Vocabulary, *,
                excerpt_words: int = 50) -> CleanEntry | None:
    """Turn a parsed entry into what may be stored; None when `only_tags` excludes it."""
    if not admitted(feed, raw.tags):
        return None
    text = entry_text(raw.content_html)
    title = scrub_text(raw.title) or excerpt(text, 8) or "(sans titre)"
    guid = raw.guid.strip() if raw.guid else None
    own_link = clean_url(raw.link) or clean_url(guid)
    link = own_link or clean_url(feed.site) or feed.site
    tags = tuple(scrub_text(t) for t in raw.tags if scrub_text(t))[:20]
    return CleanEntry(
        feed_id=feed.id,
        guid=guid,
        link=link,
        title=title[:300],
        excerpt=excerpt(text, excerpt_words),
        # A feed with no published date gets its `updated` date, read once: the
        # store freezes an entry's sort date at first sight, so a feed that
        # later rewrites `updated` never pushes old posts back to the top.
        published=raw.published or raw.updated,
        tags=tags,
        specialties=specialties_for(feed, raw.tags, vocabulary),
        content_hash=content_hash(title, text),
        own_link=own_link is not None,
    )


def clean_entries(entries, feed: FeedConfig, vocabulary: Vocabulary, *, excerpt_words: int = 50) -> list[CleanEntry]:
    out = []
    for raw in entries:
        entry = clean_entry(raw, feed, vocabulary, excerpt_words=excerpt_words)
        if entry is not None:
            out.append(entry)
    return dedup(out)


def dedup(entries: list[CleanEntry]) -> list[CleanEntry]:
    """Within one fetch, keep the first of entries that match by GUID, then link, then content hash.

    The store applies the same keys (see `match_keys`) against the archive.
    """
    seen: set[tuple[str, str]] = set()
    out = []
    for e in entries:
        keys = match_keys(e)
        if seen.isdisjoint(keys):
            out.append(e)
        seen.update(keys)
    return out


def match_keys(e: CleanEntry) -> list[tuple[str, str]]:
    """The keys that identify an entry, strongest first: GUID, own link, content hash."""
    keys = []
    if e.guid:
        keys.append(("guid", e.guid))
    if e.own_link:
        keys.append(("link", e.link))
    keys.append(("hash", e.content_hash))
    return keys


# --- ordering ---------------------------------------------------------------

def sort_date(published: datetime | None, first_seen: datetime) -> datetime:
    """Published date, or first-seen time when missing or in the future. Never `updated`."""
    if published is None or published > first_seen:
        return first_seen
    return published
