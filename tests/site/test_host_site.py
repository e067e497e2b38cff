"""The blogroll as a guest on a host site (pure parts): the URL map under a prefix, the host's own
files (predicted, written, reserved), the output writer that never overwrites them, the plugin
inert without BLOGROLL_FEEDS, the search assets, the home page without a subtitle."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from conftest import ROOT
from jinja2 import DictLoader, Environment
from pelican.plugins import blogroll
from pelican.plugins.blogroll.site import urls
from pelican.plugins.blogroll.site.builder import assets, hostpaths
from pelican.plugins.blogroll.site.builder.templates import plugin_environment
from pelican.plugins.blogroll.site.builder.writer import HostCollision, OutputWriter
from pelican.plugins.blogroll.site.model.views import paginate

# What pelican-quickstart's publishconf.py gives, over Pelican's defaults.
QUICKSTART = {"DIRECT_TEMPLATES": ["index", "authors", "categories", "tags", "archives"],
              "FEED_ALL_ATOM": "feeds/all.atom.xml", "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
              "AUTHOR_FEED_ATOM": "feeds/{slug}.atom.xml", "INDEX_SAVE_AS": "index.html"}


def _article(save_as: str, source: str = "billet.md", translations=()):
    return SimpleNamespace(save_as=save_as, relative_source_path=source, translations=list(translations),
                           status="published", url=save_as)


def test_the_url_map_mounts_every_url_under_its_prefix():
    root, sub = urls.ROOT, urls.UrlMap("blogroll/")
    assert (root.home, root.feed_all, root.opml, root.search, root.robots) == (
        urls.HOME, urls.FEED_ALL, urls.OPML, urls.SEARCH, urls.ROBOTS)
    assert (sub.home, sub.feed_all, sub.opml, sub.status, sub.status_json, sub.search_bundle, sub.sitemap) == (
        "blogroll/", "blogroll/feeds/all.atom.xml", "blogroll/blogroll.opml", "blogroll/etat/",
        "blogroll/etat.json", "blogroll/pagefind/", "blogroll/sitemap.xml")
    assert sub.robots is None  # robots.txt is read at the root only
    assert sub.specialty("pma") == "blogroll/specialites/pma/" and sub.author_feed("x") == "blogroll/feeds/auteurs/x.atom.xml"
    assert [p.url for p in paginate(list(range(25)), 20, sub.home)] == ["blogroll/", "blogroll/page/1/"]


@pytest.mark.parametrize(("raw", "prefix"), [("", ""), ("/", ""), ("blogroll", "blogroll/"), ("/blogroll/", "blogroll/"),
                                             ("liens/blogs", "liens/blogs/"), (" a//b ", "a/b/")])
def test_prefixes_are_folders(raw, prefix):
    assert urls.normalize_prefix(raw) == prefix


@pytest.mark.parametrize("raw", ["../haut", "a/./b", "a?b", "https://x.example/"])
def test_a_prefix_stays_inside_the_output(raw):
    with pytest.raises(ValueError, match="préfixe d'adresse invalide"):
        urls.normalize_prefix(raw)


def test_what_the_blogroll_claims():
    assert all(urls.ROOT.claims(p) for p in ("index.html", "feeds/all.atom.xml", "sitemap.xml", "robots.txt",
                                             "specialites/pma/index.html", "page/3/index.html", "blogroll.opml"))
    assert not any(urls.ROOT.claims(p) for p in ("archives.html", "feeds/misc.atom.xml", "index2.html",
                                                 "theme/css/main.css", "charte/index.html", "favicon.ico"))
    sub = urls.UrlMap("blogroll/")
    assert sub.claims("blogroll/index.html") and sub.claims("blogroll/sitemap.xml")
    assert not sub.claims("index.html") and not sub.claims("blogroll/robots.txt") and not sub.claims("robots.txt")


def test_the_hosts_files_are_predicted_from_its_settings_and_content():
    context = {"articles": [_article("bonjour.html", translations=[_article("bonjour-en.html", "bonjour-en.md")])],
               "pages": [_article("pages/a-propos.html", "pages/a-propos.md")],
               "categories": [(SimpleNamespace(slug="all"), [])]}
    settings = dict(QUICKSTART, EXTRA_PATH_METADATA={"extra/robots.txt": {"path": "robots.txt"}},
                    TEMPLATE_PAGES={"plan.html": "sitemap.xml"}, TAGS_SAVE_AS="")
    found = hostpaths.predicted(settings, context)
    assert found["index.html"] == "la page d'accueil du site (INDEX_SAVE_AS)"
    assert found["feeds/all.atom.xml"] == "le flux du site (FEED_ALL_ATOM)"  # FEED_ALL_ATOM comes first
    assert found["authors.html"] == "la page « authors » du site (AUTHORS_SAVE_AS)" and "tags.html" not in found
    assert found["robots.txt"] == "le fichier statique extra/robots.txt du site (EXTRA_PATH_METADATA)"
    assert found["sitemap.xml"] == "la page plan.html du site (TEMPLATE_PAGES)"
    assert found["bonjour-en.html"] == "l'article bonjour-en.md du site"
    assert found["pages/a-propos.html"] == "la page pages/a-propos.md du site"


def test_this_sites_own_settings_predict_nothing_the_blogroll_writes():
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    found = hostpaths.predicted(settings, {"pages": [_article("charte/index.html", "pages/charte.md")]})
    assert not [p for p in found if urls.ROOT.claims(p)]
    assert settings["BLOGROLL_URL_PREFIX"] == "" and hostpaths.choose_prefix(None, found) == urls.ROOT


def test_the_prefix_is_chosen_when_the_host_has_its_own_home_page(caplog):
    host = hostpaths.predicted(QUICKSTART, {})
    with caplog.at_level(logging.INFO):
        chosen = hostpaths.choose_prefix(None, host)
    assert chosen == urls.UrlMap("blogroll/")
    assert "le blogroll est servi sous blogroll/" in caplog.text and "BLOGROLL_URL_PREFIX" in caplog.text
    assert hostpaths.choose_prefix(None, {"archives.html": "x"}) == urls.ROOT  # nothing in the way: the root
    assert hostpaths.choose_prefix("", host) == urls.ROOT  # set: obeyed (a collision then stops the build)
    assert hostpaths.choose_prefix("/liens", host) == urls.UrlMap("liens/")


def test_host_files_are_what_pelican_wrote_and_the_static_files_still_to_copy(tmp_path):
    files = hostpaths.HostFiles(str(tmp_path))
    files.wrote(str(tmp_path / "index.html"), {})
    files.wrote(str(tmp_path / "billets" / "a.html"), {"article": _article("billets/a.html", "a.md")})
    files.wrote(str(tmp_path.parent / "ailleurs.html"), {})  # not in the output folder
    static = {"staticfiles": [SimpleNamespace(save_as="robots.txt", relative_source_path="extra/robots.txt")]}
    reserved = files.reserved(static, {"index.html": "la page d'accueil du site (INDEX_SAVE_AS)"})
    assert reserved == {"index.html": "la page d'accueil du site (INDEX_SAVE_AS)",
                        "billets/a.html": "l'article a.md du site",
                        "robots.txt": "le fichier statique extra/robots.txt du site"}
    files.wrote(str(tmp_path / "blogroll" / "index.html"), {})  # the blogroll's own, announced after
    assert "blogroll/index.html" not in files.written


def test_the_writer_never_writes_nor_keeps_nor_deletes_a_host_file(tmp_path):
    out, manifest = tmp_path / "out", tmp_path / "state" / "manifest.json"
    first = OutputWriter(out, manifest)
    first.write("index.html", "<p>le blogroll</p>")
    first.write("robots.txt", "User-agent: *\n")
    first.finish()

    second = OutputWriter(out, manifest)
    second.reserved = {"index.html": "la page d'accueil du site (INDEX_SAVE_AS)", "robots.txt": "le fichier x"}
    with pytest.raises(HostCollision) as caught:
        second.write("index.html", "<p>encore</p>")
    message = str(caught.value)
    assert "index.html est écrit par le site (la page d'accueil du site (INDEX_SAVE_AS))" in message
    assert "BLOGROLL_URL_PREFIX" in message and "blogroll" in message
    with pytest.raises(HostCollision):
        second.keep("robots.txt")
    # The host wrote its own index.html since: the commit leaves it (it is no stale file of ours).
    (out / "index.html").write_text("<p>le site</p>", "utf-8")
    second.write("blogroll/index.html", "<p>le blogroll</p>")
    second.finish()
    assert (out / "index.html").read_text("utf-8") == "<p>le site</p>" and (out / "robots.txt").is_file()


def test_the_plugin_does_nothing_without_blogroll_feeds(caplog, monkeypatch):
    host = SimpleNamespace(settings={"THEME_STATIC_PATHS": ["static"], "BLOGROLL_KEEP_UNCHANGED_FILES": True})
    with caplog.at_level(logging.INFO):
        blogroll._initialized(host)
    assert blogroll._generators(host) is None and blogroll._writer(host) is None
    assert host.settings == {"THEME_STATIC_PATHS": ["static"], "BLOGROLL_KEEP_UNCHANGED_FILES": True}
    lines = [r.getMessage() for r in caplog.records if "blogroll" in r.getMessage()]
    assert len(lines) == 1 and "BLOGROLL_FEEDS n'est pas réglé" in lines[0]
    hostpaths.host_wrote("/tmp/x.html", context={"SITENAME": "x"})  # no notebook in the context: nothing

    monkeypatch.setenv("BLOGROLL_FEEDS", "feeds.yaml")
    assert blogroll._generators(host) is not None


def test_search_assets_are_the_themes_when_it_has_them(tmp_path):
    where = urls.UrlMap("blogroll/")
    mine = assets.search_assets(tmp_path, ["static"], "theme", where)
    assert mine == assets.SearchAssets("blogroll/recherche/search.js", "blogroll/recherche/search.css", own=True)
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "search.js").write_text("//", "utf-8")
    assert assets.search_assets(tmp_path, ["static"], "theme", where) == assets.SearchAssets(
        "theme/js/search.js", "", own=False)
    # This site's theme serves the package's script: one file, linked from the theme.
    assert (ROOT / "theme" / "static" / "js" / "search.js").read_bytes() == (assets.STATIC_DIR / "search.js").read_bytes()
    assert (assets.STATIC_DIR / "search.css").is_file()


def _home(**context) -> str:
    env = plugin_environment(Environment(loader=DictLoader({"base.html": "{% block content %}{% endblock %}"})))
    page = SimpleNamespace(newest=True, number=1, prev_url=None, next_url=None)
    return env.get_template("blogroll/index.html").render(pagination=page, entries=[], SITEURL="",
                                                            urls=urls.ROOT, **context)


def test_the_home_page_reads_without_a_subtitle():
    assert '<p class="lead">Des extraits, un lien' in _home()
    assert '<p class="lead">Des extraits, un lien' in _home(SITESUBTITLE="")
    assert '<p class="lead">Les blogs des soignants. Des extraits, un lien' in _home(SITESUBTITLE="Les blogs des soignants")


def test_a_url_prefix_reaches_every_url_of_the_model(tmp_path):
    from conftest import SPECIALTIES, registry_yaml
    from pelican.plugins.blogroll import registry
    from pelican.plugins.blogroll.site.model import views

    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(registry_yaml([{"id": "alpha", "feed": "https://alpha.example/feed", "author": "Docteur Alpha"}]),
                     "utf-8")
    reg = registry.load(feeds, SPECIALTIES)
    model = views.build(reg, [], datetime(2026, 3, 1, tzinfo=UTC), urls.UrlMap("blogroll/"))
    assert {s.url for s in model.specialties} == {f"blogroll/specialites/{s}/" for s in reg.vocabulary.specialties}
    assert {s.feed_url for s in model.specialties} == {f"blogroll/feeds/specialites/{s}.atom.xml"
                                                      for s in reg.vocabulary.specialties}
    assert [(a.url, a.feed_url) for a in model.authors] == [("blogroll/auteurs/docteur-alpha/",
                                                             "blogroll/feeds/auteurs/docteur-alpha.atom.xml")]
    assert all(b.author_url.startswith("blogroll/") for b in model.blogs)
