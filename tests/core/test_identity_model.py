"""core/identity.py: one folding for every matcher, and the variants of a declared identity.

Names are generated (synthetic syllables, never a real person's name)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.identity import Variants, fold, fold_map, squeeze, variants
from pelican.plugins.blogroll.core.names import fold_name

SYLLABLES = ["ka", "lo", "mi", "ru", "ve", "zan", "tor", "quel", "bra", "dou", "fen", "gri", "nac", "pel", "sou",
             "tri", "vau", "zel", "rec", "mon"]
surname = st.lists(st.sampled_from(SYLLABLES), min_size=3, max_size=5).map("".join)
# Invisible code points a reader does not see (default-ignorable, not only category Cf).
INVISIBLE = ["\u200b", "\u00ad", "\u034f", "\ufe0f", "\ufe00", "\u2060", "\u200d", "\u3164", "\u115f", "\ufeff",
             "\U000e0041", "\U000e0100", "\u180b", "\u17b4"]


def test_fold_reads_what_a_reader_reads():
    assert fold("Cælia") == fold("CAELIA") == fold("C\u200bælia") == fold("Ｃａｅｌｉａ") == "caelia"
    assert fold("C\u0430elia") == "caelia"  # Cyrillic а inside a Latin word: a look-alike
    assert fold("Ca\ufe0fe\u034flia") == "caelia"
    assert fold("Иванов") == "ivanov" and fold("Παπαδόπουλος") == "papadopoulos"
    assert fold("Dupont, « docteur »") == "dupont, « docteur »"  # separators kept
    assert squeeze("J.-B. Dupont") == "jbdupont"
    assert fold_name is fold


@settings(max_examples=300, deadline=None)
@given(surname, st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=3), st.integers(1, 3))
def test_invisible_code_points_never_split_a_name(name, marks, at):
    at = min(at, len(name) - 1)
    hidden = name[:at] + "".join(marks) + name[at:]
    assert fold(hidden) == fold(name)
    folded, index = fold_map(hidden)
    assert folded == fold(hidden) and len(index) == len(folded)


@settings(max_examples=200, deadline=None)
@given(surname)
def test_a_name_in_another_script_folds_to_its_latin_spelling(name):
    cyrillic = name.translate(str.maketrans("kalomiruvezntqbdfgpsc", "каломіrуvезнтqбдфгпсц"))
    if any(unicodedata.name(c).startswith("CYRILLIC") for c in cyrillic) and "q" not in name:
        # Transliteration is phonetic: the Latin letters of its output are read back alike.
        assert squeeze(cyrillic).isascii() and squeeze(cyrillic)


@settings(max_examples=200, deadline=None)
@given(surname, surname, st.sampled_from(["Dr", "Pr", "Mme", ""]))
def test_a_full_name_gives_every_spelling_family(first, last, title):
    first, last = first.capitalize(), last.capitalize()
    v = variants([f"{title} {first} {last}".strip()])
    f, s = fold(first), fold(last)
    assert {f, s} <= v.words
    assert {f + s, s + f, f[0] + s, s + f[0]} <= v.glued
    assert all(len(g) >= 5 for g in v.glued)


def test_spelling_families_of_the_issue():
    assert {"letrevennec", "trevennec", "jletrevennec"} <= variants(["Dr Jean Le Trévennec"]).glued
    assert "ndourakh" in variants(["Camille N'Dourakh"]).glued
    assert {"vallade", "cormier"} <= variants(["Camille Vallade-Cormier"]).words
    assert "starroman" in variants(["Jean St-Arroman"]).glued and "arroman" in variants(["Jean St-Arroman"]).words
    assert "vo" in variants(["Dr Vo"]).words
    assert "quistrebert" in variants(["@DrQuistrebert"]).words
    pouliquen = variants(["drpouliquen"])
    assert "pouliquen" in pouliquen.words and "rpouliquen" not in pouliquen.words | pouliquen.glued
    assert "portevin" in variants(["portevin75"]).words
    assert {"camille", "testard"} <= variants(["camille.testard+blog@example.org"]).words
    # Declared surnames that are ordinary words are names all the same.
    for declared, word in [("Camille Boulanger", "boulanger"), ("Dr Sage", "sage"), ("Mme Maison", "maison"),
                           ("Camille Bonjour", "bonjour"), ("Camille Marchand", "marchand")]:
        assert word in variants([declared]).words, declared


def test_what_is_no_person_gives_nothing():
    for token in ["Marie", "Garde", "Équipe de garde", "Pharmacie du Centre", "Cabinet médical", "docteur",
                  "consultation.douleur@example.org", "garde@example.org", "index.php", "feed", "2026",
                  "admin", "la sage-femme pressée"]:
        assert not variants([token]), token


def test_a_service_is_no_person_but_a_name_made_of_words_is_one():
    # A specialty, or ordinary words run together with a long or a service's word: a mailbox.
    for token in ["pneumologue@chu.example", "@neonatologie", "@soinspalliatifs", "medecineinterne@chu.example",
                  "@consultationdouleur", "@addictologie"]:
        assert not variants([token]), token
    # Short ordinary words glued are a surname (« Maisonneuve »), a first name keeps its surname.
    for token, word in [("@maisonneuve", "maisonneuve"), ("@grandmaison", "grandmaison"),
                        ("portevin75", "portevin"), ("@amelieboulanger", "amelieboulanger")]:
        assert word in variants([token]).words, token
    # A title word after a lone first name is the surname; compound units are glued whole.
    assert "me" in variants(["Bababa Me"]).words
    assert "liseombrane" in variants(["Lise-Ombrane Aurore Vardelouze"]).glued


def test_variants_combine():
    a, b = variants(["Camille Testard"]), variants(["Dr Vo"])
    assert (a | b).words == a.words | b.words and (a | b).glued == a.glued | b.glued
    assert not Variants() and a


# --- one reading: the other readings are skipped only where they would read the same --------

_MIXED = st.text(alphabet=st.one_of(
    st.sampled_from(list("aeiouyz éèêëàâäîïôöûüùçœæÿñßÉÈÀÇŒÆ’«»—–…-'.@ 0123456789")),
    st.sampled_from(list("абвгдеёжзийкуВНСРКМТХ")),  # Cyrillic, with capital look-alikes
    st.sampled_from(list("αβγδεζηΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")),  # Greek
    st.sampled_from(list("ﬁﬂＡｂｃ①²ª\u200b\u00ad\ufe0f\u0301\u034f٣")),  # compatibility, ignorables, marks
    st.characters(codec="utf-8")), max_size=30)


@settings(max_examples=600, deadline=None)
@given(_MIXED)
def test_one_reading_means_every_reading_is_the_fold(text):
    from pelican.plugins.blogroll.clean.detect import _capital
    from pelican.plugins.blogroll.core.identity import fold_char, one_reading

    if one_reading(text):
        assert fold_map(text, True) == fold_map(text, False)
        assert "".join(map(fold_char, text)) == fold(text) == "".join(_capital(c) for c in text)


def test_french_reads_one_way_and_other_scripts_do_not():
    from pelican.plugins.blogroll.core.identity import one_reading

    assert one_reading("L’hôpital « Sainte-Œdile » : garde à 3 h — Noël, façon ÉTÉ…")
    assert not one_reading("Qуелбра")  # a Cyrillic « у »
    assert not one_reading("Иванов")
