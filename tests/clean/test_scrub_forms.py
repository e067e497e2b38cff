"""clean/scrub.py and the guard (tools/privacy_check.py): e-mails in every written form, bare
domains on any top-level domain, and what is NOT an address, a postcode or an RPPS number.

Generated local parts, domains and spellings; the guard must catch what the scrubber cuts."""

from __future__ import annotations

import privacy_check
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.scrub import scrub_text

SYLLABLES = ["ka", "lo", "mi", "ru", "ve", "zan", "tor", "quel", "bra", "dou", "fen", "gri", "nac", "pel"]
label = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=4).map("".join)
TLDS = ["org", "fr", "com", "clinic", "care", "paris", "bzh", "health", "doctor", "art", "online", "xyz", "dental"]
AT = [" @ ", " -at- ", " arobase ", " at ", "-at-", " _at_ "]
DOT = [" dot ", " -dot- ", " point ", "-dot-", " _dot_ "]


def guard_flags(text: str) -> bool:
    return bool(privacy_check.scan_text("x", text, privacy_check.DenyList([])))


@settings(max_examples=300, deadline=None)
@given(label, label, st.sampled_from(TLDS), st.sampled_from(AT), st.sampled_from(DOT))
def test_an_e_mail_written_in_words_is_cut_and_flagged(local, domain, tld, at, dot):
    address = f"{local}{at}{domain}{dot}{tld}"
    text = f"Écrivez à {address} pour un rendez-vous."
    out = scrub_text(text)
    assert local not in out and domain not in out, (text, out)
    assert "rendez-vous" in out
    assert guard_flags(address), address


@settings(max_examples=200, deadline=None)
@given(label, st.sampled_from(TLDS))
def test_a_bare_domain_on_any_top_level_domain_is_cut(name, tld):
    out = scrub_text(f"Mon site : cabinet-{name}.{tld} et la suite.")
    assert name not in out and "la suite" in out


AMOUNTS = ["10 000 000 000 €", "12 345 678 901 euros", "10 000 000 000 $", "123 456 789 habitants",
           "100 000 000 000 de dollars"]
COUNTS = ["40000 Français", "20000 Patients", "15000 Personnes", "30000 Malades"]
NOT_STREETS = ["4 cours de biologie", "2 places de parking", "3 voies d'abord", "1 passage aux urgences",
               "5 chemins cliniques", "2 route de soins"]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(AMOUNTS + COUNTS + NOT_STREETS), st.sampled_from(["Cette année, ", "On compte, ", ""]))
def test_amounts_counts_and_ordinary_phrases_are_kept(phrase, before):
    text = f"{before}{phrase} en tout."
    assert scrub_text(text) == text


def test_addresses_postcodes_and_register_numbers_are_still_cut():
    for text in ["3 bis avenue des Acacias, 69003 Lyon", "4 cours Lafayette", "12 place de la République",
                 "écrire, 75011 Paris", "RPPS 10003456789", "n° 10 003 456 789 au registre"]:
        out = scrub_text(f"Voir {text} merci")
        assert not any(c.isdigit() for c in out), (text, out)
