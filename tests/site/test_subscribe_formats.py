"""Subscribing and joining (issue 21): the feeds' stylesheet instructions, the stylesheet the
build fills in, the specialties' OPML, the join links and the repository setting.

How the stylesheet renders in a browser is tests/e2e/test_journeys.py's (real Chromium)."""

from __future__ import annotations

import importlib.util
import xml.parsers.expat
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.site import urls
from pelican.plugins.blogroll.site.builder.assets import STATIC_DIR
from pelican.plugins.blogroll.site.builder.front import has_feeds, join_links
from pelican.plugins.blogroll.site.formats.atom import atom_feed
from pelican.plugins.blogroll.site.formats.feedstyle import PLACEHOLDERS, fill_xsl, stylesheets
from pelican.plugins.blogroll.site.formats.opml import opml
from pelican.plugins.blogroll.site.formats.xmltext import clear
from pelican.plugins.blogroll.site.model.views import BlogView, Chip, EntryView, SiteModel, SpecialtyView
from speccheck import check_atom, check_opml

ROOT = Path(__file__).resolve().parent.parent.parent
XSL = "http://www.w3.org/1999/XSL/Transform"
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

segment = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)
# Where a site is served: a host's root or any folder of it, with SITEURL written or empty.
origin = st.sampled_from(["https://docsdu.example", "http://127.0.0.1:8000", "https://hote.example"])


def processing_instructions(data: bytes) -> tuple[list[tuple[str, str]], str]:
    """The document's processing instructions before its root element, and the root's name."""
    found: list[tuple[str, str]] = []
    root: list[str] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.ProcessingInstructionHandler = lambda target, data: None if root else found.append((target, data))
    parser.StartElementHandler = lambda name, attrs: root.append(name) if not root else None
    parser.Parse(data, True)
    return found, root[0]


def pseudo_attributes(pi: str) -> dict[str, str]:
    """`type="…" href="…"` of an xml-stylesheet instruction, unescaped as an XML parser would."""
    return ET.fromstring(f"<x {pi}/>").attrib


# ---------------------------------------------------------------- the instructions in every feed


@settings(max_examples=200, deadline=None)
@given(origin=origin, folders=st.lists(segment, max_size=3), prefix=st.lists(segment, max_size=2),
       slug=segment, kind=st.sampled_from(["all", "specialty", "author"]))
def test_every_feeds_stylesheets_resolve_to_the_files_the_build_writes(origin, folders, prefix, slug, kind):
    """Under any SITEURL (a host's root or a folder) and any URL prefix, the hrefs a feed
    carries, read from the feed's own address, are the stylesheets' addresses."""
    where = urls.UrlMap(urls.normalize_prefix("/".join(prefix)))
    feed = {"all": where.feed_all, "specialty": where.specialty_feed(slug), "author": where.author_feed(slug)}[kind]
    site = "/".join([origin, *folders])
    sheets = dict(stylesheets(feed, where.feed_xsl, where.feed_css))
    assert urljoin(f"{site}/{feed}", sheets["text/xsl"]) == f"{site}/{where.feed_xsl}"
    assert urljoin(f"{site}/{feed}", sheets["text/css"]) == f"{site}/{where.feed_css}"
    assert not sheets["text/xsl"].startswith(("/", "http"))  # relative: the same origin as the feed


def entry(n: int, title: str = "Un billet") -> EntryView:
    d = datetime(2026, 11, 1 + n, 9, 0, tzinfo=UTC)
    return EntryView(title=f"{title} {n}", link=f"https://blog.example/{n}", date=d, date_iso=d.isoformat(),
                     date_fr="", year=2026, author="Docteure Exemple", author_url="auteurs/docteure-exemple/",
                     blog_title="Le blog d'exemple", blog_site="https://blog.example/",
                     chips=(Chip("pma", "PMA", "specialites/pma/"),), excerpt="Un extrait.", noindex=False,
                     feed_id="exemple")


