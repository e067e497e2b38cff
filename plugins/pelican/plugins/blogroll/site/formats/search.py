"""Search index: what the Pagefind records are, pure data (no file, no process).

One Pagefind record per entry, made from the entry card alone (title, date,
pseudonym, blog, excerpt) and carrying the original post's address as its
`url` meta (Pagefind's documented result-URL override): a search result leads
to the blog, never to a page of ours. Entries of noindex blogs are left out.
Records are HTML with <html lang="fr">, so Pagefind applies its French
stemming; the specialty chips are its `specialite` filter.

The index is split by period: one Pagefind bundle per month of the entries'
dates (`pagefind/2026-11/`, …), merged in the browser by the search page
(Pagefind's `mergeIndex`; the newest bundle is the primary one and alone keeps
Pagefind's script, worker and WebAssembly, which the merged bundles do not
load). A new post re-indexes its month only, and Pagefind, which needs about
60 KB of memory per record, indexes one month at a time (two small months at
once on a cold build), not the whole archive.

This module says which entries go to which bundle (`periods`), the records of
a bundle and their digest (`bundle`), and which of Pagefind's files the site
serves (`served`). Running Pagefind, writing the bundles and deciding which
bundles are kept as they are is the builder's (site/builder/pagefind.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .. import urls
from ..model.views import EntryView

BUNDLE = urls.SEARCH_BUNDLE
ENTRY = "pagefind-entry.json"  # a bundle's entry file: names its index files and page count
RUNTIME_SCRIPT = "pagefind.js"  # the primary bundle's script: there only when it is whole
LEGACY_DIGEST = "records.sha256"  # where bundles kept their records' digest until the state folder did
# Pagefind's ready-made UIs are not used (our own small script talks to its JS API).
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
# What only the primary bundle needs: the merged ones are read by the primary's script and worker.
_RUNTIME = re.compile(r"^(pagefind\.js|pagefind-worker\.js|wasm\.[^/]+\.pagefind)$")

Render = Callable[[EntryView], str]  # an entry -> its record page (the theme's search_record.html)


@dataclass(frozen=True)
class Period:
    """The entries of one bundle, newest bundle first, before their records are rendered."""
    folder: str  # the bundle's output folder, `pagefind/YYYY-MM/`
    primary: bool  # the newest bundle: it alone keeps Pagefind's runtime
    entries: tuple[EntryView, ...]
    names: tuple[str, ...]  # each entry's record file name (see record_names)


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
    """The search index as written: the records count and the bundles' folders, newest first
    (the first is the primary one, the others are merged into it by the search page)."""
    count: int
    folders: tuple[str, ...]


def indexable(entries: Iterable[EntryView]) -> list[EntryView]:
    return [e for e in entries if not e.noindex]


def period_of(e: EntryView) -> str:
    """The bundle of an entry: the month of its date (UTC), `YYYY-MM`."""
    return e.date_iso[:7]


def periods(entries: Iterable[EntryView], root: str = BUNDLE) -> tuple[Period, ...]:
    """Indexable entries by bundle, newest period first (the first is the primary one), each
    bundle a folder of `root` (`pagefind/`, or the URL map's under a prefix). Empty when
    nothing is indexable (Pagefind refuses an empty index: there is no bundle)."""
    groups: dict[str, list[EntryView]] = {}
    for e in indexable(entries):
        groups.setdefault(period_of(e), []).append(e)
    keys = sorted(groups, reverse=True)
    return tuple(Period(f"{root}{k}/", i == 0, tuple(groups[k]), record_names(groups[k]))
                 for i, k in enumerate(keys))


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
