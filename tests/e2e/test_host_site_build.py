"""Real builds of the blogroll beside a host site's own files: under a URL prefix (every link still
leads to a file of the output), stopped by a file both would write (one French line, nothing of
the blogroll's committed), moved under « blogroll/ » when the host gets its own home page (which
the blogroll's last build must not delete)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, registry_yaml, rss, serve_two_blogs

pytestmark = pytest.mark.build

ALPHA = [{"title": f"Billet alpha {n}", "link": f"https://alpha.example/{n}/", "guid": f"alpha-{n}",
          "date": f"Mon, 0{n} Mar 2026 10:00:00 +0000"} for n in range(1, 4)]
BETA = [{"title": "Billet bêta", "link": "https://beta.example/1/", "date": "Wed, 04 Mar 2026 09:00:00 +0000"}]
LINK = re.compile(r'(?:href|src)="(/[^"#?]*)')
# The blogroll's links in the head (its feeds, its pages' neighbours). The rest of this site's
# header and footer is its theme's own, written for a blogroll at the root.
HEAD_LINK = re.compile(r'<link rel="(?:alternate|prev|next)"[^>]*href="(/[^"#?]*)"')


def _served(output: Path, url: str) -> bool:
    rel = url.lstrip("/")
    return (output / rel).is_file() or (output / rel / "index.html").is_file()


def test_the_blogroll_under_a_prefix_links_only_to_files_it_wrote(site, server, feed_dir):
    serve_two_blogs(site, server, feed_dir, ALPHA, BETA)
    site.build(BLOGROLL_URL_PREFIX="blogroll/", BLOGROLL_PER_PAGE=2)
    out = site.output

    assert (out / "blogroll" / "index.html").is_file() and (out / "blogroll" / "page" / "1" / "index.html").is_file()
    assert not (out / "index.html").exists() and not (out / "specialites").exists()
    assert (out / "charte" / "index.html").is_file()  # the site's own pages where they were
    # Root files: the site's to write. The blogroll's sitemap is its own, with its pages only.
    assert not (out / "robots.txt").exists() and not (out / "sitemap.xml").exists()
    sitemap = site.read("blogroll/sitemap.xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs and all(loc.startswith("/blogroll/") for loc in locs), locs
    feed = site.read("blogroll/feeds/all.atom.xml")
    assert "<id>tag:docsdu.net,2026:blogroll/feeds/all.atom.xml</id>" in feed
    assert "/blogroll/feeds/all.atom.xml" in feed and "tag:docsdu.net,2026:entry:" in feed
    opml = site.read("blogroll/blogroll.opml")
    assert "Docteur Alpha" in opml

    pages = [p for p in (out / "blogroll").rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) > 10
    checked: set[str] = set()
    for page in pages:
        html = page.read_text("utf-8")
        main = html[html.index("<main"):html.index("</main>")]
        for url in LINK.findall(main) + HEAD_LINK.findall(html[:html.index("</head>")]):
            assert _served(out, url), f"{page.relative_to(out)} links to {url}, not in the output"
            checked.add(url)
    assert {"/blogroll/feeds/all.atom.xml", "/blogroll/page/1/", "/blogroll/auteurs/docteur-alpha/",
            "/blogroll/specialites/psychiatrie/", "/blogroll/blogroll.opml", "/blogroll/etat.json"} <= checked
    search = site.read("blogroll/recherche/index.html")
    assert 'data-bundles="/blogroll/pagefind/' in search
    assert '<script type="module" src="/theme/js/search.js">' in search  # this site's theme has it
    assert not (out / "blogroll" / "recherche" / "search.js").exists()


def test_a_host_home_page_moves_the_blogroll_and_is_kept(site, server, feed_dir):
    """The blogroll was at the root; the host turns its own index on, leaving BLOGROLL_URL_PREFIX
    unset: the blogroll moves under blogroll/, and its last build's index.html, now the host's, stays."""
    serve_two_blogs(site, server, feed_dir, ALPHA, BETA)
    site.build()
    assert "Les derniers billets des soignants" in site.read("index.html")

    site.build(BLOGROLL_URL_PREFIX=None, DIRECT_TEMPLATES=["index"])
    home = site.read("index.html")
    assert "Les derniers billets des soignants" not in home  # Pelican's own index, kept
    assert "Les derniers billets des soignants" in site.read("blogroll/index.html")
    assert not (site.output / "specialites").exists()  # the blogroll's former root pages are gone
    assert (site.output / "blogroll" / "specialites" / "psychiatrie" / "index.html").is_file()


def test_a_file_both_would_write_stops_the_build_in_one_french_line(tmp_path, server, feed_dir):
    """The host copies a robots.txt of its own to the root, where the blogroll (at the root, as
    BLOGROLL_URL_PREFIX = "" says) writes one too: the build stops, naming both and the setting."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "extra" / "robots.txt").write_text("User-agent: *\nDisallow: /prive/\n", "utf-8")
    conf = tmp_path / "hote.py"
    conf.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"THEME = {str(ROOT / 'theme')!r}\nPATH = {str(content)!r}\n"
        'STATIC_PATHS = ["extra/favicon.ico", "extra/robots.txt"]\n'
        'EXTRA_PATH_METADATA = {"extra/favicon.ico": {"path": "favicon.ico"}, "extra/robots.txt": {"path": "robots.txt"}}\n',
        "utf-8")
    (feed_dir / "a.xml").write_text(rss([{"title": "Premier", "link": "https://a.example/1",
                                          "date": "Mon, 02 Mar 2026 08:00:00 +0000"}]), "utf-8")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(registry_yaml([{"id": "a", "feed": f"{server.url}/a.xml", "author": "Docteur A"}]), "utf-8")
    env = dict(os.environ, BLOGROLL_FEEDS=str(feeds), BLOGROLL_STATE_DIR=str(tmp_path / "state"),
               BLOGROLL_ALLOW_PRIVATE="1", BLOGROLL_PARSE_WORKERS="0", COLUMNS="1000")
    out = tmp_path / "output"
    result = subprocess.run([sys.executable, "-m", "pelican", str(content), "-s", str(conf), "-o", str(out)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("échec")]
    assert len(lines) == 1, result.stderr[-3000:]
    assert "robots.txt est écrit par le site (le fichier statique extra/robots.txt du site (EXTRA_PATH_METADATA))" \
        in lines[0]
    assert "BLOGROLL_URL_PREFIX" in lines[0]
    assert not (out / "index.html").exists() and not (out / "robots.txt").exists()  # nothing of the blogroll's
    assert not (tmp_path / "state" / "output-manifest.json").exists()
