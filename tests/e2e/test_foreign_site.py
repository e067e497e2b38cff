"""The plugin leaves this repository: built as a wheel, installed (not editable) into a fresh
venv, it builds a foreign Pelican site — its own theme, one Markdown article, PLUGINS =
["blogroll"] and no PLUGIN_PATHS — with both the site's article and the blogroll pages."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, SPECIALTIES, registry_yaml, rss

WHEELHOUSE = ROOT / ".wheelhouse"  # make wheelhouse (make test does it): the pinned dependencies as wheels
pytestmark = [pytest.mark.skipif(not (WHEELHOUSE / ".done").is_file(), reason="no .wheelhouse: run make wheelhouse"),
              pytest.mark.build, pytest.mark.slow]

PELICANCONF = """\
SITENAME = "Carnet d'ailleurs"
SITEURL = "https://ailleurs.example"
PATH = "content"
THEME = "theme"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
PLUGINS = ["blogroll"]
# The blogroll takes the site's root (home page, feeds/all.atom.xml): the site's own
# listing and feed go elsewhere.
INDEX_SAVE_AS = "journal/index.html"
FEED_ALL_ATOM = "feeds/journal.atom.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
ARTICLE_URL = "billets/{slug}/"
ARTICLE_SAVE_AS = "billets/{slug}/index.html"
BLOGROLL_SPECIALTIES = %(specialties)r
BLOGROLL_FEEDS = "feeds.yaml"
BLOGROLL_STATE_DIR = "state"
BLOGROLL_ALLOW_PRIVATE = True
BLOGROLL_PARSE_WORKERS = 0
"""

BASE = """\
<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title>
{% block head %}{% endblock %}</head>
<body><p class="foreign-theme">{{ SITENAME }}</p>{% block content %}{% endblock %}</body></html>
"""
ARTICLE = """{% extends "base.html" %}{% block content %}<article class="foreign">{{ article.content }}</article>{% endblock %}"""


def _run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kw)
    assert result.returncode == 0, " ".join(map(str, cmd)) + "\n" + result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_wheel_installed_plugin_builds_a_foreign_site(tmp_path, server, feed_dir):
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)])
    wheel = next(wheels.glob("pelican_docsdunet-*.whl"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    py = venv / "bin" / "python"
    # The pinned dependencies from the wheelhouse, never from the network; the plugin from its wheel.
    _run([str(py), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(WHEELHOUSE),
          "-c", str(ROOT / "constraints.txt"), str(wheel)])

    site = tmp_path / "ailleurs"
    (site / "content").mkdir(parents=True)
    (site / "content" / "bonjour.md").write_text(
        "Title: Bonjour d'ailleurs\nDate: 2026-03-01 10:00\nSlug: bonjour\n\nUn billet <em>du site hôte</em>.\n",
        "utf-8")
    (site / "theme" / "templates").mkdir(parents=True)
    (site / "theme" / "templates" / "base.html").write_text(BASE, "utf-8")
    (site / "theme" / "templates" / "article.html").write_text(ARTICLE, "utf-8")
    (site / "pelicanconf.py").write_text(PELICANCONF % {"specialties": str(SPECIALTIES)}, "utf-8")
    (feed_dir / "alpha.xml").write_text(rss([{"title": "Garde de nuit &amp;lt;b&amp;gt; &amp;amp; café", "link": "https://alpha.example/1",
                                              "date": "Mon, 02 Mar 2026 08:00:00 +0000",
                                              "tags": ["médecine générale"]}]), "utf-8")
    (site / "feeds.yaml").write_text(registry_yaml([{
        "id": "alpha", "title": "Blog Alpha", "site": "https://alpha.example/",
        "feed": f"{server.url}/alpha.xml", "author": "Docteur Cœur", "specialties": ["medecine-generale"]}]),
        "utf-8")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BLOGROLL_", "PYTHON"))}
    _run([str(py), "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output"], cwd=site, env=env)

    out = site / "output"
    article = (out / "billets" / "bonjour" / "index.html").read_text("utf-8")
    assert 'class="foreign"' in article and "<em>du site hôte</em>" in article  # the host's templates, not escaped
    home = (out / "index.html").read_text("utf-8")
    assert "foreign-theme" in home  # the plugin's page in the host's base.html
    assert "Garde de nuit &lt;b&gt; &amp; café" in home  # the plugin's pages autoescape
    assert (out / "auteurs" / "docteur-coeur" / "index.html").is_file()
    feed = (out / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "<generator>Carnet d&#x27;ailleurs</generator>" in feed or "<generator>Carnet d'ailleurs</generator>" in feed
    assert "https://ailleurs.example/feeds/all.atom.xml" in feed
    assert (out / "blogroll.opml").is_file() and (out / "sitemap.xml").is_file()
    assert (out / "journal" / "index.html").is_file()
