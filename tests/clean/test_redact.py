"""clean/redact.py: the Redactor's word check before its pattern is a speed measure only."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.redact import Redactor
from pelican.plugins.blogroll.core.names import fold_name

TOKENS = ["Camille Testard", "Dr Jean-Pierre Dupont", "zorglub", "camille.testard@example.org", "123456789",
          "Cabinet Dupont", "Marie", "Anne-Sophie de la Tour", "jquenzac", "Æmilienne Grøndal"]
PIECES = ["camille", "Testard", "TESTARD", "dupont", "Dr.", "dr ", "jean", "pierre", "-", " ", ".", "@",
          "example", "org", "zorglub", "123456789", "1234567890", "Sainte-Marie", "marie", "anne", "sophie",
          "tour", "la", "de", "quenzac", "aemilienne", "grondal", "Grøndal", "\u200b", "é", "Cаmille", ",", "x"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
redactors = [Redactor(TOKENS[:n], keep=("Docteur Sonde",)) for n in range(1, len(TOKENS) + 1)]


@settings(max_examples=800, deadline=None)
@given(texts, st.integers(0, len(redactors) - 1))
def test_the_word_check_never_changes_what_is_found(text, which):
    r = redactors[which]
    folded = fold_name(text)
    assert (r._search(folded) is None) == (r.pattern.search(folded) is None)
    assert r.found(text) == (r.pattern.search(folded) is not None)


def test_many_words_go_to_the_pattern_alone():
    many = Redactor([f"Prenom{i} Nomdefamille{i}x" for i in range(40)])
    assert many._keys is None
    assert many.found("bonjour nomdefamille7x") and not many.found("bonjour")
