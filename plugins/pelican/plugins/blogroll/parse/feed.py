"""Parse stage: bytes -> ParsedFeed, identity fields dropped, never trusted.

`parse_feed` never reads a URL or a path (feedparser only sees a BytesIO)
and raises only ParseError, with a French reason for /etat/. Documents with
an internal DTD subset are refused before feedparser sees them (entity
expansion), HTML pages get "not a feed" with the feeds they advertise.
"""

from __future__ import annotations

import calendar
import contextlib
import html
import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import feedparser
from feedparser.encodings import convert_to_utf8
from feedparser.exceptions import CharacterEncodingOverride

from ..core.errors import ParseError
from ..core.model import ParsedEntry, ParsedFeed
from ..core.text import html_to_text, squash
from ..core.weburl import comment_feed_url
from . import fast, identities

# Elements through which feeds leak identities (the same in any parser's hands): we never
# read them as content, and the warnings (and `try`) name the ones a feed carries.
_IDENTITY_ELEMENT = re.compile(
    rb"<((?:[\w.-]+:)?(?:author|creator|contributor|publisher|owner|managingEditor|webMaster|credit))[\s>/]")
# CDATA sections and escaped markup hold post HTML, not elements of the feed.
_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.S)


def _markup_free(document: bytes) -> bytes:
    """_CDATA.sub(b" ", document), by finding the sections (the lazy pattern stepped through
    every byte of every section): a section runs from « <![CDATA[ » to the first « ]]> »
    after it; without one, neither that start nor any later one opens a section."""
    start = document.find(b"<![CDATA[")
    if start == -1:
        return document
    pieces: list[bytes] = []
    at = 0
    while start != -1:
        end = document.find(b"]]>", start + 9)
        if end == -1:
            break
        pieces += (document[at:start], b" ")
        at = end + 3
        start = document.find(b"<![CDATA[", at)
    pieces.append(document[at:])
    return b"".join(pieces)


_SNIFF = 64 * 1024
# Markup kept per entry: far more than a 50-word excerpt needs, and a bound on
# the sanitizer's worst cases (html5ever is quadratic in nesting depth and in
# runs of '&': 100 000 nested <div> take half a minute, 32 KiB a few ms).
MAX_CONTENT = 32 * 1024
MAX_TITLE = 4 * 1024
_DATA_URI = re.compile(r"data:[^\"'\s>]*", re.I)
_TAG_LIKE = re.compile(r"</?[A-Za-z][^<>]*>")
_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}
_ELEMENT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>/]")
# A DOCTYPE's content up to its '>' or '[', quoted strings skipped (possessive: linear time).
_DOCTYPE_BODY = re.compile(rb"""(?:[^"'\[>]++|"[^"]*+"|'[^']*+')*+""")
_SPACE = b" \t\r\n"
_UTF8_DECL = b"<?xml version='1.0' encoding='utf-8'?>\n"
# Declared encodings that are often wrong for bodies that are valid UTF-8.
_SINGLE_BYTE = {"iso-8859-1", "latin-1", "latin1", "iso8859-1", "windows-1252", "cp1252", "us-ascii", "ascii"}
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)")


def parse_feed(body: bytes, *, base_url: str | None = None, content_type: str | None = None,
               max_entries: int = 200, native: bool = True) -> ParsedFeed:
    """`native`: try the feedparser-rs fast path first (fast.py), feedparser otherwise."""
    if not body or not body.strip():
        raise ParseError("réponse vide : aucun flux")
    document, encoding_note = safe_document(body, base_url=base_url, content_type=content_type)
    warnings = [encoding_note] if encoding_note else []
    parsed, parser = _read_document(document, base_url, native)
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed["entries"] and (bozo or not parsed.get("version")):
        raise ParseError("ce n'est pas un flux RSS ou Atom valide", detail=_short(bozo))
    if bozo:
        warnings.append("XML mal formé, lu en mode tolérant")
    _refuse_comment_feed(parsed, document)
    leaked = sorted({m.decode("ascii", "replace") for m in _IDENTITY_ELEMENT.findall(_markup_free(document))})
    if leaked:
        warnings.append("champs d'identité ignorés : " + ", ".join(leaked))
    if len(parsed["entries"]) > max_entries:
        warnings.append(f"{len(parsed['entries'])} entrées : seules les {max_entries} premières sont lues")
    html_titles = not str(parsed.get("version") or "").startswith("atom")
    entries = _kept_entries(parsed["entries"][:max_entries], html_titles)
    if bozo and not entries:
        raise ParseError("ce n'est pas un flux RSS ou Atom valide", detail=_short(bozo))
    return _parsed_feed(parsed, document, base_url, entries, warnings, html_titles, parser)


