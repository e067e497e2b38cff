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
from .figurative import figurative, prone

_TAG_SPLIT = re.compile(r"\s*[/,;|]\s*")
# Letters and digits; apostrophes (elisions), hyphens and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
_DOTTED = re.compile(r"\b(?:[A-Z]\.){2,}(?![A-Za-z])")
_ACRONYM = re.compile(r"^[A-Z0-9]{2,6}$")
# Where a sentence ends: a figure of speech is read within its sentence, a phrase never spans two.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
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


@lru_cache(maxsize=65536)
def _word_keys(word: str) -> tuple[str, str]:
    """(folded, stem) of one word. Unidecode and the stemmer are pure Python and the same words
    come back in every post; like _stem, a pure function of one word: what it remembers never
    changes a result."""
    folded = fold(word)
    return folded, _stem(folded)


def _tokens(text: str, *, tag: bool = False) -> list[tuple[str, str, str]]:
    """(as written, folded, stem) for each word of `text`. In a tag, every word counts as
    written in capitals: a tag « fiv » is an acronym, a sentence's « mar » is not."""
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text.translate(_LIGATURES))
    if tag:
        return [(word.upper(), *_word_keys(word)) for word in _WORD.findall(text)]
    return list(map(_token, _WORD.findall(text)))


@lru_cache(maxsize=65536)
def _token(word: str) -> tuple[str, str, str]:
    """(as written, folded, stem) of one word of running text (remembered as `_word_keys`)."""
    return (word, *_word_keys(word))


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
        return stem in self.stems and len(self.folded) - 2 <= len(folded) <= len(self.folded) + 2


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

    def hits(self, tokens: list[tuple[str, str, str]]) -> list[tuple[int, int, _Entry]]:
        """(start, length, term) of the terms found in `tokens`: at each word the longest
        phrases that start there (with every specialty listing them), unless they lie
        inside a phrase found before (« travail » in « médecine du travail »); phrases
        may overlap (« interne en médecine du travail »)."""
        out: list[tuple[int, int, _Entry]] = []
        end = 0  # where the last phrase found ends
        for i, (_, folded, stem) in enumerate(tokens):
            found: list[_Entry] = []
            size = 0
            for key in (stem, folded) if stem != folded else (stem,):
                for entry in self.index.get(key, ()):
                    n = len(entry.phrase.words)
                    if n >= size and entry not in found and entry.phrase.at(tokens, i):
                        if n > size:
                            found, size = [], n
                        found.append(entry)
            if found and i + size > end:
                out += [(i, size, entry) for entry in found]
                end = i + size
        return out

    def names_a_term(self, slug: str, tag: str) -> bool:
        """Whether a tag is, as a whole, one of the specialty's content terms: its
        strength and `unless` then decide, as for the same words in the text."""
        tokens = _tokens(tag, tag=True)
        return any(entry.slug == slug and i == 0 and n == len(tokens) for i, n, entry in self.hits(tokens))


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


def _places(tokens: list[tuple[str, str, str]]) -> dict[str, list[int]]:
    """Where each stem and each word as written stand in `tokens` (for `_present`)."""
    out: dict[str, list[int]] = {}
    for i, (written, _, stem) in enumerate(tokens):
        out.setdefault(stem, []).append(i)
        if written != stem:
            out.setdefault(written, []).append(i)
    return out


def _present(phrase: _Phrase, tokens: list[tuple[str, str, str]], places: dict[str, list[int]]) -> bool:
    first = phrase.words[0]
    keys = (first.acronym, first.acronym + "s") if first.acronym is not None else first.stems
    return any(first.matches(tokens[i]) and phrase.at(tokens, i) for key in keys for i in places.get(key, ()))


# A strong term weighs STRONG, a weak one 1, each once however often it is written, one
# more in the title. A specialty is eligible with a strong term or two different weak ones;
# of the eligible specialties, only the best supported are kept (see `_kept`).
STRONG = 2

# How much of the post is read: the title, the tags, the first HEAD_WORDS words of its text (what
# the excerpt shows, about its first paragraph) and the next words up to BODY_WORDS. Past the head
# a term only confirms: it counts as a weak term, even a strong one, and a specialty needs a term
# of its own in the title, the tags or the head (a GP's winter post that says « ordonnance » and,
# much later, « antibiotiques » is not a pharmacy post).
HEAD_WORDS = 50
BODY_WORDS = 300

TITLE, TAGS, HEAD, BODY = range(4)


