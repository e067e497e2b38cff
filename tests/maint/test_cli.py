"""The maintainers' command line: check, add, try, import-opml / export-opml, changed.

Commands run in-process through `pelican.plugins.blogroll.maint.cli.main` (one also as a real
`python -m pelican.plugins.blogroll` subprocess); feeds and blog pages are served on
loopback by the tests' own servers.
"""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, SPECIALTIES, rss
from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.maint import cli
from routeserver import RouteServer

pytestmark = pytest.mark.build

HEADER = """\
# Registre de test — ce commentaire doit survivre à chaque ajout.
#   id, title, author (pseudonyme), site, feed, specialties
feeds:
  # Premier blog, commenté lui aussi.
  - id: alpha
    title: "Alpha"
    author: "Docteur Alpha"
    site: https://alpha.example/
    feed: https://alpha.example/feed/
    specialties: [medecine-generale]   # commentaire en fin de ligne
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with its own feeds.yaml; loopback feeds allowed (tests only)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BLOGROLL_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("BLOGROLL_SPECIALTIES", str(SPECIALTIES))
    monkeypatch.setenv("BLOGROLL_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "feeds.yaml").write_text(HEADER, "utf-8")
    return tmp_path


@pytest.fixture
def web():
    with RouteServer() as s:
        yield s


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- check ------------------------------------------------------------------

HOSTILE = """\
# Registre hostile : chaque entrée a ses fautes.
feeds:
  - id: Bad_ID
    title: "Un"
    author: "Alpha"
    site: https://un.example/
    feed: https://un.example/feed/
    specialties: [medecine-generale]
  - id: deux
    title: "Deux"
    author: "   "
    email: camille@example.org
    site: javascript:alert(1)
    feed: http://127.0.0.1/feed
    specialties: [cardiologie-spatiale]
  - id: deux
    title: "Trois"
    site: https://trois.example/
    feed: https://UN.example/feed
    specialties: [psychiatrie]
    colour: blue
  - id: quatre
    title: ""
    author: "Quatre"
    site: https://user:pw@quatre.example/
    feed: https://intranet.local/feed
    specialties: []
    active: "oui"
    real_name: Camille Testard
