"""ONE identity model and ONE folding for every matcher (issue #20, docs/anonymity.md).

`fold(text)` maps text to what a reader reads, so that every spelling of a name that reads
the same folds the same; separators (spaces, punctuation) are kept where they are:

- every default-ignorable code point is dropped (Unicode's Default_Ignorable_Code_Point:
  format characters such as the zero-width space and the soft hyphen, variation selectors,
  the combining grapheme joiner U+034F, Hangul fillers, tag characters...): they split a name
  for a program, not for a reader;
- NFKC, casefold, marks stripped, the Latin letters that do not decompose spelt out
  (æ -> ae, ø -> o, ß -> ss, ł -> l);
- a word that mixes Latin with look-alike letters of another script (a Cyrillic « а » in a
  Latin name) is read through Unicode's confusables (UTS #39, `confusable-homoglyphs`); a
  word written in another script altogether (« Иванов », « Παπαδόπουλος ») is transliterated
  to Latin (`Unidecode`), so that a name declared in one script is found in another.

`squeeze(text)` is `fold(text)` without any character but [a-z0-9].

`variants(tokens)` expands the identity tokens a feed declares in its person fields
(parse/identities.py) into every spelling family a name is written in: `Variants.words` are
name parts matched as whole words (short surnames such as « vo » too), `Variants.glued` are
separator-free forms of 5 characters or more matched inside a word (the full name glued in
either order, an initial with the surname, a particle glued or dropped, a handle or login
with its title and digits stripped, e-mail local parts, host labels).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from unidecode import unidecode

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt; the property is stable:
# Unicode reserves these ranges for it, so a later version adds none outside them).
_DEFAULT_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff")
IGNORABLE = re.compile(f"[{_DEFAULT_IGNORABLE}]")

# Latin letters NFKD leaves alone, spelt as French readers read them.
_SPELT = {"æ": "ae", "œ": "oe", "ø": "o", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
          "ħ": "h", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ƒ": "f", "ſ": "s", "ȷ": "j"}


def ignorable(c: str) -> bool:
    """Default-ignorable, or any other format character (category Cf) of this Python."""
    return IGNORABLE.match(c) is not None or unicodedata.category(c) == "Cf"


@lru_cache(maxsize=1)
def _skeleton() -> dict[str, str]:
    """Non-ASCII character -> the ASCII letter or digit it is confusable with (UTS #39 data)."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    out: dict[str, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            base = "".join(c for c in unicodedata.normalize("NFKD", glyph.get("c", ""))
                           if not unicodedata.combining(c))
            if len(base) == 1 and base.isascii() and base.isalnum():
                # UTS #39 spells every I-like capital « l »; in a casefolded name it reads « i ».
                out[char] = "i" if base == "l" and char.isupper() else base.casefold()
                break
    return out


@lru_cache(maxsize=65536)
def fold_char(c: str) -> str:
    """What one character folds to when read as Latin: "" for ignorables and marks, else
    letters/digits or the character itself casefolded (punctuation and spaces stay)."""
    if c.isascii():
        return c.lower()
    if ignorable(c):
        return ""
    out = []
    skeleton = _skeleton()
    for n in unicodedata.normalize("NFKC", c):
        if n in skeleton and n.casefold() not in _SPELT:  # capitals first: Greek « Β » is a « B »
            out.append(skeleton[n])
            continue
        for d in unicodedata.normalize("NFKD", n.casefold()):
            if unicodedata.combining(d) or ignorable(d):
                continue
            if d.isascii():
                out.append(d)
            else:
                out.append(_SPELT.get(d) or skeleton.get(d) or _latin(d) or d)
    return "".join(out)


@lru_cache(maxsize=65536)
def _translit_char(c: str) -> str:
    """One character of a word written in another script, transliterated (Unidecode)."""
    if c.isascii():
        return c.lower()
    if ignorable(c):
        return ""
    out = []
    for n in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", c).casefold()):
        if unicodedata.combining(n) or ignorable(n):
            continue
        out.append(n if n.isascii() else (_SPELT.get(n) or _latin(n) or (n if not n.isalnum() else "")))
    return "".join(out)


def _latin(c: str) -> str:
    """A letter or digit of any script in Latin letters ("" when Unidecode knows none)."""
    if not c.isalnum():
        return ""
    return re.sub(r"[^a-z0-9]", "", unidecode(c).lower())


@lru_cache(maxsize=65536)
def _latin_letter(c: str) -> bool:
    return c.isascii() or unicodedata.name(c, "").startswith("LATIN")