@settings(max_examples=100, deadline=None)
@given(hrefs=st.lists(st.text(max_size=30), min_size=1, max_size=3))
def test_a_feed_with_stylesheets_stays_one_well_formed_atom_document(hrefs):
    """Whatever a stylesheet's href holds (« ?> », quotes, ampersands), the instructions stay
    instructions before the root, carry it back unchanged, and the feed passes the Atom checks."""
    sheets = tuple(("text/xsl", h) for h in hrefs)
    data = atom_feed(title="Docs du Net — PMA", feed_url="https://docsdu.example/feeds/specialites/pma.atom.xml",
                     page_url="https://docsdu.example/specialites/pma/", feed_id="tag:docsdu.example,2026:x",
                     entries=[entry(1), entry(2)], fallback_updated=NOW, stylesheets=sheets,
                     subtitle="Les blogs", icon="https://docsdu.example/i.png", logo="https://docsdu.example/l.png")
    found, root = processing_instructions(data)
    assert root == "http://www.w3.org/2005/Atom feed"
    assert [t for t, _ in found] == ["xml-stylesheet"] * len(hrefs)
    assert [pseudo_attributes(pi)["href"] for _, pi in found] == [clear(h) for h in hrefs]
    assert check_atom(data, site_url="https://docsdu.example") == []


def test_without_stylesheets_the_feed_has_no_instruction():
    data = atom_feed(title="t", feed_url="https://a.example/f", page_url="https://a.example/", feed_id="tag:a,2026:f",
                     entries=[entry(1)], fallback_updated=NOW)
    assert processing_instructions(data)[0] == []


# ---------------------------------------------------------------- the stylesheet the build fills


def test_the_shipped_stylesheet_is_xslt_with_every_placeholder():
    template = (STATIC_DIR / "feed.xsl").read_text("utf-8")
    root = ET.fromstring(template.encode())
    assert root.tag == f"{{{XSL}}}stylesheet" and root.get("version") == "1.0"
    for name in PLACEHOLDERS:
        assert name in template
    # Self-contained: nothing it makes a browser load (no src, no stylesheet link, no import).
    assert not any(el.get("src") for el in root.iter()) and "<link" not in template
    assert not root.findall(f"{{{XSL}}}import") and not root.findall(f"{{{XSL}}}include")


@settings(max_examples=150, deadline=None)
@given(name=st.text(max_size=40), home=st.text(max_size=40), page=st.text(max_size=40))
def test_filled_stylesheet_stays_well_formed_and_holds_the_values_as_given(name, home, page):
    """A site name or address holding markup, quotes, ampersands or a placeholder's own word is
    text and attribute values in the filled stylesheet, never markup."""
    template = (STATIC_DIR / "feed.xsl").read_text("utf-8")
    filled = fill_xsl(template, site_name=name, home_url=home, subscribe_url=page, join_url=page + "/j")
    root = ET.fromstring(filled)
    brand = next(a for a in root.iter("a") if a.get("href") == clear(home))
    assert (brand.text or "") == clear(name)
    assert clear(page) in {a.get("href") for a in root.iter("a")}


def test_fallback_css_is_self_contained():
    css = (STATIC_DIR / "feed.css").read_text("utf-8")
    assert "url(" not in css and "@import" not in css
    assert "feed" in css and "entry" in css


# ---------------------------------------------------------------- one OPML per specialty


def blog(i: int, chips: list[str], active: bool) -> BlogView:
    return BlogView(id=f"b{i}", title=f"Blog {i}", site=f"https://b{i}.example/", feed=f"https://b{i}.example/feed",
                    author=f"Auteur {i}", author_url=f"auteurs/auteur-{i}/",
                    chips=tuple(Chip(c, c.upper(), f"specialites/{c}/") for c in chips), active=active,
                    noindex=False, entry_count=1, last_post=None, last_post_fr=None)


SLUGS = ["pma", "psychiatrie", "pediatrie"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(SLUGS), min_size=1, max_size=3, unique=True), st.booleans()),
                max_size=8))
