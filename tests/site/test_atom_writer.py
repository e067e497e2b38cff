"""The Atom text writer gives byte for byte what ElementTree wrote (the slow path it replaced)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st


def _atom_with_elementtree(*, title, feed_url, page_url, feed_id, entries, fallback_updated,
                           subtitle="", icon="", logo="") -> bytes:
    """The ElementTree version atom_feed replaced: the reference for its bytes."""
    from xml.etree import ElementTree as ET

    from pelican.plugins.blogroll.site.formats.atom import FEED_SIZE, NS, _id, updated_dates
    from pelican.plugins.blogroll.site.formats.typography import french_text

    entries = entries[:FEED_SIZE]
    when = updated_dates(entries)
    updated = max(when) if when else fallback_updated
    root = ET.Element("feed", {"xmlns": NS, "xml:lang": "fr"})
    ET.SubElement(root, "title").text = french_text(title)
    if subtitle:
        ET.SubElement(root, "subtitle").text = french_text(subtitle)
    ET.SubElement(root, "id").text = feed_id
    ET.SubElement(root, "updated").text = updated.isoformat(timespec="seconds")
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": feed_url})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": page_url})
    ET.SubElement(root, "generator").text = "Docs du Net"
    for name, value in (("icon", icon), ("logo", logo)):
        if value:
            ET.SubElement(root, name).text = value
    for e, changed in zip(entries, when, strict=True):
        item = ET.SubElement(root, "entry", {"xml:lang": e.lang})
        ET.SubElement(item, "title").text = french_text(e.title)
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html", "href": e.link})
        ET.SubElement(item, "id").text = _id(e)
        ET.SubElement(item, "published").text = e.date_iso
        ET.SubElement(item, "updated").text = changed.isoformat(timespec="seconds")
        author = ET.SubElement(item, "author")
        ET.SubElement(author, "name").text = e.author
        for c in e.chips:
            ET.SubElement(item, "category", {"term": c.slug, "label": c.label})
        ET.SubElement(item, "summary", {"type": "text"}).text = french_text(f"{e.excerpt} — {e.blog_title}")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


AWKWARD = ["", "a & b", "<b>gras</b>", 'dit "bonjour"', "l'apostrophe", "ligne\nsuivante", "tab\there",
           "retour\r", "]]>", "é à ç œ — «»", "&amp; déjà", "x" * 300]


def test_atom_text_writer_gives_elementtree_bytes():
    from datetime import datetime, timedelta

    from hypothesis import given, settings
    from hypothesis import strategies as st
    from pelican.plugins.blogroll.site.formats.atom import atom_feed
    from pelican.plugins.blogroll.site.model.views import Chip, EntryView

    # Characters no file may hold are dropped by the writer (tests/site/test_xml_safety.py):
    # ElementTree wrote them as they were, so the bytes are compared on every other character.
    nonchar = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [chr(p << 16 | c) for p in range(17) for c in (0xFFFE, 0xFFFF)]
    text = st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(blacklist_categories=["Cs", "Cc"],
                                                                     blacklist_characters=nonchar), max_size=30))
    chip = st.builds(Chip, slug=text, label=text, url=st.just("specialites/x/"))

    def entry(t, link, excerpt, author, blog, chips, n):
        d = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=n)
        return EntryView(title=t, link=link, date=d, date_iso=d.isoformat(), date_fr="", year=2026,
                         author=author, author_url="auteurs/x/", blog_title=blog, blog_site="https://b.example/",
                         chips=tuple(chips), excerpt=excerpt, noindex=False, feed_id="f")

    entries = st.lists(st.builds(entry, text, text, text, text, text, st.lists(chip, max_size=3),
                                 st.integers(0, 1000)), max_size=4)

    @settings(max_examples=150, deadline=None)
    @given(title=text, url=text, es=entries, sub=text)
    def check(title, url, es, sub):
        kw = {"title": title, "feed_url": url, "page_url": url + "/p", "feed_id": url, "entries": es,
                  "fallback_updated": datetime(2026, 5, 1, tzinfo=UTC), "subtitle": sub, "icon": url, "logo": sub}
        assert atom_feed(**kw) == _atom_with_elementtree(**kw)

    check()


@settings(deadline=None)  # the first example loads Babel's French data (views.build dates every entry)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(["https://x.example/", "https://x.example/p"])),
                min_size=1, max_size=8))
def test_every_entry_has_its_own_id_and_the_oldest_keeps_the_plain_one(rows):
    """Entries of one blog sharing a link (the anchors of one page, posts sent to the blog's
    home page) get distinct Atom ids; the oldest of each keeps the id an entry always had."""
    from pelican.plugins.blogroll.core.model import FeedConfig, Registry, StoredEntry, Vocabulary
    from pelican.plugins.blogroll.site.formats.atom import _id
    from pelican.plugins.blogroll.site.model import views

    when = datetime(2026, 11, 1, tzinfo=UTC)
    feeds = tuple(FeedConfig(id=f, title=f, author=f"Pseudo {f}", site="https://x.example/",
                             feed=f"https://x.example/{f}.xml", specialties=()) for f in ("a", "b"))
    stored = [StoredEntry(id=n + 1, feed_id=f, guid=None, link=link, title=f"T{n}", excerpt="x", published=when,
                          first_seen=when, sort_date=when, tags=(), specialties=())
              for n, (f, link) in enumerate(rows)]
    model = views.build(Registry(feeds, Vocabulary({})), stored, when)
    ids = [_id(e) for e in model.entries]
    assert len(set(ids)) == len(ids)
    plain = {(e.feed_id, e.link): _id(dataclasses.replace(e, twin="")) for e in model.entries}
    for (feed_id, link), expected in plain.items():
        oldest = min((s for s in stored if (s.feed_id, s.link) == (feed_id, link)), key=lambda s: s.id)
        view = next(v for v in model.entries if (v.feed_id, v.link, v.title) == (feed_id, link, oldest.title))
        assert _id(view) == expected and view.twin == ""
