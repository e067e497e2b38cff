"""The demo as a reader first sees it (issue 21): the newest 20 posts on every listing, archive
pages that stay where they were, French spacing in every page and feed, Paris dates, blogs that
will bring nothing marked as such, empty specialties left out of their index."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.build

NOW = "2026-11-20T08:00:00+00:00"
PER_PAGE = 20
# 00:30 in Paris on 19 November: 23:30 UTC on the 18th. The site must say « 19 novembre ».
MIDNIGHT_POST = """  <entry>
    <title type="text">Une nuit qui commence après minuit</title>
    <link rel="alternate" type="text/html" href="https://interne-du-soir.example/2026/11/apres-minuit/"/>
    <id>tag:interne-du-soir.example,2026:entry-minuit</id>
    <published>2026-11-19T00:30:00+01:00</published>
    <updated>2026-11-19T00:30:00+01:00</updated>
    <category term="internat"/>
    <content type="html">&lt;p&gt;Écrit pour ce test : « une garde » commence-t-elle avant ou après minuit ? Les deux !&lt;/p&gt;</content>
  </entry>
"""
CARD = re.compile(r'<article class="entry" id="(b-[a-z2-7]+)"')
# Whitespace other than U+202F before « ; : ! ? » or after « : what French spacing removes.
BAD = re.compile(r"[^\S\u202f][;:!?»]|«[^\S\u202f]")
SHOWN_ATTRS = re.compile(r'\s(?:title|alt|aria-label|placeholder|label|content)="([^"]*)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("front")
    feeds = tmp / "feeds"
    shutil.copytree(ROOT / "demo" / "feeds", feeds)
    feed = feeds / "interne-du-soir.xml"
    feed.write_text(feed.read_text("utf-8").replace("  <entry>", MIDNIGHT_POST + "  <entry>", 1), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOGROLL_")}
    env.update(DEMO_PORT=str(free_port()), DEMO_FEEDS=str(feeds), OUTPUTDIR=str(tmp / "out"),
               STATE=str(tmp / "state"), BLOGROLL_NOW=NOW, BLOGROLL_POLL_ADAPTIVE="0")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "demo.py")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return tmp / "out"


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text("utf-8")


def numbered(out: Path, base: str) -> list[int]:
    folder = out / base / "page"
    return sorted(int(p.name) for p in folder.iterdir() if (p / "index.html").is_file()) if folder.is_dir() else []


def is_redirect(html: str) -> bool:
    return 'http-equiv="refresh"' in html


def test_every_listing_shows_its_newest_20_and_its_pages_hold_the_rest(demo):
    bases = [""] + [p.parent.relative_to(demo).as_posix() + "/" for pattern in ("specialites/*/index.html",
                                                                              "auteurs/*/index.html")
                    for p in demo.glob(pattern)]
    assert len(bases) > 20
    for base in bases:
        own = read(demo, base + "index.html")
        cards = CARD.findall(own)
        pages = [n for n in numbered(demo, base) if not is_redirect(read(demo, f"{base}page/{n}/index.html"))]
        older = [CARD.findall(read(demo, f"{base}page/{n}/index.html")) for n in pages]
        total = len(set(cards).union(*older))
        assert len(cards) == min(PER_PAGE, total), base  # the newest 20, or all when fewer
        assert pages == list(range(1, len(pages) + 1)) and all(len(o) == PER_PAGE for o in older), base
        if pages:
            # The listing tells its total; its « older » link leads to the first entry it does not
            # show, on the newest numbered page; numbered pages tell their own dates only.
            assert f"Les {PER_PAGE} billets les plus récents, sur {total}" in own, base
            last = pages[-1]
            link = re.search(r'<a rel="next" href="([^"]+)">', own).group(1)
            resume = link.split("#")[1]
            assert link.endswith(f"/{base}page/{last}/#{resume}") and resume not in cards
            assert resume in older[-1]
            for n in pages:
                html = read(demo, f"{base}page/{n}/index.html")
                assert re.search(r"Page \d+( \(les plus anciens\))?\u202f: billets (le|du) ", html), (base, n)
                assert f"sur {total}" not in html


def test_the_home_page_of_the_demo(demo):
    home = read(demo, "index.html")
    assert len(CARD.findall(home)) == PER_PAGE
    # Paris dates: the post of 00:30 in Paris on 19 November (23:30 UTC on the 18th).
    card = home[home.index("Une nuit qui commence après minuit"):]
    card = card[:card.index("</article>")]
    assert '<time datetime="2026-11-18T23:30:00+00:00">19 novembre 2026</time>' in card
    # Its text, from the feed, gets French spacing too, in the page and in the Atom feed.
    assert "«\u202fune garde\u202f» commence-t-elle avant ou après minuit\u202f? Les deux\u202f!" in card
    assert "après minuit\u202f? Les deux\u202f!" in read(demo, "feeds/all.atom.xml")


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text across tags, and the attributes shown to them."""
    attrs = " ".join(SHOWN_ATTRS.findall(html))
    html = re.sub(r"<!--.*?-->", "x", html, flags=re.S)
    html = re.sub(r"<(script|style|code|pre|textarea)\b.*?</\1\s*>", "x", html, flags=re.S | re.I)
    return re.sub(r"<[^>]*>", "", html) + "\n" + attrs


