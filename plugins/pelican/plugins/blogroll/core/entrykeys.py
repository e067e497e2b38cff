"""Entry identity: how an entry is recognised across fetches and takedowns.

Match keys (GUID, own link with title, own link, content hash), the content hash, the
sort date and takedown keys: shared by the registry (takedowns.yaml), the clean stage
(dedup within a fetch), the store (matching against the archive) and the pipeline.

An entry's link has no fragment (clean/links.py drops it: « #par-prenom-nom »), so the
entries of a page of notes (« page#a », « page#b »…) share one link. A link therefore
identifies an entry only where it is unambiguous: within one fetch the feed itself says
which entries are distinct (their GUIDs, or their titles under one link); against the
archive a link (with or without the title) is used only when one entry of the fetch holds
it (`ambiguous_keys`), and the store also asks one row to hold it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Collection, Iterable
from datetime import datetime
from urllib.parse import urlsplit

from .model import CleanEntry, Takedowns
from .text import squash
from .weburl import clean_url


def content_hash(title: str, text: str) -> str:
    """The published title and the post's text as the feed wrote it (its head: the clean stage
    reads no more), hashed. Stores of schema 5 and earlier hashed the text once redacted; their
    rows carry `archived_hash` instead (store/schema.py)."""
    return hashlib.sha256(f"{squash(title)}\n{squash(text)}".encode()).hexdigest()


def archived_hash(title: str, excerpt: str) -> str:
    """The content key of a row stored before schema 6, made of what the row still holds (its
    title and excerpt): the text its old hash was made of is not kept, so that hash could never
    be compared with a new one. The store also looks an entry up by this key."""
    return "archived:" + hashlib.sha256(f"{squash(title)}\n{squash(excerpt)}".encode()).hexdigest()


def archived_withheld(published: str | None) -> str | None:
    """The content key of a WITHHELD row stored before schema 6: it holds no title or excerpt of
    its own, so its date (as stored) stands for them. A post seen again with that date finds the
    row, and stays withheld, even when nothing is found in it any more; another post of the same
    second stays withheld with it: less is published, never more."""
    return f"archived-withheld:{published}" if published else None


# A match key: (kind, value), kind one of "guid", "titled" (own link and title), "link", "hash".
Key = tuple[str, str]


def _link_keys(e: CleanEntry) -> tuple[Key, Key]:
    return ("titled", f"{e.link}\x1f{e.title}"), ("link", e.link)


def fetch_keys(e: CleanEntry) -> list[Key]:
    """The keys that make two entries of one fetch one entry (clean.entry.dedup): the GUID,
    else the own link with the title; and the content hash (the same title and text).

    A feed that gives two entries distinct GUIDs, or distinct titles under one link (the
    fragment-distinct « page#a », « page#b »), gives two entries. The same post listed twice
    (same GUID, or no GUID and the same link and title, or the same title and text) is one."""
    keys = []
    if e.guid:
        keys.append(("guid", e.guid))
    elif e.own_link:
        keys.append(_link_keys(e)[0])
    keys.append(("hash", e.content_hash))
    return keys


def match_keys(e: CleanEntry, ambiguous: Collection[Key] = ()) -> list[Key]:
    """The keys that recognise an entry in the archive, strongest first:

    - its GUID;
    - its own link with its title: the same post under a new GUID (or seen once with a
      tracking parameter or a fragment, which the clean stage drops);
    - its own link alone: a retitled post (the store takes it only where the GUIDs do not
      disagree: the entry or the row has none);
    - its content hash: the same title and text, under a new link.

    `ambiguous`: the link keys several entries of the same fetch hold (`ambiguous_keys`),
    which identify none of them and are left out."""
    keys = []
    if e.guid:
        keys.append(("guid", e.guid))
    if e.own_link:
        keys.extend(k for k in _link_keys(e) if k not in ambiguous)
    keys.append(("hash", e.content_hash))
    return keys


def ambiguous_keys(entries: Iterable[CleanEntry]) -> frozenset[Key]:
    """The link keys (own link with title, own link) that several of one fetch's `entries`
    hold: a page of notes (« page#a », « page#b »…) whose entries share a link once the
    fragment is dropped. Against the archive, those keys identify none of them."""
    held = Counter(k for e in entries if e.own_link for k in _link_keys(e))
    return frozenset(k for k, n in held.items() if n > 1)


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
