"""The detector: a second, independent look for a declared name in what will be published or
stored in clear (docs/anonymity.md, « Withhold when unsure »). Pure.

The redactor (redact.py) cuts names with regular expressions over text folded character by
character. The detector shares none of that: it only asks whether a name is there, with other
algorithms, on the one folding of core/identity.py:

- `Variants.glued` (separator-free forms: full names glued in both orders, handles, logins):
  an Aho-Corasick automaton (pyahocorasick) over `squeeze(text)`, so that no separator,
  particle spacing or invisible mark hides them;
- `Variants.words` (name parts matched whole): a set lookup of the folded [a-z0-9]+ tokens,
  each also with its digits stripped (« portevin75 ») and a leading title stripped
  (« drvo »);
- a link: the same two checks on its unquoted text and on its host decoded from IDNA (a
  name written in another script in a domain).

`Memory` runs the same checks against the identity memory (store/identities.py), where the
variants are kept only as keyed hashes: each token is hashed, and each substring of the
squeezed text whose length is one of the remembered glued forms' lengths.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Protocol
from urllib.parse import unquote, urlsplit

import ahocorasick

from ..core.identity import Variants, fold, fold_char, one_reading, squeeze
from ..core.identity import variants as _variants
from ..core.model import CleanEntry
from ..core.names import common_word

# A unit is a compound of [a-z0-9]+ tokens, or one of three marks kept as a token of its own:
# a letter French elides, with its apostrophe (« l'hôpital »: « l' » is no initial « L. »); a
# letter alone with its period (« M. », an initial wherever it stands: « Vigneron M. »); the
# « @ » of a handle (« @lfromage » names someone where « l fromage » may not).
_UNIT = re.compile("[a-z]['\u2019\u02bc\u2018`\u00b4](?=[a-z0-9])|@(?=[a-z0-9])|(?<![a-z0-9])[a-z][.](?![a-z0-9])"
                   "|[a-z0-9]+(?:-[a-z0-9]+)*")
_MARKS = re.compile("['.@]")
_APOSTROPHES = str.maketrans("\u2019\u02bc\u2018`\u00b4", "'" * 5)
# Titles glued to a login (« drvo », « docteurfauporar »).
_TITLES = ("docteure", "docteur", "professeure", "professeur", "dr", "pr")
_DOCTOR_TITLES = (*_TITLES, "dre", "doctoresse", "prof")  # every doctor's title
# Words that join a compound without making it another word (« Le-Trévennec », « Dr-Vo »).
# Titles join one too (« /docteure-meconkeval/ »).
_JOINERS = frozenset({"de", "du", "des", "la", "le", "d", "l", "van", "von", "da", "di", "del", "mme", "mr",
                      *_DOCTOR_TITLES})

_HANDLE_DIGITS = re.compile(r"(?<=[a-z])_+(?=[0-9])")

# A text as the detector reads it: its folded [a-z0-9]+ tokens, grouped into hyphenated
# compounds (« mont-de-marsan » is one unit of three tokens).
Units = list[tuple[str, ...]]


def tokens(text: str) -> Units:
    """`text` folded (core/identity.py) and cut into units. A text that is not ASCII is read
    three times: as `fold` reads it, character by character (`fold_char`: each letter by its
    look when it has a Latin look-alike, else transliterated), and so again with each letter
    in capitals, so that a word of another script that is also a look-alike spelling is found
    every way a reader may read it (« ку » read « ku » by sound and « ky » by look; « вonjour »,
    a capital look-alike « В » written small, read « bonjour »)."""
    folded = fold(text)
    out = _units(folded)
    if not one_reading(text):
        seen = {folded}
        for look in ("".join(map(fold_char, text)), "".join(_capital(c) for c in text)):
            if look not in seen:
                seen.add(look)
                out += _units(look)
    return out


def _capital(c: str) -> str:
    return c.lower() if c.isascii() else "".join(map(fold_char, c.upper()))


def _units(folded: str) -> Units:
    # A handle's digits after an underscore stay with it (« poirier_81 » reads « poirier81 »).
    return [tuple(u.translate(_APOSTROPHES).split("-")) for u in _UNIT.findall(_HANDLE_DIGITS.sub("", folded))]


def squeezed(found: Units) -> str:
    return _MARKS.sub("", "".join("".join(u) for u in found))


def _width(token: str) -> int:
    """The length of `token` in `squeezed`."""
    return len(token) - (token[-1:] in ("'", ".")) - (token == "@")


class _Bounds:
    """Where the tokens begin in `squeezed(found)` (`starts`, with their width), where they end
    (`ends`), and which of those places join two tokens of one compound (`hyphens`)."""

    def __init__(self, found: Units):
        self.starts: dict[int, int] = {}
        self.ends: set[int] = set()
        self.hyphens: set[int] = set()
        at = 0
        for unit in found:
            for i, token in enumerate(unit):
                if i:
                    self.hyphens.add(at)
                self.starts[at] = _width(token)
                at += _width(token)
                self.ends.add(at)
        self._ends = sorted(self.ends)

    def whole(self, text: str, start: int, n: int) -> bool:
        """Whether a glued form found at `start` (`n` characters of the squeezed `text`) is read
        as written: inside one token, anywhere (« jdupont75 », « xyzvardenasse »); across tokens,
        from a token's start to a token's end or its digits (« Palomir Vardenasse75 »), never
        ending inside a word (« un bon jour de garde » holds no « Bonjour D. »)."""
        end = start + n
        i = bisect_right(self._ends, start)
        if i == len(self._ends) or self._ends[i] >= end:
            return True  # no token ends inside: one token
        if start not in self.starts:
            return False
        j = bisect_left(self._ends, end)
        return j < len(self._ends) and (self._ends[j] == end or text[end:self._ends[j]].isdigit())


def _cut_word(text: str, bounds: _Bounds, start: int, n: int) -> bool:
    """Whether the `n` letters of the squeezed `text` from `start` are a declared word cut by
    separators and read as one: from a token's start to ANOTHER token's end (a word alone is
    the words' business, and « Marsan » alone in « Mont-de-Marsan » is no name), and either a
    piece is no word itself (« Var-denasse », « Fo ntaine », « Chaud ron ») or the pieces are
    hyphenated (« Bon-jour »). Words side by side are prose: « du bois », « le grand »,
    « mais on » name no Dubois, Legrand or Maison."""
    starts = bounds.starts
    if start not in starts or start + n not in bounds.ends or starts[start] >= n:
        return False
    cuts = [b for b in sorted(starts) if start <= b < start + n] + [start + n]
    if any(not common_word(text[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)):
        return True
    return all(b in bounds.hyphens for b in cuts[1:-1])


def _spelt(word: str) -> bool:
    """A declared word looked for across separators: five letters or more."""
    return len(word) >= 5 and word.isalpha()


def words_hit(found: Units, known: Callable[[str], bool], cut: Callable[[str], bool] = lambda t: False) -> bool:
    """Whether a unit holds a known whole word (in any of its `token_forms`). In a compound,
    only when its other parts are known words or joiners too: « Vallade-Cormier » declared is
    found in « Vallade-Cormier », a declared « Marsan » is not in « Mont-de-Marsan », nor
    « Marie » in « Sainte-Marie » (a word is never taken out of a compound). The compound's
    last part may also be a known word cut short (`cut`): a tag or a title truncated inside
    the name (« Vallade-Cormi »)."""
    for unit in found:
        hit = [any(known(f) for f in token_forms(t)) for t in unit]
        if any(hit) and (len(unit) == 1 or all(h or t in _JOINERS or (i == len(unit) - 1 and cut(t))
                                               for i, (h, t) in enumerate(zip(hit, unit, strict=True)))):
            return True
    # An initial then a word: « G. Hô », « /s-ky/ » (`shared` knows such pairs as « g ho »); a
    # word then an initial with its period (« Vigneron M. »: « vigneron m »); a handle (« @ w »).
    # A letter French elides is a token of its own with its apostrophe (« l' »): never an initial.
    flat = [t for unit in found for t in unit]
    for a, b in zip(flat, flat[1:], strict=False):
        letter = a.rstrip(".")
        if (len(letter) == 1 and letter != "@" or a == "@") and any(known(f"{letter} {f}") for f in token_forms(b)):
            return True
        if len(b) == 2 and b[1] == "." and a[-1:] not in ("'", ".", "@") and known(f"{a} {b[0]}"):
            return True
    return False


def _cut_short(words: Iterable[str]) -> frozenset[str]:
    """The beginnings of the known words (« Babra » cut to « Bab »)."""
    return frozenset(w[:i] for w in words for i in range(1, len(w)))


def substring_forms(variants: Variants) -> frozenset[str]:
    """The glued forms searched inside words: those that are not whole words already (a word is
    found as a token, with its digits or a title stripped; inside another word, « martin » of
    « martinique », it is not a name)."""
    return frozenset(g for g in variants.glued if g and g not in variants.words)


@lru_cache(maxsize=1 << 16)
def token_forms(token: str) -> frozenset[str]:
    """A folded token as written, without its digits, and without a leading title. Remembered:
    a pure function of one token, asked for every token of every text by every check."""
    forms = {token, token.strip("0123456789")}
    if token[-1:].isdigit() and token[:1].isalpha():
        forms.add(token.rstrip("0123456789") + "#")  # a handle's digits (`shared`: « poirier# »)
    forms |= {u for f in tuple(forms) for u in untitled(f)}
    forms.discard("")
    return frozenset(forms)


def untitled(token: str) -> list[str]:
    """`token` without each title it may begin with (« docteuremile »: « emile » and « mile »)."""
    return [token[len(t):] for t in _TITLES if token.startswith(t) and len(token) - len(t) >= 2]


def link_texts(url: str) -> list[str]:
    """What a link says: its text unquoted (twice: « %2540 »), and its host decoded from IDNA."""
    out = [unquote(unquote(url))]
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return out
    if "xn--" in host:
        try:
            out.append(host.encode("ascii").decode("idna"))
        except (UnicodeError, ValueError):
            out.append(host)
    return out


def without(variants: Variants, keep: Iterable[str]) -> Variants:
    """`variants` less what the blog's own pseudonym and title hold (a feed that declares its
    pseudonym as author names nobody)."""
    kept = [k for k in keep if k]
    own = _variants(kept) | _variants([f"Dr {k}" for k in kept])  # its glued forms with a title too
    words = {t for k in kept for u in tokens(k) for t in u} | own.words
    glued = [squeeze(k) for k in kept]
    return Variants(frozenset(w for w in variants.words if w not in words),
                    frozenset(g for g in variants.glued if g not in own.glued and not any(g in k for k in glued)))


class Check(Protocol):
    def hits(self, text: str) -> bool: ...

    def hits_tokens(self, found: Units) -> bool: ...


def shared(variants: Variants) -> Variants:
    """What of a feed's variants is looked for in the OTHER feeds' posts: a name one blog
    declares is withheld from every blog, but only in forms that name someone wherever they
    stand. A whole word must be no ordinary French word (« Xu », « Ky », « Quistrebert »:
    « sage », « marchand » alone are cut from the blog that declared them only); a glued form must
    be no such word either (it is searched inside words: « martin » would find « martinique »),
    nor such a word with an initial or a particle glued to it (« amarchand », « lemarchand »
    would find « le marchand a dit »). Such a word after a doctor's title names a person
    anywhere (« @DrPoirier », « le Dr Vo »), and so does it after a declared first name's
    initial (« G. Hô ») or with a handle's digits (« @poirier_81 »)."""
    words = frozenset(w for w in variants.words if len(w) >= 2 and not w.isdigit() and not common_word(w)
                      and (len(w) >= 4 or w.isalpha()))
    ordinary = [w for w in variants.words if w not in words]
    loose = [g for g in variants.glued if g not in variants.words and not g.isdigit() and not common_word(g)]
    near = frozenset(g for g in loose if any(w in g and len(g) - len(w) <= 3 for w in ordinary))
    glued = frozenset(loose) - near
    # Such a form is still a name written as one word, a login (« driviere », « lemarchand75 »):
    # looked for as a whole token, never across words.
    titled = frozenset(t + w for w in ordinary if not w.isdigit() for t in _DOCTOR_TITLES)
    # ... and so does it after the initial of a declared first name (« G. Hô »), or before it
    # with its period (« Vigneron M. »), or in a handle, alone or after a first name or its
    # initial (« @lfromage », « @fromage »).
    pairs = [(a, w) for a in variants.words for w in ordinary if a != w and a.isalpha() and not w.isdigit()]
    initialed = frozenset(f"{a[0]} {w}" for a, w in pairs) | {f"{w} {a[0]}" for a, w in pairs} \
        | {f"@ {h}" for a, w in pairs for h in (w, a[0] + w, a + w)}
    # ... and with digits after it, a handle (« @poirier_81 »).
    numbered = frozenset(w + "#" for w in ordinary if len(w) >= 4 and w.isalpha())
    return Variants(words | near | initialed | numbered, glued | titled)