@dataclass
class _Evidence:
    terms: list[str]
    spans: dict[str, tuple[bool, bool]]  # term -> (strong?, in the title?)
    headed: bool = False  # a term in the title, the tags or the head: the body only confirms

    def add(self, key: str, term: str, strong: bool, title: bool, head: bool = True) -> None:
        was = self.spans.get(key, (False, False))
        self.spans[key] = (was[0] or strong, was[1] or title)
        self.headed = self.headed or head
        if term not in self.terms:
            self.terms.append(term)

    def _heads(self, weak_only: bool = False, shared: frozenset[str] = frozenset()) -> list[str]:
        """The different words found, a word and its abbreviation being one (« réa », « réanimation »);
        with `weak_only`, the weak ones not in `shared`."""
        heads: list[str] = []
        for word in sorted((fold(t) for t, (s, _) in self.spans.items()
                            if not (weak_only and (s or t in shared))), key=len):
            if not any(word.startswith(h) for h in heads):
                heads.append(word)
        return heads

    @property
    def eligible(self) -> bool:
        """A strong term, or two different weak ones; one of them before the body."""
        return self.headed and (self.strong() or len(self._heads()) >= 2)

    def strong(self, shared: frozenset[str] = frozenset()) -> bool:
        """A strong term, or three different weak words that no other specialty of the post
        also claims: together as sure as one strong term (« stage », « externe », « interne »;
        not « allaitement », a midwife's word as much as a paediatrician's)."""
        return any(s for s, _ in self.spans.values()) or len(self._heads(True, shared)) >= 3

    @property
    def titled(self) -> bool:
        return any(s and t for s, t in self.spans.values())

    @property
    def score(self) -> int:
        return sum((STRONG if s else 1) + t for s, t in self.spans.values())


Token = tuple[str, str, str]


def _shouted(words: list[Token]) -> bool:
    """A sentence written all in capitals (« LA FIN DES HARICOTS »): there, capitals say
    nothing, and « DES », « LAS » or « MAR » are not acronyms."""
    letters = [w for w, _, _ in words if len(w) > 1 and not w.isdigit()]
    return len(letters) >= 3 and all(w.isupper() for w in letters)


def _text_tokens(text: str) -> list[Token]:
    """The words of running text, a break between sentences."""
    out: list[Token] = []
    for sentence in _SENTENCE_END.split(_DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)):
        words = _tokens(sentence)
        if _shouted(words):
            words = [(folded, folded, stem) for _, folded, stem in words]
        if words:
            out += [*([_BREAK] if out else []), *words]
    return out


def _read(title: str, tags: tuple[str, ...], text: str, content: bool) -> tuple[list[Token], list[int]]:
    """The tokens the filing reads, and the zone (TITLE, TAGS, HEAD, BODY) of each."""
    tokens: list[Token] = []
    zones: list[int] = []

    def put(part: list[Token], zone: int) -> None:
        if tokens:
            tokens.append(_BREAK)
            zones.append(zone)
        tokens.extend(part)
        zones.extend([zone] * len(part))

    if content:
        put(_text_tokens(title), TITLE)
    for tag in tags:
        put(_tokens(tag, tag=True), TAGS)
    if content:
        words = text.split()
        put(_text_tokens(" ".join(words[:HEAD_WORDS])), HEAD)
        if len(words) > HEAD_WORDS:
            put(_text_tokens(" ".join(words[HEAD_WORDS:BODY_WORDS])), BODY)
    return tokens, zones


def _bounds(tokens: list[Token], i: int) -> tuple[int, int]:
    """Where the sentence (or title, or tag) holding token i starts and ends."""
    start = end = i
    while start > 0 and tokens[start - 1] is not _BREAK:
        start -= 1
    while end < len(tokens) and tokens[end] is not _BREAK:
        end += 1
    return start, end


def _figure(tokens: list[Token], i: int, n: int) -> bool:
    """Whether the n words at i, when writers borrow them as images, are one here: read in their
    sentence, with the sentences just before and after (clean/figurative.py)."""
    if not prone(tuple(folded for _, folded, _ in tokens[i:i + n])):
        return False
    start, end = _bounds(tokens, i)
    around: list[str] = []
    if start > 1:
        before = _bounds(tokens, start - 2)
        around += [folded for _, folded, _ in tokens[before[0]:before[1]]]
    if end + 1 < len(tokens):
        after = _bounds(tokens, end + 1)
        around += ["", *(folded for _, folded, _ in tokens[after[0]:after[1]])]
    return figurative([folded for _, folded, _ in tokens[start:end]], i - start, n, around)


