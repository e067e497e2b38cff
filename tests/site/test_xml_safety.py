"""No file the site writes can hold a character XML cannot carry, whatever the writers are given
(issue 23), and an entry that still holds one is quarantined rather than published.

Each layer is tested alone, on input that never went through the clean stage: an archive from
before it removed those characters, a registry value, a server's message. The oracle is
tests/xmlchars.py (XML 1.0 §2.2 as written), never the code under test."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pelican.plugins.blogroll.core.model import FeedConfig, Registry, Specialty, StoredEntry, Vocabulary
from pelican.plugins.blogroll.site.builder.templates import plugin_environment
from pelican.plugins.blogroll.site.formats import xmltext
from pelican.plugins.blogroll.site.formats.atom import atom_feed
from pelican.plugins.blogroll.site.formats.opml import opml
from pelican.plugins.blogroll.site.formats.sitemap import sitemap_files
from pelican.plugins.blogroll.site.model import quarantine, views
from xmlchars import CLASSES, unfit, unfit_in

pytestmark = pytest.mark.filterwarnings("ignore:Surrogate character:RuntimeWarning")  # unidecode, slugs
PROPS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 20, tzinfo=UTC)
# Raw characters of every class, surrogates included: what a writer may be handed.
HOSTILE = st.text(st.one_of(*CLASSES.values()).map(lambda s: s[:1] or "a"), max_size=20)
ORDINARY = st.text(st.characters(codec="utf-8").filter(lambda c: not unfit(c)), max_size=20)


def well_formed(data: bytes) -> ET.Element:
    """The document parsed by expat (xml.etree), after a strict UTF-8 decode finds no unfit character."""
    assert not unfit_in(data.decode("utf-8")), unfit_in(data.decode("utf-8"))
    return ET.fromstring(data)


@PROPS
@given(ORDINARY)
def test_ordinary_text_is_escaped_as_elementtree_escapes_it(s):
    assert xmltext.text(s) == escape(s)
    assert xmltext.attr(s) == escape(s, {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})
    assert xmltext.clear(s) is s


@PROPS
@given(st.text(st.characters(codec=None, categories=None), max_size=30) | HOSTILE)
@example("a\x00b\x01\x0b\x0c\x1f\x7f\x85\x9f\ud800\udfff\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff\tz")
def test_clear_drops_exactly_the_unfit_characters(s):
    assert xmltext.clear(s) == "".join(c for c in s if not unfit(c))


def _view(n: int, title: str, link: str, excerpt: str, author: str, blog: str, label: str) -> views.EntryView:
    date = NOW - timedelta(hours=n)
    chip = views.Chip(slug="medecine-generale", label=label, url="specialites/medecine-generale/")
    return views.EntryView(title=title, link=link, date=date, date_iso=date.isoformat(), date_fr="20 novembre",
                           year=date.year, author=author, author_url="auteurs/pseudo/", blog_title=blog,
                           blog_site="https://blog.example/", chips=(chip,), excerpt=excerpt, noindex=False,
                           feed_id="b")


ENTRY_VIEWS = st.lists(st.builds(_view, st.integers(0, 500), HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE),
                       max_size=4)


@PROPS
@given(title=HOSTILE, subtitle=HOSTILE, url=HOSTILE, entries=ENTRY_VIEWS)
@example(title="\x01", subtitle="\ud800", url="https://x.example/\ufffe", entries=[])
def test_atom_feed_is_well_formed_whatever_it_is_given(title, subtitle, url, entries):
    data = atom_feed(title=title, feed_url=url, page_url=url, feed_id=title, entries=entries, fallback_updated=NOW,
                     subtitle=subtitle, icon=url, logo=subtitle, generator=title, lang="fr\x01")
    feed = well_formed(data)
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == len(entries)


def _registry(title: str, author: str, site: str, feed: str, label: str) -> Registry:
    vocabulary = Vocabulary({"medecine-generale": Specialty("medecine-generale", label or "Médecine")})
    return Registry(feeds=(FeedConfig(id="b", title=title, author=author or "Pseudo", site=site, feed=feed,
                                      specialties=("medecine-generale",), lang="fr"),), vocabulary=vocabulary)


@PROPS
@given(registry=st.builds(_registry, HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE), name=HOSTILE, owner=HOSTILE)
def test_opml_is_well_formed_whatever_the_registry_holds(registry, name, owner):
    model = views.build(registry, [], NOW)
    root = well_formed(opml(model, title=name, owner_url="https://docsdu.net/" + owner, owner_name=name))
    assert root.tag == "opml"


@PROPS
@given(st.lists(HOSTILE, max_size=5), HOSTILE)
def test_sitemap_is_well_formed_whatever_the_urls_hold(paths, base):
    files = sitemap_files([(f"https://docsdu.net/{p}", NOW if n % 2 else None) for n, p in enumerate(paths)],
                          "https://docsdu.net/" + base)
    for text in files.values():
        well_formed(text.encode("utf-8"))


@PROPS
@given(st.recursive(HOSTILE | st.none() | st.integers(), lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(HOSTILE, inner, max_size=3), max_leaves=8))
def test_status_json_is_utf8_json_whatever_it_is_given(data):
    text = xmltext.json_text({"feeds": data})
    assert not unfit_in(text)
    json.loads(text.encode("utf-8"))  # a lone surrogate would have no UTF-8 form


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return plugin_environment(Environment(loader=FileSystemLoader(str(ROOT / "theme" / "templates"))))


@PROPS
@given(entries=ENTRY_VIEWS)
def test_the_entry_card_holds_no_unfit_character(entries):
    card = _environment().get_template("blogroll/_macros.html").module.entry_card
    for e in entries:
        for search in (False, True):
            html = str(card(e, "https://docsdu.net", search=search, elsewhere=e.title))
            assert not unfit_in(html), unfit_in(html)
            html.encode("utf-8")


def test_templates_clear_text_and_markup_and_keep_every_other_value():
    env = _environment()
    out = env.from_string("{{ t }}|{{ m }}|{{ n }}|{{ none }}|{{ u }}").render(
        t="a\x01<b>\ud800", m=Markup("<i>\x7f\ufffe</i>"), n=3, none=None, u="déjà vu")
    assert out == "a&lt;b&gt;|<i></i>|3|None|déjà vu"


def _stored(title: str = "Titre", excerpt: str = "Un extrait.", tags: tuple[str, ...] = ("tag",),
            link: str = "https://blog.example/billet") -> StoredEntry:
    return StoredEntry(id=7, feed_id="b", guid=None, link=link, title=title, excerpt=excerpt, published=None,
                       first_seen=NOW, sort_date=NOW, tags=tags, specialties=())


@PROPS
@given(title=HOSTILE | ORDINARY, excerpt=HOSTILE | ORDINARY, tags=st.lists(HOSTILE | ORDINARY, max_size=2),
       link=HOSTILE | ORDINARY)
@example(title="\x01", excerpt="", tags=[], link="")
@example(title="", excerpt="x\ud800", tags=[], link="")
@example(title="", excerpt="", tags=["\x85"], link="")
@example(title="", excerpt="", tags=[], link="https://b.example/\ufdd0")
@example(title="Ah\xa0! « Garde » \u202f; 💉", excerpt="ligne\tet\nfin\r", tags=[], link="")
def test_quarantine_holds_an_entry_exactly_when_a_published_field_is_unfit(title, excerpt, tags, link):
    entry = _stored(title, excerpt, tuple(tags), link)
    expected = bool(unfit_in(title + excerpt + "".join(tags) + link))
    assert quarantine.unfit(entry) is expected
    kept, held = quarantine.split_unfit([entry, _stored()])
    assert (held == [entry]) is expected and _stored() in kept


def test_the_quarantine_check_shares_no_code_with_the_clean_stage_or_the_writers():
    """A second check that shares the first one's blind spots is not a second check."""
    source = Path(quarantine.__file__).read_text("utf-8")
    imports = re.findall(r"^\s*(?:from|import)\s+(\S+)", source, re.M)
    assert not [i for i in imports if "clean" in i or "formats" in i or "xmlchars" in i], imports


def test_a_quarantined_entry_is_left_out_of_every_view():
    registry = _registry("Blog", "Pseudo", "https://blog.example/", "https://blog.example/feed", "Médecine")
    bad, good = _stored(title="Garde \x01 de nuit"), _stored(title="Garde de jour", link="https://blog.example/2")
    kept, held = quarantine.split_unfit([bad, good])
    model = views.build(registry, kept, NOW)
    assert held == [bad] and [e.title for e in model.entries] == ["Garde de jour"]