def test_no_ordinary_space_before_high_punctuation_in_any_page_or_feed(demo):
    scanned = 0
    for path in sorted(demo.rglob("*")):
        if path.suffix not in (".html", ".xml") or "pagefind" in path.relative_to(demo).parts:
            continue
        text = visible_text(path.read_text("utf-8"))
        hit = BAD.search(text)
        assert hit is None, (path.relative_to(demo).as_posix(), text[max(0, hit.start() - 60):hit.end() + 20])
        scanned += 1
    assert scanned > 60  # pages, moved pages, Atom feeds, the sitemap: every one of them
    assert "\u202f:" in read(demo, "charte/index.html")  # Pelican's own pages too


def main_of(html: str) -> str:
    """The page's own content, without the header and footer every page shares."""
    return html[html.index("<main"):html.index("</main>")]


def test_blogs_that_bring_nothing_are_marked_and_offer_no_subscription(demo):
    archived = main_of(read(demo, "auteurs/vieux-carabin/index.html"))
    broken = main_of(read(demo, "auteurs/docteur-fantome/index.html"))
    live = main_of(read(demo, "auteurs/docteure-pipette/index.html"))
    assert "blog archivé" in archived and "flux en panne depuis le" in broken
    for html in (archived, broken):
        assert "S'abonner" not in html and "pas d'abonnement à proposer" in html
    assert "S'abonner aux billets de Docteure Pipette" in live and "badge" not in live
    blogs = read(demo, "auteurs/index.html")
    # Blog titles lead to the blogs; the pseudonym to our author page; states are said.
    assert re.search(r'<a href="http://127\.0\.0\.1:\d+/sites/tests-et-eprouvettes/" rel="noopener external">'
                     r'Tests et Éprouvettes</a>, par <a href="/auteurs/docteure-pipette/">Docteure Pipette</a>', blogs)
    assert "blog archivé" in blogs and "flux en panne depuis le" in blogs


def test_empty_specialties_are_left_out_of_their_index_but_keep_their_page(demo):
    index = read(demo, "specialites/index.html")
    listed = set(re.findall(r'<h2><a href="/specialites/([^/]+)/">', index))
    empty = {p.parent.name for p in demo.glob("specialites/*/index.html")
             if not CARD.search(p.read_text("utf-8"))}
    assert empty and listed and not (listed & empty)
    assert listed | empty == {p.parent.name for p in demo.glob("specialites/*/index.html")}


def test_the_status_page_is_cards_not_a_table(demo):
    status = read(demo, "etat/index.html")
    assert "<table" not in status
    cards = re.findall(r'<li class="feed state-([a-z-]+)[^"]*" id="flux-([^"]+)">', status)
    assert len(cards) == 13 and ("en-panne", "introuvable") in cards and ("inactif", "ancien-blog") in cards
