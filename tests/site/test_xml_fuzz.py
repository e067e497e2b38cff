"""Fuzzing the whole way a feed's bytes take to the site's files (issue 23): bytes → parse →
clean (update.worker.parse_and_clean, both parsers) → the archive's shape → the view model →
Atom, OPML, sitemap, /etat.json's text and the entry cards (HTML) → validation.

Inputs: (a) generated RSS 2.0 and Atom documents whose titles, descriptions, links, GUIDs and
categories hold characters of every class (tests/xmlchars.py), raw or as numeric references,
escaped once or twice (« &amp;#1; »), in CDATA or in escaped HTML; (b) byte-level mutations of
real feeds: the demo's (demo/feeds/*.xml) and the corpus beside the project (../shared/corpus,
read in place; those examples skip when it is absent).

For each: the pipeline never raises; every stored field and every output is free of the
characters XML cannot carry or discourages; the XML outputs parse with expat and the Atom feed
passes tools/speccheck.py's checks; nothing the clean stage stored is quarantined.

Sized for `make test` by the hypothesis profile in tests/xmlchars.py; `make fuzz`
(HYPOTHESIS_PROFILE=fuzz) runs the same tests far longer.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import speccheck
from conftest import ROOT
from feedcorpus import content_type, corpus_files
from hypothesis import HealthCheck, assume, given
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader
from pelican.plugins.blogroll.core.model import FeedConfig, ParseOutcome, Registry, StoredEntry
from pelican.plugins.blogroll.registry.load import load_registry, load_vocabulary
from pelican.plugins.blogroll.site.builder.templates import plugin_environment
from pelican.plugins.blogroll.site.formats.atom import atom_feed
from pelican.plugins.blogroll.site.formats.opml import opml
from pelican.plugins.blogroll.site.formats.sitemap import sitemap_files
from pelican.plugins.blogroll.site.formats.xmltext import json_text
from pelican.plugins.blogroll.site.model import quarantine, views
from pelican.plugins.blogroll.update.worker import ParseJob, parse_and_clean
from xmlchars import CLASSES, REFERENCES, fuzz_settings, unfit_in

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::DeprecationWarning")

NOW = datetime(2026, 11, 20, 8, tzinfo=UTC)
FEED = FeedConfig(id="garde", title="Carnet de garde", author="Docteur Veilleur", site="https://blog.example/",
                  feed="https://blog.example/feed.xml", specialties=("medecine-generale",))
FUZZ = fuzz_settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                            HealthCheck.filter_too_much])
DEMO_FEEDS = sorted((ROOT / "demo" / "feeds").glob("*.xml"))
CORPUS = corpus_files()


# Entries that all fall back to their blog's home page (every link refused: FeedBurner proxies,
# links to another host) share one atom:id, which speccheck reports. A fault of its own, not
# of characters: test_entries_without_their_own_link_get_distinct_atom_ids below.
KNOWN = ("DuplicateEntries:",)


@lru_cache(maxsize=1)
def _registry() -> Registry:
    """The demo's blogs (so that a demo feed's links are its own) and FEED, the real vocabulary."""
    vocabulary = load_vocabulary(ROOT / "specialties.yaml")
    demo = load_registry(ROOT / "demo" / "feeds.yaml", vocabulary, allow_private=True)
    return Registry(feeds=(FEED, *demo.feeds), vocabulary=vocabulary)


def _blog(path: Path) -> FeedConfig:
    """The demo blog a demo feed file belongs to (« carnets-d-antan.paged-2.xml »: carnets-d-antan)."""
    return _registry().by_id()[path.name.split(".")[0]]


@lru_cache(maxsize=1)
def _card() -> Any:
    env = plugin_environment(Environment(loader=FileSystemLoader(str(ROOT / "theme" / "templates"))))
    return env.get_template("blogroll/_macros.html").module.entry_card


def _stored(outcome: ParseOutcome) -> list[StoredEntry]:
    """The clean entries as the archive gives them back (newest first, distinct sort dates)."""
    out = []
    for n, e in enumerate(outcome.entries or ()):
        when = NOW - timedelta(hours=n)
        out.append(StoredEntry(id=n + 1, feed_id=e.feed_id, guid=e.guid, link=e.link, title=e.title,
                               excerpt=e.excerpt, published=e.published, first_seen=when, sort_date=when,
                               tags=e.tags, specialties=e.specialties))
    return out


def _clean_text(name: str, text: str) -> None:
    assert not unfit_in(text), (name, unfit_in(text)[:5])
    text.encode("utf-8")  # strict: a lone surrogate has no UTF-8 form


def _xml(name: str, data: bytes) -> ET.Element:
    _clean_text(name, data.decode("utf-8"))
    return ET.fromstring(data)  # expat, XML 1.0: raises on anything ill-formed


def check_pipeline(body: bytes, ctype: str | None, native: bool, feed: FeedConfig = FEED) -> int:
    """Run one feed's bytes the whole way and check every output; the number of entries."""
    outcome = parse_and_clean(ParseJob(body, feed.feed, ctype, feed, _registry().vocabulary, max_entries=50,
                                       excerpt_words=50, native_parser=native))
    entries = _stored(outcome)
    for e in entries:
        for field in quarantine.published_fields(e):
            _clean_text("stored field", field)
    kept, held = quarantine.split_unfit(entries)
    assert not held, "the clean stage stored what the quarantine refuses"
    model = views.build(_registry(), kept, NOW)
    atom = atom_feed(title="Docs du Net — tous les billets", feed_url="https://docsdu.net/feeds/all.atom.xml",
                     page_url="https://docsdu.net/", feed_id="tag:docsdu.net,2026:feeds/all.atom.xml",
                     entries=model.entries, fallback_updated=NOW, subtitle="Les blogs de soignants",
                     icon="https://docsdu.net/favicon.png", logo="https://docsdu.net/logo.png")
    _xml("atom", atom)
    assert [p for p in speccheck.check_atom(atom, site_url="https://docsdu.net") if not p.startswith(KNOWN)] == []
    _xml("opml", opml(model, title="Docs du Net — blogroll", owner_url="https://docsdu.net/contact/"))
    for name, text in sitemap_files([(e.link, e.date) for e in model.entries], "https://docsdu.net/").items():
        _xml(name, text.encode("utf-8"))
    _clean_text("etat.json", json_text({"error": outcome.error, "warnings": list(outcome.warnings)}))
    for e in model.entries:
        _clean_text("card", str(_card()(e, "https://docsdu.net", search=True)))
    return len(entries)


