"""OPML 2.0 blogroll: every active feed, grouped by its first specialty."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..model.views import SiteModel


def opml(model: SiteModel, *, title: str, owner_url: str) -> bytes:
    root = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    if owner_url:
        ET.SubElement(head, "ownerId").text = owner_url
    body = ET.SubElement(root, "body")
    for spec in model.specialties:
        blogs = [b for b in spec.blogs if b.active and b.chips and b.chips[0].slug == spec.slug]
        if not blogs:
            continue
        group = ET.SubElement(body, "outline", {"text": spec.label, "title": spec.label})
        for b in sorted(blogs, key=lambda b: b.title.casefold()):
            ET.SubElement(group, "outline", {
                "type": "rss", "text": f"{b.title} ({b.author})", "title": b.title,
                "xmlUrl": b.feed, "htmlUrl": b.site,
                "category": ",".join(c.label for c in b.chips),
            })
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
