"""Links an entry may keep: never one that points at a person or a comment feed."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from ..core.weburl import clean_url

_AVATAR_HOST = re.compile(r"(^|\.)(gravatar\.com|wp\.com)$")
_PROFILE_PATH = re.compile(r"/(author|authors|profile|profil|members|users)(/|$)", re.I)
_COMMENT_FEED_PATH = re.compile(r"(/feed/?|/comments/default/?|/comments/feed/?|/comments/rss2?/?|"
                                r"/feeds/[^/]+/comments/.*)$", re.I)
_IDENTITY_QUERY = {"author", "author_name", "feed", "replytocom"}


_SUSPECT = re.compile(r"author|profil|member|user|avatar|wp\.com|blogger|feed|comment|replytocom|@|%40", re.I)


def identity_url(url: str) -> bool:
    """A link that shows a person rather than a post: an author or profile page, an avatar,
    a comment feed (commenters' names and e-mail hashes)."""
    if not _SUSPECT.search(url):  # most links: no need to parse
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return True
    host = (parts.hostname or "").lower()
    if _AVATAR_HOST.search(host) or (host.endswith("blogger.com") and "/profile" in parts.path):
        return True
    if _PROFILE_PATH.search(parts.path) or _COMMENT_FEED_PATH.search(parts.path):
        return True
    if "@" in unquote(parts.path):
        return True
    return any(k.lower() in _IDENTITY_QUERY for k, _ in parse_qsl(parts.query, keep_blank_values=True))


def entry_link(url: str | None) -> str | None:
    """`clean_url`, refusing links that point at a person or a comment feed."""
    cleaned = clean_url(url)
    return None if cleaned is None or identity_url(cleaned) else cleaned
