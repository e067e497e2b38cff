"""The maintainer tools propose no person's name (issue #20), for generated synthetic
identities (tests/anonymity/adversary.py), through the real command line on loopback:

- `add` (also `--from-issue`) never takes a « Prénom Nom » from the feed's title, the issue's
  title, id or pseudonym: the title gives way to the site's host, the pseudonym slot stays
  empty with a French message asking for one, and the name is never echoed; nor any name part
  the feed declares, in any everyday spelling (handles, logins, glued, other scripts…), as
  title or pseudonym; a blog whose address holds that name is refused, not one whose address
  holds a declared pen name (« docteurhibou.example »);
- `import-opml` never takes « Title (Prénom Nom) » as a pseudonym, not even from an OPML that
  claims to be ours, nor a « Prénom Nom » title with --author-from-title;
- `try`, whose report goes to a pull request's public CI log, prints the registered hosts and
  our own words: no URL path, no other host, no redirect target's path, no parser detail
  quoting the document, no Content-Type parameter.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from conftest import rss
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.maint import cli
from pelican.plugins.blogroll.maint.personlike import looks_like_person
from routeserver import RouteServer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "anonymity"))
from adversary import Identity, identities, spell, squeeze  # noqa: E402  (the generated identities)

pytestmark = pytest.mark.build

HEADER = """\
feeds:
  - id: alpha
    title: "Alpha"
    author: "Docteur Alpha"
    site: https://alpha.example/
    feed: https://alpha.example/feed/
    specialties: [medecine-generale]
"""
FEW = settings(max_examples=3, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BLOGROLL_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("BLOGROLL_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "feeds.yaml").write_text(HEADER, "utf-8")
    return tmp_path


@pytest.fixture
def web():
    with RouteServer() as s:
        yield s


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str]:
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def named(ident: Identity, text: str) -> bool:
    """Does `text` hold any surname part of the identity (folded, separator-free)?"""
    return any(squeeze(p) in squeeze(text) for p in ident.parts if len(squeeze(p)) >= 4) or \
        any(f" {squeeze(p)} " in f" {text.lower()} " for p in ident.parts if len(squeeze(p)) < 4)


def test_the_rule_reads_a_person_and_spares_blog_titles_and_pseudonyms():
    for text in ("Le blog de Philomène Trécastel", "TRÉCASTEL Philomène", "p.trecastel@example.org",
                 "Carnet de nuit (Ombeline Vercasson)", "J. Quistrebert"):
        assert looks_like_person(text), text
    for text in ("Docteur Hibou", "Les carnets du Hibou", "Doc Cerf-Volant", "Docs du Net", "Carnet de nuit",
                 "Pseudo X", "Blog Médical", "Maladie de Parkinson", "Le Carnet Rouge", "Dr Alpha"):
        assert not looks_like_person(text), text


@given(ident=identities())
@FEW
def test_add_never_proposes_a_name_from_the_feed_title(ident, project, web, capsys, monkeypatch):
    web.set("/f.xml", rss([{"title": "Billet", "guid": "1", "link": "https://blog.example/1", "tags": ["garde"],
                            "body": "texte"}], title=f"Le blog de {ident.full}"))
    code, text = run(capsys, monkeypatch, "add", f"{web.url}/f.xml", "--author", "Docteur Hibou",
                     "--specialties", "urgences", "--dry-run")
    assert code == 0, text
    assert not named(ident, text), text
    assert "ressemble à un nom de personne" in text


ISSUE = """### Adresse du blog (site)

{site}

### Titre du blog (title)

{title}

### Pseudonyme public de l'auteur·e (author)

{author}

### Spécialités (specialties)

- [x] Urgences (urgences)
"""


@given(ident=identities())
@FEW
def test_add_from_an_issue_leaves_a_person_looking_pseudonym_and_title_out(ident, project, web, capsys,
                                                                           monkeypatch):
    (project / "feeds.yaml").write_text(HEADER, "utf-8")
    web.set("/blog/feed.xml", rss([{"title": "Billet", "guid": "1", "link": "https://blog.example/1",
                                    "body": "texte"}], title="Carnet de garde"))
    issue = project / "issue.md"
    issue.write_text(ISSUE.format(site=f"{web.url}/blog/feed.xml", title=f"Les notes de {ident.full}",
                                  author=ident.titled), "utf-8")
    code, text = run(capsys, monkeypatch, "add", "--from-issue", str(issue))  # CI: stdin is empty
    assert code == 1, text
    assert "le pseudonyme du formulaire ressemble à un nom de personne" in text
    assert "le titre du formulaire ressemble à un nom de personne" in text
    assert not named(ident, text), text
    assert (project / "feeds.yaml").read_text("utf-8") == HEADER
    code, text = run(capsys, monkeypatch, "add", "--from-issue", str(issue), stdin="Docteur Hibou\n")
    assert code == 0, text
    written = (project / "feeds.yaml").read_text("utf-8")
    assert "Docteur Hibou" in written and not named(ident, written) and not named(ident, text)


def test_add_refuses_a_person_looking_pseudonym_typed_by_hand(project, web, capsys, monkeypatch):
    web.set("/f.xml", rss([{"title": "Billet", "guid": "1", "link": "https://blog.example/1", "body": "x"}]))
    code, text = run(capsys, monkeypatch, "add", f"{web.url}/f.xml", "--author", "Ombeline Vercasson",
                     "--specialties", "urgences", "--dry-run")
    assert code == 1 and "ressemble à un nom de personne" in text


OURS = """<?xml version="1.0"?>
<opml version="2.0"><head><title>Docs du Net — blogroll</title></head><body>
  <outline type="rss" text="{text}" title="{title}" category="urgences"
           xmlUrl="https://{host}/rss" htmlUrl="https://{host}/"/>
