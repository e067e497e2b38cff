"""The identity memory: what each feed has declared, kept as keyed hashes only, and the archive
re-check when a feed declares someone new.

A feed's variants (core/identity.py, folded) are stored as `hashed_form(identity_key, form)`
(BLAKE2b keyed with the store's random key, store/sealed.py), with the form's kind (whole word
or glued), the length of a glued form (the detector hashes the substrings of that length) and
whether it is `shared` (looked for in the other feeds' posts, clean/detect.py `shared`). No
variant is ever written in clear. What the memory is for:

- a feed's later pages (the history walk) and later fetches are checked against what it once
  declared, even when the page at hand declares nothing (`memory`: its own hashes);
- every feed's posts are checked against what the OTHER feeds declared (their shared hashes);
- when a feed declares a form the memory did not hold (`remember` returns it, in the clear,
  from the caller's memory), the archive is checked again with it (`recheck`) and what it
  finds is withheld in place (clean/withhold.py), so that nothing stays in clear.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..clean.detect import (
    Check,
    Detector,
    Memory,
    Units,
    hashed_form,
    published_texts,
    shared,
    substring_forms,
    texts,
    tokens,
)
from ..clean.withhold import HISTORY, NEUTRAL_TITLE, OTHER_FEED, cut, cutter_of
from ..core.identity import Variants
from ..core.model import CleanEntry
from .sealed import key

if TYPE_CHECKING:
    from ..clean.redact import Redactor  # made by clean.withhold when a name is to be cut

TABLE = """
CREATE TABLE IF NOT EXISTS identities (
    feed_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    digest TEXT NOT NULL,
    length INTEGER NOT NULL DEFAULT 0,
    shared INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (feed_id, kind, digest)
);
"""

# A row's folded tokens, per published text: the archive is folded once per run (`Folded`).
Folded = dict[int, tuple[str, list[Units]]]


def remember(db: sqlite3.Connection, feed_id: str, variants: Variants) -> Variants:
    """Keep the hashes of `variants` for `feed_id`; the forms it did not hold yet (in the clear,
    never written)."""
    k = key(db, "identity_key")
    common = shared(variants)
    new: dict[str, set[str]] = {"word": set(), "glued": set()}
    for kind, forms, public in (("word", variants.words | common.words, common.words),
                                ("glued", substring_forms(variants) | common.glued, common.glued)):
        for form in forms:
            cursor = db.execute("INSERT OR IGNORE INTO identities VALUES (?, ?, ?, ?, ?)",
                                (feed_id, kind, hashed_form(k, form), len(form), int(form in public)))
            if cursor.rowcount:
                new[kind].add(form)
    return Variants(frozenset(new["word"]), frozenset(new["glued"]))


_NONE: tuple[frozenset[str], frozenset[str], frozenset[int], frozenset[int]] = (
    frozenset(), frozenset(), frozenset(), frozenset())


@dataclass(frozen=True)
class MemoryIndex:
    """The identity memory read once, for a run that checks many feeds against it (`memory`
    without reading the table again per feed): each feed's own hashes, and the shared hashes of
    every feed with, per feed, those no other feed declares (left out of its « others »)."""

    key: bytes
    own: Mapping[str, tuple[frozenset[str], frozenset[str], frozenset[int], frozenset[int]]]
    shared_words: frozenset[str]
    shared_glued: frozenset[str]
    shared_lengths: frozenset[int]
    sole: Mapping[str, frozenset[str]]

    def memory(self, feed_id: str) -> tuple[Memory, Memory]:
        """What `memory(db, feed_id)` gives, from the index."""
        words, glued, lengths, word_lengths = self.own.get(feed_id, _NONE)
        return (Memory(self.key, words, glued, lengths, word_lengths=word_lengths),
                Memory(self.key, self.shared_words, self.shared_glued, self.shared_lengths, own=False,
                       besides=self.sole.get(feed_id, frozenset())))


def memory_index(db: sqlite3.Connection) -> MemoryIndex:
    own: dict[str, tuple[set[str], set[str], set[int], set[int]]] = {}
    words: set[str] = set()
    glued: set[str] = set()
    lengths: set[int] = set()
    declared_by: dict[str, set[str]] = {}
    for feed_id, kind, digest, length, is_shared in db.execute(
            "SELECT feed_id, kind, digest, length, shared FROM identities"):
        o_words, o_glued, o_lengths, o_word_lengths = own.setdefault(feed_id, (set(), set(), set(), set()))
        if kind == "glued":
            o_glued.add(digest)
            o_lengths.add(length)
        else:
            o_words.add(digest)
            if length >= 5:
                o_word_lengths.add(length)
        if is_shared:
            (glued if kind == "glued" else words).add(digest)
            if kind == "glued":
                lengths.add(length)
            declared_by.setdefault(digest, set()).add(feed_id)
    sole: dict[str, set[str]] = {}
    for digest, feeds in declared_by.items():
        if len(feeds) == 1:
            sole.setdefault(next(iter(feeds)), set()).add(digest)
    return MemoryIndex(key(db, "identity_key"),
                       {f: (frozenset(a), frozenset(b), frozenset(c), frozenset(d)) for f, (a, b, c, d) in own.items()},
                       frozenset(words), frozenset(glued), frozenset(lengths),
                       {f: frozenset(d) for f, d in sole.items()})


def memory(db: sqlite3.Connection, feed_id: str) -> tuple[Memory, Memory]:
    """(what `feed_id` itself declared, what the other feeds declared and is `shared`), hashed."""
    return memory_index(db).memory(feed_id)


def fold_archive(db: sqlite3.Connection, homes: Mapping[str, str], *, feeds: Iterable[str] | None = None,
                 ids: Iterable[int] | None = None) -> Folded:
    """Every archived entry not withheld yet (of `feeds`, or with one of `ids`): its feed and
    its published texts' folded tokens."""
    out: Folded = {}
    sql = "SELECT id, feed_id, title, excerpt, tags, link, own_link FROM entries WHERE withheld = ''"
    args: tuple[object, ...] = ()
    for column, values in (("feed_id", feeds), ("id", ids)):
        if values is not None:
            args = tuple(values)
            sql += f" AND {column} IN ({','.join('?' for _ in args)})"
    for r in db.execute(sql, args):
        link = r["link"] if r["own_link"] else ""
        found = texts(r["title"], r["excerpt"], json.loads(r["tags"]), link, homes.get(r["feed_id"], ""))
        out[r["id"]] = (r["feed_id"], [tokens(t) for t in found])
    return out


