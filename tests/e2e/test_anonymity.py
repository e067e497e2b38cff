"""Anonymity by construction: no identity a feed carries reaches the store or the site.

The canary feeds of fixtures/canary/ (synthetic: no real person) carry an
identity in every place real feeds leak one. Every identifying token in them
contains « zorglub » or « canari », or is the fake Gravatar hash or Blogger
profile id below; after a real build none may appear in any file of output/
(pages, Atom, OPML, /etat.json, the search index) nor in the SQLite store.
"""

from __future__ import annotations

import dataclasses
import io
import re
import sys
from pathlib import Path

import feedparser
import pytest
from pelican.plugins.blogroll.clean.entry import clean_entries, clean_entry
from pelican.plugins.blogroll.clean.links import entry_link, identity_url
from pelican.plugins.blogroll.clean.redact import Redactor
from pelican.plugins.blogroll.clean.scrub import scrub_text
from pelican.plugins.blogroll.core.entrykeys import safe_guid
from pelican.plugins.blogroll.core.model import FeedConfig, ParsedEntry, Specialty, Vocabulary
from pelican.plugins.blogroll.core.text import fold
from pelican.plugins.blogroll.core.weburl import clean_url
from pelican.plugins.blogroll.parse import identities as identity
from pelican.plugins.blogroll.parse import parse_feed

ROOT = Path(__file__).resolve().parents[2]
CANARY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "canary"
sys.path.insert(0, str(ROOT / "tools"))

import privacy_check  # noqa: E402

pytestmark = pytest.mark.build

GRAVATAR_MD5 = "8958deb41cac9ef15fdcfed6ce4e2965"
GRAVATAR_SHA256 = "1714310553c76bd8fac6333329b81e5e80c0029078baea7e94813e95381d0f9b"
BLOGGER_PROFILE = "09876543210987654321"
# Anything that would betray a leak, matched on folded text (case and accents ignored).
CANARY = re.compile("|".join([
    "zorglub", "canari", GRAVATAR_MD5, GRAVATAR_SHA256[:16], BLOGGER_PROFILE, "noreply", "gravatar",
    r"/author/", r"blogger\.com/profile", r"[?&;](?:utm_[a-z]+|fbclid|gclid|mc_cid)=", "mailto",
    r"[a-z0-9]@[a-z0-9]",
]))

VOCAB = Vocabulary({"medecine-generale": Specialty("medecine-generale", "Médecine générale")})
FEED = FeedConfig(id="blog", title="Le carnet de l'oiseau", author="Docteur Oiseau", site="https://oiseau.example/",
                  feed="https://oiseau.example/feed/", specialties=("medecine-generale",))


def entry(**kw) -> ParsedEntry:
    base = {"guid": "g1", "link": "https://oiseau.example/p1", "title": "Titre", "content_html": "<p>Texte</p>",
                "published": None, "updated": None, "tags": ()}
    base.update(kw)
    return ParsedEntry(**base)


# --- scrubbing text -------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "écrivez à zorglub.plain@example.org svp",
    "écrivez à mailto:zorglub@example.org svp",
    "écrivez à zorglub.obfus [at] example [dot] org svp",
    "écrivez à zorglub.obfus[at]example[dot]org svp",
    "écrivez à zorglub (at) example (dot) org svp",
    "écrivez à zorglub (arobase) example (point) org svp",
    "écrivez à zorglub{at}example{dot}org svp",
    "écrivez à zorglub <at> example <dot> fr svp",
    "écrivez à zorglub arobase example.org svp",
    "écrivez à zorglub at example dot org svp",
    "écrivez à ZORGLUB AT EXAMPLE POINT FR svp",
    "écrivez à zorglub @ example.org svp",
    "écrivez à zorglub＠example.org svp",
    "écrivez à zorglub_at_example_dot_org svp",
    "écrivez à zorglub.canari+blog@sous.domaine.example.co.uk svp",
])
def test_scrub_text_removes_every_form_of_email(text):
    out = scrub_text(text)
    assert "zorglub" not in out.lower() and "example" not in out.lower(), out
    assert out.startswith("écrivez à") and out.endswith("svp")


