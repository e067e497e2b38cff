"""Identity tokens a feed carries, collected only to be redacted from its text.

The parse stage copies into a ParsedEntry only what an entry keeps (allow-list, see
parse/feed.py: id, link, title, content, dates, categories). Everything else that is
person-like is read here as an identity to cut from that text: any feedparser key whose
name holds a person (author, creator, contributor, publisher, owner, credit, copyright,
rights, person, e-mail, managingEditor, webMaster, googleplay_*/itunes_* owners and
authors, dcterms:creator, podcast:person, media:credit/copyright...), the links with
rel="author", and, read from the bytes themselves, every element of such a name in any
namespace (feedparser does not expose them all), avatar titles (a Gravatar's media:title
is the WordPress.com login) and the anchors of author links inside HTML titles.

Names, e-mails (and their local parts), usernames from author URIs (/@handle, /~user,
/author/x, a personal domain such as prenom-nom.example) and profile ids are returned.
They live only in memory during one parse: never stored, never logged, never rendered.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

_PERSON_KEY = re.compile(
    r"author|creator|contributor|publisher|owner|credit|copyright|rights|person|e-?mail|"
    r"managingeditor|webmaster|byline|signature|^name$|errorreportsto", re.I)
# feedparser keys never holding a person, even when their names match (`*_detail` types...).
_NOT_PERSON = re.compile(r"^(?:rights_detail|.*_parsed|base|language|type|scheme|rel|length)$", re.I)
_DETAIL_VALUE_KEYS = ("name", "email", "href", "value", "content", "url", "img")

_EMAIL = re.compile(r"[a-z0-9\u00c0-\u024f][a-z0-9._%+\-\u00c0-\u024f]*@[a-z0-9\-\u00c0-\u024f]+"
                    r"(?:\.[a-z0-9\-\u00c0-\u024f]+)+", re.I)
_PAREN = re.compile(r"^\s*(?P<a>[^()]*?)\s*\((?P<b>[^()]*)\)\s*$")
_RIGHTS_NOISE = re.compile(
    r"©|\(c\)|copyright|tous droits réservés|all rights reserved|some rights reserved|"
    r"certains droits réservés|creative\s*commons|licen[cs]e[sd]?|\bcc[- ]?(?:by|0)\b|\bby\b|\bnc\b|\bnd\b|"
    r"\bsa\b|attribution|partage dans les mêmes conditions|pas d'utilisation commerciale|"
    r"pas de modification|international|domaine public|public domain|\b\d+(?:\.\d+)?\b|[-–—,;:./]", re.I)
_AUTHOR_PATH = re.compile(
    r"/(?:author|auteur|authors|auteurs|members?|membres?|users?|u|people|profil(?:e)?s?|equipe|team)"
    r"/([^/?#]+)", re.I)
_HANDLE = re.compile(r"/[@~]([^/?#]+)")
_BLOGGER_PROFILE = re.compile(r"/profile/(\d{6,})")
# Hosts whose first label is a platform, not a person.
_PLATFORM_LABELS = frozenset({"www", "blog", "blogs", "m", "fr", "en", "feeds", "feed", "rss", "medium",
                              "mastodon", "social", "substack", "wordpress", "blogspot", "blogger",
                              "over-blog", "overblog", "tumblr", "github", "gitlab", "twitter", "x", "bsky",
                              "linkedin", "facebook", "instagram", "youtube", "example", "hautetfort",
                              "canalblog", "wixsite", "ghost", "hashnode", "mstdn", "piaille", "framapiaf"})
_SEGMENT_SKIP = re.compile(r"^(?:\d+|index\.\w+|feed|rss|atom|about|a-propos|apropos|contact|profil|profile|"
                           r"author|auteur|users?|members?|membres?|people|[a-z]{2})$", re.I)
# A Gravatar or other avatar <media:content> and the <media:title> inside it:
# WordPress.com puts the author's login there. feedparser folds media:title
# into the entry title when the entry has none, so it is read from the bytes.
_AVATAR_TITLE = re.compile(
    r"<(?:[\w.-]+:)?content\b[^>]*?\burl\s*=\s*[\"'][^\"']*(?:gravatar\.com|/avatar/)[^\"']*[\"'][^>]*>"
    r"\s*<(?:[\w.-]+:)?title\b[^>]*>\s*(?:<!\[CDATA\[)?\s*([^<\]]{1,200}?)\s*(?:\]\]>)?\s*</",
    re.I | re.S)
# Person-like elements in any namespace, read from the bytes (podcast:person, dcterms:creator,
# media:credit, googleplay:owner, foaf:name...): their text and their href/url/img attributes.
_PERSON_ELEMENT = re.compile(
    r"<((?:[\w.-]+:)?(?:author|creator|contributor|publisher|owner|credit|copyright|rights|person|email|"
    r"managingEditor|webMaster|name|byline|signature|maker|nick|nickname|givenName|familyName))\b"
    r"([^>]{0,600}?)(?<!/)>(?:\s*<!\[CDATA\[)?([^<]{0,300})", re.I)
_PERSON_ATTR = re.compile(r"\b(?:href|url|img|uri|resource|name)\s*=\s*[\"']([^\"']{1,500})[\"']", re.I)
_AUTHOR_LINK = re.compile(r"<(?:[\w.-]+:)?link\b[^>]*\brel\s*=\s*[\"'][^\"']*\b(?:author|me)\b[^\"']*[\"'][^>]*>",
                          re.I)
_HREF = re.compile(r"\bhref\s*=\s*[\"']([^\"']{1,500})[\"']", re.I)
_TITLE_ANCHOR = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a\s*>", re.I | re.S)
_PERSONISH_HREF = re.compile(r"^mailto:|/(?:author|auteur|authors|profil|profile|members?|users?)/|/[@~]|"
                             r"gravatar|blogger\.com/profile|[?&](?:author|user|by)=", re.I)
_SCAN_LIMIT = 8 * 1024 * 1024
# A group blog may declare many authors: all are kept (the redactor's regex stays linear).
MAX_TOKENS = 5000


def collect(parsed: Any, body: bytes = b"") -> tuple[str, ...]:
    """Names, e-mails, usernames and profile ids found in a parsed feed (feedparser dict) and its bytes."""
    found: list[str] = []
    feed = parsed.get("feed") or {}
    _from_mapping(feed, found)
    for entry in parsed.get("entries") or ():
        _from_mapping(entry, found)
        if isinstance(entry.get("source"), dict):
            _from_mapping(entry["source"], found)
        _from_links(entry.get("links"), found)
        _from_title(entry.get("title_detail"), found)
    _from_links(feed.get("links"), found)
    if body:
        _from_bytes(body[:_SCAN_LIMIT].decode("utf-8", "replace"), found)
    out: list[str] = []
    seen: set[str] = set()
    for token in found:
        token = " ".join(html.unescape(token).split())[:200]
        key = token.casefold()
        if token and key not in seen:
            seen.add(key)
            out.append(token)
    return tuple(out[:MAX_TOKENS])


def _from_mapping(d: Any, found: list[str], depth: int = 0) -> None:
    """Every person-like key of a feedparser mapping, whatever its namespace prefix."""
    if not isinstance(d, dict) or depth > 3:
        return
    for key, value in d.items():
        key = str(key)
        if _NOT_PERSON.match(key) or not _PERSON_KEY.search(key):
            continue
        _value(key, value, found, depth)


def _value(key: str, value: Any, found: list[str], depth: int) -> None:
    if isinstance(value, str):
        if "rights" in key.lower() or "copyright" in key.lower():
            value = _RIGHTS_NOISE.sub(" ", value)
        if "href" in key.lower() or "url" in key.lower() or value.strip().lower().startswith(("http", "mailto:")):
            _uri(value, found)
        else:
            _person(value, found)
    elif isinstance(value, dict):
        for v in value.values():
            if isinstance(v, str) and v.strip().lower().startswith(("mailto:", "http://", "https://")):
                _uri(v, found)
        for k in _DETAIL_VALUE_KEYS:
            if k in value:
                _value(key + "_" + k if k in ("href", "url", "img") else key, value[k], found, depth + 1)
        _from_mapping(value, found, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value[:500]:
            _value(key, item, found, depth + 1)


def _from_links(links: Any, found: list[str]) -> None:
    for link in links or ():
        if isinstance(link, dict) and str(link.get("rel", "")).lower() in ("author", "me") \
                and isinstance(link.get("href"), str):
            _uri(link["href"], found)
            if isinstance(link.get("title"), str):
                _person(link["title"], found)


def _from_title(detail: Any, found: list[str]) -> None:
    """Author links inside an HTML title: their text is the name (content drops such links)."""
    if not isinstance(detail, dict) or not isinstance(detail.get("value"), str):
        return
    for href, text in _TITLE_ANCHOR.findall(detail["value"]):
        if _PERSONISH_HREF.search(html.unescape(href)):
            _uri(html.unescape(href), found)
            _person(re.sub(r"<[^>]*>", " ", text), found)


def _from_bytes(text: str, found: list[str]) -> None:
    for m in _AVATAR_TITLE.finditer(text):
        found.append(html.unescape(m.group(1)))
    for m in _PERSON_ELEMENT.finditer(text):
        tag, attrs, content = m.group(1).lower(), m.group(2), m.group(3)
        if tag.endswith(("rights", "copyright")):
            content = _RIGHTS_NOISE.sub(" ", content)
        content = html.unescape(content).strip()
        if content:
            if content.lower().startswith(("http://", "https://", "mailto:")):
                _uri(content, found)
            else:
                _person(content, found)
        for value in _PERSON_ATTR.findall(attrs):
            value = html.unescape(value)
            (_uri if value.lower().startswith(("http", "mailto:", "/")) else _person)(value, found)
    for m in _AUTHOR_LINK.finditer(text):
        for href in _HREF.findall(m.group(0)):
            _uri(html.unescape(href), found)


def _person(value: str, found: list[str]) -> None:
    """« Name », « e-mail », « e-mail (Name) » or « Name (e-mail) »."""
    value = html.unescape(html.unescape(value)).strip()
    if not value or len(value) > 500:
        return
    m = _PAREN.match(value)
    parts: Iterable[str] = (m.group("a"), m.group("b")) if m else (value,)
    for part in parts:
        part = part.strip()
        if not part:
            continue
        for email in _EMAIL.findall(part):
            _email(email, found)
        rest = _EMAIL.sub(" ", part).strip()
        if rest.lower().startswith("mailto:"):
            continue
        if rest.lower().startswith(("http://", "https://")):
            _uri(rest, found)
            continue
        if rest:
            found.append(rest)


def _email(email: str, found: list[str]) -> None:
    """The address, its local part (« camille.testard », « zorglub ») and the words of its
    domain when it is a personal one (« camille-testard.example »): the redactor's precision
    rule decides which of them are cut as names."""
    found.append(email)
    local, _, domain = email.partition("@")
    found.append(local.split("+", 1)[0])
    label = domain.split(".")[0]
    if label.lower() not in _PLATFORM_LABELS and "-" in label:
        found.append(label)


def _uri(value: str, found: list[str]) -> None:
    value = value.strip()
    if value.lower().startswith("mailto:"):
        for email in _EMAIL.findall(unquote(value[7:])):
            _email(email, found)
        return
    try:
        parts = urlsplit(value)
    except ValueError:
        return
    path = unquote(parts.path)
    for m in _AUTHOR_PATH.finditer(path):
        found.append(m.group(1))
    for m in _HANDLE.finditer(path):
        found.append(m.group(1).split("@", 1)[0])
    for m in _BLOGGER_PROFILE.finditer(path):
        found.append(m.group(1))
    if "@" in parts.netloc:
        found.append(parts.netloc.rsplit("@", 1)[0].split(":", 1)[0])
    host = (parts.hostname or "").lower()
    labels = [x for x in host.split(".") if x]
    if len(labels) >= 2:
        # A personal domain (« camille-testard.example ») or a personal subdomain of a platform
        # (« camilletestard.wordpress.example »): the name is the first label that is not a platform.
        first = labels[0] if labels[0] not in _PLATFORM_LABELS else (labels[1] if len(labels) > 2 else "")
        if first and first not in _PLATFORM_LABELS:
            found.append(first)
    # Other path segments of an author URI (« /equipe/camille-testard »): the precision rule of
    # the redactor keeps the ordinary words among them.
    for segment in path.split("/"):
        if segment and not _SEGMENT_SKIP.match(segment) and not segment.startswith(("@", "~")):
            found.append(segment)
    for key, _, val in (q.partition("=") for q in parts.query.split("&") if q):
        if re.fullmatch(r"(?:author|user|by|u|name|member)", key, re.I) and val:
            found.append(unquote(val))