# (a) Generated feeds ------------------------------------------------------------------------

PIECE = st.one_of(*CLASSES.values(), REFERENCES, REFERENCES.map(lambda r: r.replace("&", "&amp;")),
                  st.sampled_from(["&amp;#1;", "&amp;amp;#1;", "&amp;#xD800;", "&lt;b&gt;", "<b>", "]]>", "&", "<"]))


@st.composite
def field(draw: st.DrawFn, max_pieces: int = 5) -> str:
    return "".join(draw(st.lists(PIECE, max_size=max_pieces)))


@st.composite
def markup(draw: st.DrawFn) -> str:
    """A description as feeds write them: plain text, escaped HTML or CDATA."""
    text = draw(field(8))
    wrap = draw(st.sampled_from(["{}", "&lt;p&gt;{}&lt;/p&gt;", "<![CDATA[<p>{}</p>]]>", "&lt;p&gt;a {} b&lt;/p&gt;"]))
    return wrap.format(text.replace("]]>", "]]&gt;") if wrap.startswith("<![CDATA[") else text)


@st.composite
def item(draw: st.DrawFn, atom: bool) -> str:
    title, body, path, guid = draw(field()), draw(markup()), draw(field(3)), draw(field(3))
    tags = draw(st.lists(field(3), max_size=3))
    link = f"https://blog.example/billet-{path}"
    date = draw(st.datetimes(datetime(2020, 1, 1), datetime(2026, 11, 1))).replace(tzinfo=UTC)
    if atom:
        cats = "".join(f'<category term="{t}"/>' for t in tags)
        return (f'<entry><title type="html">{title}</title><link href="{link}"/><id>{guid}</id>'
                f"<updated>{date.isoformat()}</updated>{cats}<summary type=\"html\">{body}</summary></entry>")
    cats = "".join(f"<category>{t}</category>" for t in tags)
    return (f"<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid>"
            f"<pubDate>{date.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>{cats}"
            f"<description>{body}</description></item>")


@st.composite
def generated_feed(draw: st.DrawFn) -> tuple[bytes, str]:
    atom = draw(st.booleans())
    items = "".join(draw(st.lists(item(atom), min_size=1, max_size=4)))
    head = '<?xml version="1.0" encoding="utf-8"?>\n'
    if atom:
        doc = (f'{head}<feed xmlns="http://www.w3.org/2005/Atom"><title>Carnet</title><id>urn:x:carnet</id>'
               f'<link href="https://blog.example/"/><updated>2026-11-01T00:00:00Z</updated>{items}</feed>')
    else:
        doc = (f'{head}<rss version="2.0"><channel><title>Carnet</title><link>https://blog.example/</link>'
               f"<description>d</description>{items}</channel></rss>")
    # surrogatepass: a raw surrogate becomes the bytes a broken encoder writes (ED A0 80).
    return doc.encode("utf-8", "surrogatepass"), "application/atom+xml" if atom else "application/rss+xml"


