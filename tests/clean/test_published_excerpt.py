"""clean/entry.py `cleared_head`: only the head of a post's text is redacted, and the
excerpt is the one the whole text would give once redacted (the redactor's cuts are local).
Generated texts mix ordinary words with every spelling family of generated names
(tests/clean/test_redact.py's renderings), at every place, the head's end included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.entry import cleared_head
from pelican.plugins.blogroll.clean.excerpt import excerpt
from pelican.plugins.blogroll.clean.redact import Redactor
from pelican.plugins.blogroll.clean.scrub import scrub_text
from test_redact import firsts, particles, renderings, surnames

_PROSE = ("la garde de nuit a commencé par un appel du service des urgences pour une douleur "
         "thoracique chez un patient de soixante ans sous anticoagulants , puis une famille inquiète : "
         "l'interne a relu l'ordonnance , le bilan était normal . Mou lin du bois mais on 06 12 34 56 78 "
         "+33 6 12 34 56 78 prenom.nom@example.org 1 85 05 78 006 048 32 rue des Lilas")
PROSE = _PROSE.split()


def published_excerpt(text: str, redact: Redactor, words: int) -> str:
    """The excerpt as the clean stage makes it (clean/entry.py `clean_entry`)."""
    return excerpt(cleared_head(text, redact, words).head, words)


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


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["Oncologue", "Chimio", "Radiothérapie", "Leucémie"]), st.integers(0, 40))
def test_a_declared_name_that_is_a_vocabulary_term_never_files_the_post(surname, at):
    """The filing reads the cleared head (clean/entry.py `cleared_head`): a surname the feed
    declares, written anywhere in the opening words, is no reason to file the post, as before."""
    from pathlib import Path

    from pelican.plugins.blogroll.clean.entry import clean_entry
    from pelican.plugins.blogroll.core.model import FeedConfig, ParsedEntry
    from pelican.plugins.blogroll.registry.load import load_vocabulary

    vocabulary = load_vocabulary(Path(__file__).resolve().parents[2] / "specialties.yaml")
    feed = FeedConfig(id="b", title="Carnet", author="Pseudo", site="https://b.example/", feed="https://b.example/f",
                      specialties=("medecine-generale",))
    words = _PROSE.split()[:40]
    words.insert(at, f"Palomir {surname}")
    raw = ParsedEntry("g", "https://b.example/1", "Une garde", f"<p>{' '.join(words)}</p>", None, None)
    entry = clean_entry(raw, feed, vocabulary, redact=Redactor([f"Palomir {surname}"]))
    assert entry is not None and "oncologie" not in entry.specialties
    assert surname.lower() not in entry.excerpt.lower()
