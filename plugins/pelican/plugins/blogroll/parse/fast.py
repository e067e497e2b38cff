"""The native fast path of the parse stage: feedparser-rs, used only where it is proven equal.

`parse_document` reads a document that already passed every pre-parse guard of feed.py
(UTF-8, no DTD, minimal prolog) with feedparser-rs and returns its result as plain dicts
shaped like feedparser's (the keys feed.py and identities.py read), or None: then the
caller runs feedparser, the judge. It declines whenever equality is not established:

- before parsing: the document uses a namespace outside `KNOWN_NAMESPACES` (declared but
  unused ones do not count; extensions are where the two parsers differ, and where
  identities hide: podcast:person, foaf...) or an undeclared prefix, has xml:base anywhere
  but on content (feedparser resolves nested bases its own way), media:credit, C1 control
  characters or text encoded twice;
- the library is missing or raises (a Rust panic included), reports the document as
  malformed, or reads a format other than RSS 2.0 and Atom 1.0;
- a sanity check fails on the result: as many entries as the document has <item> or
  <entry> elements, every entry with an id, a link or a title, no feed title and no
  paging link of the document lost, no empty link and no entity left in a link, no
  relative link in content, no markup declaration in a title.

tools/parser_equivalence.py (run by tests/parse/test_fast_equivalence.py) runs the pipeline
both ways on every file of ../shared/corpus, the demo feeds, the fixtures, the anonymity
probes and a bench corpus, and compares what it keeps (the cleaned entries, warnings, paging
links and the identities collected for redaction); docs/fast-parser.md lists the files
handed to feedparser, and `make try` says which parser read a blog's feed. The identities a
feed carries are also read from its bytes (identities._from_bytes), which does not depend
on the parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

PAGING_RELS = ("next", "prev-archive", "previous", "prev", "first", "last", "current", "self")

# Namespaces of the documents where both parsers were compared (the corpus, the bench, the
# fixtures): the usual ones of WordPress, Blogger, Dotclear, Ghost, Hugo, Jekyll and Medium.
KNOWN_NAMESPACES = frozenset({
    "http://www.w3.org/2005/Atom",
    "http://purl.org/rss/1.0/modules/content/",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/rss/1.0/modules/syndication/",
    "http://wellformedweb.org/CommentAPI/",
    "http://purl.org/rss/1.0/modules/slash/",
    "http://www.w3.org/XML/1998/namespace",
    "http://purl.org/dc/terms/",
    "http://search.yahoo.com/mrss/",
    "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "http://www.georss.org/georss",
    "http://purl.org/syndication/thread/1.0",
    "http://a9.com/-/spec/opensearch/1.1/",
    "http://a9.com/-/spec/opensearchrss/1.0/",
    "http://schemas.google.com/g/2005",
    "http://www.blogger.com/atom/ns#",
    "http://schemas.google.com/blogger/2008",
})
# A namespace declaration: « xmlns » after a space. The pattern starts with the literal and
# looks back for the space (speed: a pattern starting with \s is tried at every space).
_XMLNS = re.compile(rb"""xmlns(?<=\sxmlns)(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# A prefixed attribute (« xml:base= », « rdf:resource= »), found from its colon (see _attr_prefixes).
_ATTR_TAIL = re.compile(rb""":[\w.-]+\s*=\s*["']""")
_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_SPACE_BYTES = frozenset(b" \t\n\r\f\v")
_BASED = re.compile(rb"<([\w.:-]+)\b[^<>]*?\sxml:base\s*=")
_CREDIT = re.compile(rb"<(?:[\w.-]+:)?credit\b", re.I)
_MEDIA_TITLE = re.compile(rb"<(?:[\w.-]+:)?(?:content|group|thumbnail)\b[^>]*>\s*<[\w.-]+:title\b", re.I)
# Atom content typed by a MIME type (« text/html ») may hold child elements feedparser keeps
# as markup and feedparser-rs reads as text (their links lost).
_MIME_CONTENT = re.compile(rb"""<(?:atom:)?(?:content|summary)(?=[\s>/])[^>]*\stype\s*=\s*["'][^"'/]+/""", re.I)
_ITEM = re.compile(rb"<(?:[\w.-]+:)?item[\s>/]")
_ENTRY = re.compile(rb"<(?:[\w.-]+:)?entry[\s>/]")
_TITLE = re.compile(rb"<(?:[\w.-]+:)?title[\s>/]")
_PREFIX_USE = re.compile(rb"</?([\w.-]+):[\w.-]+")
_REL = re.compile(rb"""\brel\s*=\s*["']([\w-]+)["']""")
_ABSOLUTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|#|$)", re.I)
_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
# « Ã© », « â€™ », « ï¿½ »: the UTF-8 of a text already read once as Latin-1 (never French).
_MOJIBAKE = re.compile(b"\xc3\x83\xc2[\x80-\xbf]|\xc3\xa2\xc2[\x80-\xbf]|\xc3\xaf\xc2\xbf\xc2\xbd")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.I)
_C1 = re.compile(b"\xc2[\x80-\x9f]")
# A content element (other than Atom's xhtml) whose first markup is a child element, not text or
# escaped markup: feedparser keeps the child as markup, feedparser-rs keeps part of its text.
_CHILD_IN_CONTENT = re.compile(
    rb"<(?:[\w.-]+:)?(?:content|summary|description|encoded)\b([^>]*)>[^<]*<[A-Za-z]")