class Detector:
    """Whether a text holds one of `variants`, whatever its spelling."""

    def __init__(self, variants: Variants):
        # A declared first name's initial then another declared word: « Y. Ky », « /y-ky/ ».
        self.words = frozenset(variants.words) | {f"{a[0]} {b}" for a in variants.words for b in variants.words
                                                  if a != b and a.isalpha() and b.isalpha()}
        self._cut = _cut_short(variants.words)
        self.glued = substring_forms(variants)
        self._automaton = _automaton(self.glued)
        # A declared word cut by separators (« Var-denasse », « Vardé nasse »): found across
        # token boundaries (`_cut_word`), never inside a word (« Robin » is not in « robinet »).
        self._spanning = _automaton(w for w in variants.words if _spelt(w))

    def __bool__(self) -> bool:
        return bool(self.words or self.glued)

    def hits(self, text: str) -> bool:
        return bool(text) and self.hits_tokens(tokens(text))

    def hits_tokens(self, found: Units) -> bool:
        """`hits` on a text already read (`tokens`)."""
        if self.words and words_hit(found, self.words.__contains__, self._cut.__contains__):
            return True
        text = squeezed(found)
        glued = list(self._automaton.iter(text)) if self._automaton is not None else []
        spanning = list(self._spanning.iter(text)) if self._spanning is not None else []
        if not glued and not spanning:
            return False  # the text's bounds are read only when a form is there
        bounds = _Bounds(found)
        if any(bounds.whole(text, end + 1 - n, n) for end, n in glued):
            return True
        return any(_cut_word(text, bounds, end + 1 - n, n) for end, n in spanning)