</body></opml>
"""


@given(ident=identities())
@FEW
def test_import_opml_takes_no_name_even_from_an_opml_that_claims_to_be_ours(ident, project, capsys, monkeypatch):
    (project / "feeds.yaml").write_text(HEADER, "utf-8")
    opml = project / "ours.opml"
    opml.write_text(OURS.format(text=f"Carnet de nuit ({ident.full})", title="Carnet de nuit", host="nuit.example"),
                    "utf-8")
    code, text = run(capsys, monkeypatch, "import-opml", str(opml))
    assert code == 1 and "à confirmer" in text, text
    assert not named(ident, text) and not named(ident, (project / "feeds.yaml").read_text("utf-8"))
    code, text = run(capsys, monkeypatch, "import-opml", str(opml), "--ask", stdin="Doc Nuit\n")
    written = (project / "feeds.yaml").read_text("utf-8")
    assert code == 0 and "Doc Nuit" in written and not named(ident, written) and not named(ident, text), text


@given(ident=identities())
@FEW
def test_import_opml_author_from_title_never_takes_a_person_looking_title(ident, project, capsys, monkeypatch):
    (project / "feeds.yaml").write_text(HEADER, "utf-8")
    opml = project / "foreign.opml"
    opml.write_text(OURS.replace("Docs du Net — blogroll", "Abonnements").format(
        text=ident.full, title=ident.full, host="carnet.example"), "utf-8")
    code, text = run(capsys, monkeypatch, "import-opml", str(opml), "--author-from-title")
    written = (project / "feeds.yaml").read_text("utf-8")
    assert code == 1 and "pseudonyme laissé vide" in text, text
    assert not named(ident, written) and not named(ident, text), text


TRY_REGISTRY = HEADER + """  - id: essai
    title: "Essai"
    author: "Psy Essai"
    site: https://essai.example/
    feed: {feed}
    specialties: [urgences]
"""


@given(ident=identities())
@FEW
def test_try_prints_no_server_path(ident, project, web, capsys, monkeypatch):
    slug = ident.slug
    web.routes.clear()
    web.redirect("/flux.xml", f"/par/{slug}/flux.xml", 301)
    web.set(f"/par/{slug}/flux.xml", rss([{"title": "Billet", "guid": "1", "date": "Mon, 05 Jan 2026 10:00:00 +0000",
                                           "link": f"https://essai.example/2026/01/{slug}-raconte/", "body": "x"}]))
    web.redirect("/casse.xml", f"/par/{slug}/absent.xml", 302)
    for path, ok in (("/flux.xml", 0), ("/casse.xml", 1)):
        (project / "feeds.yaml").write_text(TRY_REGISTRY.format(feed=web.url + path), "utf-8")
        code, text = run(capsys, monkeypatch, "try", "essai")
        assert code == ok, text
        assert not named(ident, text), text
        assert "/par/" not in text and "raconte" not in text, text
        if not ok:
            assert "redirection permanente vers http://127.0.0.1/ :" in text and "https://essai.example/" in text


# --- a name the feed declares, in any everyday spelling -----------------------------------------

# The spellings a maintainer may be handed as a pseudonym or see in a title (e-mails are refused
# on their own rule).
PSEUDONYM_FAMILIES = ("verbatim", "case", "glued", "reversed", "initial", "particle", "half", "handle",
                      "login-title", "invisible", "script")


def declaring_feed(ident: Identity, *, title: str, site: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{title}</title><link>{site}</link><description>Notes de garde</description>
<item><title>Billet</title><link>{site}2026/11/billet/</link><guid isPermaLink="false">urn:x:1</guid>
<pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><dc:creator>{ident.titled}</dc:creator>
<description>Une nuit de garde calme.</description></item>
</channel></rss>
"""


def proposed_values(out: str) -> str:
    """The id, title and author lines of the entry `add` prints."""
    return "\n".join(line for line in out.splitlines() if line.lstrip().startswith(("- id:", "title:", "author:")))


@given(ident=identities(), family=st.sampled_from(PSEUDONYM_FAMILIES), data=st.data())
@FEW
def test_add_refuses_a_pseudonym_spelling_the_declared_name(ident, family, data, project, web, capsys, monkeypatch):
    typed = spell(data.draw, ident, family)
    web.set("/f.xml", declaring_feed(ident, title="Carnet de garde", site="https://carnet.example/"))
    code, text = run(capsys, monkeypatch, "add", f"{web.url}/f.xml", "--author", typed, "--specialties",
                     "urgences", "--dry-run")
    assert code == 1, (typed, text)
    assert "nom" in text and "pseudonyme" in text
    assert not named(ident, text.replace(typed, "")), text  # the typed value is never echoed back