# The four element checks of declined_reason in one pattern (one pass instead of four): where
# it finds nothing, none of them does; where it finds one, they are run one by one, in order.
_ANY_ELEMENT_CHECK = re.compile(
    b"<(?:(?:" + _CHILD_IN_CONTENT.pattern[1:] + b")|(?i:" + _CREDIT.pattern[1:] + b")|(?i:"
    + _MEDIA_TITLE.pattern[1:] + b")|(?i:" + _MIME_CONTENT.pattern[1:] + b"))")
_VERSIONS = {"rss20": "rss", "atom10": "atom"}
_MAX_ENTRIES = 10_000


def declined_reason(document: bytes) -> str | None:
    """Why the document is not for the fast path before it is parsed (None: it may be)."""
    if not document.startswith(b"<?xml"):
        return "prologue inattendu"
    # The namespaces the document uses (declared and unused ones do not count).
    declared: dict[bytes, set[str]] = {}
    for m in _XMLNS.finditer(document):
        uri = (m.group(2) or m.group(3) or b"").decode("utf-8", "replace").strip()
        declared.setdefault(m.group(1) or b"", set()).add(uri)
    used = set(_PREFIX_USE.findall(document)) | _attr_prefixes(document)
    used -= {b"xml", b"xmlns"}
    if used - declared.keys():
        return "préfixe d'espace de noms non déclaré"
    for prefix in sorted(used | {b""}):
        for uri in sorted(declared.get(prefix, ())):
            if uri and uri not in KNOWN_NAMESPACES:
                return f"espace de noms non comparé : {uri[:80]}"
    return _element_reason(document, checks=bool(_ANY_ELEMENT_CHECK.search(document)))


def _element_reason(document: bytes, checks: bool) -> str | None:
    """The checks on the document's elements and characters; `checks`: whether any of the four
    element checks of _ANY_ELEMENT_CHECK may find something."""
    for m in _CHILD_IN_CONTENT.finditer(document) if checks else ():
        attributes = m.group(1)
        if not attributes.rstrip().endswith(b"/") and b"xhtml" not in attributes.lower():
            return "balises dans un contenu qui n'est pas du XHTML"
    for m in _matches(_BASED, document, _based_places(document)):
        if m.group(1).split(b":")[-1].lower() not in (b"content", b"summary", b"description"):
            return "xml:base hors du contenu"
    if checks and _CREDIT.search(document):
        return "media:credit"
    if checks and _MEDIA_TITLE.search(document):  # feedparser makes an image's title the entry's
        return "media:title"
    if checks and _MIME_CONTENT.search(document):
        return "contenu Atom de type MIME"
    if _C1.search(document):  # feedparser reads U+0080-U+009F as windows-1252 (€, ’, œ)
        return "caractères de contrôle C1"
    if _MOJIBAKE.search(document):  # UTF-8 read as Latin-1 once already: « Ã© », « ï¿½ »
        return "texte encodé deux fois"
    return None


