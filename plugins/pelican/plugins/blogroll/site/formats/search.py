"""Search index: what the Pagefind records are, pure data (no file, no process).

One Pagefind record per entry, made from the entry card alone (title, date,
pseudonym, blog, excerpt) and carrying the original post's address as its
`url` meta (Pagefind's documented result-URL override): a search result leads
to the blog, never to a page of ours. Entries of noindex blogs are left out.
Records are HTML with <html lang="fr">, so Pagefind applies its French
stemming; the specialties are its `specialite` filter and, with their
synonyms (« PMA » : « procréation médicalement assistée », « FIV »…), text.

The index is two Pagefind bundles, whatever the archive's age, merged in the
browser by the search page (Pagefind's `mergeIndex`), so a query costs the
same few requests at 100 entries and at 50,000:
- `pagefind/recent/`, the primary: the entries the site first saw from the
  cut-off on. It alone keeps Pagefind's script, worker and WebAssembly, and it
  is the one an hourly build indexes again when a post arrives (a small
  bundle: cheap).
- `pagefind/base/`: every entry first seen before the cut-off, indexed again
  only when its own records change (an old post edited or taken down, another
  theme) or when the cut-off moves.
Bundles go by when an entry arrived, not by its date: a post dated last week
that a slowly polled feed delivers now, or a backfilled one from 2015, goes to
the recent bundle instead of making the whole base be indexed again.
The cut-off is kept between builds (the builder's cache). It moves (`cut`:
to the newest arrival, so the base takes all but the last arrivals) on the
first build, when the recent part outgrows RECENT_LIMIT records, and when the
base has to be indexed again anyway. Never one Pagefind run per month.

This module says which entries go to which bundle (`split`), the records of
a bundle and their digest (`bundle`), and which of Pagefind's files the site
serves (`served`). Running Pagefind, writing the bundles and deciding which
bundles are kept as they are is the builder's (site/builder/pagefind.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from .. import urls
from ..model.views import EntryView

BUNDLE = urls.SEARCH_BUNDLE
ENTRY = "pagefind-entry.json"  # a bundle's entry file: names its index files and page count
RUNTIME_SCRIPT = "pagefind.js"  # the primary bundle's script: there only when it is whole
RECENT, BASE = "recent", "base"  # the two bundles' folders, under BUNDLE
# Records the recent bundle may hold before the cut-off moves (the base is indexed again): the
# hourly Pagefind run stays small (~60 KB of memory and ~0.5 ms per record).
RECENT_LIMIT = 4000
LEGACY_DIGEST = "records.sha256"  # where bundles kept their records' digest until the state folder did
# Pagefind's ready-made UIs are not used (our own small script talks to its JS API).
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
# What only the primary bundle needs: the merged ones are read by the primary's script and worker.
_RUNTIME = re.compile(r"^(pagefind\.js|pagefind-worker\.js|wasm\.[^/]+\.pagefind)$")

Render = Callable[[EntryView], str]
Arrival = tuple[datetime, datetime]  # when an entry was first seen, then its date (see arrival)  # an entry -> its record page (the theme's search_record.html)


@dataclass(frozen=True)
class Period:
    """The entries of one bundle, before their records are rendered."""
    folder: str  # the bundle's output folder, `pagefind/recent/` or `pagefind/base/`
    primary: bool  # the first bundle (the recent one): it alone keeps Pagefind's runtime
    entries: tuple[EntryView, ...]
    names: tuple[str, ...]  # each entry's record file name (see record_names)


@dataclass(frozen=True)
class Split:
    """The bundles of a build and the cut-off they were split at (None: nothing indexable)."""
    cutoff: Arrival | None
    periods: tuple[Period, ...]


@dataclass(frozen=True)
class Bundle:
    """A period's records, rendered: what Pagefind indexes into `folder`."""
    folder: str
    primary: bool
    names: tuple[str, ...]
    pages: tuple[str, ...]
    digest: str  # of the records and Pagefind's version (records_digest)


