"""The plugin leaves this repository, and is a good citizen where it lands.

Built as a wheel and installed (not editable) into a fresh venv from .wheelhouse (no network),
with the Pelican that FOREIGN_SITE_PELICAN names (a pip requirement such as
« pelican==4.7.0 »; default: the version constraints.txt pins, CI runs the oldest and newest
supported), it

- builds a foreign Pelican site — its own theme, one Markdown article, PLUGINS = ["blogroll"]
  and no PLUGIN_PATHS — with both the site's article and the blogroll pages;
- leaves alone a second site of the same venv that does not ask for it (no PLUGINS: Pelican
  loads every installed namespace plugin, ours included): the same files, byte for byte, as
  with no plugin at all, and one line in the log;
- builds a site as pelican-quickstart makes it (its own home page and feeds, Pelican's default
  theme, no vocabulary of specialties) with the blogroll under blogroll/, the site's index.html
  and feeds its own, and a search page whose script and styles are in the output.

The venv is made once for the module (pip install is most of the time).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SPECIALTIES, build_plugin_wheel, registry_yaml, rss
from jinja2 import Environment, FileSystemLoader

WHEELHOUSE = ROOT / ".wheelhouse"  # make wheelhouse (make test does it): the pinned dependencies as wheels
PACKAGE_STATIC = ROOT / "plugins" / "pelican" / "plugins" / "blogroll" / "static"
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
# Pelican's writer replaced by the plugin's (unchanged files untouched), on every Pelican tested.
BLOGROLL_KEEP_UNCHANGED_FILES = True
"""

BASE = """\
<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title>
{% block head %}{% endblock %}</head>
<body><p class="foreign-theme">{{ SITENAME }}</p>{% block content %}{% endblock %}</body></html>
"""
ARTICLE = """{% extends "base.html" %}{% block content %}<article class="foreign">{{ article.content }}</article>{% endblock %}"""
BONJOUR = "Title: Bonjour d'ailleurs\nDate: 2026-03-01 10:00\nSlug: bonjour\n\nUn billet <em>du site hôte</em>.\n"

# What the blogroll adds to a site made by pelican-quickstart: the plugin and its registry. The
# feeds are served on loopback (ALLOW_PRIVATE) and parsed in-process; nothing else is set.
QUICKSTART_BLOGROLL = """
PLUGINS = ["blogroll"]
BLOGROLL_FEEDS = "feeds.yaml"
BLOGROLL_ALLOW_PRIVATE = True
BLOGROLL_PARSE_WORKERS = 0
"""


def _run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kw)
    assert result.returncode == 0, " ".join(map(str, cmd)) + "\n" + result.stdout[-3000:] + result.stderr[-3000:]
    return result


def pelican_requirement() -> str:
    """FOREIGN_SITE_PELICAN, else the Pelican that constraints.txt pins."""
    wanted = os.environ.get("FOREIGN_SITE_PELICAN", "").strip()
    if wanted:
        return wanted
    pins = [line.strip() for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines()
            if re.match(r"(?i)pelican==", line.strip())]
    assert pins, "constraints.txt pins no pelican"
    return pins[0]