@pytest.mark.parametrize("text", [
    "Le point de vue du patient à 8 h, au cabinet.",
    "Rendez-vous at home, dit-il en anglais.",
    "Trois patients @ la MSP ce matin.",
    "Couleur #ff00aa, lot CAFEBABE, dossier 2026-01.",
    "Il faut 50 mg/kg/j (dose max. 3 g).",
])
def test_scrub_text_leaves_ordinary_text_alone(text):
    assert scrub_text(text) == text


def test_scrub_text_removes_urls_profile_paths_and_hashes():
    out = scrub_text(f"voir https://x.example/a www.y.example //z.example/p blog.example/author/zorglub "
                     f"et {GRAVATAR_MD5} et {GRAVATAR_SHA256.upper()} fin")
    assert out == "voir et et fin"


# --- links ------------------------------------------------------------------------

def test_clean_url_drops_tracking_parameters_and_emails_in_query():
    url = ("https://oiseau.example/p/?utm_source=rss&utm_medium=feed&fbclid=F&gclid=G&mc_cid=M&_ga=1&xtor=RSS-1"
           "&id=3&to=zorglub%40example.org&page=2#utm_zorglub")
    assert clean_url(url) == "https://oiseau.example/p/?id=3&page=2"
    assert clean_url("https://zorglub:secret@oiseau.example/p") == "https://oiseau.example/p"
    assert clean_url("mailto:zorglub@example.org") is None


@pytest.mark.parametrize("url", [
    "https://oiseau.example/author/zorglub-canari/",
    "https://oiseau.example/blog/authors/zorglub",
    "https://oiseau.example/?author=3",
    "https://www.blogger.com/profile/09876543210987654321",
    "https://secure.gravatar.com/avatar/8958deb41cac9ef15fdcfed6ce4e2965",
    "https://i0.wp.com/oiseau.example/avatar.png",
    "https://oiseau.example/2026/01/05/toux/feed/",
    "https://oiseau.example/comments/feed/",
    "https://oiseau.example/?feed=rss2&p=101",
    "https://pie.example/feeds/2222/comments/default",
    "https://oiseau.example/~zorglub@example.org/",
])
def test_identity_urls_are_never_entry_links(url):
    assert identity_url(url)
    assert entry_link(url) is None


@pytest.mark.parametrize("url", [
    "https://oiseau.example/2026/01/05/toux/", "https://pie.example/2026/02/nuit-de-garde.html",
    "https://oiseau.example/?p=101", "https://blog.example/feedback-des-patients/",
])
def test_post_urls_are_entry_links(url):
    assert entry_link(url) == url


def test_entry_link_falls_back_to_guid_then_site():
    e = clean_entry(entry(link="https://oiseau.example/author/zorglub/", guid="https://oiseau.example/2026/p/"),
                    FEED, VOCAB)
    assert e.link == "https://oiseau.example/2026/p/" and e.own_link
    e = clean_entry(entry(link="https://oiseau.example/2026/p/feed/", guid="oiseau-101"), FEED, VOCAB)
    assert e.link == FEED.site and not e.own_link
    e = clean_entry(entry(link="https://oiseau.example/p/?utm_source=zorglub&fbclid=x"), FEED, VOCAB)
    assert e.link == "https://oiseau.example/p/"


def test_guid_with_an_email_is_stored_only_as_a_hash():
    guid = "tag:zorglub@example.org,2026:billet-2"
    stored = safe_guid(guid)
    assert "zorglub" not in stored and stored.startswith("hmac:") and stored == safe_guid(guid)
    # Every GUID is stored as a keyed hash (any may hold a name; none is shown).
    assert safe_guid("tag:blogger.com,1999:blog-1.post-2").startswith("hmac:")
    assert safe_guid("https://prenom-nom.example/?p=1").startswith("hmac:")
    assert clean_entry(entry(guid=guid, link=None), FEED, VOCAB).guid == stored


# --- whole entries ----------------------------------------------------------------