def recheck(db: sqlite3.Connection, feed_id: str, new: Variants, homes: Mapping[str, str],
            folded: Folded) -> int:
    """Withhold, in place, the archived entries in which `new` (what `feed_id` just declared for
    the first time) finds a name: all of `feed_id`'s forms in its own entries, their `shared`
    part in the other feeds'. Returns how many were withheld."""
    common = shared(new)
    own: Check = Detector(new)
    others: Check = Detector(common)
    hit = [i for i, (fid, found) in folded.items()
           if any((own if fid == feed_id else others).hits_tokens(t) for t in found)]
    withheld = 0
    cutter = cutter_of(new)  # all its forms, in the other feeds too: a name found is cut whole
    for i in hit:
        fid, _ = folded.pop(i)
        mine = fid == feed_id
        if _cut_in_place(db, i, cutter, own if mine else others, homes.get(fid, "")):
            folded.update(fold_archive(db, homes, ids=(i,)))  # its new text, for the next identity
            continue
        withheld += 1
        db.execute("UPDATE entries SET title = ?, excerpt = '', tags = '[]', link = ?, own_link = 0, "
                   "filed_by = '[]', cites = '[]', link_keys = '[]', withheld = ? WHERE id = ?",
                   (NEUTRAL_TITLE, homes.get(fid, ""), HISTORY if mine else OTHER_FEED, i))
    return withheld


def _cut_in_place(db: sqlite3.Connection, rowid: int, redact: Redactor | None, check: Check, home: str) -> bool:
    """Cut the names `redact` knows from an archived entry (clean/withhold.py `cut`), when
    `check` then finds none: the entry stays published without them. False when it still holds
    a name (it is withheld)."""
    if redact is None:
        return False
    r = db.execute("SELECT feed_id, title, excerpt, tags, link, own_link FROM entries WHERE id = ?", (rowid,)).fetchone()
    e = cut(CleanEntry(feed_id=r["feed_id"], guid=None, link=r["link"], title=r["title"], excerpt=r["excerpt"],
                       published=None, tags=tuple(json.loads(r["tags"])), specialties=(), content_hash="",
                       own_link=bool(r["own_link"])), redact, home)
    if any(check.hits(t) for t in published_texts(e, home)):
        return False
    db.execute("UPDATE entries SET title = ?, excerpt = ?, tags = ?, link = ?, own_link = ? WHERE id = ?",
               (e.title, e.excerpt, json.dumps(list(e.tags), ensure_ascii=False), e.link, int(e.own_link), rowid))
    return True


# Read through the partial index entries_withheld (schema.py): the few withheld rows, not the archive.
WITHHELD_COUNTS = "SELECT feed_id, withheld, COUNT(*) FROM entries WHERE withheld != '' GROUP BY feed_id, withheld"


def withheld_counts(db: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Per feed, its withheld entries by reason."""
    out: dict[str, dict[str, int]] = {}
    for feed_id, why, n in db.execute(WITHHELD_COUNTS):
        out.setdefault(feed_id, {})[why] = n
    return out


__all__ = ["TABLE", "MemoryIndex", "fold_archive", "memory", "memory_index", "recheck", "remember", "withheld_counts"]