"""

EXPECTED = [
    (3, "« Bad_ID » n'est pas un identifiant valide"),
    (11, "le pseudonyme public est vide"),
    (12, "champ « email » refusé"),
    (13, "schéma « javascript: » refusé"),
    (14, "adresse IP « 127.0.0.1 » refusée"),
    (15, "spécialité inconnue « cardiologie-spatiale »"),
    (16, "champ obligatoire manquant : author (le pseudonyme public)"),
    (16, "id « deux » en double (déjà ligne 9)"),
    (19, "URL de flux en double (déjà ligne 7)"),
    (21, "champ inconnu « colour »"),
    (23, "feeds.3.title : valeur vide"),
    (25, "identifiants dans l'URL refusés"),
    (26, "nom d'hôte local « intranet.local » refusé"),
    (27, "feeds.3.specialties : valeur vide"),
    (28, "type attendu boolean"),
    (29, "champ « real_name » refusé"),
]


def test_check_reports_every_error_of_a_hostile_registry_with_its_line(project, capsys, monkeypatch):
    monkeypatch.delenv("BLOGROLL_ALLOW_PRIVATE")  # production rules: IP literals refused
    (project / "feeds.yaml").write_text(HOSTILE, "utf-8")
    code, out, err = run(capsys, "check")
    assert code == 1 and out == ""
    lines = [line for line in err.splitlines() if line.startswith("feeds.yaml:")]
    assert len(lines) == len(EXPECTED), err
    for (line_no, reason), text in zip(EXPECTED, lines, strict=True):
        prefix = f"feeds.yaml:{line_no}: "
        assert text.startswith(prefix) and reason in text, (line_no, reason, text)
    assert f"{len(EXPECTED)} erreur(s)" in err


def test_build_checks_first_and_builds_nothing_on_a_bad_registry(project, capsys, monkeypatch):
    """`python -m pelican.plugins.blogroll build` (make html, make publish): the check's errors and exit code,
    and Pelican is not run (no output folder)."""
    monkeypatch.delenv("BLOGROLL_ALLOW_PRIVATE")
    (project / "feeds.yaml").write_text(HOSTILE, "utf-8")
    code, out, err = run(capsys, "build", "--", str(ROOT / "content"), "-s", str(ROOT / "pelicanconf.py"),
                         "-o", str(project / "out"))
    assert code == 1 and out == "" and not (project / "out").exists()
    assert "feeds.yaml:3: feeds.0.id : « Bad_ID »" in err and f"{len(EXPECTED)} erreur(s)" in err


def test_build_runs_the_check_then_pelican_in_this_process(project, capsys, monkeypatch):
    monkeypatch.setenv("BLOGROLL_OFFLINE", "1")  # no fetch: the store (empty) only
    monkeypatch.setenv("BLOGROLL_FEEDS", str(project / "feeds.yaml"))
    monkeypatch.chdir(ROOT)  # pelicanconf.py names the theme and the content relative to the project
    code, out, err = run(capsys, "build", "--", "content", "-s", "pelicanconf.py", "-o", str(project / "out"))
    assert code == 0, err
    assert "feeds.yaml : 1 blogs (1 actifs)" in out
    assert (project / "out" / "index.html").is_file() and (project / "out" / "auteurs" / "docteur-alpha").is_dir()


def test_check_reports_vocabulary_errors_with_lines(project, capsys, monkeypatch):
    vocab = project / "specialties.yaml"
    vocab.write_text("medecine-generale:\n  label: Médecine générale\n  synonyms: [MG]\n"
                     "Mauvais Slug:\n  label: X\n"
                     "psychiatrie:\n  label: Psychiatrie\n  synonyms: [mg]\n  couleur: bleu\n", "utf-8")
    code, _, err = run(capsys, "--vocabulary", str(vocab), "check")
    assert code == 1
    assert "specialties.yaml:4: « Mauvais Slug » n'est pas un identifiant valide" in err
    assert "specialties.yaml:9: champ inconnu « couleur »" in err
    assert "specialties.yaml:6: synonyme « mg » déjà utilisé par « medecine-generale »" in err


def test_check_accepts_the_projects_registry(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, "check")
    assert code == 0, err
    assert "OK" in out


def test_help_and_exit_codes_through_python_m(project):
    env_py = [sys.executable, "-m", "pelican.plugins.blogroll"]
    helped = subprocess.run(env_py + ["--help"], capture_output=True, text=True, cwd=project)
    assert helped.returncode == 0
    for command in ("check", "add", "try", "import-opml", "export-opml"):
        assert command in helped.stdout
    (project / "feeds.yaml").write_text("feeds:\n  - id: x\n", "utf-8")
    failed = subprocess.run(env_py + ["check"], capture_output=True, text=True, cwd=project)
    assert failed.returncode == 1
    assert "feeds.yaml:2: champ obligatoire manquant" in failed.stderr
    unknown = subprocess.run(env_py + ["nope"], capture_output=True, text=True, cwd=project)
    assert unknown.returncode == 2


# --- add --------------------------------------------------------------------

POSTS = [
    {"title": "Une nuit en néonatologie", "link": "https://carnet.example/2026/01/nuit/", "guid": "c-1",
     "date": "Mon, 05 Jan 2026 10:00:00 +0000", "tags": ["Pédiatrie", "Urgences"],
     "body": "<p>Un bébé de trois jours, une garde calme.</p>"},
    {"title": "Vaccins et questions", "link": "https://carnet.example/2026/02/vaccins/", "guid": "c-2",
     "date": "Tue, 10 Feb 2026 10:00:00 +0000", "tags": ["pédiatrie", "prévention"],
     "body": "<p>Les parents demandent.</p>"},
]


def blog_page(*links: str) -> str:
    return ("<!DOCTYPE html><html lang=fr><head><meta charset=utf-8><title>Carnet — accueil</title>"
            + "".join(links) + "</head><body><h1>Carnet</h1></body></html>")


def serve_blog(web: RouteServer) -> None:
    web.set("/blog/", blog_page(
        # The comment feed comes first in the page: it must not be chosen.
        '<link rel="alternate" type="application/rss+xml" title="Carnet » Flux des commentaires" '
        'href="/blog/comments/feed/">',
        '<link rel="alternate stylesheet" type="text/css" href="/style.css">',
        '<link rel="alternate" type="application/rss+xml" title="Carnet » Flux" href="feed.xml">',
    ), "text/html; charset=utf-8")
    web.set("/blog/feed.xml", rss(POSTS, title="Carnet d'une pédiatre"))
    web.set("/blog/comments/feed/", rss([{"title": "Re: vaccins", "guid": "k1", "body": "merci"}],
                                        title="Commentaires"))


def test_add_discovers_the_feed_of_a_blog_page_and_appends_a_valid_entry(project, web, capsys, monkeypatch, site):
    serve_blog(web)
    before = (project / "feeds.yaml").read_text("utf-8")
    code, out, err = run(capsys, "add", f"{web.url}/blog/", stdin="Doc Pédia\n", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "Pseudonyme public" in err  # it asked, and only that
    assert "Spécialités (" not in err
    text = (project / "feeds.yaml").read_text("utf-8")
    assert text.startswith(before)  # comments, order and formatting kept byte for byte
    added = text[len(before):]
    assert added == (
        "\n"
        "  - id: carnet-d-une-pediatre\n"
        "    title: \"Carnet d'une pédiatre\"\n"
        "    author: \"Doc Pédia\"\n"
        f"    site: \"{web.url}/blog/\"\n"
        f"    feed: \"{web.url}/blog/feed.xml\"\n"
        # Proposed from the posts' categories, most used first: « prévention » is a
        # synonym of santé publique.
        "    specialties: [pediatrie, urgences, sante-publique]\n"
    )
    reg = registry.load(project / "feeds.yaml", SPECIALTIES, allow_private=True)
    assert [f.id for f in reg.feeds] == ["alpha", "carnet-d-une-pediatre"]
    assert "/blog/comments/feed/" not in web.requests  # autodiscovery found it first

    code, out, _ = run(capsys, "check")
    assert code == 0 and "2 blogs" in out

    # The entry builds: its posts reach the site under the pseudonym given.
    new = reg.by_id()["carnet-d-une-pediatre"]
    site.write_registry([{"id": new.id, "title": new.title, "author": new.author, "site": new.site,
                          "feed": new.feed, "specialties": list(new.specialties)}])
    site.build()
    home = site.read("index.html")
    assert "Une nuit en néonatologie" in home and "Doc Pédia" in home
    assert "Vaccins et questions" in site.read("specialites/pediatrie/index.html")


def test_add_falls_back_to_common_feed_paths(project, web, capsys):
    web.set("/", blog_page(), "text/html; charset=utf-8")
    web.set("/rss.xml", rss(POSTS[:1], title="Sans lien alternate"))
    code, out, err = run(capsys, "add", web.url + "/", "--author", "Sans Lien", "--specialties", "pediatrie",
                         "--dry-run")
    assert code == 0, err
    assert f'feed: "{web.url}/rss.xml"' in out
    assert "specialties: [pediatrie]" in out
    assert "adresse courante de flux" in err
    assert (project / "feeds.yaml").read_text("utf-8") == HEADER  # dry run


def test_add_follows_a_permanent_redirect_and_accepts_a_feed_url(project, web, capsys):
    web.redirect("/ancien.xml", "/nouveau.xml", 301)
    web.set("/nouveau.xml", rss(POSTS, title="Déménagé"))
    code, out, err = run(capsys, "add", f"{web.url}/ancien.xml", "--author", "Nomade")
    assert code == 0, err
    assert f'feed: "{web.url}/nouveau.xml"' in out
    assert "redirection permanente" in err


def test_add_without_a_feed_lists_what_it_tried_and_changes_nothing(project, web, capsys):
    web.set("/vide/", blog_page(), "text/html; charset=utf-8")
    code, out, err = run(capsys, "add", f"{web.url}/vide/", "--author", "Personne")
    assert code == 1
    assert "aucun flux RSS ou Atom trouvé" in err
    assert f"essayé {web.url}/vide/feed/" in err and f"essayé {web.url}/rss.xml" in err
    assert (project / "feeds.yaml").read_text("utf-8") == HEADER


def test_add_refuses_a_missing_pseudonym_a_duplicate_and_an_invalid_entry(project, web, capsys, monkeypatch):
    serve_blog(web)
    code, _, err = run(capsys, "add", f"{web.url}/blog/", stdin="", monkeypatch=monkeypatch)
    assert code == 1 and "pseudonyme est obligatoire" in err
    code, _, err = run(capsys, "add", f"{web.url}/blog/", "--author", "camille@example.org")
    assert code == 1 and "adresse e-mail" in err
    # An unknown specialty is refused by the registry's own rules, and rolled back.
    code, _, err = run(capsys, "add", f"{web.url}/blog/", "--author", "Doc", "--specialties", "astrologie")
    assert code == 1
    assert "feeds.yaml:17: spécialité inconnue « astrologie »" in err
    assert "n'a pas été modifié" in err
    assert (project / "feeds.yaml").read_text("utf-8") == HEADER
    code, _, _ = run(capsys, "add", f"{web.url}/blog/", "--author", "Doc")
    assert code == 0
    code, _, err = run(capsys, "add", f"{web.url}/blog/feed.xml", "--author", "Doc")
    assert code == 1 and "déjà dans feeds.yaml (id « carnet-d-une-pediatre »" in err


def test_add_asks_for_specialties_only_when_the_feed_has_no_usable_category(project, web, capsys, monkeypatch):
    web.set("/f.xml", rss([{"title": "Billet", "guid": "1", "link": "https://x.example/1",
                            "tags": ["vie perso"], "body": "x"}], title="Blog sans catégorie"))
    code, out, err = run(capsys, "add", f"{web.url}/f.xml", stdin="Pseudo X\ndermatologie, psychiatrie\n",
                         monkeypatch=monkeypatch)
    assert code == 0, err
    assert "Spécialités (" in err
    assert "specialties: [dermatologie, psychiatrie]" in out


def test_add_quotes_hostile_titles_so_the_yaml_stays_valid(project, web, capsys):
    web.set("/h.xml", rss([{"title": "x", "guid": "1", "link": "https://h.example/1", "body": "x"}],
                          title='Blog "cité" # pas un commentaire: [liste] &amp; {objet} \\ fin'))
    code, out, err = run(capsys, "add", f"{web.url}/h.xml", "--author", "Pseudo: « deux-points »",
                         "--specialties", "urgences")
    assert code == 0, err
    reg = registry.load(project / "feeds.yaml", SPECIALTIES, allow_private=True)
    added = reg.feeds[-1]
    assert added.title == 'Blog "cité" # pas un commentaire: [liste] & {objet} \\ fin'
    assert added.author == "Pseudo: « deux-points »"


# --- try --------------------------------------------------------------------

TRY_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Essai</title><link>https://essai.example/</link>
<managingEditor>camille@example.org (Camille Testard)</managingEditor>
<item><title>Le plus récent</title><link>https://essai.example/2026/03/recent/</link><guid>e3</guid>
<pubDate>Wed, 11 Mar 2026 09:00:00 +0000</pubDate><category>Psychiatrie</category>
<author>camille@example.org (Camille Testard)</author>
<description>&lt;p&gt;Une consultation de psychiatrie, un lundi matin, la salle d'attente pleine.&lt;/p&gt;</description></item>
<item><title>Un ancien</title><link>/2025/12/ancien/</link><guid>e1</guid>
<pubDate>Mon, 01 Dec 2025 09:00:00 +0000</pubDate>
<description>&lt;p&gt;Voir &lt;img src="/images/x.png"&gt;&lt;/p&gt;</description></item>
<item><title>Sans date</title><link>https://essai.example/sans-date/</link><guid>e2</guid>
<description>texte</description></item>
</channel></rss>
"""