def _automaton(forms: Iterable[str]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton of `forms`, each with its length; None when there are none."""
    automaton = ahocorasick.Automaton()
    for form in forms:
        automaton.add_word(form, len(form))
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


class Union:
    """The variants the feeds of one run declare (their `shared` part), each form with the feeds
    declaring it, in the clear and in memory only: `besides(feed)` finds in a text the forms
    some OTHER feed declares."""

    def __init__(self, by_feed: Mapping[str, Variants], full: Mapping[str, Variants] | None = None):
        """`by_feed`: each feed's `shared` forms, looked for; `full`: all its forms, which `others`
        gives to cut a name found (« Clervie Chevalier » is cut whole, not « Clervie » alone,
        which would leave « Chevalier » where it names someone)."""
        self._full = dict(full or by_feed)
        owners: dict[tuple[str, str], set[str]] = {}
        for feed_id, v in by_feed.items():
            for kind, forms in (("w", v.words), ("g", substring_forms(v))):
                for form in forms:
                    owners.setdefault((kind, form), set()).add(feed_id)
        self.words = {form: frozenset(ids) for (kind, form), ids in owners.items() if kind == "w"}
        glued = {form: frozenset(ids) for (kind, form), ids in owners.items() if kind == "g"}
        self._automaton: ahocorasick.Automaton | None = None
        if glued:
            self._automaton = ahocorasick.Automaton()
            for form, ids in glued.items():
                self._automaton.add_word(form, (len(form), ids))
            self._automaton.make_automaton()

    def besides(self, feed_id: str) -> Besides:
        return Besides(self, feed_id)

    def others(self, feed_id: str) -> Variants:
        """Every form feeds other than `feed_id` declare, in the clear (to cut them, withhold.py)."""
        out = Variants()
        for fid, v in self._full.items():
            if fid != feed_id:
                out = out | v
        return out


@dataclass(frozen=True)
class Besides:
    """`Union.besides`: a check for the forms feeds other than `feed_id` declare."""

    union: Union
    feed_id: str

    def hits(self, text: str) -> bool:
        return bool(text) and self.hits_tokens(tokens(text))

    def hits_tokens(self, found: Units) -> bool:
        mine = {self.feed_id}
        words = self.union.words
        if words and words_hit(found, lambda f: not words.get(f, mine) <= mine):
            return True
        automaton = self.union._automaton
        if automaton is None:
            return False
        text = squeezed(found)
        bounds: _Bounds | None = None  # read only when a form some other feed declares is there
        for end, (n, ids) in automaton.iter(text):
            if not ids <= mine:
                bounds = bounds or _Bounds(found)
                if bounds.whole(text, end + 1 - n, n):
                    return True
        return False


def hashed_form(key: bytes, form: str) -> str:
    """The identity memory's keyed hash of one folded form."""
    return hashlib.blake2b(form.encode(), key=key, digest_size=16).hexdigest()


@dataclass(frozen=True)
class Memory:
    """A detector over keyed hashes only: `words` and `glued` hold `hashed_form`s, `lengths`
    the lengths of the glued forms they came from. A glued form is looked for where a word
    begins (or after its title: « drpalomirvardenasse »), each length remembered: hashing every
    position of the text would cost five times as much for the spellings the clear detector
    of the same run finds anyway."""

    key: bytes
    words: frozenset[str] = frozenset()
    glued: frozenset[str] = frozenset()
    lengths: frozenset[int] = frozenset()
    own: bool = True  # what the blog itself declared, or the other blogs
    # The lengths of its declared words of five letters or more: looked for across separators
    # in the blog's own posts (`Detector`, `_cut_word`).
    word_lengths: frozenset[int] = frozenset()
    # Hashes left out: what only the blog being checked declared, when `words` and `glued` are
    # what every blog declared (store/identities.py `MemoryIndex`: one set for all the blogs).
    besides: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.words or self.glued)

    @cached_property
    def _besides(self) -> frozenset[bytes]:
        return frozenset(bytes.fromhex(g) for g in self.besides)

    def _known(self, form: str) -> bool:
        digest = self._digest(form)
        return digest in self.words and digest not in self.besides

    @cached_property
    def _base(self) -> hashlib.blake2b:  # the key's block, hashed once
        return hashlib.blake2b(key=self.key, digest_size=16)

    @cached_property
    def _glued(self) -> frozenset[bytes]:
        return frozenset(bytes.fromhex(g) for g in self.glued)

    def _digest(self, form: str) -> str:
        h = self._base.copy()
        h.update(form.encode())
        return h.hexdigest()

    def hits(self, text: str) -> bool:
        return bool(text) and bool(self) and self.hits_tokens(tokens(text))

    def hits_tokens(self, found: Units) -> bool:
        if self.words and words_hit(found, self._known):
            return True
        if not (self.own and self.word_lengths) and not self.glued:
            return False
        plain = squeezed(found)
        bounds = _Bounds(found)
        if self.own and self.word_lengths and self._spans(plain, bounds):
            return True
        if not self.glued:
            return False
        text = plain.encode()
        lengths = sorted(self.lengths)
        for start in _starts(found):
            for n in lengths:
                if start + n > len(text):
                    break
                h = self._base.copy()
                h.update(text[start:start + n])
                digest = h.digest()
                if digest in self._glued and digest not in self._besides and bounds.whole(plain, start, n):
                    return True
        return False

    def _spans(self, text: str, bounds: _Bounds) -> bool:
        for start in bounds.starts:
            for n in self.word_lengths:
                piece = text[start:start + n]
                if piece.isalpha() and _cut_word(text, bounds, start, n) and self._known(piece):
                    return True
        return False


