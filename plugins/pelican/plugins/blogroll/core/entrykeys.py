"""Entry identity: how an entry is recognised across fetches and takedowns.

Match keys (GUID, own link, content hash), the content hash, the sort date and
takedown keys: shared by the registry (takedowns.yaml), the clean stage (dedup
within a fetch), the store (matching against the archive) and the pipeline.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from .model import CleanEntry, Takedowns
from .text import squash
from .weburl import clean_url


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{squash(title)}\n{squash(text)}".encode()).hexdigest()


def match_keys(e: CleanEntry) -> list[tuple[str, str]]:
    """The keys that identify an entry, strongest first: GUID, own link, content hash."""
    keys = []
    if e.guid:
        keys.append(("guid", e.guid))
    if e.own_link:
        keys.append(("link", e.link))
    keys.append(("hash", e.content_hash))
    return keys


def sort_date(published: datetime | None, first_seen: datetime) -> datetime:
    """Published date, or first-seen time when missing or in the future. Never `updated`."""
    if published is None or published > first_seen:
        return first_seen
    return published


# GUIDs are hashed under this fixed key (HMAC-SHA256): one-way, and the same in every stage
# (the store, takedowns.yaml), so that a takedown given by GUID still matches.
_GUID_KEY = b"docsdunet/guid/v1"


def safe_guid(guid: str | None) -> str | None:
    """A GUID fit to store: a keyed hash (HMAC-SHA256), which still identifies the entry but no
    longer its author. GUIDs are never shown, and any of them can hold a name: « urn:author:
    prenom-nom:… », « tag:nom@domaine.fr,2026:… », a permalink on a real-name domain. So
    every GUID is hashed, whether or not a name was found in it."""
    if not guid:
        return None
    guid = guid.strip()[:2000]
    if not guid:
        return None
    if guid.startswith("hmac:") or _HASHED.match(guid):
        return guid
    return "hmac:" + hmac.new(_GUID_KEY, guid.encode("utf-8", "replace"), hashlib.sha256).hexdigest()


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
        if clean_url(guid):  # a raw URL GUID (the clean stage's); stored GUIDs are hashes
            keys.add(takedown_key(guid))
        keys.add(f"guid:{safe_guid(guid)}")
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


def without_takedowns(entries: Iterable[CleanEntry], takedowns: Takedowns) -> tuple[CleanEntry, ...]:
    """The entries takedowns.yaml does not remove: what may be stored."""
    if not takedowns:
        return tuple(entries)
    return tuple(e for e in entries if not taken_down(takedowns, e.feed_id, e.guid, e.link))
