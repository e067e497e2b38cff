"""Which listed blog a link points to, as keys: shared by the clean stage (the links a post
makes, read before it is excerpted) and the site (« Ce blog cite », « Cité par »,
« Conversations »).

A link is kept only as two keyed hashes: of its host, and of its host, path and query. The store
so holds no outside URL in clear (a link in a post can carry anything, a name included), and
the site can still tell which listed blog, and which of its stored posts, a post links to: it
hashes the listed blogs' own sites and its own stored links the same way and compares.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from .weburl import clean_url

_KEY = b"docsdunet/cites/v1"
# Path ends that name the same page: « /billet/ », « /billet » and « /billet/index.html ».
_INDEX = ("/index.html", "/index.php", "/index.htm")
# How many path segments a blog's own address may have beyond its host.
MAX_SEGMENTS = 2


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "replace"), key=_KEY, digest_size=10).hexdigest()


def host_of(url: str | None) -> str | None:
    """The host a link leads to, lowercased, without « www. »; None for what is no http(s) URL."""
    cleaned = clean_url(url)
    if cleaned is None:
        return None
    host = (urlsplit(cleaned).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.") or None


def page_of(url: str | None) -> str | None:
    """A link as the page it names: host, path without its trailing « / » or index file, and
    query (tracking parameters dropped); scheme and fragment do not make another page."""
    cleaned = clean_url(url)
    host = host_of(cleaned)
    if cleaned is None or host is None:
        return None
    parts = urlsplit(cleaned)
    path = parts.path
    for end in _INDEX:
        if path.lower().endswith(end):
            path = path[: -len(end)]
    path = path.rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")


def _segments(path: str) -> list[str]:
    return [seg for seg in path.split("/") if seg][:MAX_SEGMENTS]


def _prefix(host: str, segments: list[str]) -> str:
    return _digest("site:" + host + "".join("/" + s for s in segments))


def link_keys(url: str | None) -> tuple[str, ...] | None:
    """A link as keys: the page's own key, then the keys of every site address it may belong to,
    the longest first (host with its first two path segments, its first one, the host alone)."""
    page = page_of(url)
    if page is None:
        return None
    host, _, path = page.partition("/")
    segments = _segments(path.split("?")[0])
    prefixes = tuple(_prefix(host, segments[:n]) for n in range(len(segments), -1, -1))
    return (_digest("page:" + page),) + prefixes
