"""Links an entry may keep: never one that points at a person, hides an e-mail or a name.

A post's own link is kept as the feed gives it unless it is a person's page (an author or
profile page itself, an avatar, a mailto:), a comment feed, a FeedBurner proxy (it hides the
post behind the feed owner's account name), or carries a person in its query (?author=,
?user=, ?by=, an e-mail plain, %40-, base64- or hex-encoded). Link paths are otherwise left
alone: « /profil/2026/mon-billet », « /users/guide » or « /@pseudo/billet » are posts.
A link whose path or query holds a name the feed declares (its slug, a username brought by
xml:base) is replaced by the blog's home page (see clean/entry.py, docs/anonymity.md).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from urllib.parse import parse_qsl, unquote, urlsplit

from ..core.domains import public_suffix
from ..core.weburl import clean_url, comment_feed_url

_AVATAR_HOST = re.compile(r"(^|\.)(gravatar\.com|wp\.com|avatars?\.[\w.-]+)$")
_PROXY_HOST = re.compile(r"(^|\.)(feedproxy\.google\.com|feeds\.feedburner\.com|feedburner\.com)$")
# The person page itself: « /author/x/ », « /profil/x », « /users/x/page/2/ », « /@x », « /~x ».
_PERSON_PAGE = re.compile(
    r"^/(?:[\w.-]+/)?(?:author|auteur|authors|auteurs|profile|profil|profiles|members?|membres?|users?|u)"
    r"/(?P<a>[^/]+)/?(?:page/\d+/?)?$|^/[@~](?P<b>[^/]+)/?$", re.I)
# A post's slug (« guide-du-patient-diabetique », « billet.html »), not a login.
_SLUG = re.compile(r"^[^-]+(?:-[^-]+){2,}$|\.html?$|^\d+$", re.I)
_IDENTITY_QUERY = {"author", "author_name", "auteur", "auteure", "autrice", "user", "username", "user_id", "uid",
                   "by", "member", "membre", "replytocom", "feed", "email", "mail", "e-mail", "courriel", "name",
                   "nom", "prenom", "redacteur", "redactrice", "redac", "writer", "poster", "owner", "authuser",
                   "login", "pseudo", "signature", "par", "ecrit_par", "posted_by", "contributor"}
_EMAILISH = re.compile(r"[^\s@/]+@[^\s@/]+\.[a-z]{2,}", re.I)
_B64 = re.compile(r"^[A-Za-z0-9+/_-]{12,}={0,2}$")
_HEX = re.compile(r"^(?:[0-9a-f]{2}){6,}$", re.I)

# A feed, not a post (a WordPress post's /feed/ is its comment feed).
_FEED_PATH = re.compile(r"/(?:feed|rss2?|atom)/?$", re.I)

_SUSPECT = re.compile(r"author|auteur|profil|member|membre|user|/u/|avatar|wp\.com|blogger|feed|comment|"
                      r"replytocom|@|%40|/~|[?&;]|=", re.I)


def _decodes_to_email(value: str) -> bool:
    value = unquote(value)
    if "@" in value:
        return bool(_EMAILISH.search(value))
    candidates = []
    if _HEX.match(value):
        with contextlib.suppress(binascii.Error, ValueError):
            candidates.append(binascii.unhexlify(value))
    if _B64.match(value):
        padded = value + "=" * (-len(value) % 4)
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            with contextlib.suppress(binascii.Error, ValueError):
                candidates.append(decode(padded))
    return any(_EMAILISH.search(c.decode("utf-8", "replace")) for c in candidates)


def identity_url(url: str) -> bool:
    """A link that shows a person rather than a post: an author or profile page, an avatar,
    a comment feed (commenters' names and e-mail hashes), a FeedBurner proxy, a mailto:, a
    query naming a person or holding an e-mail (also %40-, base64- or hex-encoded)."""
    if url[:7].lower() == "mailto:":
        return True
    if not _SUSPECT.search(url):  # most links: no need to parse
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return True
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if _AVATAR_HOST.search(host) or _PROXY_HOST.search(host) or (host.endswith("blogger.com")
                                                                  and "/profile" in parts.path):
        return True
    person = _PERSON_PAGE.search(path)
    if (person and not _SLUG.search(person.group("a") or person.group("b") or "")) or comment_feed_url(url) \
            or _FEED_PATH.search(path):
        return True
    if "@" in parts.netloc or (_EMAILISH.search(path)):
        return True
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in _IDENTITY_QUERY or _decodes_to_email(value):
            return True
    return False


def entry_link(url: str | None, site: str = "", own: tuple[str, ...] = (), declared: object = None) -> str | None:
    """`clean_url` without its fragment (« #par-prenom-nom »), refusing links that point at a
    person, a comment feed or hide an e-mail, and, given the blog's `site` and its public names
    (`own`: pseudonym, title), links that leave the site for a personal host (« prenom-nom.
    example », « prenom-nom.plateforme.example ») or a home folder (« /~login/ ») the site does
    not have. `declared` (a clean.redact.Redactor) refuses a host that holds a name the feed
    declares (« prenomnom.blogspot.example », « prenom.nom.free.example »), unless that host is
    the blog's registered site."""
    cleaned = clean_url(url)
    if cleaned is None or identity_url(cleaned):
        return None
    cleaned = cleaned.split("#", 1)[0]
    if site and _personal_place(cleaned, site, own):
        return None
    if declared and _declared_host(cleaned, site, declared):
        return None
    return cleaned


def _declared_host(url: str, site: str, declared: object) -> bool:
    """The link's host names a declared person and is not the blog's own registered host."""
    try:
        host = (urlsplit(url).hostname or "").lower()
        site_host = (urlsplit(site).hostname or "").lower() if site else ""
    except ValueError:
        return True
    if not host or host.removeprefix("www.") == site_host.removeprefix("www."):
        return False
    labels = host.split(".")
    # The registrable part and what is in front of it, read as words (« prenom-nom »,
    # « prenom.nom », « prenomnom »): the public suffix (« free.fr » is one) is no name.
    suffix = public_suffix(host)
    names = labels[: len(labels) - len(suffix.split("."))] if suffix else labels[:-1]
    text = " ".join(names).replace(".", " ")
    return bool(names) and declared.found(text)  # type: ignore[attr-defined]


_HOME_DIR = re.compile(r"/[~@]([^/]+)")


def _personal_place(url: str, site: str, own: tuple[str, ...]) -> bool:
    from ..core.names import common_word, fold_name, name_words

    try:
        link, home = urlsplit(url), urlsplit(site)
    except ValueError:
        return True
    public = {"".join(name_words(x)) for x in own} | {w for x in own for w in name_words(x)}
    for m in _HOME_DIR.finditer(unquote(link.path)):
        login = m.group(1)
        if login not in unquote(home.path) and "".join(name_words(login)) not in public:
            return True
    host, site_host = (link.hostname or "").lower(), (home.hostname or "").lower()
    if host == site_host or not host or not site_host:
        return False
    base = site_host.removeprefix("www.")
    extra = host.removeprefix("www.")
    extra = extra[: -len(base)].rstrip(".") if extra.endswith(base) else extra.split(".")[0]
    for label in filter(None, extra.split(".")):
        words = [w for w in re.split(r"[-_]+", fold_name(label)) if w]
        if "".join(words) in public or any(w in public for w in words):
            continue
        if len(words) >= 2 and all(len(w) >= 3 for w in words) and any(not common_word(w) for w in words):
            return True
    return False


def link_text(url: str) -> str:
    """The part of a link that may hold a name: its path, query and fragment, decoded."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return unquote(" ".join((parts.path, parts.query, parts.fragment)).replace("+", " "))
