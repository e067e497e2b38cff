"""parse/identities.py: the fast scan of a document's URLs finds what the pattern alone finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.parse.identities import _ANY_URL, _document_urls

PIECES = ["<", ">", "<a ", "href", "HREF", "url", "src", "resource", "uri", "=", " = ", "\"", "'", "http", "https",
          "HTTPS", "httpſ", "://", ":/", "//", "x.example", "/author/camille", "/@handle", " ", "\n", "&lt;", "&gt;",
          "</a>", "<link>", "</link>", "?u=", "a", "-", "ahref"]
documents = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=1500, deadline=None)
@given(documents)
def test_document_urls_is_the_pattern_s_findall(text):
    assert _document_urls(text) == _ANY_URL.findall(text)


def test_document_urls_in_a_feed():
    text = ('<rss><link>https://blog.example/</link><item><a href="https://x.example/author/camille">x</a>'
            "<enclosure url='http://cdn.example/a.mp3'/>texte https://nu.example/ sans balise"
            "<guid>https://blog.example/?p=1</guid></item></rss>")
    assert _document_urls(text) == _ANY_URL.findall(text) == [
        "https://blog.example/", "https://x.example/author/camille", "http://cdn.example/a.mp3",
        "https://blog.example/?p=1"]