def test_title_tags_and_excerpt_lose_emails_and_identity_links():
    e = clean_entry(entry(
        title="Écrivez à zorglub@example.org",
        tags=("Médecine générale", "zorglub@example.org", "canari [at] example [dot] org"),
        content_html=('<p>Tous les billets de <a href="https://oiseau.example/author/zc/">Zorglub Canari</a>, '
                      '<a href="mailto:canari@example.org">mon adresse</a>, '
                      '<a href="https://www.blogger.com/profile/1234567">mon profil</a>, '
                      '<a href="https://oiseau.example/p2/">le billet suivant</a>.</p>'
                      f'<img src="https://pixel.wp.com/b.gif?zorglub" width="1" height="1">'
                      f'<img src="https://0.gravatar.com/avatar/{GRAVATAR_MD5}" alt="zorglub">')),
        FEED, VOCAB)
    assert e.title == "Écrivez à"
    assert e.tags == ("Médecine générale",)
    assert e.excerpt == "Tous les billets de , , , le billet suivant."
    assert not CANARY.search(fold(f"{e.title} {e.excerpt} {e.tags}"))


def test_redactor_cuts_identity_tokens_whatever_their_case_accents_or_separators():
    redact = Redactor(["Éloïse Brûlé-Canari", "zorglubcanari"], keep=("Docteur Oiseau",))
    assert redact("Par ÉLOÏSE BRÛLÉ CANARI, ce matin.") == "Par , ce matin."
    assert redact("Signé eloise.brule.canari et Eloïse-Brûlé-Canari.") == "Signé et ."
    assert redact("L'utilisateur zorglubcanari a écrit") == "L'utilisateur a écrit"
    # A declared full name: each of its words alone is cut too (the precision rule, docs/anonymity.md),
    # but never out of a compound.
    assert redact("Éloïse est venue") == "est venue"
    assert redact("à Sainte-Éloïse") == "à Sainte-Éloïse"
    assert redact("Les canaris chantent") == "Les canaris chantent"


def test_redactor_keeps_the_pseudonym_roles_and_short_tokens():
    redact = Redactor(["Docteur Oiseau", "Oiseau", "admin", "Rédaction", "Al", "Le carnet de l'oiseau"],
                      keep=("Docteur Oiseau", "Le carnet de l'oiseau"))
    assert not redact
    text = "Le Docteur Oiseau, admin et rédaction, avec Al."
    assert redact(text) == text


def test_redaction_applies_before_the_excerpt_and_the_hash():
    entries = [entry(guid=f"g{i}", link=f"https://oiseau.example/{i}/", title=f"Billet {i} de Camille Testard",
                     content_html=body)
               for i, body in enumerate(["<p>Par Camille Testard : la toux.</p>", "<p>Par CAMILLE.TESTARD : la toux.</p>"])]
    out = clean_entries(entries, FEED, VOCAB, identities=("Camille Testard",))
    assert [e.title for e in out] == ["Billet 0 de", "Billet 1 de"]
    assert [e.excerpt for e in out] == ["Par : la toux.", "Par : la toux."]
    assert "testard" not in repr(out).lower()


# --- parse: identity fields never copied, but collected for redaction -------------

def _parsed(name: str):
    body = (CANARY_DIR / name).read_bytes()
    return body, feedparser.parse(io.BytesIO(body), sanitize_html=False)


def test_parsed_entries_have_no_identity_field():
    names = {f.name for f in dataclasses.fields(ParsedEntry)}
    assert names == {"guid", "link", "title", "content_html", "published", "updated", "tags"}


