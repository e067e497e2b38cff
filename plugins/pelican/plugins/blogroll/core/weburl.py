"""URL normalization shared by the stages: absolute http(s), no credentials, no tracking."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import emails

TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|twclid|ttclid|li_fat_id|mc_cid|mc_eid|igshid|"
    r"yclid|_hs(enc|mi)|mkt_tok|_ga|_gl|xtor|at_[a-z]+|oly_(anon|enc)_id|vero_(id|conv)|wickedid|"
    r"ck_subscriber_id|s_cid|ncid|sr_share|srsltid|spm|__s)$", re.I)


@lru_cache(maxsize=16384)
def clean_url(url: str | None) -> str | None:
    """An absolute http(s) URL without credentials, tracking parameters or e-mails in its query.
    Remembered: a pure function of one string, asked up to four times per link (core/linkkeys.py)
    and for the same links in every post of a blog."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(c in url for c in "\"'<> \t\r\n\\"):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMS.match(k) and "@" not in v and not emails.EMAIL.search(v)]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = host + (f":{port}" if port else "")
    fragment = "" if parts.fragment.lower().startswith(("utm", "xtor")) else parts.fragment
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, urlencode(query), fragment))


# A comment feed (readers' comments, which name the blogger), not a blog's feed: WordPress
# /comments/feed/ and /<post>/feed/, ?feed=comments-rss2, Blogger /feeds/comments/default and
# /feeds/<post id>/comments/default, /comments/default, Dotclear/others /comments/rss2.
COMMENT_FEED = re.compile(
    r"/comments?/(?:feed|default|rss2?|atom)\b|/feeds/(?:[^/?#]+/)?comments/|/feed/comments\b|"
    r"[?&]feed=comments|[?&](?:type|view)=comments\b|/commentaires?/(?:feed|flux|rss)\b", re.I)


def comment_feed_url(url: str) -> bool:
    return COMMENT_FEED.search(url) is not None