def _based_places(document: bytes) -> list[int]:
    """Where _BASED may match: the last « < » before each « xml:base »."""
    places = set()
    at = document.find(b"xml:base")
    while at != -1:
        places.add(document.rfind(b"<", 0, at))
        at = document.find(b"xml:base", at + 1)
    return sorted(p for p in places if p >= 0)


def _matches(pattern: re.Pattern[bytes], document: bytes, places: list[int]) -> Iterator[re.Match[bytes]]:
    """pattern.finditer(document), given (in order) every place where it can match: its leftmost
    matches, each searched from the end of the previous one."""
    end = 0
    for at in places:
        if at >= end:
            m = pattern.match(document, at)
            if m:
                yield m
                end = m.end()


def _attr_prefixes(document: bytes) -> set[bytes]:
    """The prefixes of the document's prefixed attributes: the set of what
    re.findall(rb"\\s([\\w.-]+):[\\w.-]+\\s*=\\s*[\"']", document) finds, read from each colon
    that such an attribute's tail follows (that pattern, led by \\s, was tried at every space).
    Its matches never overlap, and a match's prefix is the whole run of name bytes before its
    colon, preceded by a space: so each colon decides alone."""
    out: set[bytes] = set()
    for m in _ATTR_TAIL.finditer(document):
        colon = start = m.start()
        while start > 0 and document[start - 1] in _NAME_BYTES:
            start -= 1
        if start < colon and start > 0 and document[start - 1] in _SPACE_BYTES:
            out.add(document[start:colon])
    return out


def parse_document(document: bytes, base_url: str | None = None) -> tuple[dict | None, str]:
    """(feedparser-shaped result, "") or (None, why it was handed to feedparser)."""
    reason = declined_reason(document)
    if reason:
        return None, reason
    try:
        import feedparser_rs
    except ImportError:  # an optional speed-up: feedparser alone is always correct
        return None, "feedparser-rs absent"
    try:
        result = feedparser_rs.parse(document, sanitize_html=False, resolve_relative_uris=False)
        if result.bozo:
            return None, "document mal formé"
        kind = _VERSIONS.get(str(result.version or ""))
        if kind is None:
            return None, f"format {result.version or 'inconnu'}"
        parsed = {"feed": _plain(result.feed), "entries": [_plain(e) for e in result.entries],
                  "version": str(result.version), "bozo": False}
        _as_feedparser(parsed)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a Rust panic is a BaseException (pyo3): to the judge too
        return None, f"erreur de feedparser-rs ({type(exc).__name__})"
    problem = _insane(parsed, document, kind)
    if problem:
        return None, problem
    if base_url:
        _resolve(parsed, base_url, atom=kind == "atom")
    return parsed, ""


def _as_feedparser(parsed: dict) -> None:
    """Where feedparser-rs names or shapes a field otherwise than feedparser does."""
    from feedparser.datetimes import _parse_date

    feed = parsed["feed"]
    sy = feed.pop("syndication", None) or {}
    for ours, theirs in (("update_period", "sy_updateperiod"), ("update_frequency", "sy_updatefrequency")):
        if sy.get(ours):
            feed[theirs] = sy[ours]
    for holder in (feed, *parsed["entries"]):
        # Dates: feedparser's own date parser on the same text (its leniency is the reference).
        for key in ("published", "updated", "created"):
            holder.pop(key + "_parsed", None)
            if isinstance(holder.get(key), str):
                when = _parse_date(holder[key])
                if when:
                    holder[key + "_parsed"] = when


