"""OPML 2.0 blogroll: every active feed, grouped by its first specialty; or one specialty's feeds.

Built with ElementTree, which escapes but writes any character it is given: every text and
attribute value is set through `_element`, which clears it first (xmltext.clear)."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from ..model.views import SiteModel
from .xmltext import clear


def _element(parent: ET.Element | None, tag: str, attrs: dict[str, str] | None = None,
             text: str | None = None) -> ET.Element:
    """A new element (under `parent`, if any), every value cleared of what XML cannot carry."""
    values = {k: clear(v) for k, v in (attrs or {}).items()}
    el = ET.Element(tag, values) if parent is None else ET.SubElement(parent, tag, values)
    if text is not None:
        el.text = clear(text)
    return el


def opml(model: SiteModel, *, title: str, owner_url: str, owner_name: str = "",
         created: datetime | None = None, specialty: str | None = None) -> bytes:
    """`owner_url` is OPML 2.0's ownerId, « the http address of a web page that allows a human
    reader to communicate with the author »: an absolute URL, or nothing. `created` (RFC 822)
    is the build's day, so that two builds of a day give the same bytes.

    The whole blogroll files each active blog once, under its first specialty. With `specialty`
    (a slug), the document is that specialty's: every active blog filed there, whatever its
    first specialty, in one group (« subscribe to the PMA blogs » in one import)."""
    root = _element(None, "opml", {"version": "2.0"})
    head = _element(root, "head")
    _element(head, "title", text=title)
    when = created or model.now
    _element(head, "dateCreated", text=format_datetime(when, usegmt=True))
    if owner_name:
        _element(head, "ownerName", text=owner_name)
    if owner_url.startswith(("https://", "http://")):
        _element(head, "ownerId", text=owner_url)
    _element(head, "docs", text="http://opml.org/spec2.opml")
    body = _element(root, "body")
    for spec in model.specialties:
        if specialty is not None and spec.slug != specialty:
            continue
        blogs = [b for b in spec.blogs if b.active and b.chips
                 and (specialty is not None or b.chips[0].slug == spec.slug)]
        if not blogs:
            continue
        group = _element(body, "outline", {"text": spec.label, "title": spec.label})
        for b in sorted(blogs, key=lambda b: b.title.casefold()):
            _element(group, "outline", {
                "type": "rss", "text": f"{b.title} ({b.author})", "title": b.title,
                "xmlUrl": b.feed, "htmlUrl": b.site,
                "category": ",".join(c.label for c in b.chips),
                "language": b.lang,
            })
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