def test_a_specialtys_opml_holds_exactly_its_active_blogs(specs):
    blogs = [blog(i, chips, active) for i, (chips, active) in enumerate(specs)]
    model = SiteModel(entries=[], authors=[], blogs=blogs, now=NOW, specialties=[
        SpecialtyView(s, s.upper(), f"specialites/{s}/", f"feeds/specialites/{s}.atom.xml",
                      blogs=[b for b in blogs if s in [c.slug for c in b.chips]]) for s in SLUGS])
    for spec in model.specialties:
        want = {b.feed for b in spec.blogs if b.active}
        assert has_feeds(spec) == bool(want)
        if not want:
            continue  # not written: an OPML body holds at least one outline
        data = opml(model, title="t", owner_url="https://docsdu.example/", specialty=spec.slug)
        assert check_opml(data) == []
        body = ET.fromstring(data).find("body")
        assert {o.get("xmlUrl") for o in body.iter("outline") if o.get("xmlUrl")} == want
        assert [g.get("text") for g in body] == [spec.label]
    # The whole blogroll still files each active blog once, under its first specialty.
    whole = ET.fromstring(opml(model, title="t", owner_url=""))
    feeds = [o.get("xmlUrl") for o in whole.iter("outline") if o.get("xmlUrl")]
    assert sorted(feeds) == sorted(b.feed for b in blogs if b.active)


# ---------------------------------------------------------------- joining


def test_join_links_from_the_repository_and_the_address():
    j = join_links("https://forge.example/equipe/docs-du-net/", "proposer@docsdu.example")
    assert j.repository == "https://forge.example/equipe/docs-du-net"
    assert j.form == "https://forge.example/equipe/docs-du-net/issues/new?template=proposer-un-blog.yml"
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / parse_qs(urlsplit(j.form).query)["template"][0]).is_file()
    assert j.guide.endswith("/blob/main/CONTRIBUTING.md") and (ROOT / "CONTRIBUTING.md").is_file()
    parts = urlsplit(j.mailto)
    assert parts.scheme == "mailto" and parts.path == "proposer@docsdu.example"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Proposer un blog"]
    assert "Pseudonyme public" in query["body"][0] and "reste privée" in query["body"][0]
    assert " " not in j.mailto and "\n" not in j.mailto  # every space and line encoded


@pytest.mark.parametrize("repo", ["", "http://forge.example/a/b", "javascript:alert(1)", "forge.example/a/b"])
def test_no_repository_link_unless_https(repo):
    j = join_links(repo, "")
    assert (j.repository, j.form, j.guide, j.email, j.mailto) == ("", "", "", "", "")


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=30), st.builds("{}@{}".format, st.text(max_size=15), st.text(max_size=15))))
def test_the_mailto_carries_any_address_encoded(address):
    j = join_links("", address)
    assert bool(j.mailto) == ("@" in address)
    if j.mailto:
        target, _, query = j.mailto.partition("?")
        assert target.startswith("mailto:") and unquote(target[len("mailto:"):]) == address
        assert parse_qs(query)["subject"] == ["Proposer un blog"]


def load_pelicanconf():
    spec = importlib.util.spec_from_file_location("pelicanconf_under_test", ROOT / "pelicanconf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, ""),
    ({"BLOGROLL_REPOSITORY_URL": "https://forge.example/a/b"}, "https://forge.example/a/b"),
    ({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "equipe/docs-du-net"},
     "https://github.com/equipe/docs-du-net"),
    ({"BLOGROLL_REPOSITORY_URL": "https://forge.example/a/b", "GITHUB_SERVER_URL": "https://github.com",
      "GITHUB_REPOSITORY": "equipe/docs-du-net"}, "https://forge.example/a/b"),
    ({"GITHUB_SERVER_URL": "http://forge.example", "GITHUB_REPOSITORY": "a/b"}, ""),
    ({"GITHUB_SERVER_URL": "https://jeton@forge.example", "GITHUB_REPOSITORY": "a/b"}, ""),
    ({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "pas-de-barre"}, ""),
    ({"GITHUB_REPOSITORY": "a/b"}, ""),
])
def test_the_sites_repository_comes_from_the_setting_or_the_ci_run(environ, expected):
    assert load_pelicanconf().repository_url(environ) == expected
