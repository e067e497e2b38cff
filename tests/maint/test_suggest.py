"""`suggest` on a small web of loopback blogs linking to each other."""

from __future__ import annotations

from contextlib import ExitStack

from conftest import SPECIALTIES, registry_yaml, rss
from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.maint import cli
from pelican.plugins.blogroll.maint.suggest import health_words, suggest
from routeserver import RouteServer

HTML = "text/html; charset=utf-8"


def page(title: str, body: str, feed: str | None = None) -> str:
    alt = f'<link rel="alternate" type="application/rss+xml" href="{feed}">' if feed else ""
    return f"<!DOCTYPE html><html><head><title>{title}</title>{alt}</head><body>{body}</body></html>"


def build_web(stack: ExitStack, tmp_path):
    a, b, c, x, y, z = (stack.enter_context(RouteServer()) for _ in range(6))
    # x: linked by the three listed blogs, announces its feed; y: only on b's « liens » page,
    # its feed at a usual path; z: linked by a only, no feed at all.
    a.set("/", page("Blog A", f'<a href="{b.url}/">Blog B</a> <a href="{x.url}/">Carnet d\'une interne</a> '
                              f'<a href="{z.url}/un-billet/">Zed</a> <a href="https://facebook.com/a">fb</a>'), HTML)
    b.set("/", page("Blog B", f'<aside><a href="{x.url}/2019/01/garde/">Une garde</a></aside>'
                              f'<a href="{b.url}/liens/">Liens</a>'), HTML)
    b.set("/liens/", page("Liens", f'<ul><li><a href="{y.url}/">Sage-femme des collines</a></li>'
                                   f'<li><a href="{a.url}/">Blog A</a></li></ul>'), HTML)
    c.set("/", page("Blog C", f'<h2>Blogs amis</h2><a href="{x.url}">X</a>'), HTML)
    x.set("/", page("Carnet d'une interne", "<p>Mes gardes aux urgences, mes patients.</p>", feed="/rss.xml"), HTML)
    x.set("/rss.xml", rss([{"title": "Ma première consultation", "guid": "x1", "link": f"{x.url}/1/"}],
                          title="Carnet d'une interne"))
    y.set("/", page("Sage-femme des collines", "<p>Accouchements à domicile.</p>"), HTML)
    y.set("/feed/", rss([{"title": "Une naissance", "guid": "y1", "link": f"{y.url}/1/"}], title="Des collines"))
    z.set("/un-billet/", page("Zed", "<p>Recettes de cuisine.</p>"), HTML)
    z.set("/", page("Zed", "<p>Recettes de cuisine.</p>"), HTML)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(registry_yaml([{"id": n, "feed": f"{s.url}/feed.xml", "site": f"{s.url}/"}
                                    for n, s in (("a", a), ("b", b), ("c", c))]), "utf-8")
    for s in (a, b, c):
        s.set("/feed.xml", rss([{"title": "Billet", "guid": "g"}]))
    return feeds, (a, b, c, x, y, z)


def test_candidates_are_ranked_by_the_listed_blogs_linking_to_them(tmp_path):
    with ExitStack() as stack:
        feeds, (a, b, c, x, y, z) = build_web(stack, tmp_path)
        reg = registry.load(feeds, SPECIALTIES, allow_private=True)
        found = suggest(reg, Settings(allow_private=True, parse_workers=0))
        sites = [cand.site for cand in found]
        assert sites[0] == f"{x.url}/" and set(sites) == {f"{x.url}/", f"{y.url}/", f"{z.url}/"}
        first = found[0]
        assert first.linked_from == {"a", "b", "c"} and first.feed == f"{x.url}/rss.xml"
        assert {"interne", "urgen", "patient", "consultation"} <= set(first.words)
        by_site = {cand.site: cand for cand in found}
        assert by_site[f"{y.url}/"].linked_from == {"b"} and by_site[f"{y.url}/"].feed == f"{y.url}/feed/"
        assert "sage-femme" in by_site[f"{y.url}/"].words
        assert by_site[f"{z.url}/"].feed is None and by_site[f"{z.url}/"].note.startswith("flux introuvable")
        # Listed blogs, social networks: never proposed. Nothing was written.
        assert not any(s.startswith((a.url, b.url, c.url)) or "facebook" in s for s in sites)
        assert "/liens/" in b.requests


def test_the_command_prints_proposals_and_changes_nothing(tmp_path, monkeypatch, capsys):
    with ExitStack() as stack:
        feeds, (_, _, _, x, _, _) = build_web(stack, tmp_path)
        before = feeds.read_text("utf-8")
        monkeypatch.setenv("BLOGROLL_FEEDS", str(feeds))
        monkeypatch.setenv("BLOGROLL_SPECIALTIES", str(SPECIALTIES))
        monkeypatch.setenv("BLOGROLL_ALLOW_PRIVATE", "1")
        assert cli.main(["suggest", "--min-links", "2"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("1 blog(s) cité(s)")
        assert f"flux : {x.url}/rss.xml" in out and "(3 blog(s) listé(s) : a, b, c)" in out
        assert f"make add URL={x.url}/rss.xml" in out and "mots de santé : " in out
        assert feeds.read_text("utf-8") == before


def test_health_words_are_found_whatever_the_accents():
    assert health_words("Journal d'une INFIRMIÈRE", "Nuit aux Urgences") == ["infirmi", "urgen"]
    assert health_words("Recettes de cuisine") == []
