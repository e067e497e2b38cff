"""Where a library is right: French-aware slugs, UTS 46 host names, DTD-free OPML import."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pelican.plugins.blogroll.core.text import fold, slugify
from pelican.plugins.blogroll.fetch.client import _idna
from pelican.plugins.blogroll.maint.opmlimport import OpmlError, parse_opml

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text, slug", [
    ("Docteur Cœur", "docteur-coeur"),
    ("Œdème", "oedeme"),
    ("Æsculape", "aesculape"),
    ("Dr Straße", "dr-strasse"),
    ("Müller-Lüdenscheidt", "muller-ludenscheidt"),
    ("Gynécologie & obstétrique", "gynecologie-obstetrique"),
    ("L'infirmière", "l-infirmiere"),
    ("Dr.House", "dr-house"),
    ("…", "x"),
])
def test_slugs_of_french_and_german_names(text, slug):
    assert slugify(text) == slug


def test_folding_keeps_ligatures_as_letters():
    assert fold("Cœur") == "coeur" and fold("ÆSCULAPE") == "aesculape" and fold("Straße") == "strasse"
    assert fold("Gynécologie") == "gynecologie"


def _old_slugify(text: str) -> str:
    """The slug the site published until now (accents stripped by NFKD, other letters dropped)."""
    import re
    import unicodedata
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "x"


@pytest.mark.parametrize("registry", ["feeds.yaml", "demo/feeds.yaml"])
def test_no_published_author_url_changes(registry):
    """Today's pseudonyms keep their URLs: no redirect page is needed."""
    feeds = yaml.safe_load((ROOT / registry).read_text("utf-8"))["feeds"]
    authors = [f["author"] for f in feeds if f.get("author")]
    assert authors
    assert [slugify(a) for a in authors] == [_old_slugify(a) for a in authors]


@pytest.mark.parametrize("host, ascii_host", [
    ("straße.example", "xn--strae-oqa.example"),  # IDNA 2003 gave strasse.example: another host
    ("bücher.example", "xn--bcher-kva.example"),
    ("BÜCHER.example", "xn--bcher-kva.example"),  # UTS 46 maps case
    ("médecin.fr", "xn--mdecin-bva.fr"),
    ("cœur.fr", "xn--cur-fya.fr"),
    ("example.org", "example.org"),
])
def test_host_names_by_uts46(host, ascii_host):
    assert _idna(host) == ascii_host


def test_invalid_host_name_is_left_for_dns_to_refuse():
    assert _idna("a\u200db.example") == "a\u200db.example"


OPML_BODY = b'<opml version="2.0"><head><title>x</title></head><body>' \
            b'<outline text="A" xmlUrl="https://a.example/feed" /></body></opml>'


def test_opml_dtd_after_a_70_kb_comment_is_refused():
    """The old guard searched the first 64 KiB only: entities behind a long comment were expanded."""
    bomb = (b'<?xml version="1.0"?>\n<!--' + b"x" * 70_000 + b'-->\n'
            b'<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
            + OPML_BODY.replace(b'text="A"', b'text="&b;"'))
    with pytest.raises(OpmlError, match="DTD"):
        parse_opml(bomb)


def test_opml_external_doctype_is_refused():
    with pytest.raises(OpmlError, match="DTD"):
        parse_opml(b'<!DOCTYPE opml SYSTEM "file:///etc/passwd">' + OPML_BODY)


def test_opml_without_dtd_is_read():
    assert [o.xml_url for o in parse_opml(OPML_BODY)] == ["https://a.example/feed"]