def _read_document(document: bytes, base_url: str | None, native: bool) -> tuple[dict[str, Any], str]:
    """(feedparser-shaped result, which parser read it): the fast path when `native` and it
    accepts the document, feedparser otherwise."""
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    parsed, declined = fast.parse_document(document, base_url) if native else (None, "désactivé")
    if parsed is not None:
        return parsed, "feedparser-rs"
    try:
        result = feedparser.parse(io.BytesIO(document), response_headers=headers,
                                  sanitize_html=False, resolve_relative_uris=True)
    except Exception as exc:  # feedparser has crashed on valid XML (gml:pos KeyError)
        raise ParseError(f"flux illisible (erreur de l'analyseur : {type(exc).__name__})")
    return result, f"feedparser ({declined})"


def _kept_entries(raws: list[dict[str, Any]], html_titles: bool) -> list[ParsedEntry]:
    entries = []
    for raw in raws:
        try:
            entry = _entry(raw, html_titles)
        except Exception:  # one odd entry never loses the others
            continue
        # A broken document read leniently can yield shells with nothing to show or identify.
        if entry.guid or entry.link or entry.title or entry.content_html.strip():
            entries.append(entry)
    return entries


def _parsed_feed(parsed: dict[str, Any], document: bytes, base_url: str | None, entries: list[ParsedEntry],
                 warnings: list[str], html_titles: bool, parser: str) -> ParsedFeed:
    feed = parsed.get("feed", {})
    scanned = identities.scan(document)  # read once for both
    return ParsedFeed(
        entries=tuple(entries),
        title=_text(feed.get("title", ""), feed.get("title_detail"), html_titles),
        link=feed.get("link"),
        warnings=tuple(warnings),
        # Names and e-mails the feed carries, for the clean stage to redact (identities.py).
        identities=identities.collect(parsed, scanned),
        suspects=identities.suspects(parsed, scanned),
        ttl_minutes=_int(feed.get("ttl")),
        update_period=_str(feed.get("sy_updateperiod")),
        update_frequency=_int(feed.get("sy_updatefrequency")),
        links=_paging_links(feed, base_url),
        generator=squash(str(feed.get("generator") or ""))[:200],
        parser=parser,
    )


# Feed-level links that page through a feed's history (RFC 5005 and OpenSearch-like feeds).
PAGING_RELS = fast.PAGING_RELS


def _paging_links(feed: dict[str, Any], base_url: str | None) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for link in feed.get("links") or ():
        rel = str(link.get("rel") or "").strip().lower()
        href = str(link.get("href") or "").strip()
        if rel in PAGING_RELS and href:
            url = urljoin(base_url or "", href)
            if url.startswith(("http://", "https://")) and (rel, url) not in out:
                out.append((rel, url[:2000]))
    return tuple(out[:20])


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def safe_document(body: bytes, *, base_url: str | None = None,
                  content_type: str | None = None) -> tuple[bytes, str | None]:
    """The body as UTF-8 bytes that passed every pre-parse guard (DTD, HTML, prolog),
    ready for feedparser, with a note when the encoding was repaired. Raises ParseError."""
    document, encoding_note = _to_utf8(body, content_type)
    return _checked_document(document, body, base_url, content_type), encoding_note