def _insane(parsed: dict, document: bytes, kind: str) -> str:
    entries = parsed["entries"]
    for holder in (parsed["feed"], *entries):
        for link in holder.get("links") or ():
            if not isinstance(link, dict) or not str(link.get("href") or "").strip():
                return "lien sans adresse"
            if _ENTITY.search(str(link.get("href"))):
                return "entité dans un lien"
        if _ENTITY.search(str(holder.get("link") or "")) or _ENTITY.search(str(holder.get("id") or "")):
            return "entité dans un lien"
    first = (_ITEM if kind == "rss" else _ENTRY).search(document)
    head = document[:first.start()] if first else document  # the feed's own elements
    if _TITLE.search(head) and not parsed["feed"].get("title"):
        return "titre du flux perdu"
    # Paging links (RFC 5005, self) the document's head declares must all have been read.
    rels = {r.decode("ascii").lower() for r in _REL.findall(head)} & set(PAGING_RELS)
    if rels - {str(link.get("rel") or "").lower() for link in parsed["feed"].get("links") or ()}:
        return "lien de pagination perdu"
    for holder in (parsed["feed"], *entries):
        # Links inside content, which feedparser resolves and this module does not (xml:base is
        # allowed on content only): the clean stage reads <a href> to drop links to a person's
        # page with their text, and a relative « ~login/ » must not escape it.
        for text in _markup(holder):
            if any(not _ABSOLUTE.match("".join(h).strip()) for h in _HREF.findall(text)):
                return "lien relatif dans le contenu"
        # The two read a markup declaration in an HTML title differently.
        if "<!" in str(holder.get("title") or ""):
            return "déclaration dans un titre"
    expected = len((_ITEM if kind == "rss" else _ENTRY).findall(document))
    if len(entries) != expected or expected > _MAX_ENTRIES:
        return f"{len(entries)} entrées lues pour {expected} éléments"
    if _TITLE.search(document) and not any(e.get("title") for e in entries) and not parsed["feed"].get("title"):
        return "titres perdus"
    for e in entries:
        if not (e.get("id") or e.get("link") or e.get("title")):
            return "entrée sans id, lien ni titre"
    return ""


def _markup(holder: dict) -> list[str]:
    out = [str(c.get("value") or "") for c in holder.get("content") or () if isinstance(c, dict)]
    for key in ("summary", "title"):
        if isinstance(holder.get(key), str):
            out.append(holder[key])
    return out


def _resolve(parsed: dict, base_url: str, atom: bool) -> None:
    """feedparser resolves links (and Atom ids, which are IRIs) against the document's address
    (its Content-Location); feedparser-rs is not told the address, so it is done here."""
    for holder in (parsed["feed"], *parsed["entries"]):
        if atom and isinstance(holder.get("id"), str) and holder["id"].strip():
            holder["id"] = urljoin(base_url, holder["id"].strip())
        if isinstance(holder.get("link"), str) and holder["link"]:
            holder["link"] = urljoin(base_url, holder["link"].strip())
        for link in holder.get("links") or ():
            if isinstance(link, dict) and isinstance(link.get("href"), str):
                link["href"] = urljoin(base_url, link["href"].strip())


def _plain(value: Any, depth: int = 0) -> Any:
    """feedparser-rs objects as plain dicts, lists and strings (feedparser's shapes)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if depth > 6:
        return None
    if isinstance(value, (list, tuple)):
        if type(value).__name__ == "struct_time":
            return value
        # A string is its own plain form: kept without a call (most values are strings).
        return [v if type(v) is str else _plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): v if type(v) is str else _plain(v, depth + 1) for k, v in value.items() if v is not None}
    try:  # feedparser-rs objects give their fields in one call (speed: one per field otherwise)
        pairs = list(value.items())
    except Exception:  # noqa: BLE001 - no items(), or an accessor that fails: field by field below
        return _fields(value, depth)
    return {str(k): v if type(v) is str else _plain(v, depth + 1) for k, v in pairs
            if not (callable(v) or v is None or v == [] or v == "")}


def _fields(value: Any, depth: int) -> dict:
    """An object's fields one by one, skipping those whose accessor fails."""
    keys = value.keys() if hasattr(value, "keys") else [
        a for a in dir(value) if not a.startswith("_") and a not in ("get", "keys", "items", "values")]
    out = {}
    for key in keys:
        try:
            v = getattr(value, key) if not hasattr(value, "get") else value.get(key)
        except Exception:  # noqa: BLE001 - an accessor that fails is a field we do not read
            continue
        if callable(v) or v is None or v == [] or v == "":
            continue
        out[str(key)] = _plain(v, depth + 1)
    return out