@pytest.mark.parametrize("name, expected", [
    ("wordpress-com.xml", {"Zorglub Canari",             # dc:creator
                           "Zorglub Redacteur", "zorglub.editor@example.net",    # managingEditor
                           "Zorglub Webmestre", "zorglub.webmaster@example.net",  # webMaster
                           "zorglubcanari", "zorglub-sha256"}),                   # media:title of a Gravatar
    # A rights or copyright text is no person field: only person-looking names in it are identities
    # (« © Zorglub », « Zorglub Droits » are not); what else it holds feeds the detector (suspects).
    ("blogger.xml", {"Zorglub Blogueuse", BLOGGER_PROFILE, "noreply@blogger.com",  # author name, uri, email
                     "Zorglub Contributrice", "zorglub.contrib@example.org",       # contributor
                     "zorglub.atom@example.org", "Zorglub Source", "zorglub.source@example.org"}),
    ("podcast.xml", {"Zorglub Podcasteur", "Zorglub Proprietaire", "zorglub.itunes@example.org",  # itunes
                     "Zorglub Google", "zorglub.googleplay@example.org", "Zorglub Editions", "Zorglub Createur",
                     "Zorglub Managing", "zorglub.managing@example.org", "Zorglub Credit", "Zorglub Rss",
                     "zorglub.rss@example.org", "Zorglub Contributeur", "zorglubcanari"}),
    ("rdf.xml", {"Zorglub Grive", "zorglub.grive@example.org", "Zorglub Publication",
                 "zorglub.admin@example.org", "Zorglub Contribution"}),
])
def test_identity_collect_finds_every_position(name, expected):
    body, parsed = _parsed(name)
    found = set(identity.collect(parsed, body))
    assert expected <= found, expected - found


def test_parse_feed_hands_identities_to_clean_and_nothing_else_leaks():
    for name in ("wordpress-com.xml", "blogger.xml", "podcast.xml", "rdf.xml"):
        parsed = parse_feed((CANARY_DIR / name).read_bytes(), base_url="https://x.example/")
        assert parsed.identities and "identities" not in repr(parsed)
        out = clean_entries(parsed.entries, FEED, VOCAB, identities=parsed.identities)
        assert out
        for e in out:
            text = fold(" ".join(str(v) for v in dataclasses.asdict(e).values()))
            assert not CANARY.search(text), (name, CANARY.search(text).group(0), e)


# --- end to end ------------------------------------------------------------------

CANARY_FEEDS = {  # served name -> fixture; no served name or id may contain a canary
    "oiseau.xml": "wordpress-com.xml", "pie.xml": "blogger.xml", "heron.xml": "podcast.xml", "grive.xml": "rdf.xml",
}
PSEUDONYMS = {"oiseau": "Docteur Oiseau", "pie": "Interne Pie", "heron": "Pharmacien Héron",
              "grive": "Sage-femme Grive"}


@pytest.fixture
def canary_site(site, server, feed_dir):
    for served, fixture in CANARY_FEEDS.items():
        (feed_dir / served).write_bytes((CANARY_DIR / fixture).read_bytes())
    site.write_registry([
        {"id": fid, "author": PSEUDONYMS[fid], "title": f"Blog {fid}", "feed": f"{server.url}/{fid}.xml",
         "site": f"https://{fid}.example/"}
        for fid in PSEUDONYMS])
    site.build()
    return site


def _files(root: Path):
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_canaries_reach_no_file_of_the_site_nor_the_store(canary_site):
    site = canary_site
    files = _files(site.output)
    assert len(files) > 30
    read = 0
    for path in files:
        text = privacy_check.read_text(path)  # gunzips the search index
        if text is None:
            continue
        read += 1
        for own in privacy_check.OWN_ADDRESSES:  # the charter's removal contact, the join page's
            text = text.replace(f"mailto:{own}", "").replace(own, "")
        hit = CANARY.search(fold(text)) or CANARY.search(fold(str(path.relative_to(site.output))))
        assert hit is None, f"{path.relative_to(site.output)}: {hit.group(0)!r}"
    assert read > 30
    # Nothing identifying was stored: not in the database, its WAL, nor anything else in state/.
    for path in _files(site.state):
        data = path.read_bytes().lower()
        for token in (b"zorglub", b"canari", GRAVATAR_MD5.encode(), BLOGGER_PROFILE.encode(), b"noreply"):
            assert token not in data, (path.name, token)

    # The content itself did arrive: the test is not vacuous.
    home = site.read("index.html").replace("\u202f", " ")  # French spacing before « : »
    for text in ("Toux de trois semaines", "stéthoscope", "Nuit de garde aux urgences pédiatriques",
                 "Épisode 1 : les interactions médicamenteuses", "la pilule du lendemain",
                 "Visite à domicile après la naissance", "Une astreinte calme"):
        assert text in home, text
    assert 'href="https://oiseau.example/2026/01/05/toux/?page=2"' in home
    assert 'href="https://pie.example/2026/02/nuit-de-garde.html"' in home
    assert 'href="https://grive.example/2026/04/visite.html"' in home
    for pseudonym in PSEUDONYMS.values():
        assert pseudonym in home
    atom = feedparser.parse((site.output / "feeds/all.atom.xml").read_bytes())
    assert {e.author for e in atom.entries} == set(PSEUDONYMS.values())
    assert len(atom.entries) == 9  # 3 + 3 + 2 + 1: none lost