@lru_cache(maxsize=1 << 16)
def _fold_run(run: str) -> tuple[str, tuple[int, ...]]:
    """(folded run, offset in `run` of each folded character): a run of word characters that
    holds a non-ASCII one. It is read through the confusables when it holds a Latin letter or
    when all its letters look like Latin ones, else transliterated."""
    letters = [c for c in run if c.isalpha()]
    skeleton = _skeleton()
    as_latin = any(_latin_letter(c) for c in letters) or all(
        c in skeleton or unicodedata.normalize("NFKC", c) in skeleton for c in letters)
    step = fold_char if as_latin else _translit_char
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(run):
        f = step(c)
        out.append(f)
        index.extend([i] * len(f))
    return "".join(out), tuple(index)


@lru_cache(maxsize=65536)
def _one_way(c: str) -> bool:
    """Whether `c` reads the same every way a text is read: as Latin (`fold_char`), by its
    sound (`_translit_char`, for what is no Latin letter) and by the look of its capital."""
    if c.isascii():
        return True
    latin = _latin_letter(c)
    if c.isalpha() and not latin:
        return False  # a letter of another script: its word may be transliterated
    return (latin or _translit_char(c) == fold_char(c)) and "".join(map(fold_char, c.upper())) == fold_char(c)


def one_reading(text: str) -> bool:
    """Whether every reading of `text` is `fold(text)`: `fold_map` with or without
    transliteration, and the detector's readings by look and by capitals (clean/detect.py
    `tokens`). True for French written in Latin letters, accents and punctuation included:
    the other readings are then skipped, not made and found equal."""
    return text.isascii() or all(_one_way(c) for c in set(text))


# A run of characters that are not ASCII separators, holding at least one non-ASCII one.
_RUN = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]*[^\x00-\x7f][^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]*")


def fold(text: str) -> str:
    """« Cælia », « CAELIA », « C\u200bælia », « Ｃａｅｌｉａ », « Cаelia » (Cyrillic а) and
    « Ca\ufe0felia » all fold to « caelia »; « Иванов » folds to « ivanov »."""
    if text.isascii():
        return text.lower()
    parts: list[str] = []
    last = 0
    for m in _RUN.finditer(text):
        parts.append(text[last:m.start()].lower())
        parts.append(_fold_run(m.group(0))[0])
        last = m.end()
    parts.append(text[last:].lower())
    return "".join(parts)


@lru_cache(maxsize=1 << 16)
def _translit_run(run: str) -> tuple[str, tuple[int, ...]]:
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(run):
        f = _translit_char(c) if not _latin_letter(c) else fold_char(c)
        out.append(f)
        index.extend([i] * len(f))
    return "".join(out), tuple(index)


def fold_map(text: str, transliterate: bool = False) -> tuple[str, list[int]]:
    """(fold(text), index in `text` of the character each folded character comes from).
    With `transliterate`, every letter of another script is transliterated, also in a word
    that mixes it with Latin ones (« Qуелбра » written with Cyrillic letters for their sound,
    not their look): the redactor reads a text both ways."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    parts: list[str] = []
    index: list[int] = []
    last = 0
    for m in _RUN.finditer(text):
        start, end = m.span()
        parts.append(text[last:start].lower())
        index.extend(range(last, start))
        folded, offsets = (_translit_run if transliterate else _fold_run)(m.group(0))
        parts.append(folded)
        index.extend(start + o for o in offsets)
        last = end
    parts.append(text[last:].lower())
    index.extend(range(last, len(text)))
    return "".join(parts), index


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def squeeze(text: str) -> str:
    """fold(text) with every character but [a-z0-9] removed: « J.-B. Dupont » -> « jbdupont »."""
    return _NOT_ALNUM.sub("", fold(text))


def words(text: str) -> list[str]:
    """The folded [a-z0-9]+ words of `text`."""
    return [w for w in _NOT_ALNUM.split(fold(text)) if w]


# --- the identity model -------------------------------------------------------------------

GLUED_MIN = 5


@dataclass(frozen=True)
class Variants:
    """Every spelling of a feed's declared identities (see the module's docstring)."""

    words: frozenset[str] = frozenset()
    glued: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.words or self.glued)

    def __or__(self, other: Variants) -> Variants:
        return Variants(self.words | other.words, self.glued | other.glued)


def variants(tokens: Iterable[str]) -> Variants:
    """The variants of identity tokens collected from person fields only: names (« Dr Jean
    Le Trévennec »), e-mails, logins and handles (« @DrQuistrebert », « portevin75 »), host
    labels (« prenom-nom »)."""
    from .personal import token_variants

    out_words: set[str] = set()
    out_glued: set[str] = set()
    for token in tokens:
        w, g = token_variants(token)
        out_words |= w
        out_glued |= g
    return Variants(frozenset(out_words), frozenset(g for g in out_glued if len(g) >= GLUED_MIN))