def registry_with(project: Path, feed_url: str, **extra: str) -> None:
    lines = HEADER + ("\n  - id: essai\n    title: \"Essai\"\n    author: \"Psy Essai\"\n"
                      "    site: https://essai.example/\n"
                      f"    feed: {feed_url}\n    specialties: [medecine-generale]\n")
    lines += "".join(f"    {k}: {v}\n" for k, v in extra.items())
    (project / "feeds.yaml").write_text(lines, "utf-8")


def test_try_prints_what_the_site_would_show_and_every_warning(project, web, capsys):
    web.redirect("/essai.xml", "/v2/essai.xml", 301)
    web.set("/v2/essai.xml", TRY_FEED)
    registry_with(project, f"{web.url}/essai.xml")
    code, out, err = run(capsys, "try", "essai")
    assert code == 0, out + err
    assert "billets : 3" in out
    assert "analyseur : feedparser" in out  # -rs, or feedparser with the reason
    assert "dates : du 1er décembre 2025 au 11 mars 2026" in out
    assert "spécialités : Médecine générale (3), Psychiatrie (1)" in out
    assert "dernier billet : « Le plus récent » — 11 mars 2026" in out
    # Addresses as hosts only: this report goes to a pull request's public CI log.
    assert "https://essai.example/\n" in out and "/2026/03/recent/" not in out
    assert "Une consultation de psychiatrie" in out
    assert "redirection permanente vers http://127.0.0.1/ :" in out and "/v2/" not in out
    assert "champs d'identité ignorés : author" in out
    assert "1 billet(s) sans date" in out
    assert "1 billet(s) avec un lien relatif" in out
    assert "1 billet(s) dont le texte contient des liens ou images relatifs" in out
    assert "Camille" not in out and "example.org" not in out  # the identity itself is never printed
    assert "OK : ce flux s'affichera" in out


