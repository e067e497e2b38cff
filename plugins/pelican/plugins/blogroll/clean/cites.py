"""The links a post makes to other sites, kept as keys (core/linkkeys.py): which listed blog,
and which of its posts, a post cites. Read from the post's markup before it is excerpted: an
excerpt is plain text and keeps no link. Pure."""

from __future__ import annotations

import html
import re

from ..core.linkkeys import host_of, link_keys

# An anchor's href, quoted either way or bare.
_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I | re.S)
# More than this many distinct sites in one post is a link list, not a conversation.
MAX_CITES = 40


def cites(markup: str, own_site: str) -> tuple[tuple[str, ...], ...]:
    """The keys (core/linkkeys.py `link_keys`: the page's, then its possible sites') of every
    absolute http(s) link of `markup` that leaves the blog's own host, in order, each page once."""
    if "<a" not in markup and "<A" not in markup:
        return ()
    own = host_of(own_site)
    out: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for m in _HREF.finditer(markup):
        href = html.unescape(next(g for g in m.groups() if g is not None)).strip()
        host = host_of(href)
        if host is None or host == own:
            continue
        keys = link_keys(href)
        if keys is None or keys[0] in seen:
            continue
        seen.add(keys[0])
        out.append(keys)
        if len(out) >= MAX_CITES:
            break
    return tuple(out)