def _to_utf8(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """The body as UTF-8, decoded exactly as feedparser would (BOM, HTTP charset,
    XML declaration, then UTF-8, windows-1252...), except that a body that is
    valid UTF-8 wins over a declared single-byte charset (a common misconfiguration).

    Every later check runs on this text, and feedparser gets these very bytes:
    a document cannot hide a DTD from us behind UTF-7 or EBCDIC.
    """
    declared = _declared_encodings(body, content_type)
    headers = {"content-type": content_type or "application/xml"}
    if declared & _SINGLE_BYTE and not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            headers = {"content-type": "application/xml; charset=utf-8"}
    info: dict = {}
    try:
        data = convert_to_utf8(headers, body, info)
    except Exception as exc:
        raise ParseError(f"encodage illisible ({type(exc).__name__})")
    if not isinstance(data, bytes) or not info.get("encoding"):
        raise ParseError("encodage de caractères inconnu")
    note = None
    if isinstance(info.get("bozo_exception"), CharacterEncodingOverride):
        note = "encodage corrigé (l'encodage déclaré était faux)"
    return data, note


def _declared_encodings(body: bytes, content_type: str | None) -> set[str]:
    found = set()
    m = _CHARSET.search(content_type or "")
    if m:
        found.add(m.group(1).lower())
    declared = _XML_ENCODING.match(body[:200].lstrip(b"\xef\xbb\xbf"))
    if declared:
        found.add(declared.group(1).decode("ascii", "replace").lower())
    return found


def _checked_document(data: bytes, original: bytes, base_url: str | None, content_type: str | None) -> bytes:
    """Refuse DTDs and HTML pages; return the document with a minimal prolog.

    The prolog (declaration, comments, processing instructions, DOCTYPE) is
    walked, not searched: a DOCTYPE with an internal subset is refused
    wherever it sits, and everything before the root element except a plain
    DOCTYPE is dropped, which also keeps feedparser's quadratic DOCTYPE
    regexes away from long prologs.
    """
    doctype, start = _walk_prolog(data)
    rest = data[start:]
    first = _ELEMENT.search(rest, 0, _SNIFF)
    if first is None:
        raise ParseError("ce n'est pas un flux : aucun élément XML")
    root = first.group(1).decode("ascii", "replace").split(":")[-1].lower()
    html_doctype = doctype is not None and doctype[9:].strip().lower().startswith(b"html")
    html_type = (content_type or "").split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml")
    # The root element decides: an XHTML DOCTYPE in front of <rss> is still a feed.
    if root == "html" or (html_doctype or html_type) and root not in _FEED_ROOTS:
        advertised = [f.url for f in advertised_feeds(original, base_url)[:5]]
        hint = " ; la page annonce des flux : voyez make try" if advertised else ""
        detail = f"flux annoncés par la page : {', '.join(advertised)}" if advertised else ""
        raise ParseError(f"ce n'est pas un flux (page HTML){hint}", detail=detail)
    begin = first.start()
    if root not in _FEED_ROOTS:
        # Junk before the feed (a PHP warning, say): start at the feed's root.
        feed_root = _FEED_ROOT.search(rest, 0, _SNIFF)
        if feed_root is not None:
            begin = feed_root.start()
    prolog = _UTF8_DECL + (doctype + b"\n" if doctype else b"")
    return prolog + rest[begin:]


def _walk_prolog(data: bytes) -> tuple[bytes | None, int]:
    """(DOCTYPE without internal subset or None, offset of what follows the prolog)."""
    i, n, doctype = 0, len(data), None
    while i < n:
        while i < n and data[i] in _SPACE:
            i += 1
        if data.startswith(b"\xef\xbb\xbf", i):
            i += 3
        elif data.startswith(b"<?", i):
            end = data.find(b"?>", i + 2)
            if end < 0:
                raise ParseError("ce n'est pas un flux : instruction XML non terminée")
            i = end + 2
        elif data.startswith(b"<!--", i):
            end = data.find(b"-->", i + 4)
            if end < 0:
                raise ParseError("ce n'est pas un flux : commentaire XML non terminé")
            i = end + 3
        elif data[i:i + 9].upper() == b"<!DOCTYPE":
            end = _doctype_end(data, i + 9)
            if doctype is not None:
                raise ParseError("document refusé : plusieurs déclarations DOCTYPE")
            doctype = data[i:end]
            i = end
        else:
            break
    return doctype, i


def _doctype_end(data: bytes, i: int) -> int:
    """Offset just past the DOCTYPE's closing '>'; refuse an internal subset ('[')."""
    body = _DOCTYPE_BODY.match(data, i)
    assert body is not None  # the pattern matches the empty string
    j = body.end()
    if data[j:j + 1] == b"[":
        raise ParseError("document refusé : déclaration DTD interne (entités XML)")
    if data[j:j + 1] != b">":
        raise ParseError("document refusé : DOCTYPE non terminé")
    return j + 1


def _entry(raw: dict[str, Any], html_titles: bool = False) -> ParsedEntry:
    content = ""
    for item in raw.get("content") or ():
        if item.get("value"):
            content = _as_html(item["value"], item.get("type"))
            break
    if not content and raw.get("summary"):
        content = _as_html(raw["summary"], (raw.get("summary_detail") or {}).get("type"))
    tags = []
    for tag in raw.get("tags") or ():
        term = squash(str(tag.get("term") or tag.get("label") or ""))
        if term and term not in tags:
            tags.append(term[:100])
    return ParsedEntry(
        guid=_str(raw.get("id")),
        link=_str(raw.get("link")),
        title=_entry_title(raw, html_titles),
        content_html=content,
        # dict.get bypasses feedparser's deprecated updated->published mapping.
        published=_date(dict.get(raw, "published_parsed") or dict.get(raw, "created_parsed")),
        updated=_date(dict.get(raw, "updated_parsed")),
        tags=tuple(tags),
    )


def _entry_title(raw: dict[str, Any], html_titles: bool) -> str:
    """The entry's own title. feedparser makes an image's <media:title> the entry title when the
    entry has none: that is a photo credit or an avatar's login, never kept."""
    title = raw.get("title", "")
    media = raw.get("media_title")
    if isinstance(media, str) and media.strip() and squash(media) == squash(str(title)):
        return ""
    return _text(title, raw.get("title_detail"), html_titles)


_COMMENT_TITLE = re.compile(r"^\s*(?:comments? (?:on|for|to)|commentaires? (?:sur|pour|de|du|des|à)|"
                            r"réactions? (?:à|sur)|discussion sur)\b", re.I)
_REPLY_TITLE = re.compile(r"^\s*(?:(?:par|by|de)\s*:\s*\S|(?:réponse de|commentaire de|comment by|reply from)\s)",
                          re.I)
_IN_REPLY_TO = re.compile(rb"<(?:[\w.-]+:)?in-reply-to\b", re.I)
_COMMENT_ID = re.compile(r"\.comments?\b|/comments?/|comments?-rss|#comment-", re.I)


def _refuse_comment_feed(parsed: dict[str, Any], document: bytes) -> None:
    """A comment feed is refused: its entries are readers' comments, which often name the
    blogger, and would be published as the blogger's posts. Markers: its title (« Commentaires
    sur … », « Comments on: … »), its address or id (/comments/feed/, Blogger …comments), or
    entries that are replies (thr:in-reply-to, « Par : X » titles, #comment- links)."""
    feed = parsed.get("feed") or {}
    entries = parsed.get("entries") or []
    marks = []
    if _COMMENT_TITLE.search(str(feed.get("title") or "")):
        marks.append("titre")
    self_links = [str(link.get("href", "")) for link in feed.get("links") or () if link.get("rel") == "self"]
    if any(comment_feed_url(u) for u in self_links) or _COMMENT_ID.search(str(feed.get("id") or "")):
        marks.append("adresse")
    n = len(entries)
    if n:
        replies = len(_IN_REPLY_TO.findall(document))
        reply_titles = sum(1 for e in entries if _REPLY_TITLE.search(str(e.get("title") or "")))
        comment_links = sum(1 for e in entries if "#comment" in str(e.get("link") or "").lower()
                            or _COMMENT_ID.search(str(e.get("id") or "")))
        if replies * 2 >= n or reply_titles * 2 > n or comment_links * 2 > n:
            marks.append("billets")
    if marks:
        raise ParseError("flux de commentaires refusé (les commentaires des lecteurs nomment souvent "
                         "l'auteur) : donnez le flux des billets du blog", detail=", ".join(marks))


def _str(value: object) -> str | None:
    if not value:
        return None
    value = str(value).strip()
    return value[:2000] or None


def _text(value: str, detail: dict[str, Any] | None, html_titles: bool = False) -> str:
    """Plain text of a title-like field, whatever type the feed declared.

    RSS has no title type: feedparser guesses HTML only when every tag is one it
    likes, so `<script>…</script>Titre` would stay literal. In RSS (html_titles)
    anything that looks like a tag is read as HTML; Atom's type="text" is kept.
    """
    kind = (detail or {}).get("type", "text/plain")
    value = value[:MAX_TITLE]
    if html_titles and _TAG_LIKE.search(value):
        kind = "text/html"
    if kind in ("text/html", "application/xhtml+xml"):
        value = html_to_text(value)
    return squash(value)[:500]


def _as_html(value: str, kind: str | None) -> str:
    if len(value) > MAX_CONTENT:
        # Inline images (data: URIs) weigh nothing in text: drop them before cutting.
        value = _DATA_URI.sub("data:", value)[:MAX_CONTENT]
    if kind in ("text/plain",):
        return "<p>" + html.escape(value) + "</p>"
    return value


def _date(struct: time.struct_time | None) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _short(exc: object) -> str:
    return squash(str(exc))[:160] if exc else ""


# What a page may announce as its feed (<link rel="alternate" type=…>).
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json")
_PAGE_SCAN = 1024 * 1024


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str = ""


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and a.get("href") and self.base is None:
            self.base = a["href"].strip()
        if tag != "link":
            return
        rels = a.get("rel", "").lower().split()
        if "alternate" in rels and a.get("type", "").lower().split(";")[0].strip() in FEED_TYPES and a.get("href"):
            self.links.append((a["href"].strip(), squash(a.get("title", ""))))


def advertised_feeds(body: bytes, base_url: str | None) -> list[FeedLink]:
    """Feeds a page announces with <link rel="alternate">, made absolute (against its
    <base href> when it has one), in document order, each once."""
    finder = _LinkFinder()
    with contextlib.suppress(Exception):  # a page is hostile input: what was read so far counts
        finder.feed(body[:_PAGE_SCAN].decode("utf-8", "replace"))
    base = urljoin(base_url or "", finder.base) if finder.base else (base_url or "")
    out: list[FeedLink] = []
    for href, title in finder.links:
        url = urljoin(base, href)
        if url.startswith(("http://", "https://")) and all(f.url != url for f in out):
            out.append(FeedLink(url, title))
    return out