@FUZZ
@given(feed=generated_feed(), native=st.booleans())
def test_generated_feeds_never_reach_an_output_invalid(feed, native):
    check_pipeline(feed[0], feed[1], native)


# (b) Mutated real feeds ---------------------------------------------------------------------

INTERESTING = [b"\x00", b"\x01", b"\x08", b"\x0b", b"\x0c", b"\x1b", b"\x7f", b"\xc2\x85", b"\xc2\x92", b"\xc2\x9f",
               b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf", b"\xef\xb7\x90", b"\xf4\x8f\xbf\xbf",
               b"\xe2\x80\xae", b"\xe2\x81\xa6", b"\xef\xbb\xbf", b"\xff", b"\xfe", b"&#1;", b"&amp;#1;", b"&#0;",
               b"&#xD800;", b"&amp;#xDFFF;", b"&#xFFFE;", b"&#x85;", b"&amp;#x92;", b"&#x110000;", b"<", b"&",
               b"]]>", b"<![CDATA[", b"&lt;p&gt;&amp;#1;&lt;/p&gt;"]


@lru_cache(maxsize=512)
def _read(path: Path) -> bytes:
    return path.read_bytes()


@st.composite
def mutated(draw: st.DrawFn, files: list[Path]) -> tuple[Path, bytes]:
    """A real feed with 1 to 6 byte-level mutations, most of them in text nodes (after a « > »)."""
    path = draw(st.sampled_from(files))
    data = bytearray(_read(path))
    for _ in range(draw(st.integers(1, 6))):
        gaps = [m.end() for m in re.finditer(rb">", data)] or [0]
        at = draw(st.one_of(st.sampled_from(gaps), st.integers(0, len(data))))
        kind = draw(st.sampled_from(["insert", "insert", "insert", "replace", "delete", "repeat"]))
        if kind == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(INTERESTING), st.binary(min_size=1, max_size=4)))
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 16))]
        else:
            data[at:at] = data[at:at + draw(st.integers(1, 64))]
    return path, bytes(data)


@FUZZ
@given(feed=mutated(DEMO_FEEDS), native=st.booleans())
def test_mutated_demo_feeds_never_reach_an_output_invalid(feed, native):
    check_pipeline(feed[1], "application/rss+xml", native, _blog(feed[0]))


@pytest.mark.skipif(not CORPUS, reason="the feed corpus (../shared/corpus) is absent")
@FUZZ
@given(feed=mutated(CORPUS or DEMO_FEEDS), native=st.booleans())
def test_mutated_corpus_feeds_never_reach_an_output_invalid(feed, native):
    assume(len(feed[1]) < 200_000)
    check_pipeline(feed[1], content_type(feed[1]), native)


def test_the_issue_23_feed_goes_through_with_its_entry():
    """The issue's own input: well-formed RSS whose escaped HTML holds « &amp;#1; »."""
    body = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Carnet</title>'
            b"<link>https://blog.example/</link><description>d</description><item><title>Nuit de garde</title>"
            b"<link>https://blog.example/nuit</link><description>&lt;p&gt;Une nuit &amp;#1; aux urgences&lt;/p&gt;"
            b"</description></item></channel></rss>")
    for native in (True, False):
        assert check_pipeline(body, "application/rss+xml", native) == 1


def test_entries_without_their_own_link_get_distinct_atom_ids():
    items = "".join(f"<item><title>Billet {n}</title><link>http://feedproxy.google.com/~r/carnet/~3/{n}/</link>"
                    f"<guid isPermaLink=\"false\">g{n}</guid><pubDate>Mon, 0{n} Nov 2026 10:00:00 +0000</pubDate>"
                    f"<description>Texte {n}</description></item>" for n in (1, 2))
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Carnet</title>'
            f"<link>https://blog.example/</link><description>d</description>{items}</channel></rss>").encode()
    outcome = parse_and_clean(ParseJob(body, FEED.feed, None, FEED, _registry().vocabulary, max_entries=50,
                                       excerpt_words=50))
    model = views.build(_registry(), _stored(outcome), NOW)
    atom = atom_feed(title="t", feed_url="https://docsdu.net/f.xml", page_url="https://docsdu.net/",
                     feed_id="tag:docsdu.net,2026:f", entries=model.entries, fallback_updated=NOW)
    assert len(model.entries) == 2
    assert not [p for p in speccheck.check_atom(atom) if p.startswith("DuplicateEntries")]