def _requirements(wheel: Path, pelican: str) -> list[str]:
    """The wheel's own dependencies (not its extras), its Pelican replaced by `pelican`."""
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        lines = z.read(meta).decode("utf-8").splitlines()
    deps = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Requires-Dist:")]
    deps = [d for d in deps if "extra ==" not in d and not re.match(r"(?i)pelican\b", d)]
    return [pelican, *deps]


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh venv: the chosen Pelican and the plugin's dependencies from the wheelhouse, never from
    the network, then the plugin from its wheel. With the pinned Pelican, constraints.txt pins
    everything; with another (FOREIGN_SITE_PELICAN), the wheelhouse bounds what pip may pick."""
    tmp = tmp_path_factory.mktemp("foreign")
    wheel = build_plugin_wheel(tmp)
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    py = venv / "bin" / "python"
    pin = [] if os.environ.get("FOREIGN_SITE_PELICAN", "").strip() else ["-c", str(ROOT / "constraints.txt")]
    pip = [str(py), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(WHEELHOUSE)]
    wanted = pelican_requirement()
    _run([*pip, *pin, *_requirements(wheel, wanted)])
    _run([*pip, "--no-deps", str(wheel)])
    installed = _run([str(py), "-c", "from importlib.metadata import version; print(version('pelican'))"]).stdout
    if "==" in wanted:  # the Pelican asked for, not another one
        assert installed.strip() == wanted.split("==", 1)[1].strip(), (wanted, installed)
    return py


def _env() -> dict[str, str]:
    # No BLOGROLL_* from the test run; a wide console, so that Pelican's log lines are not wrapped.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BLOGROLL_", "PYTHON"))}
    return dict(env, COLUMNS="1000")


def _pelican(py: Path, site: Path, conf: str, out: str, *extra: str) -> str:
    result = _run([str(py), "-m", "pelican", "content", "-s", conf, "-o", out, *extra], cwd=site, env=_env())
    return " ".join((result.stdout + result.stderr).split())


def _article_site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "content" / "bonjour.md").write_text(BONJOUR, "utf-8")
    return root


def _user_agent(server) -> str:
    headers = {k.lower(): v for k, v in server.requests[0]["headers"].items()}
    return headers["user-agent"]


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_wheel_installed_plugin_builds_a_foreign_site(venv, tmp_path, server, feed_dir):
    site = _article_site(tmp_path / "ailleurs")
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

    _pelican(venv, site, "pelicanconf.py", "output")

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
    # Ids and the contact address are the host's, not docsdu.net's.
    assert "<id>tag:ailleurs.example,2026:feeds/all.atom.xml</id>" in feed and "docsdu.net" not in feed
    assert "+https://ailleurs.example/" in _user_agent(server)
    assert (out / "blogroll.opml").is_file() and (out / "sitemap.xml").is_file()
    assert "https://ailleurs.example/billets/bonjour/" in (out / "sitemap.xml").read_text("utf-8")  # the host's too
    assert (out / "journal" / "index.html").is_file()
    # The theme has no search script: the package's is written beside the search page, and linked.
    search = (out / "recherche" / "index.html").read_text("utf-8")
    assert '<script type="module" src="https://ailleurs.example/recherche/search.js">' in search
    assert (out / "recherche" / "search.js").read_bytes() == (PACKAGE_STATIC / "search.js").read_bytes()


def test_a_site_that_does_not_ask_for_it_builds_as_without_the_plugin(venv, tmp_path):
    """No PLUGINS: Pelican loads every namespace plugin installed, ours included. Without
    BLOGROLL_FEEDS it writes nothing, replaces nothing: the site is the one PLUGINS = [] builds."""
    site = _article_site(tmp_path / "voisin")
    conf = 'SITENAME = "Le voisin"\nPATH = "content"\nTIMEZONE = "UTC"\n'
    (site / "pelicanconf.py").write_text(conf, "utf-8")
    (site / "sans.py").write_text(conf + "PLUGINS = []\n", "utf-8")  # the reference: no plugin at all

    log = _pelican(venv, site, "pelicanconf.py", "with", "-v")
    assert "blogroll : inactif sur ce site, BLOGROLL_FEEDS n'est pas réglé" in log, log
    without = _pelican(venv, site, "sans.py", "without", "-v")
    assert "blogroll" not in without

    built, reference = _files(site / "with"), _files(site / "without")
    assert "index.html" in reference and "feeds/all.atom.xml" in reference
    assert sorted(built) == sorted(reference)
    assert [rel for rel in reference if built[rel] != reference[rel]] == []
    assert not (site / ".state").exists()  # no state folder, no store


def _quickstart(py: Path, root: Path, **answers: str) -> Path:
    """The two settings files pelican-quickstart writes, from the venv's Pelican's own templates."""
    templates = Path(_run([str(py), "-c", "import os, pelican.tools; print(os.path.dirname(pelican.tools.__file__))"],
                          env=_env()).stdout.strip()) / "templates"
    env = Environment(loader=FileSystemLoader(str(templates)), keep_trailing_newline=True)
    values = {key: repr(value) for key, value in answers.items() if key != "siteurl"}
    for name in ("pelicanconf.py", "publishconf.py"):
        text = env.get_template(f"{name}.jinja2").render(siteurl=answers["siteurl"], **values)
        (root / name).write_text(text, "utf-8")
    return root


def test_a_quickstart_site_keeps_its_home_page_and_gets_the_blogroll_beside_it(venv, tmp_path, server, feed_dir):
    site = _quickstart(venv, _article_site(tmp_path / "depart"), author="Anne", sitename="Mon départ",
                       timezone="Europe/Paris", lang="fr", default_pagination=10,
                       siteurl="https://depart.example")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(QUICKSTART_BLOGROLL)
    (feed_dir / "alpha.xml").write_text(rss([{"title": "Garde de nuit", "link": "https://alpha.example/1",
                                              "date": "Mon, 02 Mar 2026 08:00:00 +0000"}]), "utf-8")
    (site / "feeds.yaml").write_text(registry_yaml([{"id": "alpha", "feed": f"{server.url}/alpha.xml",
                                                     "author": "Docteur Alpha"}]), "utf-8")
    assert not (site / "specialties.yaml").exists()

    log = _pelican(venv, site, "publishconf.py", "output", "-v")  # the settings `make publish` uses

    out = site / "output"
    home = (out / "index.html").read_text("utf-8")  # Pelican's, with its article, in its theme
    assert "Bonjour d&#39;ailleurs" in home or "Bonjour d'ailleurs" in home
    assert "Les derniers billets des soignants" not in home
    assert "Bonjour" in (out / "feeds" / "all.atom.xml").read_text("utf-8")  # the site's feed, the site's
    assert "le blogroll est servi sous blogroll/" in log, log
    assert "vocabulaire des spécialités par défaut" in log, log
    mine = (out / "blogroll" / "index.html").read_text("utf-8")
    assert "Garde de nuit" in mine and "https://depart.example/blogroll/auteurs/docteur-alpha/" in mine
    # Nothing the site does not say « Docs du Net » or « . Des extraits »: its name and subtitle.
    assert "<p class=\"lead\">Des extraits" in mine and "Docs du Net" not in mine
    feed = (out / "blogroll" / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "<id>tag:depart.example,2026:blogroll/feeds/all.atom.xml</id>" in feed
    assert "Garde de nuit" in feed and "+https://depart.example/" in _user_agent(server)
    # The site's root files are the site's: the blogroll's sitemap is its own, robots.txt is not written.
    assert (out / "blogroll" / "sitemap.xml").is_file() and not (out / "robots.txt").exists()
    assert not (out / "sitemap.xml").exists()


def test_search_works_on_pelicans_default_theme(venv, tmp_path, server, feed_dir):
    """THEME unset: notmyidea, which has no `scripts` block and no search script. The search page
    links a script and styles that are in the output: the package's, written beside it."""
    site = _article_site(tmp_path / "defaut")
    (site / "pelicanconf.py").write_text(
        'SITENAME = "Par défaut"\nSITEURL = "https://defaut.example"\nPATH = "content"\nTIMEZONE = "UTC"\n'
        + QUICKSTART_BLOGROLL, "utf-8")
    (feed_dir / "alpha.xml").write_text(rss([{"title": "Garde de nuit", "link": "https://alpha.example/1",
                                              "date": "Mon, 02 Mar 2026 08:00:00 +0000"}]), "utf-8")
    (site / "feeds.yaml").write_text(registry_yaml([{"id": "alpha", "feed": f"{server.url}/alpha.xml"}]), "utf-8")

    _pelican(venv, site, "pelicanconf.py", "output")

    out = site / "output"
    page = (out / "blogroll" / "recherche" / "index.html").read_text("utf-8")
    assert "theme/css/main.css" in page  # notmyidea's own head, kept
    sources = re.findall(r'<script type="module" src="([^"]+)"', page)
    styles = [h for h in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) if "recherche" in h]
    assert sources and styles, page
    for url, name in ((sources[0], "search.js"), (styles[0], "search.css")):
        assert url.startswith("https://defaut.example/")
        served = out / url.removeprefix("https://defaut.example/")
        assert served.read_bytes() == (PACKAGE_STATIC / name).read_bytes(), url
    assert 'data-bundles="https://defaut.example/blogroll/pagefind/' in page
    bundle = re.search(r'data-bundles="https://defaut.example/([^" ]+)', page)
    assert bundle and (out / bundle.group(1) / "pagefind.js").is_file()
