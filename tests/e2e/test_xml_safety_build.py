"""Issue 23, « No input can stop a deploy »: a real build of feeds holding « &amp;#1; » and a
character of every class XML cannot carry or discourages, served on loopback; then
tools/speccheck.py (what `make validate` runs) must pass, and no output file may hold one of
those characters.

Each safety layer is also built alone: with the clean stage's removal turned off (an archive
from before it), the quarantine holds those entries back; with the quarantine off as well, the
writers alone still write valid files."""

from __future__ import annotations

import gzip
import logging
import subprocess
import sys

import pytest
from conftest import ROOT
from pelican.plugins.blogroll.site.model import quarantine
from xmlchars import unfit_in

pytestmark = pytest.mark.build

SITE_URL = "https://docsdu.net"
HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Carnet</title>'
        "<link>https://{id}.example/</link><description>d</description>")

# Well-formed XML: what XML forbids comes escaped twice (in escaped HTML, or as « &amp;#…; »
# in a title HTML reads); what it only discourages (C1, noncharacters) and bidi controls, raw.
WELL_FORMED = [
    ("Nuit de garde", "&lt;p&gt;Une nuit &amp;#1; aux urgences&lt;/p&gt;", "garde", ""),  # the issue's own
    ("Contrôles &amp;#x1F;C0&amp;#8; et NUL &amp;#0;", "&lt;p&gt;Texte &amp;#x0B;&amp;#x0C;&amp;#x1B; fin&lt;/p&gt;",
     "c0", "t&amp;#8;ag"),
    ("C1 \u0085\u0092\u009f et DEL &amp;#x7F;", "&lt;p&gt;Un \u0080 deux &amp;#x9F; trois&lt;/p&gt;", "c1", "\u0086"),
    ("Surrogat &amp;#xD800;&amp;#xDFFF;", "&lt;p&gt;Moitié &amp;#xDBFF; de paire&lt;/p&gt;", "surrogat", ""),
    ("Non-caractères \ufdd0\U0001fffe &amp;#xFFFE;", "&lt;p&gt;Fin &amp;#xFFFF;\ufdef&lt;/p&gt;", "nonchar",
     "\U0010fffe"),
    ("Bidi \u202eesrever\u202c et \u2066isolé\u2069", "&lt;p&gt;Texte \u200f\u061c sens&lt;/p&gt;", "bidi", ""),
]
# Not XML: raw bytes XML forbids, as broken feeds send them (feedparser's lenient path reads them).
ILL_FORMED = [
    (b"Brut \x01 et \x08", b"<p>Un NUL \x00 et un \x1b ici</p>", b"brut", b"x\x0cy"),
    (b"Brut \xef\xbf\xbe non-caract\xc3\xa8re", b"<p>Fin \xef\xbf\xbf</p>", b"brut-2", b"\x7f"),
]


def _item(blog: str, title: str, body: str, slug: str, tag: str, n: int) -> str:
    cat = f"<category>{tag}</category>" if tag else ""
    return (f"<item><title>{title}</title><link>https://{blog}.example/{slug}&amp;#1;/</link>"
            f"<guid isPermaLink=\"false\">{blog}-{n}</guid><pubDate>Mon, {10 + n:02d} Nov 2026 10:00:00 +0000</pubDate>"
            f"{cat}<description>{body}</description></item>")


def _write_feeds(feed_dir, server, site) -> None:
    alpha = "".join(_item("alpha", *row, n) for n, row in enumerate(WELL_FORMED))
    (feed_dir / "alpha.xml").write_text(HEAD.format(id="alpha") + alpha + "</channel></rss>", "utf-8")
    beta = b"".join(b"<item><title>%s</title><link>https://beta.example/%s/</link><description><![CDATA[%s]]>"
                    b"</description><category>%s</category></item>" % (t, s, body, tag)
                    for t, body, s, tag in ILL_FORMED)
    (feed_dir / "beta.xml").write_bytes(HEAD.format(id="beta").encode() + beta + b"</channel></rss>")
    # A lone surrogate's reference makes feedparser itself raise: that feed fails, the site builds.
    (feed_dir / "gamma.xml").write_text(HEAD.format(id="gamma") + "<item><title>Demi &#xD800; paire</title>"
                                        "<link>https://gamma.example/p/</link></item></channel></rss>", "utf-8")
    site.write_registry([
        {"id": "alpha", "author": "Docteur Alpha", "feed": f"{server.url}/alpha.xml"},
        {"id": "beta", "author": "Psy Bêta", "feed": f"{server.url}/beta.xml", "specialties": ["psychiatrie"]},
        {"id": "gamma", "author": "Sage Gamma", "feed": f"{server.url}/gamma.xml"},
    ])


def _no_unfit_character_anywhere(output) -> int:
    """Every output file read as text (gzip ones decompressed, Pagefind's fragments): none
    holds an unfit character. Binary files (images, WebAssembly) are not text: skipped."""
    checked = 0
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        assert not unfit_in(text), (path.relative_to(output).as_posix(), unfit_in(text)[:5])
        checked += 1
    return checked


def _validate(output) -> None:
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "speccheck.py"), str(output), "--site-url", SITE_URL],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-1000:]


def _build(site) -> None:
    site.build(SITEURL=SITE_URL, RELATIVE_URLS=False)  # publishconf.py's settings


def test_every_class_of_character_builds_a_valid_site(site, server, feed_dir):
    _write_feeds(feed_dir, server, site)
    _build(site)
    _validate(site.output)
    assert _no_unfit_character_anywhere(site.output) > 20
    home = site.read("index.html")
    assert "Une nuit aux urgences" in home  # the entry is published, its U+0001 gone
    assert "Nuit de garde" in home and "Brut" in home and "Non-caractères" in home
    assert "C1 …’Ÿ et DEL" in home  # C1 controls read as Windows-1252 reads them
    atom = site.read("feeds/all.atom.xml")
    assert atom.count("<entry ") == len(WELL_FORMED) + len(ILL_FORMED)
    assert '"id": "gamma"' in site.read("etat.json") and "flux illisible" in site.read("etat.json")


@pytest.mark.parametrize("layers_off", ["clean", "clean+quarantine"])
def test_each_layer_alone_keeps_the_output_valid(site, server, feed_dir, monkeypatch, caplog, layers_off):
    """The clean stage's removal off: entries are archived with their U+0001 (as before the fix).
    Then the quarantine holds them back; with the quarantine off too, the writers alone clear."""
    monkeypatch.setattr("pelican.plugins.blogroll.clean.entry.xml_safe", lambda text: text)
    if layers_off == "clean+quarantine":
        monkeypatch.setattr(quarantine, "split_unfit", lambda entries: (list(entries), []))
    _write_feeds(feed_dir, server, site)
    with caplog.at_level(logging.WARNING):
        _build(site)
    _validate(site.output)
    _no_unfit_character_anywhere(site.output)
    held = [r.getMessage() for r in caplog.records if "a character no page or feed may hold" in r.getMessage()]
    home = site.read("index.html")
    if layers_off == "clean":
        assert held and all("feed alpha" in m or "feed beta" in m for m in held)
        assert "Nuit de garde" not in home  # quarantined: its excerpt held U+0001
        assert not any("\x01" in m or "Brut" in m for m in held)  # the log names it, never quotes it
    else:
        assert not held and "Nuit de garde" in home