def test_try_fails_on_a_broken_feed_and_an_unknown_id(project, web, capsys):
    web.set("/page.html", blog_page(), "text/html; charset=utf-8")
    registry_with(project, f"{web.url}/page.html")
    code, out, _ = run(capsys, "try", "essai")
    assert code == 1
    assert "ÉCHEC : ce n'est pas un flux (page HTML)" in out
    code, _, err = run(capsys, "try", "essa")
    assert code == 1 and "id inconnu" in err and "essai" in err
    registry_with(project, f"{web.url}/absent.xml")
    code, out, _ = run(capsys, "try", "essai")
    assert code == 1 and "HTTP 404" in out


def test_try_warns_about_size_and_only_tags(project, web, capsys, monkeypatch):
    monkeypatch.setenv("BLOGROLL_MAX_BYTES", "1800")
    web.set("/essai.xml", TRY_FEED)
    registry_with(project, f"{web.url}/essai.xml", only_tags="[psychiatrie]")
    code, out, _ = run(capsys, "try", "essai")
    assert code == 0, out
    assert "flux volumineux" in out and "limite 2 Kio" in out
    assert "billets : 3 (1 retenus)" in out
    assert "only_tags : 1 billet(s) sur 3 retenus" in out


def test_try_changed_from_tries_only_new_and_edited_feeds(project, web, capsys):
    web.set("/essai.xml", TRY_FEED)
    base = project / "base.yaml"
    base.write_text(HEADER, "utf-8")
    registry_with(project, f"{web.url}/essai.xml")
    code, out, _ = run(capsys, "try", "--changed-from", str(base))
    assert code == 0
    assert "essai — Essai" in out and "alpha —" not in out  # alpha is unchanged: never fetched
    base.write_text((project / "feeds.yaml").read_text("utf-8"), "utf-8")
    code, out, _ = run(capsys, "try", "--changed-from", str(base))
    assert code == 0 and "Aucun flux ajouté ou modifié" in out
    base.write_text((project / "feeds.yaml").read_text("utf-8").replace("Psy Essai", "Autre"), "utf-8")
    code, out, _ = run(capsys, "try", "--changed-from", str(base))
    assert "essai — Essai" in out


