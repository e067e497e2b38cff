"""French spacing (site/formats/typography.py): U+202F before « ; : ! ? » and inside guillemets,
in plain text and in the text of rendered pages, on generated French text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.site.formats.typography import NNBSP, french_html, french_text

# Whitespace a writer may leave where French wants a narrow no-break space.
SPACES = st.sampled_from([" ", "  ", "\u00a0", "\t", "\n", " \u202f", "\u202f ", "\u2009", ""])
WORDS = st.sampled_from(["Bonjour", "la", "garde", "était", "longue", "14:05", "Re:", "https://a.example/?q=1",
                         "FIV", "l'interne", "C++", "œdème", "«", "»", "(note)", "—", "…", "3", "mg/L"])
PUNCT = st.sampled_from([";", ":", "!", "?", "?!", "»", "«", ",", ".", "…"])


@st.composite
def french(draw) -> str:
    """Sentences made of words, punctuation and any whitespace between them, guillemets included."""
    parts = []
    for _ in range(draw(st.integers(0, 14))):
        parts.append(draw(st.one_of(WORDS, PUNCT)))
        parts.append(draw(SPACES))
    return "".join(parts)


# What must never be left: whitespace other than U+202F right before « ; : ! ? » or inside guillemets.
BAD = re.compile(r"[^\S\u202f][;:!?»]|«[^\S\u202f]")


@settings(max_examples=400)
@given(french())
def test_no_ordinary_space_before_high_punctuation_or_inside_guillemets(text):
    out = french_text(text)
    assert not BAD.search(out), repr(out)
    assert french_text(out) == out  # idempotent
    assert re.sub(r"\s", "", out) == re.sub(r"\s", "", text)  # only spacing changes
    # A guillemet always has its narrow space on its inner side.
    assert all(out[i + 1] == NNBSP for i, c in enumerate(out) if c == "«" and i + 1 < len(out))
    assert all(out[i - 1] == NNBSP for i, c in enumerate(out) if c == "»" and i > 0)
    # A space before the punctuation is one U+202F, never two spaces.
    assert not re.search(r"\s\u202f[;:!?»]|\u202f\s[;:!?»]", out)


def test_colons_and_question_marks_without_a_space_are_left_alone():
    # Times, « Re: », addresses: no space was there, none is added.
    for text in ("à 14:05", "Re: garde", "https://a.example/?q=1&r=2", "C'est fini!"):
        assert french_text(text) == text
    assert french_text("Quoi ? Vraiment ! Ceci : cela ; fin") == "Quoi\u202f? Vraiment\u202f! Ceci\u202f: cela\u202f; fin"
    assert french_text("«mot»") == "«\u202fmot\u202f»" and french_text("«  mot\u00a0»") == "«\u202fmot\u202f»"


TEXT_TAGS = st.sampled_from(["p", "a", "strong", "span", "h2", "li", "time"])
RAW = st.sampled_from(["script", "style", "code", "pre", "textarea"])


@st.composite
def page(draw) -> tuple[str, list[str], list[str]]:
    """A page of text nodes, tags with attributes, raw elements and comments; with the tags and
    the raw parts, which must come out unchanged."""
    html, tags, raw = [], [], []
    for _ in range(draw(st.integers(1, 10))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            html.append(draw(french()).replace("<", "").replace(">", "").replace("&", ""))
        elif kind == 1:
            name = draw(TEXT_TAGS)
            href = draw(st.sampled_from(['href="/a ?b"', 'class="x : y"', 'data-x="a ; b"', "id=\"n\""]))
            tag = f"<{name} {href}>"
            html.append(tag)
            tags.append(tag)
        elif kind == 2:
            name = draw(RAW)
            body = draw(french()).replace("<", "")
            element = f"<{name}>{body}</{name}>"
            html.append(element)
            raw.append(element)
        else:
            comment = f"<!-- {draw(french()).replace('-', '')} -->"
            html.append(comment)
            raw.append(comment)
    return "".join(html), tags, raw


def text_of(html: str) -> str:
    """The text a reader sees, as one line across tags (a raw element or a comment stands as
    « x »: it separates the text around it, which is spaced on its own)."""
    html = re.sub(r"<!--.*?-->", "x", html, flags=re.S)
    html = re.sub(r"<(script|style|code|pre|textarea)\b.*?</\1>", "x", html, flags=re.S)
    return re.sub(r"<[^>]*>", "", html)


@settings(max_examples=300)
@given(page())
def test_pages_get_french_spacing_in_their_text_only(generated):
    html, tags, raw = generated
    out = french_html(html)
    assert french_html(out) == out
    assert not BAD.search(text_of(out)), repr(text_of(out))
    # Tags and their other attributes, scripts, styles, code and comments are left as they are.
    assert re.findall(r"<[a-z][^>]*>", re.sub(r"<(script|style|code|pre|textarea)\b.*?</\1>|<!--.*?-->", "", out,
                                                 flags=re.S)) == tags
    for part in raw:
        assert part in out
    assert re.sub(r"\s", "", text_of(out)) == re.sub(r"\s", "", text_of(html))


def test_spacing_reaches_across_tags():
    assert french_html("garde <a>x</a> ; fin") == "garde <a>x</a>\u202f; fin"
    assert french_html("garde <a>x </a>; fin") == "garde <a>x\u202f</a>; fin"
    assert french_html("«<a> titre</a>»") == "«\u202f<a>titre</a>\u202f»"
    assert french_html("a <code>b</code>; c") == "a <code>b</code>; c"  # no space before « ; » there
    assert french_html("x<a>;</a> «<b>") == "x<a>;</a> «\u202f<b>"
    assert french_html('<a class="x ; y" data-q="« »">') == '<a class="x ; y" data-q="« »">'  # not text


def test_the_attributes_a_reader_sees_get_it_too():
    html = ('<span title="échec le 3 mars : flux introuvable" aria-label="Page 2 ; suite" class="a ; b" '
            'href="/x?y"><img alt="Logo !" src="a b ?"></span>')
    out = french_html(html)
    assert 'title="échec le 3 mars\u202f: flux introuvable"' in out and 'aria-label="Page 2\u202f; suite"' in out
    assert 'alt="Logo\u202f!"' in out
    assert 'class="a ; b"' in out and 'src="a b ?"' in out  # not text: left alone
    csp = '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; img-src \'self\'">'
    assert french_html(csp) == csp
