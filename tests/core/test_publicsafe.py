"""core/publicsafe.py: what a server sends never reaches the store or /etat/ but in our own
words. A part in parentheses is kept only when it is one of our own phrases: a header made of
ordinary words (« (Marie Rose) », « (garde de nuit) ») is cut like any other server value."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.publicsafe import public_reason

ORDINARY = ("marie", "rose", "pierre", "garde", "nuit", "docteur", "maison", "sage", "boulanger", "bonjour",
            "erreur", "serveur", "flux", "page", "plus", "de", "la", "HTTP", "s", "Mio")
OURS = (
    "délai total dépassé (30 s)",
    "délai de connexion dépassé (10 s)",
    "trop de redirections (plus de 5)",
    "réponse trop volumineuse (plus de 10 Mio)",
    "nom de domaine introuvable (DNS)",
    "flux introuvable à cette adresse (HTTP 404)",
    "erreur réseau (RemoteProtocolError)",
    "flux illisible (erreur de l'analyseur : SAXParseException)",
    "flux illisible (erreur interne : KeyError)",
    "ce n'est pas un flux (page HTML)",
    "le serveur a cessé de répondre (délai de lecture dépassé)",
    "document refusé : déclaration DTD interne (entités XML)",
    "fin de l'historique (la page répète le flux)",
)


def test_our_own_phrases_are_kept_whole():
    for text in OURS:
        assert public_reason(text) == text


@settings(deadline=None)
@given(st.lists(st.sampled_from(ORDINARY), min_size=1, max_size=4))
def test_a_header_of_ordinary_words_is_cut(words):
    header = " ".join(words)
    reason = public_reason(f"encodage de contenu non pris en charge ({header})")
    assert reason == "encodage de contenu non pris en charge"


LETTERS = "abcdefghijklmnopqrstuvwxyzéèçABCDEFGHIJKLMNOPQRSTUVWXYZ"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(LETTERS, min_size=2, max_size=12), min_size=2, max_size=3).map(" ".join))
def test_any_words_a_server_puts_in_parentheses_are_cut(header):
    reason = public_reason(f"encodage de contenu non pris en charge ({header})") or ""
    assert header not in reason