def _starts(found: Units) -> list[int]:
    """Where each token begins in `squeezed(found)`, where it goes on after a title, and after
    its first letter (an initial glued to a surname, « tmanlorouargnac »: the form a page's
    slug or a handle gives, which the declared forms may lack)."""
    out, at = [], 0
    for unit in found:
        for token in unit:
            out.append(at)
            out += [at + len(token) - len(u) for u in untitled(token)]
            if _width(token) > 2:
                out.append(at + 1)
            at += _width(token)
    return out


def remembered(key: bytes, variants: Variants) -> Memory:
    """`variants` as the identity memory keeps them."""
    glued = substring_forms(variants)
    return Memory(key, frozenset(hashed_form(key, w) for w in variants.words),
                  frozenset(hashed_form(key, g) for g in glued), frozenset(len(g) for g in glued),
                  word_lengths=frozenset(len(w) for w in variants.words if _spelt(w)))


def published_texts(entry: CleanEntry, site: str) -> list[str]:
    """Every string of `entry` that is published or stored in clear (`texts`)."""
    return texts(entry.title, entry.excerpt, entry.tags, entry.link if entry.own_link else "", site)


def texts(title: str, excerpt: str, tags: Iterable[str], own_link: str, site: str) -> list[str]:
    """Title, excerpt, tags, and the link when it is the post's own (the blog's home page is
    the registry's: what the link adds to it is checked, its own host is not)."""
    out = [title, excerpt, *tags]
    if own_link:
        link = own_link
        site_host = _host(site)
        if site_host and _host(link) == site_host:
            parts = urlsplit(link)
            link = f"{parts.path}?{parts.query}"
        out += link_texts(link)
    return out


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def first_hit(entry: CleanEntry, site: str, checks: Iterable[tuple[Check, str]]) -> str:
    """The reason (the second item of the first check that finds a name in `entry`), or ""."""
    texts = published_texts(entry, site)
    read: list[Units] = []
    for check, why in checks:
        if not check:
            continue
        read = read or [tokens(t) for t in texts if t]  # each text read once, whatever the checks
        if any(check.hits_tokens(found) for found in read):
            return why
    return ""