# --- OPML -------------------------------------------------------------------

ROUND = HEADER + """
  - id: cabinet-rural
    title: "Un cabinet à la campagne"
    author: "Doc des Champs"
    site: https://rural.example/
    feed: https://rural.example/feed.xml
    specialties: [medecine-generale, pediatrie]

  - id: divan
    title: "Le Divan (notes)"
    author: "Psy Nocturne"
    site: https://divan.example/blog/
    feed: https://divan.example/blog/atom.xml
    specialties: [psychiatrie]
    lang: en
"""


def test_opml_export_import_round_trip(project, capsys):
    (project / "feeds.yaml").write_text(ROUND, "utf-8")
    code, _, err = run(capsys, "export-opml", "-o", "first.opml")
    assert code == 0, err
    first = (project / "first.opml").read_bytes()
    outlines = [o for o in ET.fromstring(first).iter("outline") if o.get("type") == "rss"]
    assert len(outlines) == 3

    # Importing our own export into an empty registry gives back every blog.
    (project / "feeds.yaml").write_text("# migré depuis un OPML\nfeeds: []\n", "utf-8")
    code, out, err = run(capsys, "import-opml", "first.opml")
    assert code == 0, err
    assert "3 blog(s) ajouté(s)" in out
    code, _, err = run(capsys, "check")
    assert code == 0, err
    before = {f.feed: f for f in registry.load(_write(project, "orig.yaml", ROUND), SPECIALTIES).feeds}
    after = {f.feed: f for f in registry.load(project / "feeds.yaml", SPECIALTIES).feeds}
    assert before.keys() == after.keys()
    for url, f in before.items():
        g = after[url]
        assert (g.title, g.author, g.site, g.specialties) == (f.title, f.author, f.site, f.specialties), url

    # ... and exporting again gives the same OPML, byte for byte.
    code, _, _ = run(capsys, "export-opml", "-o", "second.opml")
    assert (project / "second.opml").read_bytes() == first

    # Importing it again adds nothing.
    code, out, err = run(capsys, "import-opml", "second.opml")
    assert code == 0
    assert err.count("déjà présent") == 3