def evidence(title: str, excerpt: str, tags: tuple[str, ...], vocabulary: Vocabulary, *,
             content: bool = True, text: str = "") -> dict[str, _Evidence]:
    """Per specialty, the terms and tags that speak for it. Without `content`, the tags only.
    `text` is the post's text before excerpting (the excerpt stands for it when empty)."""
    m = matcher(vocabulary)
    tokens, zones = _read(title, tags, text or excerpt, content)
    found: dict[str, _Evidence] = {}
    seen: set[tuple[str, int]] = set()  # one term per specialty and place in the text
    places: dict[str, list[int]] | None = None  # made when a term found has an `unless`
    for i, n, hit in m.hits(tokens):
        if (hit.slug, i) in seen:
            continue
        if hit.unless:
            places = _places(tokens) if places is None else places
            if any(_present(u, tokens, places) for u in hit.unless):
                continue
        if zones[i] != TAGS and _figure(tokens, i, n):
            continue
        seen.add((hit.slug, i))
        found.setdefault(hit.slug, _Evidence([], {})).add(hit.term, hit.term, hit.strong and zones[i] != BODY,
                                                          zones[i] == TITLE, zones[i] != BODY)
    for tag in tags:  # a tag naming a specialty by a name that is not one of its terms
        folded = fold(tag).strip()
        for part in {folded, *(p for p in _TAG_SPLIT.split(folded) if p)}:
            slug = vocabulary.slug_named(part)
            if slug is not None and not m.names_a_term(slug, part):
                found.setdefault(slug, _Evidence([], {})).add(f"#{part}", f"#{tag.strip()}", True, False)
    return found


def _second_subject(ev: _Evidence, top: int) -> bool:
    """A second subject rather than a passing mention: several terms, and two thirds of the best
    score, or half of it with three different terms."""
    return len(ev.spans) > 1 and 3 * ev.score >= 2 * top or len(ev.spans) > 2 and 2 * ev.score > top


def _kept(found: dict[str, _Evidence], own: tuple[str, ...]) -> set[str]:
    """The eligible specialties beyond `own` with the best score (ties all kept), a second
    subject (`_second_subject`), and those with a strong term in the title: a post
    mentioning an ultrasound on its way to an IVF is a PMA post, not a radiology one;
    « Endométriose et infertilité » is both, and so is a student's diary of a surgery placement."""
    eligible = {slug: ev for slug, ev in found.items() if ev.eligible and slug not in own}
    if not eligible:
        return set()
    sure = {slug for slug, ev in eligible.items()
            if ev.strong(frozenset(t for other, o in found.items() if other != slug for t in o.spans))}
    if sure:  # weak words alone never compete with a strong term
        eligible = {slug: ev for slug, ev in eligible.items() if slug in sure}
    top = max(ev.score for ev in eligible.values())
    return {slug for slug, ev in eligible.items()
            if ev.score >= top or ev.titled or _second_subject(ev, top)}


def filings(title: str, excerpt: str, tags: tuple[str, ...], vocabulary: Vocabulary, *,
            own: tuple[str, ...] = (), content: bool = True, text: str = "") -> Filing:
    """Where the entry goes beyond the specialties `own` (its blog's), and why:
    (slug, words) pairs in vocabulary order, the words being the specialties.yaml terms
    found (as written there) and « #tag » for a tag naming the specialty. `text`: the post's
    text before excerpting (read up to BODY_WORDS); without it, the excerpt."""
    found = evidence(title, excerpt, tags, vocabulary, content=content, text=text)
    kept = _kept(found, own)
    return tuple((slug, tuple(found[slug].terms)) for slug in vocabulary.specialties if slug in kept)


def file_entry(feed: FeedConfig, title: str, excerpt: str, tags: tuple[str, ...],
               vocabulary: Vocabulary, *, text: str = "") -> tuple[tuple[str, ...], Filing]:
    """The feed's specialties, then those the entry's tags and (unless the feed says
    `classify: false`) its words file it under, in vocabulary order; and why. `text` is the
    cleaned text before excerpting (clean/entry.py passes it); the excerpt stands in without it."""
    filed = filings(title, excerpt, tags, vocabulary, own=feed.specialties, content=feed.classify, text=text)
    return tuple(feed.specialties) + tuple(slug for slug, _ in filed), filed


def specialties_for(feed: FeedConfig, tags: tuple[str, ...], vocabulary: Vocabulary, *,
                    title: str = "", excerpt: str = "") -> tuple[str, ...]:
    """The specialties of `file_entry`, without the reasons."""
    return file_entry(feed, title, excerpt, tags, vocabulary)[0]
