"""Clean stage: sanitize, anonymize, excerpt, classify. Pure functions, no I/O.

Feed HTML is never stored or shown: an entry keeps a plain-text title and a
plain-text excerpt (rendered autoescaped), and a link to the original post.
`sanitize_html` is the single nh3 policy for any markup that must survive
(none today); text is extracted from sanitized markup, then scrubbed of
e-mail addresses and bare URLs, then cut to an excerpt.
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import lru_cache
from datetime import datetime
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import nh3

from .model import CleanEntry, FeedConfig, ParsedEntry, Takedowns, Vocabulary
from .textutil import fold, html_to_text, squash

# --- sanitizing -----------------------------------------------------------

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
    "i", "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "u", "ul",
}
# No `cite`: nh3 does not check its scheme (<blockquote cite="javascript:..."> passes).
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(markup: str) -> str:
    """The one nh3 policy: no scripts, forms, iframes, SVG, style, on*, ping, srcset, images."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        # Raw-text and embedding elements go with their content: it is markup or junk, not prose.
        clean_content_tags={"script", "style", "svg", "math", "template", "textarea", "select", "noscript",
                            "iframe", "noembed", "noframes", "xmp", "plaintext", "object", "applet", "title"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# --- anonymizing ----------------------------------------------------------

_LOCAL = r"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]*"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
# « nom@domaine.fr », « nom @ domaine.fr », « nom＠domaine.fr », « nom [at] domaine [dot] fr »,
# « nom (arobase) domaine (point) fr », « nom{at}domaine{dot}fr », « nom arobase domaine.fr »...
_AT = rf"(?:\s?[@\uff20\ufe6b]\s?|\s*{_OPEN}\s*(?:at|arobase|@)\s*{_CLOSE}\s*|\s+arobase\s+|_at_)"
_DOT = rf"(?:\.|\s*{_OPEN}\s*(?:dot|point|\.)\s*{_CLOSE}\s*|_dot_)"
_EMAIL = re.compile(rf"(?:mailto:)?{_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[a-z]{{2,24}}(?![a-z0-9])", re.I)
# « nom at domaine dot fr », « NOM AT DOMAINE POINT FR »: only with a plausible top-level domain.
_EMAIL_WORDS = re.compile(
    rf"{_LOCAL}\s+(?:at|arobase)\s+{_LABEL}(?:\s+(?:dot|point)\s+{_LABEL})*\s+(?:dot|point)\s+"
    r"(?:fr|com|org|net|eu|be|ch|ca|lu|re|info|pro|name|io|me)(?![a-z0-9])", re.I)
_BARE_URL = re.compile(r"(?<![\w/])(?:(?:https?:)?//|www\.)\S+", re.I)
# What is left of a profile link once the scheme is gone: « blog.example/author/nom ».
_IDENTITY_PATH = re.compile(r"(?<!\S)\S*/(?:author|profile)/\S*", re.I)
# 32+ hex digits: an MD5/SHA-256 Gravatar hash is an e-mail address one guess away.
_HEX_HASH = re.compile(r"(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])", re.I)
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|twclid|ttclid|li_fat_id|mc_cid|mc_eid|igshid|"
    r"yclid|_hs(enc|mi)|mkt_tok|_ga|_gl|xtor|at_[a-z]+|oly_(anon|enc)_id|vero_(id|conv)|wickedid|"
    r"ck_subscriber_id|s_cid|ncid|sr_share|srsltid|spm|__s)$", re.I)


# Speed only (scrub_text ran ~0.5 ms per KB of text, half of the cold build's clean stage):
# each hint is a part that every match of its pattern must contain, under the same flags,
# so a text the hint does not find cannot match the pattern and skipping it changes nothing.
# Keep them in step with the patterns above (tests/test_scrub_hints.py checks both agree).
_EMAIL_HINT = re.compile(rf"[@\uff20\ufe6b]|arobase|_at_|{_OPEN}\s*(?:at|@)\s*{_CLOSE}", re.I)  # _AT
_EMAIL_WORDS_HINT = re.compile(r"\s(?:at|arobase)\s", re.I)
_BARE_URL_HINT = re.compile(r"//|www\.", re.I)
_IDENTITY_PATH_HINT = re.compile(r"/(?:author|profile)/", re.I)


def _may_hold_hex_hash(text: str) -> bool:
    # 32 hex digits in a row sit inside one whitespace-free token of 32+ characters.
    return len(text) >= 32 and max(map(len, text.split()), default=0) >= 32


