"""End to end: feeds served on loopback -> a real Pelican build -> output/."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import rss, serve_two_blogs

pytestmark = pytest.mark.build

POSTS = [
    {"title": "Premier billet &lt;b&gt;gras&lt;/b&gt; &amp; fièvre", "link": "https://alpha.example/2026/01/premier/",
     "guid": "alpha-1", "date": "Mon, 05 Jan 2026 10:00:00 +0000", "tags": ["Pédiatrie", "vie perso"],
     "body": "<p>Un <em>stéthoscope</em> dans la poche, je vois un enfant fébrile.</p><script>alert(1)</script>"},
    {"title": "Deuxième billet", "link": "https://alpha.example/2026/02/deuxieme/", "guid": "alpha-2",
     "date": "Tue, 10 Feb 2026 10:00:00 +0000", "body": "<p>Garde de nuit aux urgences.</p>", "tags": ["urgences"]},
]


@pytest.fixture
def two_feeds(site, server, feed_dir):
    return serve_two_blogs(site, server, feed_dir, POSTS, [
        {"title": "Billet bêta", "link": "https://beta.example/b1/", "guid": "beta-1",
         "date": "Wed, 11 Mar 2026 09:00:00 +0000", "body": "<p>Une consultation de psychiatrie.</p>"},
    ])


URLS = [
    "index.html", "specialites/index.html", "specialites/medecine-generale/index.html",
    "specialites/psychiatrie/index.html", "auteurs/index.html", "auteurs/docteur-alpha/index.html",
    "feeds/all.atom.xml", "feeds/specialites/pediatrie.atom.xml", "feeds/auteurs/docteur-alpha.atom.xml",
    "blogroll.opml", "etat/index.html", "etat.json", "charte/index.html", "404.html",
]


def test_build_writes_every_url_with_content(two_feeds):
    two_feeds.build()
    for rel in URLS:
        assert (two_feeds.output / rel).is_file(), rel
    home = two_feeds.read("index.html")
    assert "Deuxième billet" in home and "Billet bêta" in home
    # Title escaped, never interpreted; scripts never reach the page.
    # RSS titles are HTML: markup is reduced to text, the rest escaped.
    assert "Premier billet gras &amp; fièvre" in home
    assert "<b>gras" not in home and "alert(1)" not in home
    assert "5 janvier 2026" in home  # French date via Babel
    assert 'href="https://alpha.example/2026/01/premier/"' in home
    # Tag « Pédiatrie » files the post under pédiatrie as well as the blog's specialty.
    ped = two_feeds.read("specialites/pediatrie/index.html")
    assert "Premier billet" in ped and "Deuxième billet" not in ped
    assert "Premier billet" in two_feeds.read("auteurs/docteur-alpha/index.html")


def test_atom_and_opml_parse_and_link_to_originals(two_feeds, server):
    two_feeds.build()
    parsed = feedparser.parse((two_feeds.output / "feeds/all.atom.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    links = {e.link for e in parsed.entries}
    assert links == {"https://alpha.example/2026/01/premier/", "https://alpha.example/2026/02/deuxieme/",
                     "https://beta.example/b1/"}
    assert {e.author for e in parsed.entries} == {"Docteur Alpha", "Psy Bêta"}
    author = feedparser.parse((two_feeds.output / "feeds/auteurs/psy-beta.atom.xml").read_bytes())
    assert [e.link for e in author.entries] == ["https://beta.example/b1/"]
    opml = ET.parse(two_feeds.output / "blogroll.opml").getroot()
    urls = {o.get("xmlUrl") for o in opml.iter("outline") if o.get("type") == "rss"}
    assert urls == {f"{server.url}/alpha.xml", f"{server.url}/beta.xml"}


def test_second_build_is_conditional_and_loses_nothing(two_feeds, server):
    two_feeds.build()
    first = two_feeds.read("index.html")
    server.requests.clear()
    two_feeds.build()
    assert len(server.requests) == 2
    for r in server.requests:
        headers = {k.lower() for k in r["headers"]}
        assert "if-none-match" in headers and "if-modified-since" in headers
    assert two_feeds.read("index.html") == first


def test_removed_entry_and_dead_feed_keep_their_entries(two_feeds, feed_dir):
    two_feeds.build()
    # The blog drops its oldest post, then the other blog goes down.
    (feed_dir / "alpha.xml").write_text(rss(POSTS[1:]), "utf-8")
    (feed_dir / "beta.xml").unlink()
    two_feeds.build()
    home = two_feeds.read("index.html")
    assert "Premier billet" in home and "Billet bêta" in home
    status = two_feeds.read("etat/index.html")
    assert "flux introuvable à cette adresse (HTTP 404)" in status


def test_invalid_registry_stops_build_with_file_and_line(site, server):
    site.feeds.write_text("feeds:\n  - id: Mauvais Id\n    title: x\n", "utf-8")
    from pelican.plugins.blogroll.core.errors import RegistryError

    with pytest.raises(RegistryError) as err:
        site.build()
    assert "feeds.yaml:2:" in str(err.value)
    assert not (site.output / "index.html").exists()
