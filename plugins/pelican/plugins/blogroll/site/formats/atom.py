"""Atom 1.0 feeds of the site: excerpts only, links to the original posts, pseudonyms only."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta

from ..model.views import EntryView
from .feedstyle import processing_instructions
from .typography import french_text
from .xmltext import attr as _attr
from .xmltext import text as _text

NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
# RFC 4151: a domain name the site owns and a date it owned it on. Never change it: ids are forever.
TAG_AUTHORITY = "docsdu.net,2026"


def _id(e: EntryView, authority: str = TAG_AUTHORITY) -> str:
    """A stable entry id, of the blog and the link, and for an entry sharing both with an older
    one of its number in the archive (`EntryView.twin`): every entry of a document has its own.
    Base32, not hex: the privacy check flags long hex strings, which is what a Gravatar hash
    (an e-mail one guess away) looks like."""
    # surrogatepass: the same bytes for every link a file can hold, and no error on one that
    # holds a lone surrogate (an archived link from before the clean stage removed them).
    key = f"{e.feed_id}\n{e.link}" + (f"\n{e.twin}" if e.twin else "")
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()[:15]
    return f"tag:{authority}:entry:{base64.b32encode(digest).decode().lower()}"


def feed_tag(path: str, authority: str = TAG_AUTHORITY) -> str:
    """The feed's id: a tag: URI of its path, the same whatever SITEURL the build has."""
    return f"tag:{authority}:{path}"


def updated_dates(entries: list[EntryView]) -> list[datetime]:
    """Each entry's own date, made unique within the document: several entries of a feed can
    share an instant (a blog that gives dates without times, entries without dates first seen
    in the same fetch), which readers and validators take for one entry updated several times.
    Walking from the oldest, a repeat is set one second after the entry below it: the order
    stays the one shown, `updated` is never before the entry's own date (its `published`),
    and no date moves by more than a few seconds."""
    out: list[datetime] = []
    for e in reversed(entries):
        d = e.date
        if out and d <= out[-1]:
            d = out[-1] + timedelta(seconds=1)
        out.append(d)
    return out[::-1]


def atom_feed(*, title: str, feed_url: str, page_url: str, feed_id: str, entries: list[EntryView],
              fallback_updated: datetime, subtitle: str = "", icon: str = "", logo: str = "",
              generator: str = "Docs du Net", lang: str = "fr", tag_authority: str = TAG_AUTHORITY,
              stylesheets: tuple[tuple[str, str], ...] = ()) -> bytes:
    """Atom document for `entries` (newest first). Deterministic: same input, same bytes.

    Written as text rather than through ElementTree (a fifth of a full site render went to
    building and serializing element trees); the bytes are the ones ElementTree's
    tostring(indent) gives for the same document, which tests/site/test_atom_writer.py checks.
    Each entry carries its blog's language (registry `lang`) as xml:lang. Every text and
    attribute value goes through xmltext.py: no character XML cannot carry is written.
    `stylesheets` ((type, href) pairs, site/formats/feedstyle.py) become xml-stylesheet
    processing instructions before the root element: a browser shows the feed as a page. Titles,
    subtitle and summaries get French spacing (typography.py), as the pages do.
    """
    entries = entries[:FEED_SIZE]
    when = updated_dates(entries)
    updated = max(when) if when else fallback_updated
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n', processing_instructions(stylesheets),
        f'<feed xmlns="{NS}" xml:lang="{_attr(lang)}">\n',
        _leaf("  ", "title", french_text(title)),
    ]
    if subtitle:
        out.append(_leaf("  ", "subtitle", french_text(subtitle)))
    out += [
        _leaf("  ", "id", feed_id),
        _leaf("  ", "updated", updated.isoformat(timespec="seconds")),
        f'  <link rel="self" type="application/atom+xml" href="{_attr(feed_url)}" />\n',
        f'  <link rel="alternate" type="text/html" href="{_attr(page_url)}" />\n',
        _leaf("  ", "generator", generator),
    ]
    if icon:
        out.append(_leaf("  ", "icon", icon))
    if logo:
        out.append(_leaf("  ", "logo", logo))
    for e, changed in zip(entries, when, strict=True):
        out.append(f'  <entry xml:lang="{_attr(e.lang)}">\n')
        out.append(_leaf("    ", "title", french_text(e.title)))
        out.append(f'    <link rel="alternate" type="text/html" href="{_attr(e.link)}" />\n')
        out.append(_leaf("    ", "id", _id(e, tag_authority)))
        out.append(_leaf("    ", "published", e.date_iso))
        out.append(_leaf("    ", "updated", changed.isoformat(timespec="seconds")))
        out.append(f"    <author>\n{_leaf('      ', 'name', e.author)}    </author>\n")
        for c in e.chips:
            out.append(f'    <category term="{_attr(c.slug)}" label="{_attr(c.label)}" />\n')
        summary = french_text(f"{e.excerpt} — {e.blog_title}")
        out.append(f'    <summary type="text">{_text(summary)}</summary>\n' if summary
                   else '    <summary type="text" />\n')
        out.append("  </entry>\n")
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def _leaf(indent: str, tag: str, text: str) -> str:
    return f"{indent}<{tag}>{_text(text)}</{tag}>\n" if text else f"{indent}<{tag} />\n"