def test_the_privacy_check_passes_on_the_canary_build(canary_site, capsys):
    assert privacy_check.main([str(canary_site.output)]) == 0


# --- the registry -------------------------------------------------------------------

@pytest.mark.parametrize("key", ["name", "real_name", "email", "phone", "city", "ville", "rpps", "avatar"])
def test_registry_refuses_identity_fields_with_their_line_and_why(tmp_path, key):
    from pelican.plugins.blogroll.core.errors import RegistryError
    from pelican.plugins.blogroll.registry import load

    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n  - id: oiseau\n    title: Blog\n    author: Docteur Oiseau\n"
                     "    site: https://oiseau.example/\n    feed: https://oiseau.example/feed/\n"
                     f"    specialties: [medecine-generale]\n    {key}: Zorglub Canari\n", "utf-8")
    with pytest.raises(RegistryError) as err:
        load(feeds, ROOT / "specialties.yaml")
    assert err.value.problems == [("feeds.yaml", 8, f"champ « {key} » refusé : le registre ne contient que le "
                                                    "pseudonyme public (author), jamais d'identité réelle ni de "
                                                    "coordonnées")]


# --- real-world feeds ----------------------------------------------------------------

CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus (real-world feeds) is absent")
def test_real_world_feeds_leave_no_email_hash_or_feed_identity_in_what_is_stored():
    from pelican.plugins.blogroll.core.errors import ParseError

    email = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}", re.I)
    hex_hash = re.compile(r"(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])", re.I)
    feeds = entries = with_identities = 0
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.suffix in (".md", ".tsv", ".txt") or "licenses" in path.parts:
            continue
        try:
            parsed = parse_feed(path.read_bytes(), base_url="https://corpus.example/")
        except ParseError:
            continue
        feeds += 1
        with_identities += bool(parsed.identities)
        redact = Redactor(parsed.identities, keep=(FEED.author, FEED.title))
        for e in clean_entries(parsed.entries, FEED, VOCAB, identities=parsed.identities):
            entries += 1
            text = " ".join([e.title, e.excerpt, *e.tags])
            where = f"{path.relative_to(CORPUS)}: {e.title!r}"
            assert not email.search(text) and not hex_hash.search(text), where
            assert not (redact and redact.pattern.search(fold(text))), where
            assert not identity_url(e.link) and "utm_" not in e.link, where
            assert e.guid is None or "@" not in e.guid, where
    assert feeds > 150 and entries > 300 and with_identities > 50, (feeds, entries, with_identities)


@pytest.mark.parametrize("key, url", [("feed", "https://oiseau.example/author/camille-testard/feed/"),
                                      ("site", "https://www.blogger.com/profile/09876543210987654321"),
                                      ("site", "https://oiseau.example/?author=2")])
def test_registry_refuses_site_or_feed_urls_that_point_at_a_person(tmp_path, key, url):
    from pelican.plugins.blogroll.core.errors import RegistryError
    from pelican.plugins.blogroll.registry import load

    urls = {"site": "https://oiseau.example/", "feed": "https://oiseau.example/feed/", key: url}
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n  - id: oiseau\n    title: Blog\n    author: Docteur Oiseau\n"
                     f"    site: {urls['site']}\n    feed: {urls['feed']}\n    specialties: [medecine-generale]\n",
                     "utf-8")
    with pytest.raises(RegistryError) as err:
        load(feeds, ROOT / "specialties.yaml")
    line = 5 if key == "site" else 6
    assert [(p[1], p[2].split(" :")[0]) for p in err.value.problems] == [(line, key)]
    assert "désigne une personne" in err.value.problems[0][2]
