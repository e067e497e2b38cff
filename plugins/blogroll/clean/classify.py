"""Which specialties an entry is filed under, and whether `only_tags` admits it. Pure.

An entry is filed under its blog's specialties, then under every specialty
- named by one of its tags (`Vocabulary.slug_named`: label, slug or synonym), and
- unless its blog says `classify: false`, named by its own words (title, excerpt, tags):
  one *strong* term of the specialty (« insémination », « FIV », « péridurale »), or two
  different *weak* ones (« embryon » and « ovocyte »); one weak word alone never files.

Words are compared French-aware: case and accents do not count (« FECONDATION »,
« fécondation »), plurals and genders through the Snowball French stemmer
(« inséminations », « infirmières »), elisions and hyphens split words (« l'IVG »,
« d'une FIV », « sage-femme » = « sage femme »), a hyphenated term also matches written
as one word (« gastroentérologie »), dotted acronyms are joined (« I.V.G. »). A term
written in capitals in specialties.yaml (« FIV », « AVC », « PMA ») is an acronym: it
matches only in capitals, so « mar » or « ide » in a sentence never count. A term's
`unless` words cancel it anywhere in the same entry (« PMA » near « festival »).
See docs/classification.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ..core.model import FeedConfig, Term, Vocabulary
from ..core.text import fold

_TAG_SPLIT = re.compile(r"\s*[/,;|]\s*")
# Letters and digits; apostrophes (elisions), hyphens and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}(?![A-Za-z])")
_ACRONYM = re.compile(r"^[A-Z0-9]{2,6}$")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
# Between title, tags and excerpt: a phrase never spans two of them.
_BREAK = ("", "", "")

Filing = tuple[tuple[str, tuple[str, ...]], ...]


def split_tags(tags: tuple[str, ...]) -> set[str]:
    out = set()
    for tag in tags:
        folded = fold(tag).strip()
        if folded:
            out.add(folded)
            out.update(p for p in _TAG_SPLIT.split(folded) if p)
    return out


def admitted(feed: FeedConfig, tags: tuple[str, ...]) -> bool:
    """A feed with `only_tags` admits only entries carrying one of them."""
    return not feed.only_tags or bool(split_tags(tags) & set(feed.only_tags))


# --- words -----------------------------------------------------------------

_STEMMER = snowballstemmer.stemmer("french")


@lru_cache(maxsize=65536)
def _stem(folded: str) -> str:
    return _STEMMER.stemWord(folded)


def _tokens(text: str) -> list[tuple[str, str, str]]:
    """(as written, folded, stem) for each word of `text`."""
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text.translate(_LIGATURES))
    out = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        folded = fold(word)
        out.append((word, folded, _stem(folded)))
    return out


@dataclass(frozen=True)
class _Word:
    """One word of a term: an acronym (matched in capitals, plural « s » allowed) or
    a word matched by stem, within a few letters of its length (the stemmer cuts
    « urgentiste » to « urgent »: the guard keeps « urgent » from matching it)."""

    folded: str
    acronym: str | None
    stems: frozenset[str]

    def matches(self, token: tuple[str, str, str]) -> bool:
        written, folded, stem = token
        if self.acronym is not None:
            return written == self.acronym or written == self.acronym + "s"
        return stem in self.stems and len(self.folded) - 2 <= len(folded) <= len(self.folded) + 3


def _word(written: str) -> _Word:
    folded = fold(written)
    if _ACRONYM.match(written) and not written.isdigit():
        return _Word(folded, written, frozenset({folded}))
    # Snowball stems « cancer » and « cancers » differently: a term also stands for its plural.
    stems = {_stem(folded)} if folded.endswith(("s", "x")) else {_stem(folded), _stem(folded + "s")}
    return _Word(folded, None, frozenset(stems))


@dataclass(frozen=True)
class _Phrase:
    text: str            # as written in specialties.yaml (what `filed_by` records)
    words: tuple[_Word, ...]

    def at(self, tokens: list[tuple[str, str, str]], i: int) -> bool:
        n = len(self.words)
        return i + n <= len(tokens) and all(w.matches(tokens[i + k]) for k, w in enumerate(self.words))


def _phrases(text: str) -> list[_Phrase]:
    """The phrase of a term, and its one-word form when it is hyphenated."""
    words = [w for w, _, _ in _tokens(text)]
    out = [_Phrase(text, tuple(_word(w) for w in words))] if words else []
    if "-" in text and len(words) > 1 and not any(_ACRONYM.match(w) for w in words):
        out.append(_Phrase(text, (_word("".join(words)),)))
    return out


def _keys(phrase: _Phrase) -> set[str]:
    first = phrase.words[0]
    return {first.folded} if first.acronym is not None else set(first.stems)


@dataclass(frozen=True)
class _Entry:
    slug: str
    strong: bool
    term: str
    phrase: _Phrase
    unless: tuple[_Phrase, ...]


class Matcher:
    """The content terms of a vocabulary, indexed by the stem of their first word."""

    def __init__(self, vocabulary: Vocabulary):
        self.index: dict[str, list[_Entry]] = {}
        for slug, spec in vocabulary.specialties.items():
            for strong, terms in ((True, spec.strong), (False, spec.weak)):
                for term in terms:
                    self._add(slug, strong, term)
        for entries in self.index.values():  # longest phrase first
            entries.sort(key=lambda e: -len(e.phrase.words))

    def _add(self, slug: str, strong: bool, term: Term) -> None:
        unless = tuple(p for u in term.unless for p in _phrases(u))
        for phrase in _phrases(term.text):
            entry = _Entry(slug, strong, term.text, phrase, unless)
            for key in _keys(phrase):
                self.index.setdefault(key, []).append(entry)

    def hits(self, tokens: list[tuple[str, str, str]]) -> list[_Entry]:
        """The terms found in `tokens`: at each word the longest phrase that starts there (with
        every specialty listing it); a word is part of one phrase only."""
        out: list[_Entry] = []
        i = 0
        while i < len(tokens):
            _, folded, stem = tokens[i]
            found: list[_Entry] = []
            size = 0
            for key in (stem, folded) if stem != folded else (stem,):
                for entry in self.index.get(key, ()):
                    n = len(entry.phrase.words)
                    if n >= size and entry not in found and entry.phrase.at(tokens, i):
                        if n > size:
                            found, size = [], n
                        found.append(entry)
            out += found
            i += size or 1
        return out


_MATCHERS: dict[int, tuple[Vocabulary, Matcher]] = {}


def matcher(vocabulary: Vocabulary) -> Matcher:
    """The vocabulary's matcher, compiled once per vocabulary."""
    hit = _MATCHERS.get(id(vocabulary))
    if hit is not None and hit[0] is vocabulary:
        return hit[1]
    m = Matcher(vocabulary)
    if len(_MATCHERS) > 8:
        _MATCHERS.clear()
    _MATCHERS[id(vocabulary)] = (vocabulary, m)  # holding it keeps its id from being reused
    return m


