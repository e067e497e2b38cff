"""parse/: the one-pass scans find exactly what the patterns they replace found.

The identity scan of a document's bytes (identities.scan, read once for `collect` and
`suspects`) tries each element pattern only where one of their heads starts, and reads only the
URLs that may name a person by their path; the fast path's namespace checks (fast.py) and the
CDATA-free copy of feed.py find their matches from a literal. Each is compared here with the code
it replaced, kept below as the oracle, over generated documents and over every file of
../shared/corpus (skipped when absent): the identities and suspects found must be the same, in
the same order, so that the anonymity guarantee of the scan is unchanged.
"""

from __future__ import annotations

import contextlib
import html
import re

import pytest
from feedcorpus import CORPUS, content_type, corpus_files
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.errors import ParseError
from pelican.plugins.blogroll.core.personal import suspect_names
from pelican.plugins.blogroll.parse import fast, feed, identities
from pelican.plugins.blogroll.parse.identities import (
    _AUTHOR_LINK,
    _AVATAR_TITLE,
    _DESCRIPTIVE,
    _HREF,
    _IMAGE_BLOCK,
    _LINK_TITLE,
    _MEDIA_TITLE,
    _MEDIA_URL,
    _PERSON_ATTR,
    _PERSON_ELEMENT,
    _PERSON_EMPTY,
    _SCAN_LIMIT,
    _SOURCE_BLOCK,
    _SOURCE_URL,
    MAX_TOKENS,
    _author_paths,
    _document_urls,
    _licence_free,
    _person,
    _slug_names,
    _uri,
    capitalised_names,
)

# --- the oracles: the code the scans replaced, as it was --------------------------------------


def legacy_from_bytes(text: str, found: list[str], posts: set[str]) -> None:
    for m in _IMAGE_BLOCK.finditer(text):
        for d in _DESCRIPTIVE.findall(m.group(1)):
            found.extend(capitalised_names(d))
    for value in _LINK_TITLE.findall(text):
        found.extend(capitalised_names(value))
    for m in _SOURCE_BLOCK.finditer(text):
        inner = m.group(1)
        found.extend(capitalised_names(re.sub(r"<[^>]*>", " ", inner)))
        if "<" not in inner:
            _person(inner, found)
    for url in _SOURCE_URL.findall(text):
        _uri(html.unescape(url), found)
    for url in _document_urls(text):
        url = html.unescape(url)
        if url not in posts:
            _author_paths(url, found, person_field=False)
    for url in _MEDIA_URL.findall(text):
        _slug_names(html.unescape(url), found)
    for m in _AVATAR_TITLE.finditer(text):
        found.append(html.unescape(m.group(1)))
    for m in _PERSON_ELEMENT.finditer(text):
        tag, attrs, content = m.group(1).lower(), m.group(2), m.group(3)
        if tag.endswith(("rights", "copyright")):
            found.extend(suspect_names(_licence_free(content)))
            continue
        content = html.unescape(content).strip()
        if content:
            if content.lower().startswith(("http://", "https://", "mailto:")):
                _uri(content, found)
            else:
                _person(content, found)
        for value in _PERSON_ATTR.findall(attrs):
            value = html.unescape(value)
            (_uri if value.lower().startswith(("http", "mailto:", "/")) else _person)(value, found)
    for m in _PERSON_EMPTY.finditer(text):
        for value in _PERSON_ATTR.findall(m.group(1)):
            value = html.unescape(value)
            (_uri if value.lower().startswith(("http", "mailto:", "/")) else _person)(value, found)
    for m in _AUTHOR_LINK.finditer(text):
        for href in _HREF.findall(m.group(0)):
            _uri(html.unescape(href), found)


