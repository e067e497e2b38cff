"""One entry through the clean stage: sanitize, scrub, redact, excerpt, classify. Pure."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..core.entrykeys import content_hash, fetch_keys, safe_guid
from ..core.identity import Variants, fold, variants
from ..core.model import CleanEntry, FeedConfig, ParsedEntry, Vocabulary
from ..core.names import strip_format
from .cites import cites
from .classify import admitted, file_entry
from .detect import Check, Detector, without
from .excerpt import excerpt, read_text
from .links import entry_link, link_text
from .redact import Redactor
from .scrub import scrub_text
from .withhold import CHANNEL, DECLARED, checked, home_page
from .xmlchars import xml_safe

# An entity left in plain text: the feed escaped its HTML twice (« Camille&amp;#32;Testard »).
_RESIDUAL_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.I)


def _plain(text: str) -> str:
    """Text as a reader sees it: no double-escaped entities, no format characters (a bidi
    override would flip the line; a zero-width space would split a name for the redactor), no
    character XML cannot carry (« &amp;#1; » unescaped is U+0001: clean/xmlchars.py). Every
    unescaping is done by then: titles, tags and the post's text all end here."""
    for _ in range(2):
        if "&" not in text or not _RESIDUAL_ENTITY.search(text):
            break
        text = html.unescape(text)
    return strip_format(xml_safe(text))


def clean_entry(raw: ParsedEntry, feed: FeedConfig, vocabulary: Vocabulary, *,
                excerpt_words: int = 50, redact: Redactor | None = None,
                checks: Sequence[tuple[Check, str]] = ()) -> CleanEntry | None:
    """Turn a parsed entry into what may be stored; None when `only_tags` excludes it.

    Only what is published is cleared: `redact` cuts the feed's identity tokens (names,
    usernames, e-mails) out of the title, the tags and the head of the text the excerpt is
    taken from (`cleared_head`). The rest of the text is read (filing, the content hash)
    and never stored. `checks` (the detector, clean/detect.py) then look at what will be
    published: a hit withholds the entry's text.
    """
    if not admitted(feed, raw.tags):
        return None
    redact = redact or Redactor(())
    text = _body_text(raw.content_html)
    read = cleared_head(text, redact, excerpt_words)
    summary = excerpt(read.head, excerpt_words)
    title = _anonymous(raw.title, redact) or excerpt(summary, 8) or "(sans titre)"
    own_link, link_named = _own_link(raw, feed, redact)
    tags = tuple(t for t in (_anonymous(tag, redact) for tag in raw.tags) if t)[:20]
    # The filing reads the cleared head, then the rest as written (clean/classify.py: past its
    # first 50 words, a term only confirms): a declared name is never a reason to file a post.
    specialties, filed_by = file_entry(feed, title, summary, tags, vocabulary, text=read.text)
    home = home_page(feed)
    return checked(CleanEntry(
        feed_id=feed.id,
        guid=safe_guid(raw.guid),
        link=own_link or home,
        title=title[:300],
        excerpt=summary,
        # A feed with no published date gets its `updated` date, read once: the
        # store freezes an entry's sort date at first sight, so a feed that
        # later rewrites `updated` never pushes old posts back to the top.
        published=raw.published or raw.updated,
        tags=tags,
        specialties=specialties,
        content_hash=content_hash(title, text),
        own_link=own_link is not None,
        filed_by=filed_by,
        link_named=link_named,
        cites=cites(raw.content_html, feed.site),
    ), feed.site, home, checks)


def _anonymous(s: str, redact: Redactor) -> str:
    """A title or a tag as plain text, scrubbed, then cleared of the feed's identities (scrubbed
    first: a redacted name must not break an e-mail's match), scrubbed again if that cut any."""
    scrubbed = scrub_text(_plain(s))
    redacted = redact(scrubbed)
    return scrubbed if redacted is scrubbed else scrub_text(redacted)


def _body_text(content_html: str) -> str:
    """The post's plain text (sanitized, its head only: clean/excerpt.py `MAX_TEXT`), as the
    feed wrote it: read to file the post and to hash it, never stored. The markup is cleared
    before it is sanitized too: nh3 cannot take a lone surrogate."""
    return _plain(read_text(xml_safe(content_html)))


# Words of the text scrubbed and redacted beyond the excerpt's end: a name written over several words
# (« Clervie Mou lin », « Dr. J.-B. Var denasse ») that the head's end cuts in two is cut
# as a whole or not at all, and either way far from what is published.
_MARGIN = 24


@dataclass(frozen=True)
class Head:
    """A post's text with its head cleared (`cleared_head`): the head, scrubbed and redacted,
    and the whole text as the filing reads it (that head, then the rest as written)."""

    head: str
    text: str


def cleared_head(text: str, redact: Redactor, words: int) -> Head:
    """The head of `text` the excerpt is taken from, scrubbed (clean/scrub.py) and cleared of
    the feed's identities: the words the excerpt needs and a margin, not the whole text, the
    head doubled while the cuts leave it too short. Its excerpt equals the one of the whole
    text so cleared, as long as no name or scrubbed number is written over more than `_MARGIN`
    words."""
    parts = text.split()
    size = words + 2 * _MARGIN
    while True:
        head = scrub_text(" ".join(parts[:size]))
        redacted = redact(head)
        cleared = head if redacted is head else scrub_text(redacted)  # scrub again what redaction changed
        if size >= len(parts) or len(cleared.split()) >= words + _MARGIN:
            return Head(cleared, " ".join([cleared, *parts[size:]]) if size < len(parts) else cleared)
        size *= 2


def _own_link(raw: ParsedEntry, feed: FeedConfig, redact: Redactor) -> tuple[str | None, bool]:
    """The post's own link (its link, else a URL GUID) when it may be followed, and whether one
    was refused for holding a declared name in its slug or query (or a username brought by
    xml:base): then the entry links to the blog's home page (docs/anonymity.md)."""
    own = (feed.author, feed.title)
    # Cleared before it is checked: the link judged is the link stored (clean/xmlchars.py).
    # A declared name in the link's host (« prenom-nom.example ») refuses it as in its path.
    link = entry_link(raw.link and xml_safe(raw.link), feed.site, own, redact) \
        or entry_link(raw.guid and xml_safe(raw.guid), feed.site, own, redact)
    if link and redact.found(link_text(link)):
        return None, True
    return link, False


def clean_entries(entries: Iterable[ParsedEntry], feed: FeedConfig, vocabulary: Vocabulary, *,
                  excerpt_words: int = 50, identities: tuple[str, ...] = (),
                  suspects: tuple[str, ...] = (), redirected: tuple[str, ...] = ()) -> list[CleanEntry]:
    """Clean a feed's entries; `identities` are the identity tokens its parse found, `suspects`
    the person-looking strings of its channel fields (the detector's only), `redirected` the
    path segments a redirect added (read as declared: the identity model finds no name in a
    server's words, « index.php », « feed »)."""
    return clean_changed(entries, feed, vocabulary, excerpt_words=excerpt_words, identities=identities,
                         suspects=suspects, redirected=redirected).entries


@dataclass(frozen=True)
class Cleaned:
    """A feed's entries through `clean_changed`: those cleaned, and those it left as the
    archive holds them (how many, and how many of them link to the blog's home page)."""

    entries: list[CleanEntry]
    unchanged: int = 0
    unchanged_named: int = 0


def clean_changed(entries: Iterable[ParsedEntry], feed: FeedConfig, vocabulary: Vocabulary, *,
                  excerpt_words: int = 50, identities: tuple[str, ...] = (), suspects: tuple[str, ...] = (),
                  redirected: tuple[str, ...] = (), known: Collection[str] = (), scope: str = "") -> Cleaned:
    """`clean_entries`, each cleaned entry keyed (`raw_key`, under `scope`: what the caller's
    run cleans with, update/run.py `clean_scope`; without one, nothing is keyed or skipped); an
    entry whose key is in `known` (the keys the archive holds for this feed) is not cleaned again. Only where the fetch gives it
    alone: two entries sharing a GUID (or, without one, a link and a title) are both cleaned,
    so that `dedup` decides between them as it would."""
    redact = Redactor(own_address(feed, identities) + redirected, keep=(feed.author, feed.title))
    declared, channel = declared_variants(feed, identities + redirected, suspects)
    checks = [(Detector(declared), DECLARED), (Detector(channel), CHANNEL)]
    entries = list(entries)
    # Without a run's scope (a walk's page, a maintainer's tool) nothing is keyed: « "" ».
    feed_scope = _feed_scope(scope, feed, excerpt_words, identities, suspects, redirected) if scope else ""
    alone = _alone(entries) if known and scope else set()
    out, unchanged, named = [], 0, 0
    for i, raw in enumerate(entries):
        key = raw_key(raw, feed_scope) if scope else ""
        if i in alone and key in known:
            unchanged += 1
            named += _own_link(raw, feed, redact)[1]
            continue
        entry = clean_entry(raw, feed, vocabulary, excerpt_words=excerpt_words, redact=redact, checks=checks)
        if entry is not None:
            out.append(dataclasses.replace(entry, raw_key=key))
    return Cleaned(dedup(out), unchanged, named)


def raw_key(raw: ParsedEntry, feed_scope: str) -> str:
    """The key of what an entry is cleaned from: the parsed entry, every field, and its feed's
    scope (`_feed_scope`). The same key, the same cleaned entry."""
    return hashlib.sha256(f"{feed_scope}\x1f{raw!r}".encode("utf-8", "surrogatepass")).hexdigest()


def _feed_scope(scope: str, feed: FeedConfig, excerpt_words: int, identities: tuple[str, ...],
                suspects: tuple[str, ...], redirected: tuple[str, ...]) -> str:
    """What else a cleaned entry depends on: the run's scope (code, vocabulary), the feed's
    registration and what this fetch declares."""
    parts = (scope, repr(feed), excerpt_words, sorted(identities), sorted(suspects), sorted(redirected))
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _alone(entries: list[ParsedEntry]) -> set[int]:
    """The indexes of the entries no other entry of the fetch shares its GUID (or, without one,
    its link and title) with, nor its title and text (`dedup`'s keys, read before cleaning)."""
    def keys(e: ParsedEntry) -> tuple[str, str]:
        return e.guid or f"{e.link}\x1f{e.title}", f"{e.title}\x1f{e.content_html}"

    held = Counter(k for e in entries for k in keys(e))
    return {i for i, e in enumerate(entries) if all(held[k] == 1 for k in keys(e))}


def declared_variants(feed: FeedConfig, identities: Iterable[str],
                      suspects: Iterable[str] = ()) -> tuple[Variants, Variants]:
    """The variants of what a feed declares (person fields) and of its channel's suspects, less
    the blog's own pseudonym and title (clean/detect.py `without`)."""
    keep = (feed.author, feed.title)
    return without(variants(own_address(feed, identities)), keep), without(variants(suspects), keep)


def own_address(feed: FeedConfig, identities: Iterable[str]) -> tuple[str, ...]:
    """`identities` less the tokens the blog's own registered address gives (a host label, a path
    segment): WordPress and Blogger give that address as the author's URI, and it names the blog,
    not a person. Read as a name, it would be cut from the blog's own posts and withhold every
    other listed blog's post that mentions the blog (« de lien en lien »). Only such a token goes:
    a person's name declared beside it keeps all its variants, even when the address holds it."""
    parts = urlsplit(feed.site)
    labels = (parts.hostname or "").split(".")[:-1] + parts.path.split("/")
    own = {fold(label) for label in labels if label and label != "www"}
    return tuple(t for t in identities if fold(t).strip() not in own)


def dedup(entries: list[CleanEntry]) -> list[CleanEntry]:
    """Within one fetch, keep the first of entries that share a GUID, or (without a GUID) an
    own link and a title, or a content hash (`fetch_keys`). Entries the feed gives distinct
    GUIDs or titles stay apart even when their links differ only by the fragment the clean
    stage dropped (« page#a », « page#b »).

    The store matches the archive by the same keys and the link alone (`match_keys`).
    """
    seen: set[tuple[str, str]] = set()
    out = []
    for e in entries:
        keys = fetch_keys(e)
        if seen.isdisjoint(keys):
            out.append(e)
        seen.update(keys)
    return out
