"""Parse stage: bytes -> ParsedFeed, identity fields dropped, never trusted.

`parse_feed` never reads a URL or a path (feedparser only sees a BytesIO)
and raises only ParseError, with a French reason for /etat/. Documents with
an internal DTD subset are refused before feedparser sees them (entity
expansion), HTML pages get "not a feed" with the feeds they advertise.
"""

from __future__ import annotations

import calendar
import html
import io
import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

from . import identity
from .errors import ParseError
from .model import ParsedEntry, ParsedFeed
from .textutil import html_to_text, squash

# Feed and entry keys through which feeds leak identities; we never read
# them, and `try` reports the ones a feed carries.
IDENTITY_FIELDS = (
    "author", "author_detail", "authors", "contributors", "publisher", "publisher_detail",
    "itunes_owner", "managingeditor", "webmaster", "gd_image", "media_credit", "href",
)

_PROLOG_SCAN = 64 * 1024
_DTD_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.I)
_ENTITY = re.compile(r"<!ENTITY", re.I)
_HTML_ROOT = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE\s+html|<html[\s>])", re.I | re.S)


def parse_feed(body: bytes, *, base_url: str | None = None, content_type: str | None = None,
               max_entries: int = 200) -> ParsedFeed:
    if not body or not body.strip():
        raise ParseError("réponse vide : aucun flux")
    head = _decode_head(body)
    if _DTD_SUBSET.search(head) or _ENTITY.search(head):
        raise ParseError("document refusé : déclaration DTD interne (entités XML)")
    if _HTML_ROOT.match(head) or (content_type or "").lower().startswith("text/html") and "<rss" not in head \
            and "<feed" not in head and "<rdf" not in head.lower():
        advertised = advertised_feeds(body, base_url)
        hint = f" ; flux annoncés par la page : {', '.join(advertised)}" if advertised else ""
        raise ParseError(f"ce n'est pas un flux (page HTML){hint}")
    headers = {"content-type": content_type or "application/xml"}
    if base_url:
        headers["content-location"] = base_url
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                                  sanitize_html=False, resolve_relative_uris=True)
    except Exception as exc:  # feedparser has crashed on valid XML (gml:pos KeyError)
        raise ParseError(f"flux illisible (erreur de l'analyseur : {type(exc).__name__})")
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" : {_short(reason)}" if reason else ""
        raise ParseError(f"ce n'est pas un flux RSS ou Atom valide{detail}")
    warnings = []
    if parsed.get("bozo") and parsed.entries:
        warnings.append(f"XML mal formé, lu en mode tolérant ({_short(parsed.get('bozo_exception'))})")
    leaked = sorted({k for k in IDENTITY_FIELDS if k in parsed.feed}
                    | {k for e in parsed.entries for k in IDENTITY_FIELDS if k in e})
    if leaked:
        warnings.append("champs d'identité ignorés : " + ", ".join(leaked))
    if len(parsed.entries) > max_entries:
        warnings.append(f"{len(parsed.entries)} entrées : seules les {max_entries} premières sont lues")
    entries = []
    for raw in parsed.entries[:max_entries]:
        try:
            entries.append(_entry(raw))
        except Exception:  # one odd entry never loses the others
            continue
    feed = parsed.get("feed", {})
    return ParsedFeed(
        entries=tuple(entries),
        title=_text(feed.get("title", ""), feed.get("title_detail")),
        link=feed.get("link"),
        warnings=tuple(warnings),
        # Names and e-mails the feed carries, for the clean stage to redact (identity.py).
        identities=identity.collect(parsed, body),
    )


def _entry(raw) -> ParsedEntry:
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
        title=_text(raw.get("title", ""), raw.get("title_detail")),
        content_html=content,
        # dict.get bypasses feedparser's deprecated updated->published mapping.
        published=_date(dict.get(raw, "published_parsed") or dict.get(raw, "created_parsed")),
        updated=_date(dict.get(raw, "updated_parsed")),
        tags=tuple(tags),
    )


def _str(value) -> str | None:
    if not value:
        return None
    value = str(value).strip()
    return value[:2000] or None


def _text(value: str, detail) -> str:
    """Plain text of a title-like field, whatever type the feed declared."""
    kind = (detail or {}).get("type", "text/plain")
    if kind in ("text/html", "application/xhtml+xml"):
        value = html_to_text(value)
    return squash(value)[:500]


def _as_html(value: str, kind: str | None) -> str:
    if kind in ("text/plain",):
        return "<p>" + html.escape(value) + "</p>"
    return value


def _date(struct) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=timezone.utc)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _decode_head(body: bytes) -> str:
    head = body[:_PROLOG_SCAN]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "ignore")
    if head[:4] in (b"<\0?\0", b"<\0\0\0"):
        return head.decode("utf-16-le", "ignore")
    if head[:4] in (b"\0<\0?",):
        return head.decode("utf-16-be", "ignore")
    return head.decode("latin-1")


def _short(exc) -> str:
    return squash(str(exc))[:160] if exc else ""


class _LinkFinder(HTMLParser):
    FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
                  "application/feed+json")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "link":
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        if "alternate" in rels and a.get("type", "").lower().split(";")[0].strip() in self.FEED_TYPES and a.get("href"):
            self.links.append(a["href"].strip())


def advertised_feeds(body: bytes, base_url: str | None) -> list[str]:
    """Feed URLs a page announces with <link rel="alternate">, made absolute."""
    finder = _LinkFinder()
    try:
        finder.feed(body[:512 * 1024].decode("utf-8", "replace"))
    except Exception:
        pass
    out = []
    for href in finder.links:
        url = urljoin(base_url or "", href)
        if url.startswith(("http://", "https://")) and url not in out:
            out.append(url)
    return out[:5]
