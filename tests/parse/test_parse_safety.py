"""Parse safety: hostile bytes in, a ParsedFeed or a ParseError out, quickly and in bounded memory.

Facts measured on feedparser 6.0.14 that these tests pin down: its entity
stripping lets a one-line DOCTYPE with nested entities through, it raises
KeyError on a stray <gml:pos>, `feedparser.parse(str)` fetches URLs and opens
paths, and its DOCTYPE regexes are quadratic in the length of the prolog.
"""

from __future__ import annotations

import codecs
import tracemalloc

import pytest
from faultserver import FaultServer, respond
from pelican.plugins.blogroll.core.errors import ParseError
from pelican.plugins.blogroll.parse.feed import MAX_CONTENT, parse_feed, safe_document

ITEM = '<item><title>Billet</title><guid>g1</guid><link>https://blog.example/1</link></item>'
RSS = f'<rss version="2.0"><channel><title>Blog</title>{ITEM}</channel></rss>'


def rss_with(title_xml: bytes | str, decl: str | None = '<?xml version="1.0"?>') -> bytes:
    title = title_xml.encode() if isinstance(title_xml, str) else title_xml
    return ((decl or "").encode() + b'<rss version="2.0"><channel><title>Blog</title><item><title>' + title
            + b'</title><guid>g1</guid></item></channel></rss>')


def laughs(levels: int, fan: int = 10) -> tuple[str, str]:
    """A one-line DTD whose last entity expands to 10 * fan**levels characters."""
    decls = '<!ENTITY e0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * fan}">' for i in range(1, levels + 1))
    return decls, f"&e{levels};"


def bomb(levels: int = 5) -> str:
    decls, ref = laughs(levels)
    return f'<!DOCTYPE rss [{decls}]><rss version="2.0"><channel><title>{ref}</title>{ITEM}</channel></rss>'


def utf7(text: str) -> bytes:
    table = {"<": "+ADw-", ">": "+AD4-", "[": "+AFs-", "]": "+AF0-", "!": "+ACE-", "&": "+ACY-", '"': "+ACI-"}
    return "".join(table.get(c, c) for c in text).encode("ascii")


# --- internal DTD subsets: refused before any parser sees them -----------------

