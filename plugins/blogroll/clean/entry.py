"""One entry through the clean stage: sanitize, scrub, redact, excerpt, classify. Pure."""

from __future__ import annotations

import html
import re

from ..core.entrykeys import content_hash, match_keys, safe_guid
from ..core.model import CleanEntry, FeedConfig, ParsedEntry, Vocabulary
from ..core.names import strip_format
from ..core.weburl import clean_url
from .classify import admitted, file_entry
from .excerpt import entry_text, excerpt
from .links import entry_link, link_text
from .redact import Redactor
from .scrub import scrub_text

# An entity left in plain text: the feed escaped its HTML twice (« Camille&amp;#32;Testard »).
_RESIDUAL_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.I)


def _plain(text: str) -> str:
    """Text as a reader sees it: no double-escaped entities, no format characters (a bidi
    override would flip the line; a zero-width space would split a name for the redactor)."""
    for _ in range(2):
        if "&" not in text or not _RESIDUAL_ENTITY.search(text):
            break
        text = html.unescape(text)
    return strip_format(text)


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
        scrubbed = scrub_text(_plain(s))
        redacted = redact(scrubbed)
        return scrubbed if redacted is scrubbed else scrub_text(redacted)

    text = _plain(entry_text(raw.content_html))
    redacted = redact(text)
    if redacted is not text:  # scrub again only what redaction changed
        text = scrub_text(redacted)
    title = anonymous(raw.title) or excerpt(text, 8) or "(sans titre)"
    def pick(url: str | None) -> str | None:
        return entry_link(url, feed.site, (feed.author, feed.title))

    own_link = pick(raw.link) or pick(raw.guid)
    # A link whose slug or query holds a declared name (or a username brought by xml:base)
    # is not followed: the entry links to the blog's home page (docs/anonymity.md).
    link_named = bool(own_link and redact.found(link_text(own_link)))
    if link_named:
        own_link = None
    guid = safe_guid(raw.guid)
    link = own_link or clean_url(feed.site) or feed.site
    tags = tuple(t for t in map(anonymous, raw.tags) if t)[:20]
    summary = excerpt(text, excerpt_words)
    specialties, filed_by = file_entry(feed, title, summary, tags, vocabulary)
    return CleanEntry(
        feed_id=feed.id,
        guid=guid,
        link=link,
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