def _write(project: Path, name: str, text: str) -> Path:
    (project / name).write_text(text, "utf-8")
    return project / name


FOREIGN = """<?xml version="1.0"?>
<opml version="1.0"><head><title>Abonnements</title></head><body>
<outline text="Santé mentale">
  <outline type="rss" text="Carnet de garde" xmlUrl="https://garde.example/rss" htmlUrl="https://garde.example/"/>
  <outline type="rss" text="Intranet" xmlUrl="http://10.0.0.1/rss"/>
</outline>
<outline text="Divers">
  <outline type="rss" title="Cuisine" text="Cuisine" xmlUrl="https://cuisine.example/feed"/>
</outline>
</body></opml>
"""


def test_import_of_a_foreign_opml_needs_pseudonyms_and_specialties(project, capsys, monkeypatch):
    monkeypatch.delenv("BLOGROLL_ALLOW_PRIVATE")
    _write(project, "foreign.opml", FOREIGN)
    code, out, err = run(capsys, "import-opml", "foreign.opml")
    assert code == 1
    assert "ignoré : Carnet de garde : pseudonyme inconnu" in err
    assert "ignoré : Intranet" in err and "10.0.0.1" in err
    assert (project / "feeds.yaml").read_text("utf-8") == HEADER

    code, out, err = run(capsys, "import-opml", "foreign.opml", "--author-from-title")
    assert code == 1  # the private address and the uncategorised blog are still refused
    assert "ignoré : Cuisine : aucune spécialité reconnue" in err
    reg = registry.load(project / "feeds.yaml", SPECIALTIES)
    garde = reg.by_id()["carnet-de-garde"]
    # The group « Santé mentale » is a synonym of psychiatrie.
    assert garde.author == "Carnet de garde" and garde.specialties == ("psychiatrie",)
    assert "Cuisine" not in (project / "feeds.yaml").read_text("utf-8")


def test_import_asks_when_told_to(project, capsys, monkeypatch):
    monkeypatch.delenv("BLOGROLL_ALLOW_PRIVATE")
    _write(project, "foreign.opml", FOREIGN)
    code, out, err = run(capsys, "import-opml", "foreign.opml", "--ask",
                         stdin="Garde Pseudo\nCuistot\nsante-publique\n", monkeypatch=monkeypatch)
    reg = registry.load(project / "feeds.yaml", SPECIALTIES)
    assert reg.by_id()["carnet-de-garde"].author == "Garde Pseudo"
    assert reg.by_id()["cuisine"].specialties == ("sante-publique",)


def test_import_refuses_opml_with_a_dtd(project, capsys):
    _write(project, "bomb.opml", '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]>'
                                 '<opml version="2.0"><body><outline text="&a;"/></body></opml>')
    code, _, err = run(capsys, "import-opml", "bomb.opml")
    assert code == 1 and "DTD" in err


def test_import_opml_from_a_published_blogroll_url(project, web, capsys):
    (project / "feeds.yaml").write_text(ROUND, "utf-8")
    run(capsys, "export-opml", "-o", "pub.opml")
    web.set("/blogroll.opml", (project / "pub.opml").read_bytes(), "text/x-opml")
    (project / "feeds.yaml").write_text(HEADER, "utf-8")
    code, out, err = run(capsys, "import-opml", f"{web.url}/blogroll.opml")
    assert code == 0, err
    assert "2 blog(s) ajouté(s)" in out and "déjà présent" in err  # alpha was already there


# --- deploy decision ----------------------------------------------------------

