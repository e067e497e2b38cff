"""scrub_text skips a pattern when a cheap hint rules it out (a speed measure, see clean/scrub.py):
it must give exactly what running every pattern gives, on any text."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean import scrub
from pelican.plugins.blogroll.core import emails
from pelican.plugins.blogroll.core.text import squash


def reference(text: str) -> str:
    """scrub_text as it was before the hints: every pattern, always."""
    for pattern in (emails.EMAIL, emails.EMAIL_WORDS, scrub._BARE_URL, scrub._IDENTITY_PATH, scrub._HEX_HASH):
        text = pattern.sub(" ", text)
    text = scrub._drop_domains(text)
    text = scrub._RPPS_ADELI.sub(scrub._register_number, scrub.drop_phones(text))
    text = scrub._ADDRESS.sub(scrub._address, text)
    return squash(text)


# Pieces of every form the patterns look for, in both cases, plus the characters that
# IGNORECASE folds onto ASCII letters (ſ, ı, İ, the Kelvin sign) and various spaces.
TOKENS = [
    "nom", "camille.testard", "Dr", "x", "é", "@", "＠", "﹫", "at", "AT", "arobase", "ArObAsE", "_at_", "_dot_",
    "dot", "point", "poınt", "arobaſe", "[", "]", "(", ")", "{", "}", "<", ">", ".", "fr", "com", "org", "example",
    "mailto:", "http:", "https:", "//", "www.", "WWW.", "/author/", "/Profile/", "/profıle/", "blog.example",
    "0123456789abcdef", "ABCDEF0123456789", "deadbeef", "06 12 34 56 78", "0612345678", "12", "rue", "chez",
    "75011", "Paris", "BP", "rpps", "10001234567", "(a)", "．", "cabinet-nom.fr", "K", "İ", " ", "  ", "\n", "\t", "\u00a0", "-", ",",
    "RPPS", "rppſ", "adelı", "ADELİ", "Finess", "fİneſs", "wWw.", "ww", "w", "/", "a.", ".Fr", "[dot]", "(point)", "domaine",
    "x.y", "nom.prenom", "@ex", "chez le", " chez nom.fr", "(at)", "{at}", " at ", "arobase ",
    "nom at example dot fr", "NOM CHEZ domaine POINT com", "x arobase y point fr", " dot ", " point ",
    "nom@example.org", "a [at] b [dot] fr", "c (arobase) d (point) net",
]
texts = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
spaced = st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(texts, spaced))
def test_hints_never_change_the_result(text):
    assert scrub.scrub_text(text) == reference(text)


def test_every_form_is_still_scrubbed():
    cases = {
        "écrire à camille.testard@example.org demain": "écrire à demain",
        "nom [at] domaine [dot] fr": "",
        "nom (arobase) domaine (point) fr ok": "ok",
        "NOM AT DOMAINE POINT FR fin": "fin",
        "voir www.example.org et https://blog.example/x": "voir et",
        "profil blog.example/author/camille ici": "profil ici",
        "hash 0123456789abcdef0123456789ABCDEF fin": "hash fin",
        "un texte sans rien de tout cela": "un texte sans rien de tout cela",
    }
    for text, expected in cases.items():
        assert scrub.scrub_text(text) == reference(text) == expected, text


# Every hint against the pattern it stands for: where the pattern matches, the hint must too.
HINTS = [
    (emails.EMAIL, lambda t: bool(emails.EMAIL_HINT.search(t))),
    (emails.EMAIL_WORDS, lambda t: bool(emails.EMAIL_WORDS_HINT.search(t))),
    (scrub._BARE_URL, lambda t: bool(scrub._BARE_URL_HINT.search(t))),
    (scrub._IDENTITY_PATH, lambda t: bool(scrub._IDENTITY_PATH_HINT.search(t))),
    (scrub._HEX_HASH, scrub._may_hold_hex_hash),
    (scrub._BARE_DOMAIN, lambda t: bool(scrub._DOMAIN_HINT.search(t))),
    (scrub._RPPS_ADELI, scrub._may_hold_number),
    (re.compile(r"\d(?:[\s\u00a0.\-/()]*\d){5,}|rpps|adeli|finess", re.I), scrub._may_hold_number),  # the old hint
    (scrub._ADDRESS, lambda t: bool(scrub._ADDRESS_HINT.search(t))),
]


@settings(max_examples=1500, deadline=None)
@given(st.one_of(texts, spaced))
def test_each_hint_finds_every_text_its_pattern_matches(text):
    for pattern, hint in HINTS:
        if pattern.search(text):
            assert hint(text), (pattern.pattern[:60], text)


def test_register_names_fold_as_the_hint_assumes():
    # _may_name_a_register checks lower() and falls back to the regex on ſ, İ, ı: these must be
    # the only characters besides ASCII case that IGNORECASE folds onto the letters of the names.
    for letter in set("rppsadelifiness"):
        folded = {chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(letter, chr(c), re.I)}
        assert folded - {letter, letter.upper()} <= {"\u017f", "\u0130", "\u0131"}, letter
    for text in ("RPPS 1", "n° ADELI", "fİneſs", "adelı", "ſ rpps"):
        assert scrub._may_name_a_register(text)
    assert not scrub._may_name_a_register("ſ et ı, sans registre")
