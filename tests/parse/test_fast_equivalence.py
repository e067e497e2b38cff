"""The native fast path (parse/fast.py) against feedparser, the judge.

The harness (tools/parser_equivalence.py) runs both on every file of ../shared/corpus, the
demo feeds, the fixtures, the anonymity probes and a bench corpus, and compares everything
the pipeline keeps, identities for redaction included. docs/fast-parser.md is its list of the
files the fast path hands to feedparser, and why.
"""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT
from pelican.plugins.blogroll.parse import fast
from pelican.plugins.blogroll.parse.feed import parse_feed, safe_document

sys.path.insert(0, str(ROOT / "tools"))
import parser_equivalence as harness  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def verdicts():
    return harness.run()


def test_the_fast_path_keeps_exactly_what_feedparser_keeps(verdicts):
    different = [f"{v.label}: {'; '.join(v.differences)}" for v in verdicts if v.kind == "DIFFÉRENT"]
    assert not different, "\n".join(different)


def test_the_fast_path_reads_the_bench_the_demo_and_most_probes(verdicts):
    """Else the harness would prove nothing: the feeds it must take are the common shapes
    (WordPress-like RSS, Blogger-like Atom) and the anonymity probes, which carry identities in
    every place the project knows of."""
    kinds: dict[str, dict[str, int]] = {}
    for v in verdicts:
        group = kinds.setdefault(v.label.split("/")[0], {})
        group[v.kind] = group.get(v.kind, 0) + 1
    assert kinds["bench"] == {"rapide": 40}, kinds["bench"]
    assert kinds["probe"].get("rapide", 0) >= 150, kinds["probe"]
    assert kinds["demo"].get("rapide", 0) >= 8, kinds["demo"]


def test_the_published_list_of_handed_over_files_is_current(verdicts):
    if not harness.CORPUS.is_dir():
        pytest.skip(f"no feed corpus at {harness.CORPUS}: the list names its files")
    listed = (ROOT / "docs" / "fast-parser.md").read_text("utf-8")
    generated = harness.markdown(verdicts)
    assert generated in listed, "docs/fast-parser.md is stale: python tools/parser_equivalence.py --markdown"


RSS = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"{ns}><channel><title>Blog</title>'
       '<link>https://blog.example/</link><item><title>Billet</title><link>{link}</link>'
       '<guid>https://blog.example/1</guid>{extra}<description>{body}</description></item></channel></rss>')


def _doc(ns: str = "", link: str = "https://blog.example/1", extra: str = "", body: str = "Texte") -> bytes:
    return safe_document(RSS.format(ns=ns, link=link, extra=extra, body=body).encode())[0]


def test_a_plain_feed_takes_the_fast_path():
    parsed, reason = fast.parse_document(_doc())
    assert parsed is not None, reason
    assert parsed["entries"][0]["title"] == "Billet"


@pytest.mark.parametrize("doc, reason", [
    ({"ns": ' xmlns:podcast="https://podcastindex.org/namespace/1.0"', "extra": "<podcast:person>X</podcast:person>"},
     "espace de noms non comparé"),
    ({"extra": "<foo:bar>x</foo:bar>"}, "préfixe d'espace de noms non déclaré"),
    ({"link": "https://blog.example/?a=1&amp;amp;b=2"}, "entité dans un lien"),
    ({"body": "&lt;a href=\"~login/\"&gt;Nom&lt;/a&gt;"}, "lien relatif dans le contenu"),
    ({"ns": ' xmlns:media="http://search.yahoo.com/mrss/"', "extra": "<media:credit>X</media:credit>"},
     "media:credit"),
    ({"body": "caf\u00c3\u00a9"}, "texte encodé deux fois"),
    ({"body": '<a href="https://ailleurs.example/">un lien</a> en balises brutes'}, "balises dans un contenu"),
    ({"body": 'du texte puis <b>des balises</b>'}, "balises dans un contenu"),
])
def test_the_fast_path_hands_over_what_it_was_not_proven_on(doc, reason):
    parsed, why = fast.parse_document(_doc(**doc))
    assert parsed is None
    assert why.startswith(reason), why


def test_an_empty_element_before_the_next_one_is_not_content_with_children():
    parsed, reason = fast.parse_document(_doc(ns=' xmlns:content="http://purl.org/rss/1.0/modules/content/"', extra="<content:encoded/>",
                                              body="Texte &lt;b&gt;échappé&lt;/b&gt;"))
    assert parsed is not None, reason


def test_a_declared_but_unused_namespace_does_not_hand_over():
    parsed, reason = fast.parse_document(_doc(ns=' xmlns:podcast="https://podcastindex.org/namespace/1.0"'))
    assert parsed is not None, reason


def test_both_paths_give_the_same_parsed_feed_on_a_feed_with_identities():
    body = RSS.format(ns=' xmlns:dc="http://purl.org/dc/elements/1.1/"', link="https://blog.example/1",
                      extra="<dc:creator>Camille Testard</dc:creator><author>c.testard@example.org</author>",
                      body="&lt;p&gt;Texte de Camille Testard&lt;/p&gt;").encode()
    native, judge = parse_feed(body), parse_feed(body, native=False)
    assert fast.parse_document(safe_document(body)[0])[0] is not None
    assert native == judge
    assert set(native.identities) == set(judge.identities) >= {"Camille Testard", "c.testard@example.org"}
    assert native.warnings == ("champs d'identité ignorés : author, dc:creator",)


class _Panic(BaseException):
    """What pyo3 raises for a Rust panic (pyo3_runtime.PanicException derives from BaseException)."""


def test_a_native_panic_hands_the_feed_to_feedparser(monkeypatch):
    import feedparser_rs

    def panic(*args, **kwargs):
        raise _Panic("boom")

    monkeypatch.setattr(feedparser_rs, "parse", panic)
    parsed, reason = fast.parse_document(_doc())
    assert parsed is None and reason == "erreur de feedparser-rs (_Panic)"
    assert [e.title for e in parse_feed(RSS.format(ns="", link="https://blog.example/1", extra="",
                                                   body="Texte").encode()).entries] == ["Billet"]