def test_changed_says_deploy_only_when_the_site_changed(project, capsys):
    out_dir = project / "output"
    (out_dir / "etat").mkdir(parents=True)
    (out_dir / "index.html").write_text("accueil", "utf-8")
    status = '{"feeds": [{"id": "a", "state": "ok", "last_attempt": "%s", "consecutive_failures": %d}]}'
    (out_dir / "etat.json").write_text(status % ("2026-01-01T10:00:00", 0), "utf-8")
    (out_dir / "etat" / "index.html").write_text("tentative à 10:00", "utf-8")
    record = project / "state" / "deployed.json"

    def changed(*extra: str) -> str:
        code, out, _ = run(capsys, "changed", "--output", str(out_dir), "--record", str(record), *extra)
        assert code == 0
        return out.strip()

    assert changed("--mark") == "deploy=true"  # first run
    assert changed("--mark") == "deploy=false"
    # A new attempt time on /etat/ alone is not a change worth a deploy...
    (out_dir / "etat.json").write_text(status % ("2026-01-01T11:00:00", 0), "utf-8")
    (out_dir / "etat" / "index.html").write_text("tentative à 11:00", "utf-8")
    assert changed("--mark") == "deploy=false"
    # ... a feed going down is.
    (out_dir / "etat.json").write_text(status.replace('"ok"', '"en-panne"') % ("2026-01-01T12:00:00", 1), "utf-8")
    assert changed() == "deploy=true"
    assert changed("--mark") == "deploy=true"  # not marked before: still pending
    assert changed() == "deploy=false"
    (out_dir / "index.html").write_text("accueil, un nouveau billet", "utf-8")
    assert changed() == "deploy=true"
    assert changed("--force") == "deploy=true"


def test_add_refuses_a_blog_taken_down_at_its_authors_request(project, web, capsys, monkeypatch):
    serve_blog(web)
    code, _, _ = run(capsys, "add", f"{web.url}/blog/", "--author", "Doc")
    assert code == 0
    (project / "takedowns.yaml").write_text("feeds: [carnet-d-une-pediatre]\nentries: []\n", "utf-8")
    monkeypatch.setenv("BLOGROLL_TAKEDOWNS", str(project / "takedowns.yaml"))
    before = (project / "feeds.yaml").read_text("utf-8")
    code, _, err = run(capsys, "add", f"{web.url}/blog/", "--author", "Doc")
    assert code == 1 and "retiré à la demande de son auteur" in err
    assert (project / "feeds.yaml").read_text("utf-8") == before


ISSUE = """### Adresse du blog (site)

{site}

### Adresse du flux RSS ou Atom (feed)

_No response_

### Titre du blog (title)

Carnet: « d'une » pédiatre\\n- id: injecte

### Pseudonyme public de l'auteur·e (author)

Doc Pédia

### Spécialités (specialties)

- [X] Pédiatrie (pediatrie)
- [ ] Psychiatrie (psychiatrie)
- [x] Urgences (urgences)

### Langue (lang)

_No response_

### Catégories à retenir (only_tags)

pédiatrie, garde

### Hors des moteurs de recherche (noindex)

Oui

### Identifiant (id)

_No response_

### Remarques

### Pseudonyme (author)

(a heading in the remarks must not override the real field: it comes after it)

### Règles

- [X] Le pseudonyme indiqué est celui que l'auteur·e utilise publiquement ; il ne révèle pas son identité.
"""


def test_add_from_an_issue_form(project, web, capsys):
    from pelican.plugins.blogroll.maint.issueform import parse_issue

    serve_blog(web)
    body = ISSUE.format(site=f"{web.url}/blog/")
    form = parse_issue(body)
    assert form["specialties"] == ["pediatrie", "urgences"] and form["noindex"] is True
    assert "feed" not in form and "id" not in form and "lang" not in form
    (project / "issue.md").write_text(body, "utf-8")
    code, out, err = run(capsys, "add", "--from-issue", "issue.md")
    assert code == 0, err
    reg = registry.load(project / "feeds.yaml", SPECIALTIES, allow_private=True)
    added = reg.feeds[-1]
    assert added.title == "Carnet: « d'une » pédiatre\\n- id: injecte"  # one quoted scalar, nothing injected
    assert len(reg.feeds) == 2
    assert added.author == "Doc Pédia" and added.specialties == ("pediatrie", "urgences")
    assert added.feed == f"{web.url}/blog/feed.xml" and added.noindex is True
    assert added.only_tags == ("pediatrie", "garde")


