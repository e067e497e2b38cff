"""Plain text of an entry and its excerpt."""

from __future__ import annotations

import html
import re

from ..core.text import html_to_text
from .links import identity_url
from .sanitize import sanitize_html
from .scrub import scrub_text


def excerpt(text: str, words: int = 50) -> str:
    """The first `words` words of plain text, ending with « … » when cut."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    cut = " ".join(parts[:words]).rstrip(" ,;:.-–—")
    return cut + " …"


_ANCHOR = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>.*?</a>", re.I | re.S)


def _drop_identity_links(markup: str) -> str:
    """Remove links to an e-mail, a profile or an author page, text included: that text
    is usually the very name or address the link points to."""
    def repl(m: re.Match) -> str:
        href = html.unescape(m.group(1)).strip()
        return " " if href.lower().startswith("mailto:") or identity_url(href) else m.group(0)
    return _ANCHOR.sub(repl, markup) if "<a" in markup else markup


# The plain text read of a post: the filing reads its first 300 words (clean/classify.py
# BODY_WORDS, about 2,000 characters of French), the excerpt fewer; the content hash is made of
# it too. Only the excerpt's head is then scrubbed and redacted (clean/entry.py).
MAX_TEXT = 3000


def _head(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT].rsplit(" ", 1)[0]


def read_text(content_html: str) -> str:
    """The head of a post's plain text: sanitized, links to a person dropped. Read (filing, the
    content hash), never published as it is: what is published of it is scrubbed and redacted."""
    return _head(html_to_text(_drop_identity_links(sanitize_html(content_html))))


def entry_text(content_html: str) -> str:
    """The plain text of a post's markup: sanitized, links to a person dropped, its head scrubbed."""
    return scrub_text(read_text(content_html))