def scrub_text(text: str) -> str:
    """Drop e-mail addresses (also obfuscated: « nom [at] domaine [dot] fr »), bare URLs,
    profile paths and hex hashes from text."""
    if _EMAIL_HINT.search(text):
        text = _EMAIL.sub(" ", text)
    if _EMAIL_WORDS_HINT.search(text):
        text = _EMAIL_WORDS.sub(" ", text)
    if _BARE_URL_HINT.search(text):
        text = _BARE_URL.sub(" ", text)
    if _IDENTITY_PATH_HINT.search(text):
        text = _IDENTITY_PATH.sub(" ", text)
    if _may_hold_hex_hash(text):
        text = _HEX_HASH.sub(" ", text)
    return squash(text)


def clean_url(url: str | None) -> str | None:
    """An absolute http(s) URL without credentials, tracking parameters or e-mails in its query."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(c in url for c in "\"'<> \t\r\n\\"):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMS.match(k) and "@" not in v and not _EMAIL.search(v)]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = host + (f":{port}" if port else "")
    fragment = "" if parts.fragment.lower().startswith(("utm", "xtor")) else parts.fragment
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, urlencode(query), fragment))


_AVATAR_HOST = re.compile(r"(^|\.)(gravatar\.com|wp\.com)$")
_PROFILE_PATH = re.compile(r"/(author|authors|profile|profil|members|users)(/|$)", re.I)
_COMMENT_FEED_PATH = re.compile(r"(/feed/?|/comments/default/?|/comments/feed/?|/comments/rss2?/?|"
                                r"/feeds/[^/]+/comments/.*)$", re.I)
_IDENTITY_QUERY = {"author", "author_name", "feed", "replytocom"}


_SUSPECT = re.compile(r"author|profil|member|user|avatar|wp\.com|blogger|feed|comment|replytocom|@|%40", re.I)


def identity_url(url: str) -> bool:
    """A link that shows a person rather than a post: an author or profile page, an avatar,
    a comment feed (commenters' names and e-mail hashes)."""
    if not _SUSPECT.search(url):  # most links: no need to parse
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return True
    host = (parts.hostname or "").lower()
    if _AVATAR_HOST.search(host) or (host.endswith("blogger.com") and "/profile" in parts.path):
        return True
    if _PROFILE_PATH.search(parts.path) or _COMMENT_FEED_PATH.search(parts.path):
        return True
    if "@" in unquote(parts.path):
        return True
    return any(k.lower() in _IDENTITY_QUERY for k, _ in parse_qsl(parts.query, keep_blank_values=True))


def entry_link(url: str | None) -> str | None:
    """`clean_url`, refusing links that point at a person or a comment feed."""
    cleaned = clean_url(url)
    return None if cleaned is None or identity_url(cleaned) else cleaned


def safe_guid(guid: str | None) -> str | None:
    """A GUID fit to store: one holding an e-mail (« tag:nom@domaine.fr,2026:… ») is kept
    only as a hash, which still identifies the entry but no longer its author."""
    if not guid:
        return None
    guid = guid.strip()[:2000]
    if not guid:
        return None
    if "@" in guid or "%40" in guid.lower() or _EMAIL.search(guid):
        return "sha256:" + hashlib.sha256(guid.encode("utf-8", "replace")).hexdigest()
    return guid


# Names that are roles, not people: never worth redacting from a post's text.
GENERIC_NAMES = frozenset({
    "admin", "administrateur", "administratrice", "administrator", "webmaster", "webmestre", "editor",
    "editeur", "redaction", "redac", "contact", "info", "infos", "noreply", "no-reply", "reply", "unknown",
    "anonymous", "anonyme", "blogger", "wordpress", "auteur", "author", "guest", "invite", "team", "equipe",
    "root", "user", "mail", "email", "courriel", "bonjour", "hello", "postmaster", "help", "support", "aide",
    "blog", "blogueur", "blogueuse", "presse", "press", "moi",
})


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


_COMBINING = "[\u0300-\u036f]*"


@lru_cache(maxsize=1)
def _letter_classes() -> dict[str, str]:
    """For each ASCII letter, a regex class of it and its accented Latin forms: e -> [eEéÉèÈ…]."""
    found: dict[str, set[str]] = {}
    for cp in (*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        c = chr(cp)
        f = fold(c)
        if len(f) == 1 and f.isascii() and f.isalpha():
            found.setdefault(f, set()).update({c, c.upper(), c.lower()})
    return {k: "[" + re.escape("".join(sorted(v))) + "]" + _COMBINING for k, v in found.items()}


def _word_pattern(word: str) -> str:
    classes = _letter_classes()
    return "".join(classes.get(c, re.escape(c)) for c in word)


class Redactor:
    """Cuts a feed's identity tokens (see identity.py) out of text, ignoring case, accents and
    separators: « Camille Testard » also removes « camille.testard » and « CAMILLE-TESTARD ».

    Tokens made only of words of the public pseudonym or the blog title are kept (many
    bloggers sign with their pseudonym), and so are roles like « admin » and tokens shorter
    than 4 letters, which would cut ordinary words.
    """

    def __init__(self, tokens, keep=()):
        kept = {w for k in keep for w in _words(k)} | GENERIC_NAMES
        patterns = set()
        for token in tokens:
            words = _words(token)
            if not words or sum(map(len, words)) < 4 or set(words) <= kept:
                continue
            patterns.add(r"[\W_]{0,3}".join(map(_word_pattern, words)))
        # Accents are matched by the letter classes, so the text is searched as it is.
        self.pattern = re.compile(
            r"(?<![^\W_])(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + r")(?![^\W_])"
        ) if patterns else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def __call__(self, text: str) -> str:
        """`text` without the tokens; the very same object when there was nothing to cut."""
        if self.pattern is None or not text or not self.pattern.search(text):
            return text
        return squash(self.pattern.sub(" ", text))


# --- excerpt --------------------------------------------------------------

def excerpt(text: str, words: int = 50) -> str:
    """The first `words` words of plain text, ending with « … » when cut."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    cut = " ".join(parts[:words]).rstrip(" ,;:.-–—")
    return cut + " …"


_ANCHOR = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>.*?</a>", re.I | re.S)


def _drop_identity_links(markup: str) -> str:
    """Remove links to an e-mail, a profile or an author page, text included: that text
    is usually the very name or address the link points to."""
    def repl(m: re.Match) -> str:
        href = html.unescape(m.group(1)).strip()
        return " " if href.lower().startswith("mailto:") or identity_url(href) else m.group(0)
    return _ANCHOR.sub(repl, markup) if "<a" in markup else markup


def entry_text(content_html: str) -> str:
    return scrub_text(html_to_text(_drop_identity_links(sanitize_html(content_html))))


# --- classification -------------------------------------------------------

_TAG_SPLIT = re.compile(r"\s*[/,;|]\s*")


def split_tags(tags: tuple[str, ...]) -> set[str]:
    out = set()
    for tag in tags:
        folded = fold(tag).strip()
        if folded:
            out.add(folded)
            out.update(p for p in _TAG_SPLIT.split(folded) if p)
    return out


def specialties_for(feed: FeedConfig, tags: tuple[str, ...], vocabulary: Vocabulary) -> tuple[str, ...]:
    """The feed's specialties ∪ those whose label, slug or synonyms match the entry's tags."""
    found = list(feed.specialties)
    folded = split_tags(tags)
    for slug, spec in vocabulary.specialties.items():
        if slug in found:
            continue
        if folded & _names(slug, spec):
            found.append(slug)
    return tuple(found)


@lru_cache(maxsize=4096)
def _names(slug: str, spec) -> frozenset[str]:
    """A specialty's slug, label and synonyms, folded: computed once, not once per entry."""
    return frozenset({slug, fold(spec.label)} | {fold(s) for s in spec.synonyms})


def admitted(feed: FeedConfig, tags: tuple[str, ...]) -> bool:
    """A feed with `only_tags` admits only entries carrying one of them."""
    return not feed.only_tags or bool(split_tags(tags) & set(feed.only_tags))


# --- one entry ------------------------------------------------------------

def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{squash(title)}\n{squash(text)}".encode()).hexdigest()


def clean_entry(raw: ParsedEntry, feed: FeedConfig, vocabulary: Vocabulary, *,
                excerpt_words: int = 50, redact: Redactor | None = None) -> CleanEntry | None:
    """Turn a parsed entry into what may be stored; None when `only_tags` excludes it.

    `redact` cuts the feed's identity tokens (names, usernames, e-mails) out of the title,
    the text and the tags before anything is excerpted or hashed.
    """
    if not admitted(feed, raw.tags):
        return None
    redact = redact or Redactor(())

    def anonymous(s: str) -> str:  # scrub first: a redacted name must not break an e-mail's match
        scrubbed = scrub_text(s)
        redacted = redact(scrubbed)
        return scrubbed if redacted is scrubbed else scrub_text(redacted)

    text = entry_text(raw.content_html)
    redacted = redact(text)
    if redacted is not text:  # scrub again only what redaction changed
        text = scrub_text(redacted)
    title = anonymous(raw.title) or excerpt(text, 8) or "(sans titre)"
    guid = safe_guid(raw.guid)
    own_link = entry_link(raw.link) or entry_link(raw.guid)
    link = own_link or clean_url(feed.site) or feed.site
    tags = tuple(t for t in map(anonymous, raw.tags) if t)[:20]
    return CleanEntry(
        feed_id=feed.id,
        guid=guid,
        link=link,
        title=title[:300],
        excerpt=excerpt(text, excerpt_words),
        # A feed with no published date gets its `updated` date, read once: the
        # store freezes an entry's sort date at first sight, so a feed that
        # later rewrites `updated` never pushes old posts back to the top.
        published=raw.published or raw.updated,
        tags=tags,
        specialties=specialties_for(feed, raw.tags, vocabulary),
        content_hash=content_hash(title, text),
        own_link=own_link is not None,
    )


def clean_entries(entries, feed: FeedConfig, vocabulary: Vocabulary, *, excerpt_words: int = 50,
                  identities: tuple[str, ...] = ()) -> list[CleanEntry]:
    """Clean a feed's entries; `identities` are the identity tokens its parse found."""
    redact = Redactor(identities, keep=(feed.author, feed.title))
    out = []
    for raw in entries:
        entry = clean_entry(raw, feed, vocabulary, excerpt_words=excerpt_words, redact=redact)
        if entry is not None:
            out.append(entry)
    return dedup(out)


def dedup(entries: list[CleanEntry]) -> list[CleanEntry]:
    """Within one fetch, keep the first of entries that match by GUID, then link, then content hash.

    The store applies the same keys (see `match_keys`) against the archive.
    """
    seen: set[tuple[str, str]] = set()
    out = []
    for e in entries:
        keys = match_keys(e)
        if seen.isdisjoint(keys):
            out.append(e)
        seen.update(keys)
    return out


def match_keys(e: CleanEntry) -> list[tuple[str, str]]:
    """The keys that identify an entry, strongest first: GUID, own link, content hash."""
    keys = []
    if e.guid:
        keys.append(("guid", e.guid))
    if e.own_link:
        keys.append(("link", e.link))
    keys.append(("hash", e.content_hash))
    return keys


# --- ordering ---------------------------------------------------------------

def sort_date(published: datetime | None, first_seen: datetime) -> datetime:
    """Published date, or first-seen time when missing or in the future. Never `updated`."""
    if published is None or published > first_seen:
        return first_seen
    return published


# --- takedowns ----------------------------------------------------------------

_HASHED = re.compile(r"^sha256:([0-9a-f]{64})$", re.I)


def takedown_key(value: str) -> str:
    """How takedowns.yaml matches an entry. A URL ignores its scheme, a leading « www. »,
    tracking parameters, the fragment and a trailing slash; anything else is a GUID,
    compared as stored (see `safe_guid`). « sha256:<hex> » is the hashed form of either
    (`hashed_key`), so the public file need not point at the post it removes."""
    value = value.strip()
    hashed = _HASHED.match(value)
    if hashed:
        return f"hash:{hashed.group(1).lower()}"
    url = clean_url(value)
    if url is not None:
        p = urlsplit(url)
        host = p.netloc.lower().removeprefix("www.")
        return f"url:{host}{p.path.rstrip('/')}" + (f"?{p.query}" if p.query else "")
    return f"guid:{safe_guid(value) or ''}"


def hashed_key(key: str) -> str:
    """« hash:<sha256 of the key> »; tools/takedown_key.py prints it as « sha256:<hex> »."""
    return "hash:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def entry_keys(guid: str | None, link: str | None) -> set[str]:
    """Takedown keys of a stored (or cleaned) entry: its GUID, and its link."""
    keys = set()
    if guid:
        keys.add(f"guid:{guid}")
        if clean_url(guid):
            keys.add(takedown_key(guid))
    if link:
        keys.add(takedown_key(link))
    return keys


def taken_down(takedowns: Takedowns, feed_id: str, guid: str | None, link: str | None) -> bool:
    if feed_id in takedowns.feeds:
        return True
    if not takedowns.entries:
        return False
    keys = entry_keys(guid, link)
    if not takedowns.entries.isdisjoint(keys):
        return True
    return takedowns.hashed and not takedowns.entries.isdisjoint(map(hashed_key, keys))


def without_takedowns(entries, takedowns: Takedowns) -> tuple[CleanEntry, ...]:
    """The entries takedowns.yaml does not remove: what may be stored."""
    if not takedowns:
        return tuple(entries)
    return tuple(e for e in entries if not taken_down(takedowns, e.feed_id, e.guid, e.link))
