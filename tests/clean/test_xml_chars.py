"""The clean stage stores no character XML cannot carry (issue 23: « &amp;#1; » in a post's
escaped HTML made three Atom feeds invalid and stopped every deploy).

Checked against the oracle of tests/xmlchars.py (XML 1.0 §2.2 as written), over every class:
C0 controls, NUL, DEL and C1, surrogates, noncharacters, bidi and format characters, private
use, astral letters, French text, as raw characters and as numeric references escaped once or
twice, in the title, the post's markup, the tags and the link."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.entry import clean_entry
from pelican.plugins.blogroll.clean.xmlchars import xml_safe
from pelican.plugins.blogroll.core.model import FeedConfig, ParsedEntry, Vocabulary
from xmlchars import BIDI, CLASSES, hostile_text, unfit, unfit_in

PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEED = FeedConfig(id="b", title="Blog de garde", author="Pseudo", site="https://blog.example/",
                  feed="https://blog.example/feed", specialties=())
VOCABULARY = Vocabulary({})


@PROPS
@given(st.text(st.one_of(*CLASSES.values()).map(lambda s: s[:1] or "a"), max_size=40))
def test_xml_safe_leaves_no_unfit_character_and_keeps_every_other(text):
    out = xml_safe(text)
    assert not unfit_in(out)
    assert xml_safe(out) == out
    if not unfit_in(text):
        assert out == text  # ordinary text is never touched


@pytest.mark.parametrize(("raw", "read"), [
    ("l\x92hôpital", "l’hôpital"), ("attente\x85", "attente…"), ("\x96 tiret", "– tiret"),
    ("a\x81b\x8db\x8fb\x90b\x9db", "abbbbb"),  # unassigned in Windows-1252: removed
    ("a\x00b\x01c\x1fd\x7fe", "abcde"), ("a\ud800b\udfffc", "abc"), ("a\ufffeb\uffff\ufdd0c\U0010ffff", "abc"),
    ("tab\tlf\ncr\r", "tab\tlf\ncr\r"), ("\U0001f489 \ue000", "\U0001f489 \ue000"),
])
def test_what_each_class_becomes(raw, read):
    assert xml_safe(raw) == read


def _entry(title: str, body: str, tags: tuple[str, ...], link: str) -> ParsedEntry:
    return ParsedEntry(guid=None, link=link, title=title, content_html=body, published=None, updated=None,
                       tags=tags)


def _published(entry) -> dict[str, str]:
    return {"title": entry.title, "excerpt": entry.excerpt, "link": entry.link,
            **{f"tag {n}": t for n, t in enumerate(entry.tags)}}


@PROPS
@given(title=hostile_text(), body=hostile_text(10), tags=st.lists(hostile_text(3), max_size=3),
       path=hostile_text(3), markup=st.sampled_from(["{}", "<p>{}</p>", "&lt;p&gt;{}&lt;/p&gt;", "<p>a {} b</p>"]))
@example(title="Titre &amp;#1; fin", body="&lt;p&gt;x &amp;#1; y&lt;/p&gt;", tags=["t&amp;#1;ag"], path="&#1;",
         markup="{}")
@example(title="\x01\ud800\ufffe", body="<p>\x00\x85\x92</p>", tags=["\U0010ffff"], path="\x7f", markup="{}")
def test_no_stored_field_holds_an_unfit_character(title, body, tags, path, markup):
    out = clean_entry(_entry(title, markup.format(body), tuple(tags), f"https://blog.example/billet/{path}"),
                      FEED, VOCABULARY)
    assert out is not None
    for name, value in _published(out).items():
        assert not unfit_in(value), (name, value)
        if name != "link":  # text a reader sees: no bidi control to flip it (core/names.py strip_format)
            assert not any(c in BIDI for c in value), (name, value)
    assert out.link.startswith("https://blog.example/")


def test_issue_23_double_escaped_control_is_gone_from_the_excerpt():
    """The issue's own case: a well-formed RSS whose escaped HTML holds « &amp;#1; »."""
    out = clean_entry(_entry("Garde", "<p>Une nuit &#1; de garde &#x7F; aux urgences</p>", (), "https://blog.example/p"),
                      FEED, VOCABULARY)
    assert out is not None
    assert out.excerpt == "Une nuit de garde aux urgences"
    assert not any(unfit(c) for c in out.excerpt + out.title)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(codec=None, exclude_categories=()),
                                  st.sampled_from(["\U0001fffe", "\U0010ffff", "\U0001f600", "\ufdd5", "\x85", "\ud800"])),
               max_size=80))
def test_the_bmp_table_and_the_whole_class_clear_the_same(text):
    """xml_safe reads most texts with a class of the BMP only: the same result as the whole class."""
    from pelican.plugins.blogroll.clean.xmlchars import UNFIT, _replace

    assert xml_safe(text) == UNFIT.sub(_replace, text)
