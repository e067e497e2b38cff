"""The probe corpus's own shape (tests/fixtures/probes/, built by tests/probes.py).

These tests do not run the probes through the pipeline: they check that the corpus is
big enough, that every probe builds to a feed, that its secrets are synthetic and really
in what the probe serves, and that no secret appears anywhere else in the repository.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import xml.dom.minidom
import xml.parsers.expat
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from probes import (  # noqa: E402
    CLASSES,
    DEFAULT_BLOG_TITLE,
    DEFAULT_PSEUDONYM,
    DEFAULT_SITE,
    EXPECTS,
    FORMATS,
    LEAK_CLASSES,
    PROBE_DIR,
    Probe,
    fold,
    load_probes,
)

ROOT = Path(__file__).resolve().parents[2]
MINIMUMS = {"names": 30, "places": 25, "text": 25, "links": 15, "state": 8, "comments": 5, "precision": 35}
MIN_LEAK_PROBES = 110

# Words a secret must never be (nor be made only of): they occur in ordinary posts, and a
# secret equal to one would make a leak test fail on legitimate text or pass vacuously.
COMMON_WORDS = frozenset(fold(w) for w in ["le", "la", "les", "un", "une", "des", "du", "de", "d", "l", "au", "aux", "et", "ou", "en", "à", "a", "par", "pour", "sur", "sous", "avec", "sans", "dans", "chez", "ce", "cet", "cette", "ces", "mon", "ma", "mes", "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs", "qui", "que", "quoi", "dont", "est", "sont", "été", "être", "avoir", "fait", "plus", "moins", "très", "bien", "tout", "tous", "toute", "toutes", "rien", "jour", "nuit", "matin", "soir", "semaine", "mois", "année", "an", "ans", "heure", "rue", "avenue", "allée", "place", "boulevard", "impasse", "chemin", "route", "ville", "paris", "lyon", "nantes", "france", "docteur", "docteure", "dr", "pr", "professeur", "professeure", "médecin", "médecine", "interne", "externe", "garde", "urgences", "urgence", "cabinet", "médical", "médicale", "santé", "maison", "hôpital", "clinique", "chu", "service", "patient", "patiente", "patients", "infirmier", "infirmière", "sage", "femme", "sage-femme", "pharmacien", "pharmacienne", "pharmacie", "kiné", "kinésithérapeute", "psychiatre", "psychologue", "dentiste", "généraliste", "spécialiste", "équipe", "l'équipe", "rédaction", "admin", "auteur", "auteure", "contact", "info", "bonjour", "merci", "blog", "billet", "article", "podcast", "épisode", "commentaire", "commentaires", "comments", "sonde", "carnet", "marie", "jean", "pierre", "martin", "rose", "étienne", "marsan", "sainte", "saint", "centre", "example", "org", "net", "com", "test", "fr", "www", "http", "https", "mailto", "feed", "flux", "rss", "atom", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"])


def _probes() -> list[Probe]:
    return load_probes()


PROBES = _probes()
IDS = [p.id for p in PROBES]


def _tokens(s: str) -> list[str]:
    return [t for t in re.split(r"[^\w]+", fold(s)) if t]


# --- the corpus as a whole -----------------------------------------------------------

def test_every_class_meets_its_minimum():
    counts = Counter(p.cls for p in PROBES)
    short = {c: (counts[c], n) for c, n in MINIMUMS.items() if counts[c] < n}
    assert not short, short
    assert sum(counts[c] for c in LEAK_CLASSES) >= MIN_LEAK_PROBES, counts


def test_one_file_per_class_and_nothing_else():
    assert {p.name for p in PROBE_DIR.glob("*.yaml")} == {f"{c}.yaml" for c in CLASSES}
    for p in PROBES:
        assert p.source == f"{p.cls}.yaml", (p.id, p.source)


def test_ids_and_markers_are_unique():
    dupes = [i for i, n in Counter(IDS).items() if n > 1]
    assert not dupes, dupes
    markers = Counter(fold(p.marker) for p in PROBES if p.keep)
    assert not [m for m, n in markers.items() if n > 1]


def test_no_secret_is_kept_or_used_as_a_default_anywhere_in_the_corpus():
    kept = [fold(k) for p in PROBES for k in p.keep + ((p.keep_link,) if p.keep_link else ())]
    defaults = [fold(x) for x in (DEFAULT_PSEUDONYM, DEFAULT_BLOG_TITLE, DEFAULT_SITE)]
    defaults += [fold(x) for p in PROBES for x in (p.pseudonym, p.blog_title, p.site)]
    for p in PROBES:
        for secret in map(fold, p.secrets):
            assert not [k for k in kept if secret in k], (p.id, secret)
            assert not [d for d in defaults if secret in d], (p.id, secret)


def _tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    paths = [ROOT / p for p in out.decode("utf-8", "replace").split("\0") if p]
    fixtures = PROBE_DIR.resolve()
    return [p for p in paths if p.is_file() and fixtures not in p.resolve().parents]


def test_no_secret_appears_in_the_repository_outside_the_corpus():
    secrets = {fold(s): p.id for p in PROBES for s in p.secrets}
    pattern = re.compile("|".join(re.escape(s) for s in sorted(secrets, key=len, reverse=True)))
    hits = []
    for path in _tracked_files():
        data = path.read_bytes()
        if b"\0" in data[:4096]:
            continue
        text = fold(data.decode("utf-8", "replace"))
        for m in pattern.finditer(text):
            hits.append((str(path.relative_to(ROOT)), secrets[m.group(0)]))
    assert not hits, hits[:20]


# --- each probe ------------------------------------------------------------------------

@pytest.mark.parametrize("probe", PROBES, ids=IDS)
def test_probe_fields(probe: Probe):
    assert probe.cls in CLASSES
    assert probe.format in FORMATS
    assert probe.expect in EXPECTS
    assert probe.what.strip()
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", probe.id) and probe.id.startswith(probe.cls + "-"), probe.id
    assert probe.feed_path.startswith("/")
    assert probe.keep, "a probe needs a unique marker (keep[0])"
    assert re.fullmatch(r"marqueur[a-z]\d\d", probe.marker), probe.marker
    if probe.cls == "comments":
        assert probe.expect == "refused"
    if probe.expect == "refused":
        assert probe.cls == "comments"
    if probe.cls == "precision":
        assert probe.secrets == () and probe.expect == "published"
    else:
        assert probe.secrets, "a leak probe needs at least one secret"
    if probe.server is not None:
        assert 200 <= probe.server.status < 400
        if probe.server.redirect_to is not None:
            assert 300 <= probe.server.status < 400
        if probe.server.redirect_host:
            assert probe.server.redirect_to and probe.server.redirect_to.startswith("/")


@pytest.mark.parametrize("probe", PROBES, ids=IDS)
def test_probe_builds_to_well_formed_xml(probe: Probe):
    assert probe.feed.strip()
    if probe.malformed:
        with pytest.raises(xml.parsers.expat.ExpatError):  # the flag is honest: the document really is broken
            xml.dom.minidom.parseString(probe.feed)
        return
    doc = xml.dom.minidom.parseString(probe.feed)
    root = doc.documentElement.localName
    assert root == {"rss": "rss", "atom": "feed", "rdf": "RDF"}[probe.format], root


@pytest.mark.parametrize("probe", PROBES, ids=IDS)
def test_marker_and_kept_words_are_in_the_feed(probe: Probe):
    served = probe.served_text()
    for word in probe.keep:
        assert fold(word) in served, word
    if probe.keep_link:
        assert probe.keep_link in html.unescape(probe.feed.decode("utf-8")), probe.keep_link


@pytest.mark.parametrize("probe", [p for p in PROBES if p.leak], ids=[p.id for p in PROBES if p.leak])
def test_every_secret_is_in_what_the_probe_serves(probe: Probe):
    served = probe.served_text()
    missing = [s for s in probe.secrets if fold(s) not in served]
    assert not missing, missing


@pytest.mark.parametrize("probe", [p for p in PROBES if p.leak], ids=[p.id for p in PROBES if p.leak])
def test_secrets_are_synthetic_identities_not_common_words(probe: Probe):
    for secret in probe.secrets:
        folded = fold(secret).strip()
        assert len(folded) >= 5, secret
        assert folded not in COMMON_WORDS, secret
        # At least one distinctive part: a word that is not common, or a long run of digits.
        distinctive = [t for t in _tokens(secret) if (len(t) >= 4 and t not in COMMON_WORDS)]
        assert distinctive or len(re.sub(r"\D", "", secret)) >= 8, secret


def test_fold_compares_as_documented():
    assert fold("ＳＯＮＤＥ\u200bTEST") == "sondetest"  # fullwidth letters, zero-width space
    assert fold("Stra\u1e9eE") == "strasse"  # capital sharp s
    assert fold("Fi\u00adché") == "fiché"  # soft hyphen gone, accents kept
    assert fold("\ufb03") == "ffi"  # compatibility ligature
