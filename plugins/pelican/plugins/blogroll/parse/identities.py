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

The bytes are read once per document (`scan`, shared by `collect` and `suspects`): each
element pattern is tried only where an element's name lets it match, and only the URLs that
may name a person by their path are read. tests/parse/test_one_pass.py keeps the former
scan (one findall or finditer per pattern over the whole text) as the oracle.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ..core.personal import person_names, suspect_names

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
    r"/(?:author|auteur|authors|auteurs|members?|membres?|users?|u|people|profil(?:e)?s?|equipe|team|"
    r"redacteurs?|redactrices?|commentaires?|comments?|par|by|contributeurs?|contributors?)"
    r"/([^/?#]+)", re.I)
_DOCUMENT_AUTHOR_PATH = re.compile(r"/(?:author|auteur|authors|auteurs|membres?|members?|redacteurs?|redactrices?|"
                                   r"commentaires?|comments?|contributeurs?|contributors?|par|by)/", re.I)
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
# The same elements written empty, their person in an attribute (RDF's rdf:resource).
_PERSON_EMPTY = re.compile(
    r"<(?:[\w.-]+:)?(?:author|creator|contributor|publisher|owner|person|maker|has_creator)\b([^>]{0,600}?)/>", re.I)
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


def collect(parsed: Any, body: bytes | Scan = b"") -> tuple[str, ...]:
    """Names, e-mails, usernames and profile ids found in a parsed feed (feedparser dict) and its
    bytes (or their `scan`, read once for `collect` and `suspects`)."""
    return _collect(parsed, body, _Found())


class _Found(list):
    """The tokens found, and the field values already read: a value read again (an entry's
    author, author_detail and authors hold the same name) would only add tokens already found,
    and collect keeps each token's first occurrence only."""

    def __init__(self) -> None:
        super().__init__()
        self.read: set[tuple[str, str]] = set()


def _first_reading(found: list[str], kind: str, value: str) -> bool:
    read = getattr(found, "read", None)
    if read is None:
        return True
    if (kind, value) in read:
        return False
    read.add((kind, value))
    return True


