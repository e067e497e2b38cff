"""Atom 1.0 feeds of the site: excerpts only, links to the original posts, pseudonyms only."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from xml.etree import ElementTree as ET

from .views import EntryView

NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _id(e: EntryView) -> str:
    """A stable entry id. Base32, not hex: the privacy check flags long hex strings, which
    is what a Gravatar hash (an e-mail one guess away) looks like."""
    digest = hashlib.sha256(f"{e.feed_id}\n{e.link}".encode()).digest()[:15]
    return f"tag:docsdunet,2026:entry:{base64.b32encode(digest).decode().lower()}"


def atom_feed(*, title: str, feed_url: str, page_url: str, feed_id: str, entries: list[EntryView],
              fallback_updated: datetime) -> bytes:
    """Atom document for `entries` (newest first). Deterministic: same input, same bytes."""
    entries = entries[:FEED_SIZE]
    updated = entries[0].date if entries else fallback_updated
    root = ET.Element("feed", {"xmlns": NS, "xml:lang": "fr"})
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "id").text = feed_id
    ET.SubElement(root, "updated").text = updated.isoformat(timespec="seconds")
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": feed_url})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": page_url})
    ET.SubElement(root, "generator").text = "Docs du Net"
    for e in entries:
        item = ET.SubElement(root, "entry")
        ET.SubElement(item, "title").text = e.title
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html", "href": e.link})
        ET.SubElement(item, "id").text = _id(e)
        ET.SubElement(item, "published").text = e.date_iso
        ET.SubElement(item, "updated").text = e.date_iso
        author = ET.SubElement(item, "author")
        ET.SubElement(author, "name").text = e.author
        for c in e.chips:
            ET.SubElement(item, "category", {"term": c.slug, "label": c.label})
        ET.SubElement(item, "summary", {"type": "text"}).text = f"{e.excerpt} — {e.blog_title}"
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
