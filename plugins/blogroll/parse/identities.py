"""Identity tokens a feed carries, collected only to be redacted from its text.

Feeds name their authors in many places (dc:creator, author/e-mail/uri,
itunes:owner, managingEditor, webMaster, media:credit, rights, a Gravatar's
media:title...). The parse stage never copies those fields into a
ParsedEntry; but the same real name or username often reappears in a post's
own text (« Par Camille Testard », a signature, a title). `collect` gathers
those strings so that the clean stage can cut them out of titles, excerpts
and tags (`clean/redact.Redactor`). They live only in memory during one parse:
never stored, never logged, never rendered.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

# Feed and entry keys (as feedparser names them) that hold a person.
_PERSON_STRINGS = ("author", "publisher", "credit", "googleplay_author", "googleplay_email",
                   "itunes_author", "dc_creator", "dc_contributor")
_PERSON_DETAILS = ("author_detail", "publisher_detail", "itunes_owner")
_PERSON_LISTS = ("authors", "contributors")
_URI_KEYS = ("href",)

_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+", re.I)
_PAREN = re.compile(r"^\s*(?P<a>[^()]*?)\s*\((?P<b>[^()]*)\)\s*$")
_RIGHTS_NOISE = re.compile(
    r"©|\(c\)|copyright|tous droits réservés|all rights reserved|some rights reserved|"
    r"certains droits réservés|\b(?:19|20)\d\d\b|[-–—,;:.]", re.I)
_AUTHOR_PATH = re.compile(r"/(?:author|auteur|authors|auteurs|members?|users?|profil(?:e)?s?)/([^/?#]+)", re.I)
_BLOGGER_PROFILE = re.compile(r"/profile/(\d{6,})")
# A Gravatar or other avatar <media:content> and the <media:title> inside it:
# WordPress.com puts the author's login there. feedparser folds media:title
# into the entry title when the entry has none, so it is read from the bytes.
_AVATAR_TITLE = re.compile(
    r"<(?:[\w.-]+:)?content\b[^>]*?\burl\s*=\s*[\"'][^\"']*(?:gravatar\.com|/avatar/)[^\"']*[\"'][^>]*>"
    r"\s*<(?:[\w.-]+:)?title\b[^>]*>\s*(?:<!\[CDATA\[)?\s*([^<\]]{1,200}?)\s*(?:\]\]>)?\s*</",
    re.I | re.S)
_SCAN_LIMIT = 8 * 1024 * 1024
MAX_TOKENS = 200


def collect(parsed: Any, body: bytes = b"") -> tuple[str, ...]:
    """Names, e-mails, usernames and profile ids found in a parsed feed (feedparser dict) and its bytes."""
    found: list[str] = []
    feed = parsed.get("feed") or {}
    _from_mapping(feed, found)
    for entry in parsed.get("entries") or ():
        _from_mapping(entry, found)
        if isinstance(entry.get("source"), dict):
            _from_mapping(entry["source"], found)
    if body:
        text = body[:_SCAN_LIMIT].decode("utf-8", "replace")
        for m in _AVATAR_TITLE.finditer(text):
            found.append(html.unescape(m.group(1)))
    out: list[str] = []
    seen: set[str] = set()
    for token in found:
        token = " ".join(token.split())[:200]
        key = token.casefold()
        if token and key not in seen:
            seen.add(key)
            out.append(token)
    return tuple(out[:MAX_TOKENS])


def _from_mapping(d: Any, found: list[str]) -> None:
    if not isinstance(d, dict):
        return
    for key in _PERSON_STRINGS:
        if isinstance(d.get(key), str):
            _person(d[key], found)
    for key in _PERSON_DETAILS:
        _detail(d.get(key), found)
    for key in _PERSON_LISTS:
        for item in d.get(key) or ():
            _detail(item, found)
    for key in _URI_KEYS:
        if isinstance(d.get(key), str):
            _uri(d[key], found)
    for credit in d.get("media_credit") or ():
        if isinstance(credit, dict) and isinstance(credit.get("content"), str):
            _person(credit["content"], found)
    rights = d.get("rights")
    if isinstance(rights, str):
        _person(_RIGHTS_NOISE.sub(" ", rights), found)
    admin = d.get("admin_errorreportsto")
    if isinstance(admin, dict):
        for value in admin.values():
            if isinstance(value, str):
                _uri(value, found)


def _detail(d: Any, found: list[str]) -> None:
    if not isinstance(d, dict):
        return
    for key in ("name", "email"):
        if isinstance(d.get(key), str):
            _person(d[key], found)
    if isinstance(d.get("href"), str):
        _uri(d["href"], found)


def _person(value: str, found: list[str]) -> None:
    """« Name », « e-mail », « e-mail (Name) » or « Name (e-mail) »."""
    value = value.strip()
    if not value:
        return
    m = _PAREN.match(value)
    parts: Iterable[str] = (m.group("a"), m.group("b")) if m else (value,)
    for part in parts:
        part = part.strip()
        if not part:
            continue
        emails = _EMAIL.findall(part)
        for email in emails:
            _email(email, found)
        rest = _EMAIL.sub(" ", part).strip()
        if rest.lower().startswith("mailto:"):
            continue
        if rest:
            found.append(rest)


def _email(email: str, found: list[str]) -> None:
    """The address, and its local part when it looks like a name (« camille.testard »):
    a one-word local part (« help », « cabinet ») is too often an ordinary word."""
    found.append(email)
    local = email.split("@", 1)[0]
    if re.search(r"[a-z0-9][._\-][a-z0-9]", local, re.I):
        found.append(local)


def _uri(value: str, found: list[str]) -> None:
    value = value.strip()
    if value.lower().startswith("mailto:"):
        for email in _EMAIL.findall(unquote(value[7:])):
            _email(email, found)
        return
    try:
        path = urlsplit(value).path
    except ValueError:
        return
    for m in _AUTHOR_PATH.finditer(path):
        found.append(unquote(m.group(1)))
    for m in _BLOGGER_PROFILE.finditer(path):
        found.append(m.group(1))