@dataclass(frozen=True)
class Bundles:
    """The search index as written: the records count and the bundles' folders (the first is
    the primary one, the other is merged into it by the search page)."""
    count: int
    folders: tuple[str, ...]


def indexable(entries: Iterable[EntryView]) -> list[EntryView]:
    return [e for e in entries if not e.noindex]


def arrival(e: EntryView) -> Arrival:
    """When the site first saw `e` (its date when that is not known), then its date: the entries
    of one build (all of them on a cold build) are told apart by their dates."""
    return (e.seen or e.date, e.date)


def cut(entries: Iterable[EntryView]) -> Arrival | None:
    """A fresh cut-off: the newest indexable entry's arrival. The base then holds every entry
    but the last arrivals (which keep the recent bundle, the primary, from being empty)."""
    return max((arrival(e) for e in indexable(entries)), default=None)


def split(entries: Iterable[EntryView], cutoff: Arrival | None, root: str = BUNDLE) -> Split:
    """Indexable entries in two bundles of `root` (`pagefind/`, or the URL map's under a
    prefix): `recent/` (arrived from `cutoff` on), the primary, then `base/` (before),
    each only when it has entries (Pagefind refuses an empty index); the primary is the
    first. No cut-off yet: a fresh one (`cut`)."""
    found = indexable(entries)
    if cutoff is None:
        cutoff = cut(found)
    recent = [e for e in found if cutoff is None or arrival(e) >= cutoff]
    base = [e for e in found if cutoff is not None and arrival(e) < cutoff]
    parts = [(f"{root}{RECENT}/", recent), (f"{root}{BASE}/", base)]
    periods = tuple(Period(folder, False, tuple(part), record_names(part)) for folder, part in parts if part)
    if periods:
        periods = (replace(periods[0], primary=True), *periods[1:])
    return Split(cutoff, periods)


def outgrown(found: Split, limit: int | None = None) -> bool:
    """The recent bundle holds more than `limit` (RECENT_LIMIT) records: time to move the cut-off."""
    limit = RECENT_LIMIT if limit is None else limit
    return any(p.folder.endswith(f"/{RECENT}/") and len(p.entries) > limit for p in found.periods)


def summary(found: Iterable[Period]) -> Bundles:
    found = tuple(found)
    return Bundles(sum(len(p.entries) for p in found), tuple(p.folder for p in found))


def bundle(period: Period, render: Render, *, indexer: str) -> Bundle:
    """`period`'s records, each entry rendered by `render`; `indexer` is Pagefind's version,
    part of the digest (another Pagefind makes another bundle of the same records)."""
    pages = tuple(render(e) for e in period.entries)
    return Bundle(period.folder, period.primary, period.names, pages, records_digest(pages, indexer))


def records_digest(pages: Iterable[str], indexer: str) -> str:
    h = hashlib.sha256(indexer.encode())
    for page in pages:
        h.update(b"\0" + page.encode("utf-8"))
    return h.hexdigest()


def record_names(entries: Iterable[EntryView]) -> tuple[str, ...]:
    """A file name per record that does not depend on its rank: Pagefind puts the record's
    path in its fragment, so names by position would change every fragment (thousands of
    files to delete and upload) whenever one new entry arrives at the top."""
    names: list[str] = []
    seen: set[str] = set()
    for e in entries:
        base = hashlib.sha1(f"{e.feed_id}\n{e.link}\n{e.date_iso}\n{e.title}".encode()).hexdigest()[:16]
        name, n = f"{base}.html", 1
        while name in seen:
            n += 1
            name = f"{base}-{n}.html"
        seen.add(name)
        names.append(name)
    return tuple(names)


def served(rel: str, *, primary: bool) -> bool:
    """A file of a bundle (`rel`: its path inside the bundle) is one the site serves: not the
    ready-made UIs, not an older build's digest file, Pagefind's runtime in the primary only."""
    return not (rel.startswith(_UNUSED) or rel == LEGACY_DIGEST or (not primary and _RUNTIME.match(rel)))