def _collect(parsed: Any, body: bytes | Scan, found: list[str]) -> tuple[str, ...]:
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
        # The posts' own links are not read for usernames: « /rubriques/profil/le-patient/ » is
        # a post (clean/links.py refuses the links that are a person's page).
        posts = {str(e.get("link") or "") for e in parsed.get("entries") or ()}
        posts |= {str(link.get("href") or "") for e in parsed.get("entries") or ()
                  for link in e.get("links") or () if isinstance(link, dict) and link.get("rel") == "alternate"}
        _from_bytes(body if isinstance(body, Scan) else scan(body), found, posts)
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
        lower = key.lower()
        if "rights" in lower or "copyright" in lower:
            # A licence text is no person field: only the person-looking names in it count
            # (« © 2026 Prénom Nom », « Texte : Prénom Nom, licence CC BY »).
            if _first_reading(found, "rights", value):
                found.extend(suspect_names(_licence_free(value)))
            return
        if "href" in lower or "url" in lower or value.strip().lower().startswith(("http", "mailto:")):
            if _first_reading(found, "uri", value):
                _uri(value, found)
        elif _first_reading(found, "person", value):
            _person(value, found)
    elif isinstance(value, dict):
        for v in value.values():
            if isinstance(v, str) and v.strip().lower().startswith(("mailto:", "http://", "https://")) \
                    and _first_reading(found, "uri", v):
                _uri(v, found)
        for k in _DETAIL_VALUE_KEYS:
            if k in value:
                _value(key + "_" + k if k in ("href", "url", "img") else key, value[k], found, depth + 1)
        _from_mapping(value, found, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value[:500]:
            _value(key, item, found, depth + 1)


def _licence_free(value: str) -> str:
    """A rights or copyright text without its markup and its licence words."""
    text = re.sub(r"<[^>]*>", " ", html.unescape(html.unescape(value)))
    # A hyphen inside a word joins a double surname (« Prénom Nom-Nom »): kept through the noise.
    text = _RIGHTS_NOISE.sub(" ", re.sub(r"(?<=\w)-(?=\w)", "\u2010", text))
    return text.replace("\u2010", "-")


def _from_links(links: Any, found: list[str]) -> None:
    for link in links or ():
        if isinstance(link, dict) and isinstance(link.get("title"), str):
            found.extend(person_names(link["title"]))
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


# Descriptive fields that often hold a person among other words (« Portrait de Bertille X »,
# « Le blog de Véronique X », « Profil de X »): the capitalised run of two words or more.
_CAPITALISED_NAME = re.compile(
    r"(?<![\w\u00c0-\u024f])[A-ZÀ-ÖØ-Þ][\w\u00c0-\u024f'’-]+(?:\s+(?:(?:de|du|d'|le|la|van|von|di|da)\s+)?"
    r"[A-ZÀ-ÖØ-Þ][\w\u00c0-\u024f'’-]+)+")
_DESCRIPTIVE = re.compile(
    r"<(?:[\w.-]+:)?(?:title|source|text|description)\b[^>]*>(?:\s*<!\[CDATA\[)?([^<]{1,300})", re.I)
# Bounded spans (linear time on an 8 MiB body): an image block is short.
_IMAGE_BLOCK = re.compile(r"<(?:[\w.-]+:)?(?:image|content|thumbnail|group|source)(?![\w:.-])[^>]{0,600}>"
                          r"((?:(?!</?(?:[\w.-]+:)?(?:image|content|thumbnail|group|source)\b).){0,2000}?)"
                          r"</(?:[\w.-]+:)?(?:image|content|thumbnail|group|source)\s*>", re.I | re.S)
_SOURCE_BLOCK = re.compile(r"<(?:[\w.-]+:)?source(?![\w:.-])[^>]{0,600}>((?:(?!</?(?:[\w.-]+:)?source\b).){0,2000}?)"
                           r"</(?:[\w.-]+:)?source\s*>", re.I | re.S)
_LINK_TITLE = re.compile(r"<(?:[\w.-]+:)?link\b[^>]*\btitle\s*=\s*[\"']([^\"']{1,300})[\"']", re.I)
_SOURCE_URL = re.compile(r"<(?:[\w.-]+:)?source\b[^>]*\burl\s*=\s*[\"']([^\"']{1,500})[\"']", re.I)
# Every URL in the document (links, enclosures, images, comment feeds, rdf:resource...).
_ANY_URL = re.compile(r"(?:\b(?:href|url|src|resource|uri)\s*=\s*[\"']|>\s*)(https?://[^\"'<>\s]{1,500})", re.I)


def _document_urls(text: str) -> list[str]:
    """_ANY_URL.findall(text), scanning only the stretches that can hold a match (speed only:
    the pattern alone tried every position of an 8 MiB body). No match holds a « < », and
    every match holds « :// »: so the matches are those of the stretches between two « < »
    around each « :// », in order (a match never starts at the « < » itself, and the
    pattern's \\b sees the character before its start even with `pos`)."""
    out: list[str] = []
    at = text.find("://")
    while at != -1:
        start = max(text.rfind("<", 0, at), 0)
        end = text.find("<", at)
        if end == -1:
            end = len(text)
        out += _ANY_URL.findall(text, start, end)
        at = text.find("://", end)
    return out


_MEDIA_URL = re.compile(r"<(?:[\w.-]+:)?(?:enclosure|image|content|thumbnail|player)\b[^>]*?\b(?:url|href)\s*=\s*"
                        r"[\"']([^\"']{1,500})[\"']", re.I)


def capitalised_names(text: str) -> list[str]:
    """The person-looking names of a descriptive text (an image's or a link's title): a first
    name followed by words that are no ordinary French words (core/personal.py). « Maladie de
    Parkinson », « Signe de Babinski » or « Amoxicilline Acide Clavulanique » are no person."""
    return person_names(html.unescape(text))


def _slug_names(url: str, found: list[str]) -> None:
    """A person's name in a media file's name, read as the words of a title
    (« /audio/aurelise-quenzac-episode-3.mp3 » -> « Aurelise Quenzac »); « ehlers-danlos » or
    « clermont-ferrand » are no person."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return
    for segment in path.split("/"):
        words = [w for w in re.split(r"[-_.+\s]+", re.sub(r"\.\w{2,4}$", "", segment)) if w]
        found.extend(person_names(" ".join(w[:1].upper() + w[1:] for w in words)))


def _from_bytes(scanned: Scan, found: list[str], posts: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    hits = scanned.hits
    for m in hits[_IMAGE_BLOCK]:
        for d in _DESCRIPTIVE.findall(m.group(1)):
            found.extend(capitalised_names(d))
    for m in hits[_LINK_TITLE]:
        found.extend(capitalised_names(m.group(1)))
    for m in hits[_SOURCE_BLOCK]:
        inner = m.group(1)
        found.extend(capitalised_names(re.sub(r"<[^>]*>", " ", inner)))
        if "<" not in inner:
            _person(inner, found)
    for m in hits[_SOURCE_URL]:
        _uri(html.unescape(m.group(1)), found)
    for url in scanned.path_urls:
        url = html.unescape(url)
        if url not in posts:
            _author_paths(url, found, person_field=False)
    for m in hits[_MEDIA_URL]:
        _slug_names(html.unescape(m.group(1)), found)
    for m in hits[_AVATAR_TITLE]:
        found.append(html.unescape(m.group(1)))
    for m in hits[_PERSON_ELEMENT]:
        _person_element(m.group(1).lower(), m.group(2), m.group(3), found)
    for m in hits[_PERSON_EMPTY]:
        for value in _PERSON_ATTR.findall(m.group(1)):
            value = html.unescape(value)
            (_uri if value.lower().startswith(("http", "mailto:", "/")) else _person)(value, found)
    for m in hits[_AUTHOR_LINK]:
        for href in _HREF.findall(m.group(0)):
            _uri(html.unescape(href), found)


def _person_element(tag: str, attrs: str, content: str, found: list[str]) -> None:
    if tag.endswith(("rights", "copyright")):
        found.extend(suspect_names(_licence_free(content)))
        return
    content = html.unescape(content).strip()
    if content:
        if content.lower().startswith(("http://", "https://", "mailto:")):
            _uri(content, found)
        else:
            _person(content, found)
    for value in _PERSON_ATTR.findall(attrs):
        value = html.unescape(value)
        (_uri if value.lower().startswith(("http", "mailto:", "/")) else _person)(value, found)


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


def _author_paths(value: str, found: list[str], person_field: bool = True) -> None:
    """Usernames a URL shows: /author/x, /equipe/x, /commentaires/x, /@x, /~x. Any URL of the
    document is read only for the paths that name a person by their shape (/author/x,
    /auteur/x, /commentaires/x...): « /equipe/neonatologie/ » or « /@pneumologue » in a post's
    link name a service or a pen name; in a person field (an author's URI) they are the person."""
    try:
        path = unquote(urlsplit(value).path)
    except ValueError:
        return
    for m in _AUTHOR_PATH.finditer(path):
        if not person_field and not _DOCUMENT_AUTHOR_PATH.match(m.group(0)):
            continue
        if not re.fullmatch(r"\d+|feed|rss|atom|page", m.group(1), re.I):
            _username(m.group(1), found)
    if person_field:
        for m in _HANDLE.finditer(path):
            _username(m.group(1).split("@", 1)[0], found)


def _username(name: str, found: list[str]) -> None:
    """A login: core/identity.py's `variants` reads its title, digits and initial."""
    found.append(name if " " in name or name.startswith(("@", "~")) else "@" + name)


# --- channel-level fields: suspects for the detector, never for the redactor -----------------

# An image's or a medium's title (Media RSS), not a post's: « Portrait du Dr X » names the
# avatar's person; a post titled « Chez le Dr House » is the redactor's and the detector's.
# Any prefix the Media RSS namespace is bound to (« media: », « m: »), not the post's own
# titles (plain, itunes:, dc:, atom:).
_MEDIA_TITLE = re.compile(r"<(?!(?:itunes|dc|dcterms|atom|rss|content|googleplay):)[\w.-]+:title\b[^>]*>\s*"
                          r"(?:<!\[CDATA\[)?([^<\]]{1,300})", re.I)
_CHANNEL_FIELDS = ("title", "subtitle", "description", "info", "itunes_summary", "summary", "generator",
                   "itunes_subtitle", "rights")


def suspects(parsed: Any, body: bytes | Scan = b"") -> tuple[str, ...]:
    """Person-looking strings (core/personal.py: a first name, then words that are no ordinary
    French words) in the channel's own fields: its title, description, itunes:summary,
    generator, image (title, URL) and every media:title, whatever its case. They are no
    declared identity (the redactor does not cut them): the detector withholds a text that
    holds one."""
    feed = parsed.get("feed") or {}
    texts: list[str] = [str(feed.get(k) or "") for k in _CHANNEL_FIELDS]
    image = feed.get("image") or {}
    if isinstance(image, dict):
        texts += [str(image.get(k) or "") for k in ("title", "href", "url", "link")]
    found: list[str] = []
    for text in texts:
        if text.lower().startswith(("http://", "https://", "/")):
            _slug_names(text, found)
        else:
            found.extend(suspect_names(html.unescape(re.sub(r"<[^>]*>", " ", text))))
    if body:
        scanned = body if isinstance(body, Scan) else scan(body)
        for m in scanned.hits[_IMAGE_BLOCK]:
            for url in re.findall(r">\s*(https?://[^<\s]{1,500})\s*<", m.group(0)):
                _slug_names(html.unescape(url), found)
        for m in scanned.hits[_MEDIA_TITLE]:
            found.extend(suspect_names(html.unescape(m.group(1))))
    return tuple(dict.fromkeys(" ".join(x.split()) for x in found if x.strip()))[:MAX_TOKENS]


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
    _author_paths(value, found)
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


# --- one pass over the document's text, for `collect` and `suspects` ------------------------

# Each element pattern of the byte scan, with its head: a prefix of the pattern's own text
# (same flags), so the pattern matches only where its head does.
_HEADED = tuple((p, re.compile(p.pattern[:p.pattern.index(marker) + len(marker)], p.flags)) for p, marker in (
    (_IMAGE_BLOCK, "source)"), (_LINK_TITLE, "link"), (_SOURCE_BLOCK, "source"), (_SOURCE_URL, "source"),
    (_MEDIA_URL, "player)"), (_AVATAR_TITLE, "content"), (_PERSON_ELEMENT, "familyName))"),
    (_PERSON_EMPTY, "has_creator)"), (_AUTHOR_LINK, "link"), (_MEDIA_TITLE, ":title")))
# _IMAGE_BLOCK read faster: its body (at most 2000 characters, lazily, up to its closing tag,
# never over an image, content, thumbnail, group or source tag) can only end at the first such
# tag after the opening one, which must be its closing tag; that tag is found by runs of text.
_BLOCK_NAME = r"(?:image|content|thumbnail|group|source)"
_IMAGE_BLOCK_RUN = re.compile(
    r"<(?:[\w.-]+:)?" + _BLOCK_NAME + r"(?![\w:.-])[^>]{0,600}>((?:[^<]++|<(?!/?(?:[\w.-]+:)?" + _BLOCK_NAME
    + r"\b))*+)</(?:[\w.-]+:)?" + _BLOCK_NAME + r"\s*>", re.I | re.S)


def _image_block_at(text: str, at: int) -> re.Match[str] | None:
    """_IMAGE_BLOCK.match(text, at): the same match, when its body is short enough."""
    m = _IMAGE_BLOCK_RUN.match(text, at)
    return m if m and m.end(1) - m.start(1) <= 2000 else None


# Every element's name, with its prefix: where a head matches, it matches within this (a
# head is « < », a name and maybe a prefix, nothing after), so the head matches this text.
# The usual tags of a post's HTML, whole and without prefix, are passed over (no head
# matches them: none of these names is or begins a head's name).
_ELEMENT_NAME = re.compile(r"<(?!(?:p|a|li|ul|ol|em|br|b|i|u|s|strong|span|div|h\d|img|blockquote|figure|"
                           r"figcaption|code|pre|table|tr|td|th|q|sup|sub|hr|iframe|video|audio)[\s>/])[\w.:-]+")
# What a URL that names a person by its path holds after its « :/ » (see _path_urls): a « % »,
# a « & » or a person's path, with no « < » between (read by runs, possessively: the first
# such mark after the « :/ » is the only one to look for).
_PERSON_DIRS = _DOCUMENT_AUTHOR_PATH.pattern[1:-1]  # (?:author|auteur|...)
_URL_MARK = re.compile(r":/(?:[^<%&/]++|/(?!" + _PERSON_DIRS + r"/))*+(?:[%&]|/" + _PERSON_DIRS + "/)", re.I)


@dataclass(frozen=True)
class Scan:
    """A document's text (its first 8 MiB) and what the byte scan reads in it, found in one
    pass: `hits[pattern]` is `list(pattern.finditer(text))` for each element pattern, and
    `path_urls` the URLs of `_document_urls(text)` that may name a person by their path."""
    text: str
    hits: dict[re.Pattern[str], list[re.Match[str]]]
    path_urls: list[str]


def scan(body: bytes) -> Scan:
    """One pass of `_ELEMENT_NAME` finds where each element pattern may start (where its head
    matches the element's name); each pattern is then tried only there. A pattern's matches
    (its finditer) are its leftmost matches, each searched from the end of the previous one:
    with every place it can match at hand, trying them in order and skipping those inside the
    previous match gives the same matches."""
    text = body[:_SCAN_LIMIT].decode("utf-8", "replace")
    starts: dict[re.Pattern[str], list[int]] = {p: [] for p, _ in _HEADED}
    kinds: dict[str, tuple[re.Pattern[str], ...]] = {}  # this document's names only: nothing kept
    for m in _ELEMENT_NAME.finditer(text):
        name = m.group()
        heads = kinds.get(name)
        if heads is None:
            heads = kinds[name] = _heads_of(name)
        for pattern in heads:
            starts[pattern].append(m.start())
    hits: dict[re.Pattern[str], list[re.Match[str]]] = {}
    for pattern, places in starts.items():
        found, end = [], 0
        for at in places:
            if at >= end:
                match = _image_block_at(text, at) if pattern is _IMAGE_BLOCK else pattern.match(text, at)
                if match:
                    found.append(match)
                    end = match.end()
        hits[pattern] = found
    return Scan(text, hits, _path_urls(text))


def _heads_of(element: str) -> tuple[re.Pattern[str], ...]:
    """The element patterns whose head matches at the start of « <name » or « <prefix:name »."""
    return tuple(p for p, head in _HEADED if head.match(element))


def _path_urls(text: str) -> list[str]:
    """The URLs of _document_urls(text) that hold a « % », a « & » or a person's path
    (/author/, /par/...): the others name nobody by their path (_author_paths, not a person
    field, reads only such paths, after unescaping and unquoting). _document_urls reads the
    stretches between two « < » around each « :// »: only those where _URL_MARK matches are
    read (every such URL holds a match of it, which holds no « < »)."""
    out: list[str] = []
    mark = _URL_MARK.search(text)
    while mark:
        at = mark.start()
        start = max(text.rfind("<", 0, at), 0)
        end = text.find("<", at)
        if end == -1:
            end = len(text)
        out += [url for url in _urls_between(text, start, end)
                if "%" in url or "&" in url or _DOCUMENT_AUTHOR_PATH.search(url)]
        mark = _URL_MARK.search(text, end)
    return out


def _urls_between(text: str, start: int, end: int) -> list[str]:
    """_ANY_URL.findall(text, start, end), trying the pattern only where a match can start (it
    tried every position of a stretch, which can be a whole escaped post). A match's URL starts
    4 or 5 characters before a « :// », right after a quote or after « > » and spaces; the
    quote follows « = » and a keyword (3, 4 or 8 letters), spaces around the « = »."""
    places: set[int] = set()
    at = text.find("://", start, end)
    while at != -1:
        for url in (at - 5, at - 4):
            b = url
            while b > start and text[b - 1].isspace():
                b -= 1
            if b > start and text[b - 1] == ">":
                places.add(b - 1)
            elif b > start and text[b - 1] in "\"'":
                c = b - 1
                while c > start and text[c - 1].isspace():
                    c -= 1
                if c > start and text[c - 1] == "=":
                    k = c - 1
                    while k > start and text[k - 1].isspace():
                        k -= 1
                    places.update(k - n for n in (3, 4, 8) if k - n >= start)
        at = text.find("://", at + 1, end)
    out: list[str] = []
    last = start
    for place in sorted(places):
        if place >= last:
            m = _ANY_URL.match(text, place, end)
            if m:
                out.append(m.group(1))
                last = m.end()
    return out