@given(ident=identities())
@FEW
def test_add_proposes_no_title_holding_the_declared_surname(ident, project, web, capsys, monkeypatch):
    web.set("/f.xml", declaring_feed(ident, title=f"Le carnet du Dr {ident.written}", site="https://carnet.example/"))
    code, text = run(capsys, monkeypatch, "add", f"{web.url}/f.xml", "--author", "Docteur Hibou",
                     "--specialties", "urgences", "--dry-run")
    assert code == 0, text
    values = proposed_values(text)
    assert "Docteur Hibou" in values and not named(ident, values), values
    assert "title:" in values and "- id:" in values


@given(ident=identities(), where=st.sampled_from(("host", "glued-host", "path")))
@FEW
def test_add_refuses_a_blog_whose_address_holds_the_declared_name(ident, where, project, web, capsys, monkeypatch):
    site = {"host": f"https://{ident.slug}.example/", "glued-host": f"https://{ident.slug.replace('-', '')}.blog/",
            "path": f"https://pages.example/~{ident.slug}/"}[where]
    web.set("/f.xml", declaring_feed(ident, title="Carnet de garde", site=site))
    code, text = run(capsys, monkeypatch, "add", f"{web.url}/f.xml", "--author", "Docteur Hibou",
                     "--specialties", "urgences", "--dry-run")
    assert code == 1 and "ne peut pas être listé sous un pseudonyme" in text, text
    assert not named(ident, text), text


def test_add_does_not_refuse_a_blog_whose_address_holds_a_declared_pen_name(project, web, capsys, monkeypatch):
    """« Docteur Hibou » in dc:creator, at docteurhibou.example: a pen name, not a person; the
    identity model still cuts « Hibou » from the blog's text, so the pseudonym is another."""
    feed = declaring_feed(Identity("long", "", "Docteur", "Hibou", ("Hibou",)), title="Carnet de garde",
                          site="https://docteurhibou.example/")
    web.set("/f.xml", feed)
    code, text = run(capsys, monkeypatch, "add", f"{web.url}/f.xml", "--author", "Plume de garde",
                     "--specialties", "urgences", "--dry-run")
    assert code == 0, text
    assert 'site: "https://docteurhibou.example/"' in text and 'author: "Plume de garde"' in text


@given(ident=identities())
@FEW
def test_add_from_an_issue_drops_a_title_holding_the_declared_surname(ident, project, web, capsys, monkeypatch):
    (project / "feeds.yaml").write_text(HEADER, "utf-8")
    web.set("/blog/feed.xml", declaring_feed(ident, title="Carnet de garde", site="https://carnet.example/"))
    issue = project / "issue.md"
    issue.write_text(ISSUE.format(site=f"{web.url}/blog/feed.xml", title=f"Chroniques du Dr {ident.parts[-1]}",
                                  author="Docteur Hibou"), "utf-8")
    code, text = run(capsys, monkeypatch, "add", "--from-issue", str(issue))
    written = (project / "feeds.yaml").read_text("utf-8")
    assert code == 0, text
    assert "Carnet de garde" in written and "Docteur Hibou" in written and not named(ident, written), written
    assert "contient un nom que le flux déclare" in text


@given(ident=identities())
@FEW
def test_try_prints_no_server_header_words_nor_another_site_holding_a_name(ident, project, web, capsys, monkeypatch):
    slug = ident.slug
    web.routes.clear()
    web.set("/flux.xml", rss([{"title": "Billet", "guid": "1", "date": "Mon, 05 Jan 2026 10:00:00 +0000",
                               "link": f"https://{slug}.example/2026/01/billet/", "body": "x"}]),
            content_type=f"application/rss+xml; charset=utf-8; x-par={slug}")
    (project / "feeds.yaml").write_text(TRY_REGISTRY.format(feed=web.url + "/flux.xml"), "utf-8")
    code, text = run(capsys, monkeypatch, "try", "essai")
    assert code == 0, text
    assert not named(ident, text), text
    assert "réponse : HTTP 200" in text and "application/rss+xml" in text and "x-par" not in text


@given(ident=identities(), data=st.data())
@FEW
def test_try_report_lines_keep_the_registered_hosts_and_mask_every_other_address(ident, data):
    from pelican.plugins.blogroll.maint.trial import hosts_only

    slug = ident.slug
    other = data.draw(st.sampled_from((f"https://{slug}.example/", f"http://{slug.replace('-', '')}.blogspot.example/x",
                                       f"//{slug.replace('-', '.')}.free.example/", f"mailto:{slug}@example.org")))
    line = (f"    - redirection vers {other} puis https://essai.example/par/{slug}/flux.xml ; "
            f"chemin /auteur/{slug}/ lu")
    out = hosts_only(line, frozenset({"essai.example"}))
    assert not named(ident, out), out
    assert "https://essai.example/" in out and "masquée" in out