DTD_DOCUMENTS = {
    "plain": bomb().encode(),
    "with declaration": ('<?xml version="1.0" encoding="utf-8"?>\n' + bomb()).encode(),
    "hidden in UTF-7": b'<?xml version="1.0" encoding="utf-7"?>' + utf7(bomb()),
    "hidden in EBCDIC": ('<?xml version="1.0" encoding="cp037"?>' + bomb()).encode("cp037"),
    "UTF-16 with BOM": codecs.BOM_UTF16_LE + ('<?xml version="1.0" encoding="utf-16"?>' + bomb()).encode("utf-16-le"),
    "UTF-32 with BOM": ('\ufeff<?xml version="1.0" encoding="utf-32"?>' + bomb()).encode("utf-32"),
    "behind a 70 KB comment": ('<?xml version="1.0"?><!--' + " " * 70_000 + "-->" + bomb()).encode(),
    "behind 70 KB of blank lines": ('<?xml version="1.0"?>' + "\n" * 70_000 + bomb()).encode(),
    "behind a processing instruction": ('<?xml-stylesheet href="s.xsl"?>' + bomb()).encode(),
    "external plus internal": ('<!DOCTYPE rss SYSTEM "rss.dtd" [<!ENTITY a "b">]>' + RSS).encode(),
    "parameter entities": ('<!DOCTYPE rss [<!ENTITY % p "<!ENTITY a \'b\'>"> %p;]>' + RSS).encode(),
    "single harmless entity": ('<!DOCTYPE rss [<!ENTITY copy "(c)">]>' + RSS).encode(),
    "external entity": (b'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                        b'<rss version="2.0"><channel><title>&xxe;</title></channel></rss>'),
}


@pytest.mark.parametrize("name", list(DTD_DOCUMENTS))
def test_internal_dtd_subset_is_refused(name):
    with pytest.raises(ParseError, match="DTD interne"):
        parse_feed(DTD_DOCUMENTS[name])


def test_entity_expansion_is_refused_fast_and_in_bounded_memory():
    """The document of the issue: 10**5 expansion accepted silently by feedparser alone;
    at 10**7, feedparser spends seconds and ~50 MB before expat refuses: refused before
    any parser runs, in bounded memory."""
    for levels in (4, 6):
        doc = bomb(levels).encode()
        assert len(doc) < 1000  # one line, a few hundred bytes
        tracemalloc.start()
        with pytest.raises(ParseError, match="DTD interne"):
            parse_feed(doc)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 1024 * 1024, peak


@pytest.mark.parametrize("doc", [
    # A bracket inside a quoted system identifier is not an internal subset.
    '<!DOCTYPE rss SYSTEM "https://x.example/[v2]/rss.dtd">' + RSS,
    # RSS 0.91's Netscape DOCTYPE (external only) is common and harmless.
    '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
    '"http://my.netscape.com/publish/formats/rss-0.91.dtd">' + RSS.replace('"2.0"', '"0.91"'),
    # Comments and processing instructions in the prolog.
    '<?xml version="1.0"?><!-- généré --><?xml-stylesheet type="text/xsl" href="rss.xsl"?>' + RSS,
])
def test_external_doctypes_and_prolog_comments_are_accepted(doc):
    parsed = parse_feed(doc.encode())
    assert [e.title for e in parsed.entries] == ["Billet"]


def test_long_prolog_does_not_hit_feedparsers_quadratic_doctype_regexes():
    # Unfixed, 200 000 blank lines before the root take feedparser minutes.
    doc = ('<?xml version="1.0"?>' + "\n" * 200_000 + "<!-- x -->\n" * 10_000 + RSS).encode()
    # The prolog is dropped before feedparser sees the document: nothing quadratic is left to run.
    assert len(safe_document(doc)[0]) < len(RSS) + 200
    parsed = parse_feed(doc)
    assert [e.title for e in parsed.entries] == ["Billet"]


@pytest.mark.parametrize("shape", ["&", "<div>", "&lt;div&gt;", "<b><i>", "&#"])
def test_hostile_markup_shapes_are_bounded(shape):
    """html5ever (nh3) is quadratic on deep nesting and on runs of '&': content is cut
    at MAX_CONTENT before sanitizing, so a 1 MB entry costs what 32 KiB cost."""
    from pelican.plugins.blogroll.clean.excerpt import entry_text

    body = shape * (1_000_000 // len(shape))
    doc = ('<rss version="2.0"><channel><title>t</title><item><title>x</title><guid>g</guid>'
           f'<description><![CDATA[<p>Début du billet</p>{body}]]></description></item></channel></rss>').encode()
    parsed = parse_feed(doc)
    content = parsed.entries[0].content_html
    assert len(content) <= MAX_CONTENT + 10
    text = entry_text(content)
    assert text.startswith("Début du billet")


def test_data_uris_do_not_eat_the_content_budget():
    image = "data:image/png;base64," + "A" * 200_000
    doc = ('<rss version="2.0"><channel><title>t</title><item><title>x</title><guid>g</guid>'
           f'<description><![CDATA[<p><img src="{image}"></p><p>Le texte du billet.</p>]]></description>'
           '</item></channel></rss>').encode()
    content = parse_feed(doc).entries[0].content_html
    assert "Le texte du billet." in content and "AAAA" not in content


# --- feedparser crashes and non-feeds ------------------------------------------------

@pytest.mark.parametrize("doc", [
    b"<rss><channel><item><gml:pos>1 2</gml:pos></item></channel></rss>",
    b'<rss version="2.0" xmlns:gml="http://www.opengis.net/gml"><channel><item><title>a</title>'
    b"<gml:pos>1 2</gml:pos></item></channel></rss>",
])
def test_feedparser_crash_becomes_a_parse_error(doc):
    with pytest.raises(ParseError, match="erreur de l'analyseur : KeyError"):
        parse_feed(doc)


def test_well_formed_georss_still_parses():
    doc = (b'<rss version="2.0" xmlns:georss="http://www.georss.org/georss" xmlns:gml="http://www.opengis.net/gml">'
           b"<channel><title>t</title><item><title>a</title><guid>g</guid><georss:where><gml:Point>"
           b"<gml:pos>45.2 -71.9</gml:pos></gml:Point></georss:where></item></channel></rss>")
    assert [e.title for e in parse_feed(doc).entries] == ["a"]


def test_html_page_is_not_a_feed_and_lists_the_feeds_it_advertises():
    page = (b'<!DOCTYPE html><html><head><title>Mon blog</title>'
            b'<link rel="alternate" type="application/rss+xml" href="/feed/">'
            b'<link rel="alternate" type="application/atom+xml" href="https://blog.example/atom.xml">'
            b'<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
            b'<link rel="stylesheet" href="/style.css"></head><body><p>Bonjour</p></body></html>')
    with pytest.raises(ParseError) as err:
        parse_feed(page, base_url="https://blog.example/blog/", content_type="text/html; charset=utf-8")
    # The public text is ours; the server's values (the advertised URLs) are the detail, for `try`.
    assert str(err.value) == "ce n'est pas un flux (page HTML) ; la page annonce des flux : voyez make try"
    assert err.value.detail == ("flux annoncés par la page : "
                                "https://blog.example/feed/, https://blog.example/atom.xml")


@pytest.mark.parametrize("doc,ctype", [
    (b"<html><body>Erreur 500</body></html>", "application/rss+xml"),
    (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', None),
    (b"<!doctype html><p>Maintenance</p>", None),
    (b"<p>Site en maintenance</p>", "text/html"),
])
def test_html_without_advertised_feeds(doc, ctype):
    with pytest.raises(ParseError, match=r"^ce n'est pas un flux \(page HTML\)$"):
        parse_feed(doc, content_type=ctype)


def test_xhtml_doctype_in_front_of_rss_is_still_a_feed():
    doc = ('<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
           '"http://site.invalid/">' + RSS)
    assert [e.title for e in parse_feed(doc.encode()).entries] == ["Billet"]


def test_feed_served_as_text_html_is_still_a_feed():
    parsed = parse_feed(RSS.encode(), content_type="text/html; charset=utf-8")
    assert [e.title for e in parsed.entries] == ["Billet"]


def test_php_warning_before_the_feed_is_skipped():
    junk = (b"<br />\n<b>Warning</b>: Cannot modify header information in <b>/var/www/wp.php</b> "
            b"on line <b>12</b><br />\n")
    parsed = parse_feed(junk + b'<?xml version="1.0" encoding="UTF-8"?>' + RSS.encode())
    assert [e.title for e in parsed.entries] == ["Billet"]


@pytest.mark.parametrize("doc,reason", [
    (b"", "réponse vide"),
    (b"   \n\t ", "réponse vide"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "aucun élément XML"),
    (b"\x00\x01\x02\x03binaire", "aucun élément XML"),
    (b'<?xml version="1.0"?><catalogue><livre/></catalogue>', "pas un flux RSS ou Atom valide"),
    (b'<rss version="2.0"><chan', "pas un flux RSS ou Atom valide"),
    (b"<!DOCTYPE rss", "DOCTYPE non terminé"),
    (b"<!-- jamais ferme", "commentaire XML non terminé"),
])
def test_non_feeds_get_a_reason(doc, reason):
    with pytest.raises(ParseError, match=reason):
        parse_feed(doc)


def test_malformed_but_readable_feed_keeps_its_entries_with_a_warning():
    doc = (b'<rss version="2.0"><channel><title>t</title><item><title>Un &nbsp; billet</title><guid>a</guid>'
           b"<description>texte <b>non ferm\xc3\xa9</description></item></channel></rss>")
    parsed = parse_feed(doc)
    assert [e.guid for e in parsed.entries] == ["a"]
    assert any(w.startswith("XML mal formé") for w in parsed.warnings)


def test_well_formed_empty_feed_is_fine():
    parsed = parse_feed(b'<rss version="2.0"><channel><title>Vide</title></channel></rss>')
    assert parsed.entries == () and parsed.title == "Vide" and parsed.warnings == ()


def test_url_or_path_bytes_are_never_fetched_or_opened(tmp_path):
    """feedparser.parse(str) would fetch the first and open the second."""
    secret = tmp_path / "secret.xml"
    secret.write_text(RSS, "utf-8")
    with FaultServer() as server:
        url = server.route("/feed.xml", respond(200, RSS))
        for text in (url, str(secret), f"file://{secret}"):
            with pytest.raises(ParseError):
                parse_feed(text.encode())
        assert server.hits() == 0


def test_entries_are_capped():
    items = "".join(f"<item><title>n{i}</title><guid>g{i}</guid></item>" for i in range(250))
    parsed = parse_feed(f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(),
                        max_entries=200)
    assert len(parsed.entries) == 200 and parsed.entries[0].title == "n0"
    assert "250 entrées : seules les 200 premières sont lues" in parsed.warnings


def test_huge_title_is_cut():
    parsed = parse_feed(rss_with("<b>" * 50_000 + "x" * 100_000))
    assert len(parsed.entries[0].title) <= 500


# --- encodings ------------------------------------------------------------------------

TEXT = "Café € l’hiver « œuvre »"


@pytest.mark.parametrize("name,body,ctype", [
    ("declared windows-1252", rss_with(TEXT.encode("cp1252"), '<?xml version="1.0" encoding="windows-1252"?>'), None),
    ("declared iso-8859-1, cp1252 bytes", rss_with(TEXT.encode("cp1252"), '<?xml version="1.0" encoding="iso-8859-1"?>'),
     None),
    ("undeclared, cp1252 bytes", rss_with(TEXT.encode("cp1252"), None), None),
    ("declared utf-8, cp1252 bytes", rss_with(TEXT.encode("cp1252"), '<?xml version="1.0" encoding="utf-8"?>'), None),
    ("declared iso-8859-1, utf-8 bytes", rss_with(TEXT.encode(), '<?xml version="1.0" encoding="iso-8859-1"?>'), None),
    ("HTTP charset iso-8859-1, utf-8 bytes", rss_with(TEXT.encode()), "application/rss+xml; charset=iso-8859-1"),
    ("text/xml without charset, utf-8 bytes", rss_with(TEXT.encode()), "text/xml"),
    ("UTF-8 BOM beats declaration", codecs.BOM_UTF8 + rss_with(TEXT.encode(), '<?xml version="1.0" encoding="iso-8859-1"?>'),
     None),
    ("UTF-16 LE with BOM", codecs.BOM_UTF16_LE + rss_with(TEXT, '<?xml version="1.0" encoding="utf-16"?>').decode()
     .encode("utf-16-le"), None),
    ("UTF-16 BE without BOM", rss_with(TEXT, '<?xml version="1.0" encoding="utf-16"?>').decode().encode("utf-16-be"),
     None),
    ("HTTP charset windows-1252", rss_with(TEXT.encode("cp1252"), None), "application/rss+xml; charset=windows-1252"),
    ("numeric references", rss_with("Caf&#233; &#8364; l&#x2019;hiver &#171; &#339;uvre &#187;"), None),
])
def test_encodings_are_fixed(name, body, ctype):
    parsed = parse_feed(body, content_type=ctype)
    assert parsed.entries[0].title == TEXT, name
