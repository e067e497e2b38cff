"""A hostile pull request to feeds.yaml is refused before any network access, with file:line and reason.

Policy for plain http:// feeds (documented in docs/reliability.md): a warning,
not an error — many small blogs still serve their feed over http only, and
the fetcher treats every feed as hostile anyway.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, SPECIALTIES
from faultserver import FaultServer, respond
from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.core.errors import RegistryError

pytestmark = pytest.mark.build

GOOD = """\
  - id: alpha
    title: "Alpha"
    author: "Docteur Alpha"
    site: https://alpha.example/
    feed: https://alpha.example/feed/
    specialties: [medecine-generale]
"""


def entry(**fields) -> str:
    base = {"id": "beta", "title": '"Bêta"', "author": '"Psy Bêta"', "site": "https://beta.example/",
            "feed": "https://beta.example/feed/", "specialties": "[psychiatrie]"}
    base.update(fields)
    lines = []
    for k, v in base.items():
        if v is None:
            continue
        lines.append(f"  - {k}: {v}" if not lines else f"    {k}: {v}")
    return "\n".join(lines) + "\n"


def load(tmp_path, body: str, *, allow_private: bool = False, warnings: list | None = None):
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n" + GOOD + body, "utf-8")
    return registry.load(path, SPECIALTIES, allow_private=allow_private, warnings=warnings)


def problems(tmp_path, body: str) -> list[tuple[str, int, str]]:
    with pytest.raises(RegistryError) as err:
        load(tmp_path, body)
    return err.value.problems


# The hostile entry starts at line 8 (1: feeds:, 2-7: the good entry); its feed is line 12.
FEED_LINE, ID_LINE = 12, 8


@pytest.mark.parametrize("url,reason", [
    ("file:///etc/passwd", "schéma « file: » refusé"),
    ("ftp://beta.example/feed.xml", "schéma « ftp: » refusé"),
    ('"javascript:alert(1)"', "schéma « javascript: » refusé"),
    ('"data:text/xml,<rss/>"', "schéma « data: » refusé"),
    ("gopher://beta.example:70/", "schéma « gopher: » refusé"),
    ("//beta.example/feed/", "schéma « ?: » refusé"),
    ("http://127.0.0.1/feed/", "adresse IP « 127.0.0.1 » refusée"),
    ("http://169.254.169.254/latest/", "adresse IP « 169.254.169.254 » refusée"),
    ("https://93.184.215.14/feed/", "adresse IP « 93.184.215.14 » refusée"),
    ('"http://[::1]/feed/"', "adresse IP « ::1 » refusée"),
    ('"http://[::ffff:127.0.0.1]/feed/"', "adresse IP « ::ffff:127.0.0.1 » refusée"),
    ("http://2130706433/feed/", "adresse IP « 2130706433 » refusée"),
    ("http://0x7f.1/feed/", "adresse IP « 0x7f.1 » refusée"),
    ("http://127.1/feed/", "adresse IP « 127.1 » refusée"),
    ("http://0177.0.0.1/feed/", "adresse IP « 0177.0.0.1 » refusée"),
    ("https://user:secret@beta.example/feed/", "identifiants dans l'URL refusés"),
    ("https://token@beta.example/feed/", "identifiants dans l'URL refusés"),
    ("http://localhost/feed/", "nom d'hôte « localhost » sans domaine refusé"),
    ("http://intranet/feed/", "nom d'hôte « intranet » sans domaine refusé"),
    ("http://nas.local/feed/", "nom d'hôte local « nas.local » refusé"),
    ("http://admin.internal/feed/", "nom d'hôte local « admin.internal » refusé"),
    # Spelled as the resolver will read them: the root's trailing dot, fullwidth forms (UTS 46).
    ("http://localhost./feed/", "nom d'hôte « localhost » sans domaine refusé"),
    ("http://nas.local./feed/", "nom d'hôte local « nas.local » refusé"),
    ('"http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/feed/"', "adresse IP « 127.0.0.1 » refusée"),
    ('"http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/feed/"',
     "nom d'hôte « localhost » sans domaine refusé"),
    ("http://127.0.0.1./feed/", "adresse IP « 127.0.0.1 » refusée"),
    ("http://LOCALHOST/feed/", "nom d'hôte « localhost » sans domaine refusé"),
    ('"https://beta.example/fe ed/"', "espaces ou des caractères interdits"),
    ('"https://beta.example\\\\@evil.example/"', "espaces ou des caractères interdits"),
    ("'https://beta.example/?q=\"><script>alert(1)</script>'", "espaces ou des caractères interdits"),
    ("https://beta.example/`x`", "espaces ou des caractères interdits"),
    ('"https://beta.example/\\u0000x"', "espaces ou des caractères interdits"),
    ("https://beta.example:99999/feed/", "URL invalide"),
    ("https:///feed/", "pas de nom d'hôte"),
])
def test_hostile_feed_urls_are_refused_with_their_line(tmp_path, url, reason):
    found = problems(tmp_path, entry(feed=url))
    assert any(line == FEED_LINE and reason in why for _, line, why in found), found
    assert all(f == "feeds.yaml" for f, _, _ in found)


def test_same_rules_apply_to_the_site_url(tmp_path):
    found = problems(tmp_path, entry(site="javascript:alert(1)"))
    assert ("feeds.yaml", 11, "site : schéma « javascript: » refusé (seuls http et https sont permis)") in found


def test_plain_http_is_a_warning_with_its_line_not_an_error(tmp_path):
    warnings: list = []
    reg = load(tmp_path, entry(feed="http://beta.example/feed/"), warnings=warnings)
    assert [f.id for f in reg.feeds] == ["alpha", "beta"]
    assert warnings == [("feeds.yaml", FEED_LINE, "feed : URL en http:// ; préférez https:// si le blog le permet")]


@pytest.mark.parametrize("body,line,reason", [
    (entry(id="alpha"), ID_LINE, "id « alpha » en double (déjà ligne 2)"),
    (entry(feed="https://alpha.example/feed/"), FEED_LINE, "URL de flux en double (déjà ligne 6)"),
    (entry(feed="https://ALPHA.example/feed"), FEED_LINE, "URL de flux en double (déjà ligne 6)"),
    (entry(feed="http://alpha.example/feed/"), FEED_LINE, "URL de flux en double (déjà ligne 6)"),
    (entry(specialties="[psychiatrie, chirurgie-esthetique-de-luxe]"), 13,
     "spécialité inconnue « chirurgie-esthetique-de-luxe »"),
    (entry(author=None), ID_LINE, "champ obligatoire manquant : author (le pseudonyme public)"),
    (entry(author='"   "'), 10, "author : le pseudonyme public est vide"),
    (entry(author='""'), 10, "valeur vide"),
    (entry(id='"Beta Blog"'), ID_LINE, "n'est pas un identifiant valide"),
    (entry(email="camille.testard@example.org"), 14, "champ « email » refusé"),
    (entry(real_name='"Camille Testard"'), 14, "champ « real_name » refusé"),
    (entry(twitter="camille_t"), 14, "champ « twitter » refusé"),
    (entry(unknown_field="x"), 14, "champ inconnu « unknown_field »"),
    (entry(specialties="[]"), 13, "specialties"),
    (entry(active='"oui"'), 14, "type attendu boolean"),
])
def test_registry_rules(tmp_path, body, line, reason):
    found = problems(tmp_path, body)
    assert any(l == line and reason in why for _, l, why in found), found


def test_every_problem_is_reported_at_once(tmp_path):
    body = entry(feed="file:///etc/passwd", site="http://127.0.0.1/", specialties="[inconnue]", author=None)
    found = problems(tmp_path, body)
    reasons = " | ".join(why for _, _, why in found)
    for expected in ("schéma « file: »", "adresse IP « 127.0.0.1 »", "spécialité inconnue « inconnue »",
                     "champ obligatoire manquant : author"):
        assert expected in reasons, found


def test_duplicate_key_cannot_hide_a_second_url(tmp_path):
    """A reviewer reads the first `feed:`; YAML would silently keep the second."""
    found = problems(tmp_path, entry() + "    feed: https://autre.example/feed/\n")
    assert ("feeds.yaml", 14, "clé « feed » en double (déjà ligne 12) : la seconde remplacerait la première "
                              "sans le dire") in found


def test_yaml_alias_bomb_is_refused_fast(tmp_path):
    levels = "\n".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9))
    path = tmp_path / "feeds.yaml"
    path.write_text('l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + levels + "\nfeeds: [*l8]\n", "utf-8")
    with pytest.raises(RegistryError) as err:
        registry.load(path, SPECIALTIES)
    lines = [line for _, line, why in err.value.problems if why.startswith("alias YAML")]
    assert lines == list(range(2, 11))


@pytest.mark.parametrize("text,reason", [
    ("feeds:\n  - !!python/object/apply:os.system ['id']\n", "feeds.0 : type attendu object"),
    ("feeds:\n  - id: a\n    title: [x\n", "YAML invalide"),
    ("feeds:\n  - ? [a, b]\n    : x\n", "clé YAML invalide"),
    ("feeds: 12\n", "feeds : type attendu array"),
    ("- a\n- b\n", "le fichier doit contenir une clé « feeds: »"),
    ("", "fichier vide"),
])
def test_malformed_yaml_is_a_located_error_not_a_crash(tmp_path, text, reason):
    path = tmp_path / "feeds.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(RegistryError) as err:
        registry.load(path, SPECIALTIES)
    assert any(reason in why for _, _, why in err.value.problems), err.value.problems


def test_non_utf8_registry(tmp_path):
    path = tmp_path / "feeds.yaml"
    path.write_bytes(b"feeds:\n  - id: caf\xe9\n")
    with pytest.raises(RegistryError, match="pas en UTF-8"):
        registry.load(path, SPECIALTIES)


def test_hostile_registry_stops_the_build_before_any_request(site):
    """The good feed is a real loopback server: it must not be asked anything."""
    with FaultServer() as server:
        server.route("/feed.xml", respond(200, "<rss/>"))
        site.feeds.write_text(textwrap.dedent(f"""\
            feeds:
              - id: bon
                title: "Bon"
                author: "Pseudo"
                site: https://bon.example/
                feed: {server.url}/feed.xml
                specialties: [medecine-generale]
              - id: mauvais
                title: "Mauvais"
                author: "Autre"
                site: https://mauvais.example/
                feed: file:///etc/passwd
                specialties: [medecine-generale]
            """), "utf-8")
        with pytest.raises(RegistryError) as err:
            site.build(BLOGROLL_ALLOW_PRIVATE=False)
        assert server.hits() == 0
    assert "feeds.yaml:6: feed : adresse IP « 127.0.0.1 » refusée" in str(err.value)
    assert "feeds.yaml:12: feed : schéma « file: » refusé" in str(err.value)
    assert not (site.output / "index.html").exists()
    assert not (site.state / "blogroll.sqlite3").exists()


def test_make_check_prints_file_line_reason_and_fails(tmp_path):
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n" + GOOD + entry(feed="ftp://beta.example/f", id="alpha")
                    + entry(id="gamma", feed="http://gamma.example/feed/"), "utf-8")
    out = subprocess.run([sys.executable, "-m", "pelican.plugins.blogroll", "--feeds", str(path), "--specialties", str(SPECIALTIES),
                          "check"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 1
    assert "feeds.yaml:8: id « alpha » en double (déjà ligne 2)" in out.stderr
    assert "feeds.yaml:12: feed : schéma « ftp: » refusé (seuls http et https sont permis)" in out.stderr