def _present(phrase: _Phrase, tokens: list[tuple[str, str, str]]) -> bool:
    return any(phrase.at(tokens, i) for i in range(len(tokens)))


def by_content(title: str, excerpt: str, tags: tuple[str, ...], vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Specialties the entry's own words file it under, each with the terms that did
    (strong ones first, as written in specialties.yaml), in vocabulary order."""
    tokens = _tokens(title)
    for tag in tags:
        tokens += [_BREAK, *_tokens(tag)]
    tokens += [_BREAK, *_tokens(excerpt)]
    strong: dict[str, list[str]] = {}
    weak: dict[str, list[str]] = {}
    for hit in matcher(vocabulary).hits(tokens):
        if hit.unless and any(_present(u, tokens) for u in hit.unless):
            continue
        found = (strong if hit.strong else weak).setdefault(hit.slug, [])
        if hit.term not in found:
            found.append(hit.term)
    out = {}
    for slug in vocabulary.specialties:
        words = strong.get(slug, [])
        if words or len(weak.get(slug, ())) >= 2:
            out[slug] = tuple(words + weak.get(slug, []))
    return out


def by_tags(tags: tuple[str, ...], vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Specialties named by one of the tags (label, slug or synonym), with those tags."""
    named: dict[str, list[str]] = {}
    for tag in tags:
        folded = fold(tag).strip()
        for part in {folded, *(p for p in _TAG_SPLIT.split(folded) if p)}:
            slug = vocabulary.slug_named(part)
            if slug is not None and f"#{tag.strip()}" not in named.setdefault(slug, []):
                named[slug].append(f"#{tag.strip()}")
    return {slug: tuple(named[slug]) for slug in vocabulary.specialties if slug in named}


def filings(title: str, excerpt: str, tags: tuple[str, ...], vocabulary: Vocabulary, *,
            own: tuple[str, ...] = (), content: bool = True) -> Filing:
    """Where the entry goes beyond the specialties `own` (its blog's), and why:
    (slug, words) pairs in vocabulary order; tags first, then content terms."""
    found = by_tags(tags, vocabulary)
    if content:
        for slug, words in by_content(title, excerpt, tags, vocabulary).items():
            found[slug] = found.get(slug, ()) + tuple(w for w in words if w not in found.get(slug, ()))
    return tuple((slug, found[slug]) for slug in vocabulary.specialties if slug in found and slug not in own)


def file_entry(feed: FeedConfig, title: str, excerpt: str, tags: tuple[str, ...],
               vocabulary: Vocabulary) -> tuple[tuple[str, ...], Filing]:
    """The feed's specialties, then those the entry's tags and (unless the feed says
    `classify: false`) its words file it under, in vocabulary order; and why."""
    filed = filings(title, excerpt, tags, vocabulary, own=feed.specialties, content=feed.classify)
    return tuple(feed.specialties) + tuple(slug for slug, _ in filed), filed


def specialties_for(feed: FeedConfig, tags: tuple[str, ...], vocabulary: Vocabulary, *,
                    title: str = "", excerpt: str = "") -> tuple[str, ...]:
    """The specialties of `file_entry`, without the reasons."""
    return file_entry(feed, title, excerpt, tags, vocabulary)[0]