def test_add_from_an_issue_refuses_what_it_cannot_trust(project, web, capsys):
    serve_blog(web)
    body = ISSUE.format(site=f"{web.url}/blog/").replace("Doc Pédia", "camille.testard@example.org")
    (project / "issue.md").write_text(body, "utf-8")
    code, _, err = run(capsys, "add", "--from-issue", "issue.md")
    assert code == 1 and "adresse e-mail" in err
    body = ISSUE.format(site="file:///etc/passwd")
    (project / "issue.md").write_text(body, "utf-8")
    code, _, err = run(capsys, "add", "--from-issue", "issue.md")
    assert code == 1 and "schéma « file: » refusé" in err
    assert (project / "feeds.yaml").read_text("utf-8") == HEADER


PMA_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Essai</title><link>https://essai.example/</link>
<item><title>Deux ans d'essais</title><link>https://essai.example/2026/03/essais/</link><guid>p1</guid>
<pubDate>Wed, 11 Mar 2026 09:00:00 +0000</pubDate>
<description>Je les ai orientés vers une insémination, puis une FIV si besoin.</description></item>
<item><title>Le marché du samedi</title><link>https://essai.example/2026/03/marche/</link><guid>p2</guid>
<pubDate>Sat, 07 Mar 2026 09:00:00 +0000</pubDate><description>Des légumes.</description></item>
</channel></rss>
"""


def test_try_shows_maintainers_the_words_that_filed_a_post(project, web, capsys):
    web.set("/essai.xml", PMA_FEED)
    registry_with(project, f"{web.url}/essai.xml")
    code, out, err = run(capsys, "try", "essai")
    assert code == 0, out + err
    assert "rangés ailleurs par leurs étiquettes et mots : 1 billet(s)" in out
    assert "« Deux ans d'essais » → PMA (insémination, FIV)" in out
    registry_with(project, f"{web.url}/essai.xml", classify="false")
    code, out, err = run(capsys, "try", "essai")
    assert code == 0, out + err
    assert "rangés ailleurs par leurs étiquettes seulement (classify: false) : 0 billet(s)" in out
    registry_with(project, f"{web.url}/essai.xml", classify="peut-être")
    code, _, err = run(capsys, "try", "essai")
    assert code != 0 and "feeds.yaml:" in err and "classify" in err


NAMED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Le blog de Philomène Trécastel</title><link>https://carnet-pediatrie.example/</link><description>x</description>
<item><title>Billet</title><link>https://carnet-pediatrie.example/b1</link><dc:creator>Philomène Trécastel</dc:creator>
<category>pédiatrie</category><description>Texte.</description></item>
</channel></rss>"""


def test_add_proposes_a_title_without_the_declared_name_and_refuses_it_as_pseudonym(project, web, capsys):
    web.set("/named.xml", NAMED)
    code, out, err = run(capsys, "add", f"{web.url}/named.xml", "--author", "Philomène T.", "--dry-run")
    assert code == 1 and "contient un nom que le flux déclare" in err
    code, out, err = run(capsys, "add", f"{web.url}/named.xml", "--author", "Doc Cerf-Volant", "--dry-run")
    assert code == 0, err
    assert "Trécastel" not in out and "Philomène" not in out and "titre proposé sans lui" in err


FOREIGN_NAMED = """<?xml version="1.0"?>
<opml version="1.0"><head><title>Mes abonnements</title></head><body>
  <outline type="rss" text="Carnet de nuit (Philomène Trécastel)" title="Carnet de nuit (Philomène Trécastel)"
           category="pédiatrie" xmlUrl="https://nuit.example/rss" htmlUrl="https://nuit.example/"/>
</body></opml>
"""


def test_import_of_a_foreign_opml_never_takes_the_name_in_parentheses_unasked(project, capsys, monkeypatch):
    _write(project, "named.opml", FOREIGN_NAMED)
    code, out, err = run(capsys, "import-opml", "named.opml")
    assert code == 1 and "à confirmer" in err
    assert "Trécastel" not in (project / "feeds.yaml").read_text("utf-8")
    code, out, err = run(capsys, "import-opml", "named.opml", "--ask", stdin="Doc Nuit\n", monkeypatch=monkeypatch)
    text = (project / "feeds.yaml").read_text("utf-8")
    assert "Doc Nuit" in text and "Carnet de nuit" in text and "Trécastel" not in text