def legacy_suspects_of_bytes(body: bytes) -> tuple[str, ...]:
    head = body[:_SCAN_LIMIT].decode("utf-8", "replace")
    found: list[str] = []
    for m in _IMAGE_BLOCK.finditer(head):
        for url in re.findall(r">\s*(https?://[^<\s]{1,500})\s*<", m.group(0)):
            _slug_names(html.unescape(url), found)
    for title in _MEDIA_TITLE.findall(head):
        found.extend(suspect_names(html.unescape(title)))
    return tuple(dict.fromkeys(" ".join(x.split()) for x in found if x.strip()))[:MAX_TOKENS]


LEGACY_ATTR_PREFIX = re.compile(rb"""\s([\w.-]+):[\w.-]+\s*=\s*["']""")
LEGACY_XMLNS = re.compile(rb"""\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
LEGACY_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.S)


def legacy_declined_reason(document: bytes) -> str | None:
    if not document.startswith(b"<?xml"):
        return "prologue inattendu"
    declared: dict[bytes, set[str]] = {}
    for m in LEGACY_XMLNS.finditer(document):
        uri = (m.group(2) or m.group(3) or b"").decode("utf-8", "replace").strip()
        declared.setdefault(m.group(1) or b"", set()).add(uri)
    used = set(fast._PREFIX_USE.findall(document)) | set(LEGACY_ATTR_PREFIX.findall(document))
    used -= {b"xml", b"xmlns"}
    if used - declared.keys():
        return "préfixe d'espace de noms non déclaré"
    for prefix in sorted(used | {b""}):
        for uri in sorted(declared.get(prefix, ())):
            if uri and uri not in fast.KNOWN_NAMESPACES:
                return f"espace de noms non comparé : {uri[:80]}"
    for m in fast._CHILD_IN_CONTENT.finditer(document):
        attributes = m.group(1)
        if not attributes.rstrip().endswith(b"/") and b"xhtml" not in attributes.lower():
            return "balises dans un contenu qui n'est pas du XHTML"
    for m in fast._BASED.finditer(document):
        if m.group(1).split(b":")[-1].lower() not in (b"content", b"summary", b"description"):
            return "xml:base hors du contenu"
    if fast._CREDIT.search(document):
        return "media:credit"
    if fast._MEDIA_TITLE.search(document):
        return "media:title"
    if fast._MIME_CONTENT.search(document):
        return "contenu Atom de type MIME"
    if fast._C1.search(document):
        return "caractères de contrôle C1"
    if fast._MOJIBAKE.search(document):
        return "texte encodé deux fois"
    return None


def legacy_markup_free(document: bytes) -> bytes:
    return LEGACY_CDATA.sub(b" ", document) if b"<![CDATA[" in document else document


# --- the comparisons -----------------------------------------------------------------------


def assert_same_identity_scan(body: bytes, posts: frozenset[str] = frozenset()) -> None:
    text = body[:_SCAN_LIMIT].decode("utf-8", "replace")
    scanned = identities.scan(body)
    for pattern, matches in scanned.hits.items():
        assert [(m.span(), m.groups()) for m in matches] == \
            [(m.span(), m.groups()) for m in pattern.finditer(text)], pattern.pattern[:60]
    old: list[str] = []
    legacy_from_bytes(text, old, set(posts))
    new: list[str] = []
    identities._from_bytes(scanned, new, set(posts))
    assert new == old
    assert identities.suspects({}, scanned) == identities.suspects({}, body) == legacy_suspects_of_bytes(body)


def assert_same_fast_checks(document: bytes) -> None:
    assert fast._attr_prefixes(document) == set(LEGACY_ATTR_PREFIX.findall(document))
    assert [m.groups() for m in fast._XMLNS.finditer(document)] == \
        [m.groups() for m in LEGACY_XMLNS.finditer(document)]
    assert feed._markup_free(document) == legacy_markup_free(document)
    for prolog in (b"", b"<?xml version='1.0' encoding='utf-8'?>\n"):
        assert fast.declined_reason(prolog + document) == legacy_declined_reason(prolog + document)
    assert [m.span() for m in fast._matches(fast._BASED, document, fast._based_places(document))] == \
        [m.span() for m in fast._BASED.finditer(document)]


# Pieces of feeds where the patterns differ: element names in any case and prefix (ſ and the
# Kelvin sign fold to s and k), attributes, CDATA, entities, escapes, URLs naming a person.
PIECES = [
    "<", ">", "/>", "</", " ", "\n", "\t", "=", '"', "'", ":", "-", ".", "<![CDATA[", "]]>", "&amp;", "&#47;",
    "&lt;", "%2F", "%40", "author", "Author", "AUTHOR", "creator", "contributor", "publisher", "owner",
    "managingEditor", "webmaster", "name", "nickname", "nick", "givenName", "email", "rights", "copyright",
    "person", "has_creator", "maker", "credit", "byline", "content", "ſource", "source", "image", "thumbnail",
    "group", "title", "link", "enclosure", "player", "description", "text", "dc:", "dcterms:", "media:", "m:",
    "itunes:", "podcast:", "x-y.z:", "a:b:", "url=", "href=", "rel=", "resource=", "img=", "uri=", "src=",
    "author me", "https://", "http://", "mailto:", "gravatar.com/avatar/x", "x.example", "/author/", "/par/",
    "/@", "/~", "/profile/1234567", "Camille Testard", "Bertille Kalomi", "camille@x.example", "(", ")", "©",
    "2026", "K", "\u212a", "é", "abc", "?author=zorglub", "httpſ", "HREF", "ahref", " = ", "\u00a0", "src",
    '<media:content url="https://secure.gravatar.com/avatar/ab"><media:title>zorglub</media:title></media:content>',
    '<link rel="author" href="https://x.example/author/camille-testard"/>',
    '<dc:creator><![CDATA[Bertille Kalomi]]></dc:creator>', '<podcast:person href="https://x.example/~ck">',
    '<source url="https://y.example/feed">Le blog de Sixtine Quelbra</source>',
    '<a href="https://z.example/par/florimond/">', '<image><title>Portrait de Mathurin Vezan</title></image>',
    '<enclosure url="https://cdn.example/audio/aurelise-quenzac-episode-3.mp3"/>',
]
NAMES = ["summary", "encoded", "credit", "description", "entry", "item", "author", "creator", "contributor", "publisher", "owner", "credit", "copyright", "rights", "person",
         "email", "managingEditor", "webMaster", "name", "byline", "signature", "maker", "nick", "nickname",
         "givenName", "familyName", "has_creator", "image", "content", "thumbnail", "group", "source", "link",
         "enclosure", "player", "title", "description", "text", "names", "authors", "linked", "contents", "ſource",
         "\u212aicker", "a", "item", "entry", "uri", "p", "li", "em", "emailx", "b", "s", "img", "th", "code", "span",
         "h2", "pre", "sub", "sup", "q", "td", "tr", "div", "figure", "P", "Em", "LI"]
PREFIXES = ["", "", "atom:", "dc:", "media:", "m:", "itunes:", "podcast:", "x-y.z:", "content:", "a:b:", "author:"]
CASES = [str, str.lower, str.upper, str.title]
url = st.builds("".join, st.lists(st.sampled_from(
    ["https://", "http://", "HTTPS://", "mailto:", "&#47;author&#47;", "%2Fpar%2F", "/author/", "/u/", "x.example", "camille-testard.example", "/", "author", "auteur",
     "par", "by", "/@", "/~", "bkalomi", "&#47;", "&amp;", "%2F", "%C3%A9", "?author=", "zorglub", "gravatar.com",
     "/avatar/", "profile/1234567", "aurelise-quenzac.mp3", "-", ".", " "]), max_size=8))
attribute = st.builds(lambda k, q, v: f" {k}={q}{v}{q}", st.sampled_from(
    ["url", "href", "rel", "resource", "rdf:resource", "img", "uri", "src", "name", "title", "type", "xml:base",
     "xmlns", "xmlns:media", "xmlns:dc", "xmlns:x", "x:y"]),
    st.sampled_from(['"', "'"]), st.one_of(url, st.sampled_from(["author", "me", "author me", "alternate", "text/html",
                                                                 "xhtml", "http://search.yahoo.com/mrss/",
                                                                 "http://purl.org/dc/elements/1.1/",
                                                                 "Bertille Kalomi", "Portrait de Mathurin Vezan"])))
text = st.one_of(url, st.sampled_from(["Camille Testard", "camille@x.example (Camille Testard)", "© 2026 Sixtine Quelbra",
                                       "<![CDATA[Bertille Kalomi]]>", "&lt;b&gt;x", "", " ", "zorglub", "\u0085", "Ã©", "<p>"]))


@st.composite
def element(draw) -> str:
    name = draw(st.sampled_from(PREFIXES)) + draw(st.sampled_from(CASES))(draw(st.sampled_from(NAMES)))
    attrs = "".join(draw(st.lists(attribute, max_size=3)))
    if draw(st.booleans()):
        return f"<{name}{attrs}/>"
    inner = draw(st.lists(st.one_of(text, st.deferred(element)), max_size=3)) if draw(st.booleans()) else []
    return f"<{name}{attrs}>{''.join(inner)}</{name}>"


documents = st.lists(st.one_of(element(), st.sampled_from(PIECES), url, attribute), max_size=30).map("".join)


@settings(max_examples=1500, deadline=None)
@given(documents)
def test_the_identity_scan_finds_what_the_patterns_found(text):
    assert_same_identity_scan(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None)
@given(documents, st.sets(st.sampled_from(["https://x.example/author/camille-testard", "https://z.example/par/florimond/"])))
def test_the_posts_own_links_are_left_out_alike(text, posts):
    assert_same_identity_scan(text.encode(), frozenset(posts))


@settings(max_examples=1500, deadline=None)
@given(documents)
def test_the_fast_path_checks_find_what_the_patterns_found(text):
    assert_same_fast_checks(text.encode())


def test_a_feed_s_identities_are_found_alike():
    body = (b'<?xml version="1.0"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            b"<managingEditor>camille@x.example (Camille Testard)</managingEditor><item>"
            b'<dc:creator>Bertille Kalomi</dc:creator><link rel="me" href="https://x.example/@bkalomi"/>'
            b'<description><![CDATA[<a href="https://x.example/auteur/sixtine-quelbra/">S</a>]]></description>'
            b"</item></channel></rss>")
    assert_same_identity_scan(body)
    found: list[str] = []
    identities._from_bytes(identities.scan(body), found)
    assert {"Camille Testard", "camille@x.example", "Bertille Kalomi", "@bkalomi", "@sixtine-quelbra"} <= set(found)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no feed corpus at {CORPUS}")
@pytest.mark.slow
def test_every_corpus_file_is_scanned_alike():
    files = corpus_files()
    assert len(files) > 150
    for path in files:
        raw = path.read_bytes()
        bodies = [raw]
        with contextlib.suppress(ParseError):  # the document as parse_feed reads it, when it does
            bodies.append(feed.safe_document(raw, content_type=content_type(raw))[0])
        for body in bodies:
            try:
                assert_same_identity_scan(body)
                assert_same_fast_checks(body)
            except AssertionError as exc:
                raise AssertionError(f"{path}: {exc}") from exc


@settings(max_examples=1500, deadline=None)
@given(documents, st.data())
def test_urls_between_is_the_pattern_s_findall(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert identities._urls_between(text, start, end) == identities._ANY_URL.findall(text, start, end)


def legacy_plain(value, depth: int = 0):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if depth > 6:
        return None
    if isinstance(value, (list, tuple)):
        if type(value).__name__ == "struct_time":
            return value
        return [legacy_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): legacy_plain(v, depth + 1) for k, v in value.items() if v is not None}
    keys = value.keys() if hasattr(value, "keys") else [
        a for a in dir(value) if not a.startswith("_") and a not in ("get", "keys", "items", "values")]
    out = {}
    for key in keys:
        try:
            v = getattr(value, key) if not hasattr(value, "get") else value.get(key)
        except Exception:  # noqa: BLE001
            continue
        if callable(v) or v is None or v == [] or v == "":
            continue
        out[str(key)] = legacy_plain(v, depth + 1)
    return out


def assert_same_plain(document: bytes) -> None:
    feedparser_rs = pytest.importorskip("feedparser_rs")
    try:
        result = feedparser_rs.parse(document, sanitize_html=False, resolve_relative_uris=False)
    except BaseException:  # noqa: BLE001 - what the fast path hands to feedparser
        return
    for holder in (result.feed, *result.entries):
        assert fast._plain(holder) == legacy_plain(holder)


@settings(max_examples=300, deadline=None)
@given(st.lists(element(), max_size=8).map("".join))
def test_the_native_result_is_read_alike(items):
    for root in ('<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                 'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title><item>{}</item></channel></rss>',
                 '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry>{}</entry></feed>'):
        assert_same_plain(("<?xml version='1.0' encoding='utf-8'?>\n" + root.format(items)).encode())


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no feed corpus at {CORPUS}")
def test_every_corpus_file_is_read_alike_from_the_native_result():
    for path in corpus_files():
        try:
            assert_same_plain(path.read_bytes())
        except AssertionError as exc:
            raise AssertionError(f"{path}: {exc}") from exc


@settings(max_examples=200, deadline=None)
@given(st.integers(1990, 2010), st.sampled_from(["", "<p>", "</p>", "<image/>", "</content >", "<Content>"]),
       st.sampled_from(["content", "media:content", "image", "GROUP"]))
def test_image_blocks_near_their_length_bound_are_found_alike(length, markup, name):
    body = ("x" * length + markup)[-length:] if markup else "x" * length
    text = f'<{name} url="https://x.example/a.jpg"><title>Portrait de Mathurin Vezan</title>{body}</{name}>'
    assert_same_identity_scan(text.encode())


@settings(max_examples=1000, deadline=None)
@given(documents)
def test_the_url_mark_is_found_where_the_lazy_pattern_found_it(text):
    lazy = re.compile(r":/[^<]*?(?:[%&]|" + identities._DOCUMENT_AUTHOR_PATH.pattern + ")", re.I)
    assert [m.start() for m in identities._URL_MARK.finditer(text)] == [m.start() for m in lazy.finditer(text)]


def assert_same_identities_once_read(document: bytes) -> None:
    """collect reads each field value once: the same identities as reading every one."""
    import feedparser

    readings = [feedparser.parse(document, sanitize_html=False)]
    native, _ = fast.parse_document(document, "https://blog.example/feed/")
    readings += [native] if native is not None else []
    for parsed in readings:
        scanned = identities.scan(document)
        assert identities.collect(parsed, scanned) == identities._collect(parsed, scanned, [])


@settings(max_examples=300, deadline=None)
@given(st.lists(element(), max_size=8).map("".join))
def test_each_field_value_read_once_gives_the_same_identities(items):
    for root in ('<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                 'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title><item>{}</item>'
                 '<item><author>camille@x.example (Camille Testard)</author>{}</item></channel></rss>',
                 '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry>{}</entry>'
                 '<entry><author><name>Camille Testard</name></author>{}</entry></feed>'):
        assert_same_identities_once_read(
            ("<?xml version='1.0' encoding='utf-8'?>\n" + root.format(items, items)).encode())


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no feed corpus at {CORPUS}")
@pytest.mark.slow
def test_every_corpus_file_gives_the_same_identities_read_once():
    for path in corpus_files():
        raw = path.read_bytes()
        try:
            document = feed.safe_document(raw, content_type=content_type(raw))[0]
        except ParseError:
            continue
        try:
            assert_same_identities_once_read(document)
        except AssertionError as exc:
            raise AssertionError(f"{path}: {exc}") from exc
