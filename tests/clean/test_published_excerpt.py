"""clean/entry.py `published_excerpt`: only the head of a post's text is redacted, and the
excerpt is the one the whole text would give once redacted (the redactor's cuts are local).
Generated texts mix ordinary words with every spelling family of generated names
(tests/clean/test_redact.py's renderings), at every place, the head's end included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.entry import published_excerpt
from pelican.plugins.blogroll.clean.excerpt import excerpt
from pelican.plugins.blogroll.clean.redact import Redactor
from pelican.plugins.blogroll.clean.scrub import scrub_text
from test_redact import firsts, particles, renderings, surnames

_PROSE = ("la garde de nuit a commencé par un appel du service des urgences pour une douleur "
         "thoracique chez un patient de soixante ans sous anticoagulants , puis une famille inquiète : "
         "l'interne a relu l'ordonnance , le bilan était normal . Mou lin du bois mais on 06 12 34 56 78 "
         "+33 6 12 34 56 78 prenom.nom@example.org 1 85 05 78 006 048 32 rue des Lilas")
PROSE = _PROSE.split()


def whole(text: str, redact: Redactor, words: int) -> str:
    """The excerpt as the clean stage made it before: the whole text scrubbed and redacted, then
    excerpted."""
    text = scrub_text(text)
    redacted = redact(text)
    return excerpt(text if redacted is text else scrub_text(redacted), words)


@st.composite
def posts(draw):
    first, particle, last = draw(firsts), draw(particles), draw(surnames)
    forms = renderings(first, particle, last)
    pieces = draw(st.lists(st.one_of(st.sampled_from(PROSE), st.sampled_from(forms)), min_size=0, max_size=400))
    return f"{first} {particle}{last}", " ".join(pieces)


@settings(max_examples=300, deadline=None)
@given(posts(), st.sampled_from([8, 20, 50]))
def test_the_excerpt_is_the_whole_texts_once_redacted(post, words):
    name, text = post
    redact = Redactor([name])
    assert published_excerpt(text, redact, words) == whole(text, redact, words)


def test_a_name_at_the_heads_end_is_cut_whole():
    """A name in pieces written where the first head ends (50 + 48 words): cut whole."""
    redact = Redactor(["Clervie Moulin"])
    text = " ".join(["mot"] * 96 + ["Clervie", "Mou", "lin"] + ["suite"] * 5)
    assert published_excerpt(text, redact, 50) == whole(text, redact, 50)
    assert published_excerpt(text, redact, 97) == whole(text, redact, 97)
    assert "Clervie" not in published_excerpt(text, redact, 97)


def test_a_head_emptied_by_cuts_grows():
    """A post that opens with a hundred names still gives a full excerpt of what follows."""
    redact = Redactor(["Clervie Moulin"])
    text = " ".join(["Clervie Moulin"] * 100 + [f"mot{i}" for i in range(80)])
    assert published_excerpt(text, redact, 50) == whole(text, redact, 50)
    assert published_excerpt(text, redact, 50).split()[:2] == ["mot0", "mot1"]
